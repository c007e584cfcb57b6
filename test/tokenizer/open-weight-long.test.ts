/**
 * Long pieces for the open-weight encodings against Hugging Face's `tokenizers`: repeated and
 * random runs without split points (merge-line keys on the heap and bucket paths), and random
 * non-repeating text cut where no token can cross.
 */
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { OPEN_WEIGHT_ENCODINGS } from '../../src/core/encodings.js';
import { describeDifference, firstDifference } from '../helpers/oracle.js';
import { hfOracle, DISTINCT_OPEN_WEIGHT, openWeightWanted } from '../helpers/hf-oracle.js';
import { rng, randomPieces } from '../helpers/long-text.js';


describe.each(DISTINCT_OPEN_WEIGHT.filter((n) => openWeightWanted(OPEN_WEIGHT_ENCODINGS[n])))('long pieces vs Hugging Face tokenizers: %s', (name) => {
  it('runs of 65..20000 bytes from small alphabets, and megabyte-class repeats', async () => {
    const enc = await getEncoding(name);
    const rnd = rng(name.length * 7919);
    const units = ['a', 'b', 'ab', 'aa', 'x', 'é', '中', '^', '=', 'Z', 'ﬀ', '-', '—'];
    const texts: string[] = [];
    for (let i = 0; i < 80; i++) {
      const len = 65 + rnd(i < 60 ? 3000 : 20000);
      const a = units[rnd(units.length)]!;
      const b = units[rnd(units.length)]!;
      let s = '';
      while (s.length < len) s += rnd(5) ? a : b;
      texts.push(s);
    }
    texts.push('a'.repeat(30000), '^'.repeat(30000), '中'.repeat(10000), '-'.repeat(20001));
    const theirs = await hfOracle(OPEN_WEIGHT_ENCODINGS[name]).ordinary(texts);
    texts.forEach((s, i) => {
      const ours = enc.encodeOrdinary(s);
      if (firstDifference(ours, theirs[i]!) >= 0) expect.fail(describeDifference(s, ours, theirs[i]!));
    });
  });

  it('random non-repeating pieces of 20-60 KB', async () => {
    const enc = await getEncoding(name);
    const texts = randomPieces(name.length * 31);
    const theirs = await hfOracle(OPEN_WEIGHT_ENCODINGS[name]).ordinary(texts);
    texts.forEach((s, i) => {
      const ours = enc.encodeOrdinary(s);
      if (firstDifference(ours, theirs[i]!) >= 0) expect.fail(describeDifference(s, ours, theirs[i]!));
      expect(enc.count(s)).toBe(theirs[i]!.length);
    });
  });
});
