/**
 * How the CLI fails. Every failure is one line on stderr and an exit code: 1 when a policy
 * (budget, daily limit, allowed increase) failed, 2 when the command could not do its job
 * (bad flags, bad input, unreadable files, unknown models, unreachable servers).
 */

/** Exit codes of every command. */
export const EXIT = { ok: 0, policy: 1, usage: 2 } as const;

/** A usage or input error: the message says what is wrong and what to do about it. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    /** Machine-readable kind, e.g. `invalid_config`, `unknown_model`, `git_ref_not_found`. */
    readonly code = 'invalid_input',
  ) {
    super(message);
  }
}

/** `where: message` — a location (file:line, a field) in front of a message. */
export function at(where: string | undefined, message: string): string {
  return where ? `${where}: ${message}` : message;
}

/**
 * A library error message with its leading field (`cache.readTokens: …`) renamed to what the
 * user wrote: a flag (`--cache-read`) or a project-file setting (`cache.read_tokens`).
 */
export function renameField(message: string, names: Array<[RegExp, string]>): string {
  for (const [re, name] of names) if (re.test(message)) return message.replace(re, name);
  return message;
}
