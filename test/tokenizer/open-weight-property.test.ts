/**
 * Random strings, thousands per open-weight encoding on every run, compared id-for-id with
 * Hugging Face's `tokenizers`; the alphabet adds what these pre-tokenizers and Qwen's NFC
 * treat specially (CJK range edges, kana punctuation, P/S symbols, format and control
 * characters, combining marks in and out of canonical order, Hangul jamo, added tokens, and
 * for Gemma 3 spaces, ▁, newline and tab runs, HTML tags and byte-fallback characters).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { OPEN_WEIGHT_ENCODINGS } from '../../src/core/encodings.js';
import { OPEN_WEIGHT } from '../../src/core/open-weight.js';
import { describeDifference, firstDifference } from '../helpers/oracle.js';
import { hfOracle, decodedAsModel, DISTINCT_OPEN_WEIGHT, openWeightWanted } from '../helpers/hf-oracle.js';
import { tricky, RUNS, SEED } from '../helpers/tricky.js';

const extra = [
  // DeepSeek's CJK class edges and kana punctuation / symbols / marks inside it
  '一', '龥', '\u9fa6', '\u3040', 'ぁ', '\u3099', '゛', '゠', 'ア', '・', 'ー', 'ヿ', '〇', '中文', 'カタカナ',
  // ASCII punctuation before ASCII letters, other P/S characters
  '(abc', "'s", '.x', '@Y', '¿', '¡', '‰', '©', '＋', '₹', '«', '»', '—x',
  // format, control, private use: DeepSeek's unmatched gaps
  '\u200d', '\ufeff', '\u00ad', '\u0000', '\u0001', '\u001f', '\ue000', '\u{f0000}', '\u2066',
  // combining marks for NFC (in and out of order, composing and not, one added after Unicode 9)
  'e\u0301', 'a\u0323\u0302', 'a\u0302\u0323', '\u0338', '<\u0338', '\u1e9b\u0323', '\u0344', '\u0f73', '\u1df6', '\u08d4', 'ﬁ', 'Å', 'Ω',
  // Hangul syllables and conjoining jamo
  '한', '\u1100', '\u1161', '\u11a8', '\u1100\u1161\u11a8',
  // digits of several scripts (Qwen: one per piece; DeepSeek: three)
  '١٢٣٤', '12345', '߀',
  // added tokens (matched before pre-tokenizing) and near misses
  '<think>', '</think>', '<tool_call>', '<|fim_prefix|>', '<｜User｜>', '<｜tool▁sep｜>', '<think', '<|im_start|>', '<|begin_of_text|>',
  // Gemma 3: spaces and literal ▁ (runs of them are added tokens), newline and tab runs,
  // HTML tags, the one token with ▁ inside (>▁</), characters only byte fallback spells
  ' ', '  ', '   ', '\u2581', '\u2581\u2581', '>\u2581</', '> </', '\n\n', '\t\t\t', '\n\t', '<table>', '</td>', '<unused7>', '[multimodal]',
  '<mask>', '<start_of_turn>', '\u0004', '\u000b', '\u000c', '\r', '<0x41>', '\u{e0100}', '\u{10fffd}',
  '<unused98>', '<unused99>', '<unused6241>', '<unused6242>', '<unused07>', '<unused', '<s>', '<sub>', '</s', '\u2581'.repeat(33),
];

const string = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...tricky, ...extra) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe.each(DISTINCT_OPEN_WEIGHT.filter((n) => openWeightWanted(OPEN_WEIGHT_ENCODINGS[n])))('random tricky strings vs Hugging Face tokenizers: %s', (name) => {
  it(`${RUNS} strings equal the oracle`, async () => {
    const enc = await getEncoding(name);
    const o = hfOracle(OPEN_WEIGHT_ENCODINGS[name]);
    await fc.assert(
      fc.asyncProperty(string, async (s) => {
        const [theirs] = await o.ordinary([s]);
        const ours = enc.encodeOrdinary(s);
        if (firstDifference(ours, theirs!) >= 0) throw new Error(describeDifference(s, ours, theirs!));
        expect(enc.count(s)).toBe(theirs!.length);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('decode(encode(s)) is the (normalised) text, and tokenize offsets tile the input', async () => {
    const enc = await getEncoding(name);
    fc.assert(
      fc.property(string, (s) => {
        if (s.isWellFormed()) expect(enc.decode(enc.encodeOrdinary(s))).toBe(decodedAsModel(name, s, OPEN_WEIGHT[name]));
        const t = enc.tokenize(s);
        expect(Array.from(t.ids)).toEqual(Array.from(enc.encodeOrdinary(s)));
        let prev = 0;
        for (let i = 0; i < t.ids.length; i++) {
          expect(t.starts[i]).toBe(prev);
          expect(t.ends[i]).toBeGreaterThanOrEqual(t.starts[i]!);
          prev = t.ends[i]!;
        }
        expect(prev).toBe(s.length);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });
});
