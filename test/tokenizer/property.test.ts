/**
 * Random strings biased towards the classes the pre-tokenizers treat specially, thousands per
 * encoding on every run, compared id-for-id with tiktoken. fast-check shrinks any failure to
 * a minimal counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { ALL_ENCODINGS, oracle, describeDifference, firstDifference } from '../helpers/oracle.js';

const tricky = [
  // letters by o200k class: upper, lower, titlecase, modifier, other-letter, marks
  'a', 'z', 'A', 'Z', 'é', 'É', 'ß', 'ǅ', 'ʰ', 'ª', '中', 'ア', 'ー', 'ㄱ', 'א', 'ب', 'क', '\u094d', '\u0301', '\u0300', '\u20dd', '\u093e',
  // case folding traps and contractions
  "'", "'", 'ſ', 'K', 's', 'S', 't', 'T', 're', 'RE', 'Ve', 'll', 'lL', 'd', 'm', 'M', '’',
  // digits of several scripts and number-like symbols
  '0', '7', '42', '999', '٣', '३', '１', '²', '½', 'Ⅻ', '〇',
  // whitespace, including the ones JS and Rust disagree on
  ' ', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u000b', '\u000c', '\u0085', '\u00a0', '\u1680', '\u2002', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff', '\u200b', '\u001c',
  // punctuation and symbols, including o200k's trailing [\r\n/]
  '.', ',', '!', '?', '/', '//', '\\', '-', '_', '=', '==', '^', '$', '€', '@', '#', '<', '>', '|', '(', ')', '{', '}', '"', '`', '~', '…', '—',
  // emoji and sequences
  '😀', '👍🏽', '👨‍👩‍👧', '🇯🇵', '❤️', '1️⃣', '\u200d', '\ufe0f',
  // lone surrogates (become U+FFFD)
  '\ud800', '\udfff', '\ud83d',
  // astral letters and unassigned code points
  '𝐀', '𐐀', '𠀀', '\u{e0100}', '\u{10ffff}', '\u{30000}', '\u0378',
];

const trickyString = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...tricky) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) }), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

const RUNS = Number(process.env.TOLLGATE_PROPERTY_RUNS ?? 5000);

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
      { numRuns: RUNS, seed: Number(process.env.TOLLGATE_SEED ?? Date.now() % 2 ** 31) },
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
