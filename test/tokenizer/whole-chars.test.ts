/**
 * Merges that start from whole two- and three-byte characters (assembly/tokenizer/bpe.ts,
 * partsInitWhole; flags from scripts/vocab/build-char-starts.ts) against the oracle: every
 * two- and three-byte code point between characters of the scripts whose text mostly starts
 * whole (so flagged and unflagged characters meet on both edges), at the start and end of
 * pieces, after a space prefix and next to ASCII letters; then random runs of the corpora's
 * characters mixed with random CJK, kana, Hangul, Thai, Devanagari, Greek, Cyrillic, Arabic,
 * Hebrew and Latin ones, where pieces mix whole characters and bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { oracle, describeDifference, firstDifference, sweepCodePoints } from '../helpers/oracle.js';

// Neighbours on both edges: another CJK ideograph, kana, Hangul, Thai, Devanagari, fullwidth
// punctuation, the same character, a space prefix, ASCII letters, a piece end, Greek,
// Cyrillic, Arabic, Hebrew and Latin-1 letters, and characters whose last byte starts a listed
// left-edge exception (เ: 80, ा and о: BE).
const contexts = (c: string) => `中${c}文 ${c}の${c}한 ก${c}ก न${c}ी「${c}」${c}${c}${c} ${c}字a${c}b${c}\n${c} λ${c}ό и${c}я ع${c}ب ש${c}ל é${c} เ${c}า ा${c}ो о${c}в`;

/** A fixed LCG, so failures reproduce. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 0x100000000;
  };
}

const RANGES: [number, number][] = [
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0x3040, 0x30ff], // kana
  [0xac00, 0xd7a3], // Hangul syllables
  [0x0e01, 0x0e5b], // Thai
  [0x0900, 0x097f], // Devanagari
  [0x3000, 0x303f], // CJK punctuation
  [0x0370, 0x03ff], // Greek
  [0x0400, 0x04ff], // Cyrillic
  [0x0600, 0x06ff], // Arabic
  [0x0590, 0x05ff], // Hebrew
  [0x00c0, 0x024f], // Latin-1 and Latin Extended
];

/** The two- and three-byte characters of the non-Latin corpora: common ones, mostly flagged. */
const COMMON = [
  ...new Set(
    ['cjk-zh', 'cjk-ja', 'cjk-ko', 'thai', 'hindi', 'greek', 'cyrillic', 'arabic', 'hebrew', 'vietnamese']
      .flatMap((f) => [...readFileSync(new URL(`../fixtures/corpus/${f}.txt`, import.meta.url), 'utf8')])
      .filter((c) => c.codePointAt(0)! >= 0x80 && c.codePointAt(0)! <= 0xffff),
  ),
];

describe.each(['o200k_base', 'cl100k_base'] as const)('whole characters: %s', (name) => {
  it('every two- and three-byte code point in context matches tiktoken', async () => {
    const { checked, failures } = sweepCodePoints(await getEncoding(name), name, 0x80, 0x10000, 1024, contexts);
    expect(checked).toBe(0x10000 - 0x80 - 0x800);
    expect(failures).toEqual([]);
  });

  it('random runs of common and random characters of non-Latin scripts match tiktoken', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const next = lcg(0x5eed);
    const failures: string[] = [];
    for (let i = 0; i < 3000 && failures.length < 10; i++) {
      // One or two scripts per string, 1–60 characters: long pieces (heap merges) and short ones.
      const picks = [RANGES[Math.floor(next() * RANGES.length)]!, RANGES[Math.floor(next() * RANGES.length)]!];
      let s = '';
      const n = 1 + Math.floor(next() * 60);
      for (let k = 0; k < n; k++) {
        if (next() < 0.7) {
          s += COMMON[Math.floor(next() * COMMON.length)]!;
          continue;
        }
        const [lo, hi] = picks[next() < 0.8 ? 0 : 1]!;
        s += String.fromCodePoint(lo + Math.floor(next() * (hi - lo + 1)));
      }
      const a = enc.encodeOrdinary(s);
      const b = tk.encode_ordinary(s);
      if (firstDifference(a, b) >= 0) failures.push(describeDifference(s, a, b));
    }
    expect(failures).toEqual([]);
  });
});
