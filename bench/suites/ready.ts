/** Fresh process: import → first o200k_base count, ours vs the anchors (median of 5 runs). */
import { pathToFileURL } from 'node:url';
import { fmt, table } from '../lib/measure.js';
import { bundledTollgate, median, runFresh } from '../lib/fresh-process.js';

const TEXT = JSON.stringify('Hello, world! How many tokens is this?');

export async function runReadyBench(): Promise<string[]> {
  const ours = pathToFileURL(await bundledTollgate()).href;
  const snippets: [string, string][] = [
    ['tollgate', `const { getEncoding } = await import(${JSON.stringify(ours)}); const e = await getEncoding('o200k_base'); n = e.count(${TEXT});`],
    ['tiktoken', `const { get_encoding } = await import('tiktoken'); n = get_encoding('o200k_base').encode(${TEXT}).length;`],
    ['js-tiktoken', `const { getEncoding } = await import('js-tiktoken'); n = getEncoding('o200k_base').encode(${TEXT}).length;`],
    ['gpt-tokenizer', `const m = await import('gpt-tokenizer/encoding/o200k_base'); n = m.countTokens(${TEXT});`],
    ['ai-tokenizer', `const { default: T } = await import('ai-tokenizer'); const enc = await import('ai-tokenizer/encoding'); n = new T(enc.o200k_base).count(${TEXT});`],
  ];
  const rows = [['tokenizer', 'import → first count', 'ours is']];
  let oursMs = 0;
  for (const [name, body] of snippets) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = runFresh<{ ms: number; n: number }>(`let n; const t0 = performance.now(); ${body} console.log(JSON.stringify({ ms: performance.now() - t0, n }));`);
      runs.push(r.ms);
    }
    const ms = median(runs);
    if (name === 'tollgate') oursMs = ms;
    rows.push([name, fmt.ms(ms), name === 'tollgate' ? '' : fmt.ratio(ms / oursMs) + ' faster']);
  }
  return ['Ready time, fresh Node process, o200k_base (target ≤ 5 ms):', ...table(rows), ''];
}
