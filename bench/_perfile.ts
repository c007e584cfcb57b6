import { getEncoding } from '/work/main/src/runtime/node.ts';
import AiTokenizer from 'ai-tokenizer';
import * as aiEncoding from 'ai-tokenizer/encoding';
import { readdirSync, readFileSync } from 'node:fs';
const enc = await getEncoding('o200k_base');
const ai = new AiTokenizer((aiEncoding as any).o200k_base);
const dir = '/work/main/test/fixtures/corpus';
for (const f of readdirSync(dir)) {
  const t = readFileSync(dir + '/' + f, 'utf8'); const b = Buffer.byteLength(t);
  const m = (fn: () => void) => { fn(); const t0 = performance.now(); let n = 0; while (performance.now() - t0 < 100) { fn(); n++; } return (performance.now() - t0) / n; };
  const a = m(() => enc.count(t)), c = m(() => ai.count(t));
  console.log(f.padEnd(22), (b / 1e3 / a).toFixed(1).padStart(6), 'MB/s', (c / a).toFixed(1) + 'x vs ai');
}
