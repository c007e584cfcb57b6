/** `tollgate schema [NAME]`: prints a shipped JSON Schema, or lists them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closestMatches } from '../../runtime/node.js';
import { CliError } from '../errors.js';

/** The schemas ship next to the bundle: dist/cli/schemas, and this module is in dist/cli/chunks. */
const DIR = fileURLToPath(new URL('../schemas/', import.meta.url));
const fileOf = (name: string): string => `${name === 'config' ? 'tollgate' : name}.schema.json`;

export async function run(name: string | undefined): Promise<number> {
  const names = readdirSync(DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => f.replace(/\.schema\.json$/, ''))
    .map((n) => (n === 'tollgate' ? 'config' : n))
    .sort();
  if (name === undefined) {
    process.stdout.write(`${names.map((n) => `${n.padEnd(15)} ${join(DIR, fileOf(n))}`).join('\n')}\n`);
    return 0;
  }
  if (!names.includes(name)) {
    const near = closestMatches(name, names);
    throw new CliError(`no schema named '${name}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}; names: ${names.join(', ')}`, 'unknown_schema');
  }
  process.stdout.write(readFileSync(join(DIR, fileOf(name)), 'utf8'));
  return 0;
}
