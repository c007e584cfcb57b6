/**
 * Segments with no safe cut (runs of one repeated character, mixed repeats) are merged in
 * windows glued at a shared token (assembly/tokenizer/bpe.ts, docs/open-weight-tokenizers.md).
 * Small windows put a seam every few hundred bytes, so texts the oracles can afford (tiktoken
 * is quadratic on these) cross hundreds of seams, retries included; megabyte runs are checked
 * against Hugging Face's tokenizers directly and, for tiktoken's vocabularies, against the
 * unwindowed merge (itself checked against tiktoken in long-input.test.ts). Memory is
 * measured in a fresh process per encoding, since WASM memory never shrinks.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { getEncoding, type EncodingName } from '../../src/runtime/node.js';
import { sharedInstance } from '../../src/core/registry.js';
import { OPEN_WEIGHT_ENCODINGS, type OpenWeightName } from '../../src/core/encodings.js';
import { DISTINCT_ENCODINGS, ALL_ENCODINGS, oracle, describeDifference, firstDifference } from '../helpers/oracle.js';
import { hfOracle, DISTINCT_OPEN_WEIGHT, OPEN_WEIGHT_NAMES, openWeightWanted } from '../helpers/hf-oracle.js';
import { rng } from '../helpers/long-text.js';
import { root } from '../helpers/workerd.js';

const DEFAULT_WINDOW = 65536;
const UNWINDOWED = 2 ** 31;

async function setWindow(bytes: number): Promise<void> {
  ((await sharedInstance()).exports as { merge_window(bytes: number): void }).merge_window(bytes);
}

afterEach(() => setWindow(DEFAULT_WINDOW));

/** Texts of `count` runs: one unit repeated, now and then another (a seam may fall anywhere). */
function mixedRuns(seed: number, count: number, minLen: number, spread: number): string[] {
  const rnd = rng(seed);
  const units = ['a', 'b', 'ab', 'aa', 'x', 'é', '中', '^', '=', 'Z', 'ﬀ', '\u0301', 'ing', 'abc', '-', '—', '.', '0'];
  return Array.from({ length: count }, () => {
    const len = minLen + rnd(spread);
    const a = units[rnd(units.length)]!;
    const b = units[rnd(units.length)]!;
    const every = 2 + rnd(40);
    let s = '';
    while (s.length < len) s += rnd(every) ? a : b;
    return s;
  });
}

const WINDOWS = [256, 300, 512, 1000, 4096];
const openWeight = DISTINCT_OPEN_WEIGHT.filter((n) => openWeightWanted(OPEN_WEIGHT_ENCODINGS[n]));

describe.each(DISTINCT_ENCODINGS)('windowed long segments vs tiktoken: %s', (name) => {
  it('small windows over mixed repeats of 8.5-12 KB', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const texts = mixedRuns(name.length * 131, 25, 8500, 3500);
    for (const [i, s] of texts.entries()) {
      await setWindow(WINDOWS[i % WINDOWS.length]!);
      const ours = enc.encodeOrdinary(s);
      const theirs = tk.encode_ordinary(s);
      if (firstDifference(ours, theirs) >= 0) expect.fail(describeDifference(s, ours, theirs));
      expect(enc.count(s)).toBe(theirs.length);
    }
  });

  it('megabyte runs of one character equal the unwindowed merge', async () => {
    const enc = await getEncoding(name);
    for (const s of ['a'.repeat(1_000_003), '^'.repeat(700_001), 'x' + ' '.repeat(600_000) + 'y', 'ab'.repeat(300_001), '中'.repeat(200_000)]) {
      const windowed = enc.encodeOrdinary(s);
      const counted = enc.count(s);
      await setWindow(UNWINDOWED);
      const whole = enc.encodeOrdinary(s);
      await setWindow(DEFAULT_WINDOW);
      if (firstDifference(windowed, whole) >= 0) expect.fail(describeDifference(s, windowed, whole));
      expect(counted).toBe(whole.length);
    }
  });
});

describe.each(openWeight)('windowed long segments vs Hugging Face tokenizers: %s', (name) => {
  it('small windows over mixed repeats, and megabyte runs of one character', async () => {
    const enc = await getEncoding(name);
    const small = mixedRuns(name.length * 17, 40, 8500, 12000);
    const large = ['a'.repeat(1_000_003), '^'.repeat(700_001), 'x' + ' '.repeat(600_000) + 'y', 'ab'.repeat(300_001), '中'.repeat(200_000)];
    const theirs = await hfOracle(OPEN_WEIGHT_ENCODINGS[name]).ordinary([...small, ...large]);
    for (const [i, s] of small.entries()) {
      await setWindow(WINDOWS[i % WINDOWS.length]!);
      const ours = enc.encodeOrdinary(s);
      if (firstDifference(ours, theirs[i]!) >= 0) expect.fail(describeDifference(s, ours, theirs[i]!));
    }
    await setWindow(DEFAULT_WINDOW);
    for (const [i, s] of large.entries()) {
      const want = theirs[small.length + i]!;
      const ours = enc.encodeOrdinary(s);
      if (firstDifference(ours, want) >= 0) expect.fail(describeDifference(s, ours, want));
      expect(enc.count(s)).toBe(want.length);
    }
  });
});

describe('memory of a long run of one character', () => {
  const names: EncodingName[] = [...ALL_ENCODINGS, ...OPEN_WEIGHT_NAMES.filter((n: OpenWeightName) => openWeightWanted(OPEN_WEIGHT_ENCODINGS[n]))];
  it.each(names)('%s: 3 MB runs grow WASM memory by at most 16 MiB beyond their input (fresh process)', (name) => {
    const entry = pathToFileURL(join(root, 'dist/runtime/node.js')).href;
    // A warm-up text first (vocabulary, crossing filter), then each run. Memory never shrinks,
    // so the growth over all runs is what the largest of them needed: input scratch (3 bytes
    // per UTF-16 unit) plus its merge state.
    const script = `
      const { getEncoding } = await import(${JSON.stringify(entry)});
      const e = await getEncoding(${JSON.stringify(name)});
      const runs = ['a'.repeat(3e6), '^'.repeat(3e6), 'x' + ' '.repeat(3e6) + 'y', 'ab'.repeat(15e5)];
      e.count('a'.repeat(20000) + '中'.repeat(5000));
      const before = e.wasmMemoryBytes();
      const counts = runs.map((text) => e.count(text));
      const input = Math.max(...runs.map((text) => text.length * 3));
      console.log(JSON.stringify({ counts, growth: e.wasmMemoryBytes() - before - input }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const { counts, growth } = JSON.parse(out.trim().split('\n').pop()!) as { counts: number[]; growth: number };
    for (const n of counts) expect(n).toBeGreaterThan(0);
    expect(growth).toBeLessThanOrEqual(16 * 2 ** 20);
  });
});
