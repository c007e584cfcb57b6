/**
 * `tollgate`: the command-line entry. Parses the command line (program.ts), runs the command's
 * module, and turns every failure into one line on stderr and an exit code (errors.ts) — never
 * a stack trace (TOLLGATE_DEBUG=1 shows it for bug reports).
 */
import { CommanderError } from 'commander';
import { CliError, EXIT } from './errors.js';
import { printJson } from './output/json.js';
import { buildProgram } from './program.js';

type Module = { run: (...args: unknown[]) => Promise<number> };

/** Command modules, imported only when their command runs. */
const COMMANDS: Record<string, () => Promise<Module>> = {
  count: async () => (await import('./commands/count.js')) as Module,
  estimate: async () => (await import('./commands/estimate.js')) as Module,
  check: async () => (await import('./commands/check.js')) as Module,
  diff: async () => (await import('./commands/diff.js')) as Module,
  export: async () => (await import('./commands/export.js')) as Module,
  'pricing-list': async () => ({ run: (await import('./commands/pricing.js')).runList }) as Module,
  'pricing-show': async () => ({ run: (await import('./commands/pricing.js')).runShow }) as Module,
  'pricing-update': async () => ({ run: (await import('./commands/pricing.js')).runUpdate }) as Module,
  'pricing-reset': async () => ({ run: (await import('./commands/pricing.js')).runReset }) as Module,
  'pricing-check': async () => (await import('./commands/pricing-check.js')) as Module,
  stats: async () => (await import('./commands/stats.js')) as Module,
  schema: async () => (await import('./commands/schema.js')) as Module,
};

/** Library error classes whose messages already say what to fix (matched by name: no import). */
const LIBRARY_ERRORS: Record<string, string> = {
  UnknownNameError: 'unknown_name',
  CostInputError: 'invalid_input',
  PricingSignatureError: 'invalid_signature',
  PricingValidationError: 'invalid_pricing',
  DisallowedSpecialTokenError: 'invalid_input',
};

/** The command named on the command line (for "see tollgate X --help"). */
function commandOf(argv: string[]): string {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (words[0] === 'pricing' && words[1] && ['list', 'show', 'update', 'reset', 'check'].includes(words[1])) return `pricing ${words[1]}`;
  return words[0] && (words[0] in COMMANDS || words[0] === 'pricing') ? words[0] : '';
}

function wantsJson(argv: string[]): boolean {
  return argv.includes('--json') || argv.some((a, i) => (a === '--format' && argv[i + 1] === 'json') || a === '--format=json');
}

/** One line for an error, and its code. */
function describe(e: unknown, argv: string[]): { message: string; code: string; exit: number } {
  if (e instanceof CommanderError) {
    const cmd = commandOf(argv);
    const text = e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
    return { message: `${text} (see 'tollgate ${cmd ? `${cmd} ` : ''}--help')`, code: e.code.replace(/^commander\./, '').replace(/([A-Z])/g, '_$1').toLowerCase(), exit: EXIT.usage };
  }
  if (e instanceof CliError) return { message: e.message, code: e.code, exit: EXIT.usage };
  const err = e as Error & { code?: string; path?: string };
  if (err && LIBRARY_ERRORS[err.name]) return { message: err.message, code: LIBRARY_ERRORS[err.name]!, exit: EXIT.usage };
  if (err?.code === 'ENOENT' && err.path) return { message: `${err.path}: no such file or directory`, code: 'file_not_found', exit: EXIT.usage };
  if (err?.code === 'EACCES' && err.path) return { message: `${err.path}: permission denied`, code: 'unreadable_file', exit: EXIT.usage };
  return { message: `internal error: ${err?.message ?? String(e)} (a bug: please report it; TOLLGATE_DEBUG=1 shows the stack)`, code: 'internal_error', exit: EXIT.usage };
}

export async function main(argv: string[]): Promise<number> {
  // A closed pipe (`tollgate … | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  let exit: number = EXIT.ok;
  const program = buildProgram(async (name, args) => {
    exit = await (await COMMANDS[name]!()).run(...args);
  }, argv);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    // --help and --version; `tollgate pricing` alone shows its help as a usage error.
    if (e instanceof CommanderError && (e.code === 'commander.helpDisplayed' || e.code === 'commander.version')) return EXIT.ok;
    if (e instanceof CommanderError && e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const d = describe(e, argv);
    if (process.env.TOLLGATE_DEBUG) console.error(e);
    if (wantsJson(argv)) printJson({ error: { message: d.message, type: d.exit === EXIT.usage ? 'invalid_request_error' : 'error', code: d.code } });
    process.stderr.write(`tollgate: ${d.message}\n`);
    return d.exit;
  }
  return exit;
}

// No top-level await: the bundle is CommonJS (scripts/cli/build-cli.ts says why).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
