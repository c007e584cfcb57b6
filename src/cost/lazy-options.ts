/**
 * zod takes ~60 ms to import in Node, so option validation (src/cost/options.ts) is loaded on
 * first use: importing the package stays cheap for tokenizer-only callers and cold starts.
 */
type OptionsModule = typeof import('./options.js');
let mod: OptionsModule | undefined;

/** Load the validation module (once). */
export async function loadOptions(): Promise<OptionsModule> {
  return (mod ??= await import('./options.js'));
}

/** The validation module; only valid after `loadOptions()` resolved. */
export function options(): OptionsModule {
  if (!mod) throw new Error('tollgate: option validation used before loadOptions()');
  return mod;
}
