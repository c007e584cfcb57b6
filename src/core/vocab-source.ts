/**
 * Where a runtime without files or bundler URLs gets vocabularies it does not bundle: the
 * open-weight ones in workerd. The workerd entry's default asks the Worker's static assets
 * (`ASSETS` binding) for /tollgate-vocab/<name>.bin; any other store (a KV namespace, R2, a
 * fetch) plugs in with setVocabularySource.
 */
import type { VocabName } from './encodings.js';

/** Returns a vocabulary binary's bytes (as built in dist/assets/vocab/<name>.bin). */
export type VocabularySource = (name: VocabName) => Promise<ArrayBuffer | Uint8Array | null | undefined>;

/** Path of the published binaries in a Worker's static assets (see scripts/vocab/publish-assets.ts). */
export const VOCAB_ASSET_PATH = '/tollgate-vocab/';

let source: VocabularySource | undefined;

/**
 * Load vocabularies that are not bundled (Llama 3, Qwen, DeepSeek in workerd) from your own
 * store, e.g. `setVocabularySource((name) => env.MY_KV.get(`vocab:${name}`, 'arrayBuffer'))`.
 */
export function setVocabularySource(fn: VocabularySource): void {
  source = fn;
}

/**
 * The bytes of open-weight vocabulary `name`: from the source set with setVocabularySource,
 * else from `fallback` (the runtime's default, e.g. the Worker's static assets).
 */
export async function openWeightVocab(name: VocabName, fallback?: VocabularySource): Promise<Uint8Array> {
  const bytes = (source ? await source(name) : undefined) ?? (fallback ? await fallback(name) : undefined);
  if (!bytes) {
    throw new Error(
      `tollgate: vocabulary ${name} is not bundled in this runtime: serve dist/assets/vocab/${name}.bin as a static asset at ${VOCAB_ASSET_PATH}${name}.bin (ASSETS binding) or call setVocabularySource()`,
    );
  }
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}
