/**
 * Inputs without split points: one pre-token of a megabyte. Ours must stay ≤ 150 ms and grow
 * linearly (1 MB / 100 KB ≈ 10×); the anchors are quadratic, so they are timed at 10 KB and
 * 20 KB only (their 100 KB figures run to many seconds).
 */
import { getEncoding } from '../../src/runtime/node.js';
import { fmt, table, timeOnce } from '../lib/measure.js';
import { counters } from '../lib/tokenizers.js';

function inputs(bytes: number): [string, string][] {
  const rnd = (() => {
    let s = 42;
    return () => (s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) & 255;
  })();
  const b64 = Buffer.from(Uint8Array.from({ length: Math.ceil((bytes * 3) / 4) }, rnd)).toString('base64').slice(0, bytes);
  return [
    ["'a' × n", 'a'.repeat(bytes)],
    ["'^' × n", '^'.repeat(bytes)],
    ['CJK, no spaces', '中'.repeat(Math.floor(bytes / 3))],
    ['base64 blob', b64],
  ];
}

const best = (fn: () => unknown, n = 3) => Math.min(...Array.from({ length: n }, () => timeOnce(fn)));

export async function runPathologicalBench(): Promise<string[]> {
  const out: string[] = [];
  for (const encName of ['o200k_base', 'cl100k_base'] as const) {
    const enc = await getEncoding(encName);
    const rows = [['input', '100 KB', '1 MB', '1 MB / 100 KB', 'target']];
    const small = inputs(100_000);
    const large = inputs(1_000_000);
    large.forEach(([label, s], i) => {
      const t100 = best(() => enc.count(small[i][1]));
      const t1m = best(() => enc.count(s));
      rows.push([label, fmt.ms(t100), fmt.ms(t1m), (t1m / t100).toFixed(1) + '×', t1m <= 150 ? 'ok ≤150 ms' : 'MISSED ≤150 ms']);
    });
    out.push(`Long inputs without split points, ours, ${encName}:`, ...table(rows), '');
  }
  const cs = await counters('o200k_base');
  const rows = [['tokenizer', "'a'×10 KB", "'a'×20 KB", 'growth (2× input)']];
  for (const c of cs) {
    const t10 = best(() => c.count('a'.repeat(10_000)), 1);
    const t20 = best(() => c.count('a'.repeat(20_000)), 1);
    rows.push([c.name, fmt.ms(t10), fmt.ms(t20), (t20 / t10).toFixed(1) + '×']);
  }
  out.push('Anchors on a single repeated letter, o200k_base (quadratic tokenizers grow ~4× per doubling):', ...table(rows), '');
  return out;
}
