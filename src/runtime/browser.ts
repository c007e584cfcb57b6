/**
 * Browser / bundler entry: assets are referenced with `new URL(…, import.meta.url)` so
 * Vite, webpack and esbuild copy them and rewrite the URLs.
 */
import { PRICING_JSON } from '../../dist/assets/pricing-text.js';
import { setAssetLoader } from '../core/assets.js';
import type { VocabName } from '../core/encodings.js';

const vocabUrls: Record<VocabName, URL> = {
  o200k_base: new URL('../../dist/assets/vocab/o200k_base.bin', import.meta.url),
  cl100k_base: new URL('../../dist/assets/vocab/cl100k_base.bin', import.meta.url),
  p50k_base: new URL('../../dist/assets/vocab/p50k_base.bin', import.meta.url),
  r50k_base: new URL('../../dist/assets/vocab/r50k_base.bin', import.meta.url),
  // Open-weight vocabularies: fetched only when their encoding is first used.
  llama3: new URL('../../dist/assets/vocab/llama3.bin', import.meta.url),
  qwen2: new URL('../../dist/assets/vocab/qwen2.bin', import.meta.url),
  deepseek_v3: new URL('../../dist/assets/vocab/deepseek_v3.bin', import.meta.url),
  gemma3: new URL('../../dist/assets/vocab/gemma3.bin', import.meta.url),
};

async function fetchBytes(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`tollgate: failed to load ${url.href}: HTTP ${res.status}`);
  return res;
}

setAssetLoader({
  pricing: () => PRICING_JSON,
  async wasm() {
    const res = await fetchBytes(new URL('../../dist/assets/tollgate.wasm', import.meta.url));
    return WebAssembly.compile(await res.arrayBuffer());
  },
  async vocab(name) {
    return new Uint8Array(await (await fetchBytes(vocabUrls[name])).arrayBuffer());
  },
});

export * from '../core/index.js';
