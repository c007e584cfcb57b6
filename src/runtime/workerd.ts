/**
 * Cloudflare Workers (workerd) entry: Workers cannot compile WASM from bytes at run time,
 * so the core is a static `.wasm` import (CompiledWasm) and vocabularies are `.bin` Data
 * modules bundled with the worker.
 */
import wasm from '../../dist/assets/tollgate.wasm';
import o200k from '../../dist/assets/vocab/o200k_base.bin';
import cl100k from '../../dist/assets/vocab/cl100k_base.bin';
import p50k from '../../dist/assets/vocab/p50k_base.bin';
import r50k from '../../dist/assets/vocab/r50k_base.bin';
import { PRICING_JSON } from '../../dist/assets/pricing-text.js';
import { setAssetLoader } from '../core/assets.js';
import type { VocabName } from '../core/encodings.js';

const vocabs: Record<VocabName, ArrayBuffer> = { o200k_base: o200k, cl100k_base: cl100k, p50k_base: p50k, r50k_base: r50k };

setAssetLoader({
  pricing: () => PRICING_JSON,
  async wasm() {
    return wasm;
  },
  async vocab(name) {
    return new Uint8Array(vocabs[name]);
  },
});

export * from '../core/index.js';
