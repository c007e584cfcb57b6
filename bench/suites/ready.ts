/**
 * Ready time: a fresh Node process imports a tokenizer and counts one sentence with
 * o200k_base, ours vs the anchors (median of 21 processes for ours, 9 for each anchor: ours
 * takes milliseconds, and this VM's wall times swing enough that 9 runs move its median).
 *
 * Two starts are measured (see StartMode): inside an app that has already imported a module
 * of its own, so Node's ESM loader is running (the usual case), and `node -e`, where the
 * first import also starts that loader (a few ms, the same for every tokenizer). Ours is
 * also split into import, getEncoding and the first count.
 */
import { pathToFileURL } from 'node:url';
import { fmt, table } from '../lib/measure.js';
import { appScript, bundledTollgate, median, runFresh, type StartMode } from '../lib/fresh-process.js';
import { canCountInstructions, countInstructions } from '../lib/instructions.js';

const TEXT = JSON.stringify('Hello, world! How many tokens is this?');
const RUNS = 9;
const OUR_RUNS = 21;

interface Phases {
  import: number;
  load: number;
  count: number;
  n: number;
}

function measure(body: string, mode: StartMode): Phases {
  return runFresh<Phases>(
    `let n, t1, t2; const t0 = performance.now(); ${body} const t3 = performance.now();
     console.log(JSON.stringify({ import: t1 - t0, load: t2 - t1, count: t3 - t2, n }));`,
    mode,
  );
}

export async function runReadyBench(): Promise<string[]> {
  const ours = pathToFileURL(await bundledTollgate()).href;
  // Each body sets t1 after the import and t2 once the encoding is ready to count.
  const snippets: [string, string][] = [
    ['tollgate', `const { getEncoding } = await import(${JSON.stringify(ours)}); t1 = performance.now(); const e = await getEncoding('o200k_base'); t2 = performance.now(); n = e.count(${TEXT});`],
    ['tiktoken', `const { get_encoding } = await import('tiktoken'); t1 = performance.now(); const e = get_encoding('o200k_base'); t2 = performance.now(); n = e.encode(${TEXT}).length;`],
    ['js-tiktoken', `const { getEncoding } = await import('js-tiktoken'); t1 = performance.now(); const e = getEncoding('o200k_base'); t2 = performance.now(); n = e.encode(${TEXT}).length;`],
    ['gpt-tokenizer', `const m = await import('gpt-tokenizer/encoding/o200k_base'); t1 = t2 = performance.now(); n = m.countTokens(${TEXT});`],
    ['ai-tokenizer', `const { default: T } = await import('ai-tokenizer'); const enc = await import('ai-tokenizer/encoding'); t1 = performance.now(); const e = new T(enc.o200k_base); t2 = performance.now(); n = e.count(${TEXT});`],
  ];
  const rows = [['tokenizer', 'import → first count (app)', 'ours is', '(node -e)', 'ours is']];
  const totals = new Map<string, [number, number]>();
  let phases: Phases | undefined;
  for (const [name, body] of snippets) {
    const perMode = (['app', 'eval'] as const).map((mode) => {
      const runs = Array.from({ length: name === 'tollgate' ? OUR_RUNS : RUNS }, () => measure(body, mode));
      if (name === 'tollgate' && mode === 'app') {
        phases = { import: median(runs.map((r) => r.import)), load: median(runs.map((r) => r.load)), count: median(runs.map((r) => r.count)), n: runs[0]!.n };
      }
      return median(runs.map((r) => r.import + r.load + r.count));
    });
    totals.set(name, [perMode[0]!, perMode[1]!]);
  }
  const [oursFile, oursEval] = totals.get('tollgate')!;
  for (const [name, [file, evalMs]] of totals) {
    const mine = name === 'tollgate';
    rows.push([name, fmt.ms(file), mine ? '' : fmt.ratio(file / oursFile) + ' faster', fmt.ms(evalMs), mine ? '' : fmt.ratio(evalMs / oursEval) + ' faster']);
  }
  return [
    'Ready time, fresh Node process, o200k_base (target ≤ 5 ms):',
    ...table(rows),
    `tollgate by phase (app): import ${fmt.ms(phases!.import)}, getEncoding ${fmt.ms(phases!.load)}, first count ${fmt.ms(phases!.count)}`,
    instructionsByPhase(ours),
    '',
  ];
}

/**
 * The same phases in instructions (deterministic, see lib/instructions.ts): how to tell a
 * cold-start change of a few percent from this VM's wall-time noise.
 */
function instructionsByPhase(entryUrl: string): string {
  if (!canCountInstructions()) return 'tollgate by phase, instructions: needs valgrind (apt-get install valgrind)';
  const steps = [
    '',
    `const { getEncoding } = await import(${JSON.stringify(entryUrl)});\n`,
    `const e = await getEncoding('o200k_base');\n`,
    `if (e.count(${TEXT}) !== 10) throw new Error('unexpected count');\n`,
  ];
  const totals = steps.map((_, i) => countInstructions(appScript(`ready-instructions-${i}`, steps.slice(0, i + 1).join(''))));
  const m = (i: number) => `${((totals[i]! - totals[i - 1]!) / 1e6).toFixed(2)}M`;
  return `tollgate by phase, instructions (callgrind, app): import ${m(1)}, getEncoding ${m(2)}, first count ${m(3)}; total ${((totals[3]! - totals[0]!) / 1e6).toFixed(2)}M`;
}
