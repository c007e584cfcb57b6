/**
 * The character classes tiktoken's pre-tokenizer regexes distinguish, and how a
 * code point maps to one. Shared by the table generator and the exhaustive oracle test.
 */
import overrides from './oracle-overrides.json' with { type: 'json' };

/** Class ids as stored in the WASM table; must match assembly/tokenizer/unicode.ts. */
export const CLASS = {
  OTHER: 0,
  UPPER: 1, // Lu, Lt: in o200k's first letter class only
  LOWER: 2, // Ll: in o200k's second letter class only
  LETTER: 3, // Lm, Lo: in both o200k letter classes
  MARK: 4, // M*: in both o200k letter classes but NOT \p{L}
  NUMBER: 5, // N*
  SPACE: 6, // White_Space (Rust regex \s)
} as const;

const re = {
  upper: /^[\p{Lu}\p{Lt}]$/u,
  lower: /^\p{Ll}$/u,
  letter: /^[\p{Lm}\p{Lo}]$/u,
  mark: /^\p{M}$/u,
  number: /^\p{N}$/u,
  space: /^\p{White_Space}$/u,
};

/** Code points the oracle classifies differently from this Node's ICU (older Unicode in the oracle). */
const overrideMap = new Map<number, number>();
for (const [range, cls] of Object.entries(overrides.ranges as Record<string, keyof typeof CLASS>)) {
  const [lo, hi = lo] = range.split('-').map((h) => parseInt(h, 16));
  for (let cp = lo; cp <= hi; cp++) overrideMap.set(cp, CLASS[cls]);
}

export function classifyCodePoint(cp: number): number {
  const o = overrideMap.get(cp);
  if (o !== undefined) return o;
  if (cp >= 0xd800 && cp <= 0xdfff) return CLASS.OTHER; // never reaches the tokenizer: UTF-8 has no surrogates
  const s = String.fromCodePoint(cp);
  if (re.space.test(s)) return CLASS.SPACE;
  if (re.upper.test(s)) return CLASS.UPPER;
  if (re.lower.test(s)) return CLASS.LOWER;
  if (re.letter.test(s)) return CLASS.LETTER;
  if (re.mark.test(s)) return CLASS.MARK;
  if (re.number.test(s)) return CLASS.NUMBER;
  return CLASS.OTHER;
}
