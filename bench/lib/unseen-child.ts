/**
 * One tokenizer in a fresh process (no cache has seen anything): count one half of the corpus
 * to warm up (JIT, caches), then the other half once, timed. Prints JSON for unseen.ts.
 * Usage: node --import tsx bench/lib/unseen-child.ts <encoding> <tokenizer name> [hot]
 *
 * With `hot`, each document is counted once untimed and then HOT_REPEATS times in a row, timing
 * the median: its data is then in the CPU caches, which measures what the tokenizer costs
 * without memory latency (with ours' piece cache off, every piece is still merged afresh).
 */
import { docs4k, utf8Bytes } from './corpus.js';
import { counters, type Enc } from './tokenizers.js';

const [enc, name, mode] = process.argv.slice(2) as [Enc, string, string | undefined];
const HOT_REPEATS = 21;
const counter = (await counters(enc)).find((c) => c.name === name);
if (!counter) throw new Error(`no tokenizer named ${name}`);
const docs = docs4k();
// Alternate ~4 KB documents: both halves cover every kind of text, neither repeats the other.
const seen = docs.filter((_, i) => i % 2 === 0);
const unseen = docs.filter((_, i) => i % 2 === 1);
await counter.before?.();
for (const d of seen) counter.count(d);
// Each document's wall time: the parent takes per-document medians over several processes, so a
// descheduling on the shared VM (or another thread's CPU, e.g. V8 compiling in the background)
// moves no figure.
let tokens = 0;
const timed = (d: string): number => {
  const t0 = performance.now();
  counter.count(d);
  return performance.now() - t0;
};
const once = (d: string): number => {
  const t0 = performance.now();
  tokens += counter.count(d);
  return performance.now() - t0;
};
const hot = (d: string): number => {
  tokens += counter.count(d);
  const times = Array.from({ length: HOT_REPEATS }, () => timed(d)).sort((a, b) => a - b);
  return times[HOT_REPEATS >> 1]!;
};
const ms = unseen.map(mode === 'hot' ? hot : once);
console.log(JSON.stringify({ bytes: utf8Bytes(unseen), tokens, ms }));
