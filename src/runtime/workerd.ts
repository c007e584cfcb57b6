/**
 * Cloudflare Workers (workerd) entry: Workers cannot compile WASM from bytes at run time,
 * so the core is a static `.wasm` import (CompiledWasm) and tiktoken's vocabularies are `.bin`
 * Data modules bundled with the worker.
 *
 * The open-weight vocabularies (Llama 3, Qwen, DeepSeek: 1–1.1 MB gzipped each) are never
 * bundled, so the worker script stays far under its size limit: they load on first use
 * through the vocabulary source (setVocabularySource), by default the worker's static assets
 * (the `ASSETS` binding) at /tollgate-vocab/<name>.bin, which `npm run build` publishes into
 * this repository's assets directory (dist/demo).
 */
import wasm from '../../dist/assets/tollgate.wasm';
import o200k from '../../dist/assets/vocab/o200k_base.bin';
import cl100k from '../../dist/assets/vocab/cl100k_base.bin';
import p50k from '../../dist/assets/vocab/p50k_base.bin';
import r50k from '../../dist/assets/vocab/r50k_base.bin';
import { PRICING_JSON } from '../../dist/assets/pricing-text.js';
import { setAssetLoader } from '../core/assets.js';
import { openWeightVocab, VOCAB_ASSET_PATH } from '../core/vocab-source.js';
import type { VocabName } from '../core/encodings.js';

const vocabs: Record<string, ArrayBuffer> = { o200k_base: o200k, cl100k_base: cl100k, p50k_base: p50k, r50k_base: r50k };

/**
 * workerd's module of the running Worker's bindings. Imported by a computed name so that any
 * bundler leaves it to the runtime (wrangler knows `cloudflare:*`, others would try to resolve it).
 */
const CLOUDFLARE_WORKERS = ['cloudflare', 'workers'].join(':');

/** The Worker's static assets, if it has an `ASSETS` binding serving the published binaries. */
async function fromAssets(name: VocabName): Promise<ArrayBuffer | undefined> {
  let env: Record<string, unknown> | undefined;
  try {
    env = ((await import(/* @vite-ignore */ CLOUDFLARE_WORKERS)) as { env?: Record<string, unknown> }).env;
  } catch {
    return undefined; // not workerd, or too old to have it
  }
  const assets = env?.ASSETS as { fetch(url: string): Promise<Response> } | undefined;
  if (!assets || typeof assets.fetch !== 'function') return undefined;
  const res = await assets.fetch(`https://assets.local${VOCAB_ASSET_PATH}${name}.bin`);
  return res.ok ? res.arrayBuffer() : undefined;
}

setAssetLoader({
  pricing: () => PRICING_JSON,
  async wasm() {
    return wasm;
  },
  async vocab(name) {
    const bundled = vocabs[name];
    return bundled ? new Uint8Array(bundled) : openWeightVocab(name, fromAssets);
  },
});

export * from '../core/index.js';
