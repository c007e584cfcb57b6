/**
 * One tokenizer in a fresh process (no cache has seen anything): count one half of the corpus
 * to warm up (JIT, caches), then the other half once, timed. Prints JSON for unseen.ts.
 * Usage: node --import tsx bench/lib/unseen-child.ts <encoding> <tokenizer name>
 */
import { docs4k, halves, utf8Bytes } from './corpus.js';
import { counters, type Enc } from './tokenizers.js';

const [enc, name] = process.argv.slice(2) as [Enc, string];
const counter = (await counters(enc)).find((c) => c.name === name);
if (!counter) throw new Error(`no tokenizer named ${name}`);
const { seen, unseen } = halves(docs4k());
await counter.before?.();
for (const d of seen) counter.count(d);
// Each document's wall time: the parent takes per-document medians over several processes, so a
// descheduling on the shared VM (or another thread's CPU, e.g. V8 compiling in the background)
// moves no figure.
let tokens = 0;
const ms = unseen.map((d) => {
  const t0 = performance.now();
  tokens += counter.count(d);
  return performance.now() - t0;
});
console.log(JSON.stringify({ bytes: utf8Bytes(unseen), tokens, ms }));
