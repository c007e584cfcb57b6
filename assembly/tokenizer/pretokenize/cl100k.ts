// cl100k_base pre-tokenizer, one piece at a time:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// Llama 3 uses this regex as is; Qwen 2/3 use it with \p{N} (one number character) instead
// of \p{N}{1,3}: the `digits` argument (3 or 1), passed by the host, so one loop serves both.
import { asciiClass, classAt, classLenAt, isLetter, letterRun, C_NUMBER } from '../unicode';
import { contractionCI, nextChar, numbersUpTo, symbolsOrWhitespace, whitespace } from './shared';

/**
 * The end of the piece starting at `p`. ASCII text is settled here (this is inlined into the
 * encode loop); everything else goes to pieceCl100kGeneral, kept out of line so a first count
 * of ASCII text has less code to compile (V8 compiles WASM functions on first call).
 */
@inline export function pieceCl100k(p: usize, end: usize, digits: i32): usize {
  const b = load<u8>(p);
  if (b == 0x27) {
    const e = contractionCI(p, end);
    if (e != 0) return e;
  }
  if (b < 0x80) {
    // ASCII fast paths: A–Z/a–z are the only ASCII letters and 0–9 the only ASCII numbers.
    const b32 = <u32>b;
    if (((b32 | 0x20) - 0x61) < 26) return letterRun(p + 1, end);
    if (b32 - 0x30 < 10) return numbersUpTo(p, end, digits);
    if (b == 0x0a || b == 0x0d) return whitespace(p, end, true); // only whitespace can match
    // A last ASCII char that is no letter, digit or newline is a piece of its own.
    if (p + 1 == end) return end;
    const n = <u32>load<u8>(p + 1);
    if (((n | 0x20) - 0x61) < 26) return letterRun(p + 2, end);
    if (n < 0x80) return symbolsOrWhitespace(p, p + 1, b, asciiClass(b32), end, false);
  }
  return pieceCl100kGeneral(p, end, digits);
}

/** pieceCl100k for a piece starting with non-ASCII, or with ASCII followed by non-ASCII. */
function pieceCl100kGeneral(p: usize, end: usize, digits: i32): usize {
  const b = load<u8>(p);
  const cl = classLenAt(p);
  const c = <u8>cl;
  let q = p + <usize>(cl >> 8);
  if (isLetter(c)) {
    return letterRun(q, end);
  }
  if (c == C_NUMBER) return numbersUpTo(p, end, digits);
  // [^\r\n\p{L}\p{N}] prefix followed by letters
  if (b != 0x0d && b != 0x0a && q < end && isLetter(classAt(q))) {
    q = nextChar(q);
    return letterRun(q, end);
  }
  return symbolsOrWhitespace(p, q, b, c, end, false);
}
