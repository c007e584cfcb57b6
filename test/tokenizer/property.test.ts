/**
 * Random strings biased towards the classes the pre-tokenizers treat specially, thousands per
 * encoding on every run, compared id-for-id with tiktoken. fast-check shrinks any failure to
 * a minimal counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { ALL_ENCODINGS, oracle, describeDifference, firstDifference } from '../helpers/oracle.js';
import { trickyString, RUNS, SEED } from '../helpers/tricky.js';


describe.each(ALL_ENCODINGS)('random tricky strings: %s', (name) => {
  it(`${RUNS} strings equal tiktoken`, async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    fc.assert(
      fc.property(trickyString, (s) => {
        const ours = enc.encodeOrdinary(s);
        const theirs = tk.encode_ordinary(s);
        if (firstDifference(ours, theirs) >= 0) throw new Error(describeDifference(s, ours, theirs));
        expect(enc.count(s)).toBe(theirs.length);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('decode(encode(s)) === s for well-formed strings', async () => {
    const enc = await getEncoding(name);
    fc.assert(
      fc.property(trickyString.filter((s) => s.isWellFormed()), (s) => {
        expect(enc.decode(enc.encodeOrdinary(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('tokenize offsets tile the input and agree with the ids', async () => {
    const enc = await getEncoding(name);
    fc.assert(
      fc.property(trickyString, (s) => {
        const t = enc.tokenize(s);
        expect(Array.from(t.ids)).toEqual(Array.from(enc.encodeOrdinary(s)));
        let prev = 0;
        for (let i = 0; i < t.ids.length; i++) {
          expect(t.starts[i]).toBe(prev);
          expect(t.ends[i]).toBeGreaterThanOrEqual(t.starts[i]);
          prev = t.ends[i];
        }
        expect(prev).toBe(s.length);
      }),
      { numRuns: 500 },
    );
  });
});
