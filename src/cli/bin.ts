/**
 * The `tollgate` executable (dist/cli/tollgate.cjs): turns on Node's compile cache, then runs
 * the CLI (main.ts). With the cache (Node ≥ 22.1), V8 keeps the compiled code of the CLI's
 * modules in the OS temp directory, so later runs skip most of parsing and compiling them
 * (−11.6M instructions on Node 22, a fifth of what the CLI adds to Node's own start). The
 * cache must be on before those modules load, hence this separate entry. Older Node lacks the
 * call: no change. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */

// No imports: anything imported here would load before the cache is on.
type ModuleBuiltin = { enableCompileCache?: () => unknown };
(process as unknown as { getBuiltinModule: (id: string) => ModuleBuiltin }).getBuiltinModule('node:module').enableCompileCache?.();
void import('./main.js');
