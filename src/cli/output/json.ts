/** JSON output: one document on stdout, described by a schema in src/cli/schemas (`tollgate schema NAME`). */

/** Writes `value` as indented JSON and a newline to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
