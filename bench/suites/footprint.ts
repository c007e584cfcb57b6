/** WASM memory with o200k_base loaded (fresh process), growth over 100k calls, and artifact sizes. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { root } from '../lib/corpus.js';
import { bundledTollgate, runFresh } from '../lib/fresh-process.js';
import { fmt, table } from '../lib/measure.js';

export async function runFootprintBench(): Promise<string[]> {
  const ours = pathToFileURL(await bundledTollgate()).href;
  const r = runFresh<{ loaded: number; after: number; calls: number }>(`
    const { getEncoding } = await import(${JSON.stringify(ours)});
    const e = await getEncoding('o200k_base');
    const texts = ['hello world', "It's 2024 — ça va? 中文 😀", 'x'.repeat(300), 'supercalifragilistic'.repeat(5)];
    e.count(texts[0]);
    const loaded = e.wasmMemoryBytes();
    let calls = 0;
    for (let i = 0; i < 100000; i++) { e.encode(texts[i % texts.length]); e.count(texts[i % texts.length]); calls += 2; }
    console.log(JSON.stringify({ loaded, after: e.wasmMemoryBytes(), calls }));`);
  const out = [
    `WASM memory with o200k_base loaded: ${(r.loaded / 2 ** 20).toFixed(1)} MiB (target ≤ 16 MiB); after ${r.calls} more calls: ${(r.after / 2 ** 20).toFixed(1)} MiB (growth ${r.after - r.loaded} bytes)`,
    '',
  ];
  const rows = [['artifact', 'raw', 'gzip -9']];
  const files = [join(root, 'dist/assets/tollgate.wasm'), ...readdirSync(join(root, 'dist/assets/vocab')).map((f) => join(root, 'dist/assets/vocab', f))];
  for (const f of files) {
    const raw = statSync(f).size;
    rows.push([f.slice(root.length + 1), fmt.kb(raw), fmt.kb(gzipSync(readFileSync(f), { level: 9 }).length)]);
  }
  out.push('Sizes (target: o200k_base ≤ 1.1 MB gzipped):', ...table(rows), '');
  return out;
}
