/**
 * Where the WASM core and vocabulary binaries come from. Each runtime entry point
 * (src/runtime/*) installs a loader: Node reads files next to the package, browsers and
 * bundlers fetch `new URL(…, import.meta.url)`, workerd uses static module imports because
 * Workers forbid compiling WASM from bytes at run time.
 */
import type { VocabName } from './encodings.js';

export interface AssetLoader {
  /** The compiled core (a Module, so workerd can pass a statically imported one). */
  wasm(): Promise<WebAssembly.Module>;
  /** A vocabulary binary. */
  vocab(name: VocabName): Promise<Uint8Array>;
}

let loader: AssetLoader | undefined;

/** Install the runtime's asset loader (done by the package entry point; exposed for custom hosts). */
export function setAssetLoader(l: AssetLoader): void {
  loader = l;
}

export function getAssetLoader(): AssetLoader {
  if (!loader) throw new Error('tollgate: no asset loader installed; import tollgate through its package entry point');
  return loader;
}
