/**
 * Long inputs: the heap-based merge path must equal tiktoken's quadratic merge, memory must not
 * grow across many calls, and huge inputs must stay cheap. (Timing targets live in the
 * benchmark, not here.)
 */
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { DISTINCT_ENCODINGS, oracle, describeDifference, firstDifference } from '../helpers/oracle.js';
import { rng, randomPieces } from '../helpers/long-text.js';


describe.each(DISTINCT_ENCODINGS)('long unsplittable pieces: %s', (name) => {
  it('equal tiktoken on runs of 65..20000 bytes', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const rnd = rng(name.length * 7919);
    const units = ['a', 'b', 'ab', 'aa', 'x', 'é', '中', '^', '=', 'Z', 'ﬀ', '\u0301'];
    for (let it = 0; it < 120; it++) {
      const len = 65 + rnd(it < 100 ? 3000 : 20000);
      const a = units[rnd(units.length)];
      const b = units[rnd(units.length)];
      let s = '';
      while (s.length < len) s += rnd(5) ? a : b;
      const ours = enc.encodeOrdinary(s);
      const theirs = tk.encode_ordinary(s);
      if (firstDifference(ours, theirs) >= 0) expect.fail(describeDifference(s, ours, theirs));
    }
  });

  it('equal tiktoken on pieces long enough for rank buckets (> 4096 bytes)', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const rnd = rng(name.length * 31 + 7);
    const alphabets = ['ab', 'abc', 'aab', 'xyz', 'éa', '中文', 'qwertyuiop', '^=', 'Zz'];
    for (let it = 0; it < 12; it++) {
      const letters = Array.from(alphabets[it % alphabets.length]);
      const len = 4097 + rnd(16000);
      let s = '';
      while (s.length < len) s += letters[rnd(letters.length)];
      const ours = enc.encodeOrdinary(s);
      const theirs = tk.encode_ordinary(s);
      if (firstDifference(ours, theirs) >= 0) expect.fail(describeDifference(s, ours, theirs));
    }
  });

  it('equal tiktoken on base64 and hex blobs', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const rnd = rng(99);
    const bytes = Uint8Array.from({ length: 30000 }, () => rnd(256));
    for (const s of [Buffer.from(bytes).toString('base64'), Buffer.from(bytes).toString('hex'), 'a'.repeat(30000), '^'.repeat(30000), '中'.repeat(10000)]) {
      const ours = enc.encodeOrdinary(s);
      const theirs = tk.encode_ordinary(s);
      if (firstDifference(ours, theirs) >= 0) expect.fail(describeDifference(s, ours, theirs));
    }
  });
});

describe('memory', () => {
  it('does not grow over 100k calls', async () => {
    const enc = await getEncoding('o200k_base');
    const texts = ['hello world', "It's 2024 — ça va? 中文 😀", 'x'.repeat(300), '  \n\t 12345 ', 'supercalifragilistic'.repeat(5)];
    for (let i = 0; i < 1000; i++) enc.encode(texts[i % texts.length]); // warm up to steady state
    const before = enc.wasmMemoryBytes();
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const t = texts[i % texts.length];
      sum += i % 4 === 0 ? enc.encode(t).length : i % 4 === 1 ? enc.count(t) : i % 4 === 2 ? enc.tokenize(t).ids.length : enc.decode(enc.encode(t)).length;
    }
    expect(sum).toBeGreaterThan(0);
    expect(enc.wasmMemoryBytes()).toBe(before);
  });

  it('a megabyte without split points encodes and the module stays usable', async () => {
    const enc = await getEncoding('cl100k_base');
    expect(enc.count('a'.repeat(1_000_000))).toBe(125_000);
    expect(enc.count('^'.repeat(1_000_000))).toBeGreaterThan(0);
    expect(Array.from(enc.encode('after'))).toEqual(Array.from(oracle('cl100k_base').encode('after')));
  });
});

describe.each(DISTINCT_ENCODINGS)('long pieces cut where no token can cross: %s', (name) => {
  it('equal tiktoken on random non-repeating pieces of 20-60 KB', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    for (const s of randomPieces(name.length * 101)) {
      const ours = enc.encodeOrdinary(s);
      const theirs = tk.encode_ordinary(s);
      if (firstDifference(ours, theirs) >= 0) expect.fail(describeDifference(s, ours, theirs));
      expect(enc.count(s)).toBe(theirs.length);
      const t = enc.tokenize(s);
      expect(Array.from(t.ids)).toEqual(Array.from(theirs));
    }
  });
});

describe('memory of a long piece', () => {
  it('3 MB of random CJK without split points grows WASM memory by at most 16 MiB beyond its input', async () => {
    const enc = await getEncoding('o200k_base');
    const rnd = rng(5);
    const small = Array.from({ length: 4000 }, () => String.fromCodePoint(0x4e00 + rnd(20902))).join('');
    enc.count(small); // filter and tables built
    const text = Array.from({ length: 1_000_000 }, () => String.fromCodePoint(0x4e00 + rnd(20902))).join('');
    const before = enc.wasmMemoryBytes();
    expect(enc.count(text)).toBeGreaterThan(500_000);
    // The input itself takes up to 3 bytes per UTF-16 unit of scratch.
    expect(enc.wasmMemoryBytes() - before).toBeLessThanOrEqual(text.length * 3 + 16 * 2 ** 20);
  });
});
