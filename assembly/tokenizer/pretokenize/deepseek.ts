// DeepSeek V3 pre-tokenizer: three Hugging Face `Split` steps (behaviour Isolated), each applied
// to every piece the previous one left, so a later step never sees across an earlier cut:
//   1. \p{N}{1,3}
//   2. [一-龥぀-ゟ゠-ヿ]+                 (U+4E00–U+9FA5, U+3040–U+309F, U+30A0–U+30FF)
//   3. [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+
//      | ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// "Isolated" keeps the text between matches too: a run of characters where step 3 matches
// nothing (controls, format characters, private use… not followed by a letter) is a piece.
//
// One pass: a "span" is what steps 1 and 2 leave (a number group, a CJK run, or the text up to
// the next number or CJK character); step 3 runs inside the current span, whose end is found
// once per span (globals below, reset at the start of each encode).
import { classLenAt, codePointAt, isLetter, letterRun, seqLen, C_MARK, C_NUMBER, C_PUNCT, C_SPACE } from '../unicode';
import { nextChar, numbers3, whitespace } from './shared';

let spanEnd: usize = 0;

/** Forget the span of the previous input (the encode loop calls this first). */
export function deepseekReset(): void {
  spanEnd = 0;
}

/** In step 2's class: [一-龥぀-ゟ゠-ヿ] (all three-byte characters). */
@inline function isCjk(p: usize): bool {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0xe3 || b0 > 0xe9) return false;
  const cp = codePointAt(p);
  return (cp >= 0x4e00 && cp <= 0x9fa5) || (cp >= 0x3040 && cp <= 0x30ff);
}

@inline function isLetterOrMarkClass(c: u8): bool {
  return isLetter(c) || c == C_MARK;
}

/** End of the run of [\p{L}\p{M}] from `p` (before `end`). */
function letterMarkRun(p: usize, end: usize): usize {
  return letterRun(p, end, true);
}

/** shared.ts's whitespace, out of line here (a smaller module for V8 to validate). */
function whitespaceRun(p: usize, end: usize): usize {
  return whitespace(p, end, true);
}

/** Step 3 at `p` inside a span ending at `end`. */
function step3(p: usize, end: usize): usize {
  const b = <u32>load<u8>(p);
  // [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+ (ASCII punctuation, then ASCII letters)
  if ((b >= 0x21 && b <= 0x2f) || (b >= 0x3a && b <= 0x40) || (b >= 0x5b && b <= 0x60) || (b >= 0x7b && b <= 0x7e)) {
    let q = p + 1;
    while (q < end && ((<u32>load<u8>(q) | 0x20) - 0x61) < 26) q++;
    if (q > p + 1) return q;
  }
  const cl = classLenAt(p);
  const c = <u8>cl;
  const q = p + <usize>(cl >> 8);
  // [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+ : with the prefix first, as the regex backtracks
  if (!isLetter(c) && c != C_PUNCT && b != 0x0d && b != 0x0a && q < end && isLetterOrMarkClass(<u8>classLenAt(q))) return letterMarkRun(q, end);
  if (isLetterOrMarkClass(c)) return letterMarkRun(q, end);
  // ` ?[\p{P}\p{S}]+[\r\n]*`
  const s = b == 0x20 && q < end && <u8>classLenAt(q) == C_PUNCT ? q : p;
  if (<u8>classLenAt(s) == C_PUNCT) {
    let e = s;
    while (e < end) {
      const x = classLenAt(e);
      if (<u8>x != C_PUNCT) break;
      e += <usize>(x >> 8);
    }
    while (e < end && (load<u8>(e) == 0x0d || load<u8>(e) == 0x0a)) e++;
    return e;
  }
  if (c == C_SPACE) return whitespaceRun(p, end);
  // Nothing matches here: a gap, up to the first character where something does (a letter,
  // mark, punctuation, symbol or space, or a character followed by a letter or mark).
  let e = q;
  while (e < end) {
    const x = classLenAt(e);
    const d = <u8>x;
    if (isLetterOrMarkClass(d) || d == C_PUNCT || d == C_SPACE) break;
    const n = e + <usize>(x >> 8);
    if (n < end && isLetterOrMarkClass(<u8>classLenAt(n))) break;
    e = n;
  }
  return e;
}

/** The end of the piece starting at `p` (not inlined: the module stays small for cold starts). */
export function pieceDeepseek(p: usize, end: usize): usize {
  if (p >= spanEnd) {
    // A new span: a number group (a piece as is: step 3 matches nothing in it), a CJK run, or
    // everything up to the next number or CJK character.
    const b = <u32>load<u8>(p);
    if (b - 0x30 < 10 || (b >= 0x80 && <u8>classLenAt(p) == C_NUMBER)) return numbers3(p, end);
    let e = p;
    if (isCjk(p)) {
      while (e < end && isCjk(e)) e += 3;
    } else {
      while (e < end) {
        const x = <u32>load<u8>(e);
        if (x < 0x80) {
          if (x - 0x30 < 10) break;
          e++;
          continue;
        }
        if (isCjk(e) || <u8>classLenAt(e) == C_NUMBER) break;
        e += seqLen(x);
      }
    }
    spanEnd = e;
  }
  return step3(p, spanEnd);
}

export { nextChar };
