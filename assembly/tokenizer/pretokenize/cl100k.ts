// cl100k_base pre-tokenizer, one piece at a time:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
import { asciiClass, classAt, classLenAt, isLetter, letterRun, C_NUMBER } from '../unicode';
import { contractionCI, nextChar, numbers3, symbolsOrWhitespace, whitespace } from './shared';

@inline export function pieceCl100k(p: usize, end: usize): usize {
  const b = load<u8>(p);
  if (b == 0x27) {
    const e = contractionCI(p, end);
    if (e != 0) return e;
  }
  if (b < 0x80) {
    // ASCII fast paths: A–Z/a–z are the only ASCII letters and 0–9 the only ASCII numbers.
    const b32 = <u32>b;
    if (((b32 | 0x20) - 0x61) < 26) return letterRun(p + 1, end);
    if (b32 - 0x30 < 10) return numbers3(p, end);
    if (b == 0x0a || b == 0x0d) return whitespace(p, end, true); // only whitespace can match
    if (p + 1 < end) {
      const n = <u32>load<u8>(p + 1);
      if (((n | 0x20) - 0x61) < 26) return letterRun(p + 2, end);
      if (n < 0x80) return symbolsOrWhitespace(p, p + 1, b, asciiClass(b32), end, false);
    }
  }
  const cl = classLenAt(p);
  const c = <u8>cl;
  let q = p + <usize>(cl >> 8);
  if (isLetter(c)) {
    return letterRun(q, end);
  }
  if (c == C_NUMBER) return numbers3(p, end);
  // [^\r\n\p{L}\p{N}] prefix followed by letters
  if (b != 0x0d && b != 0x0a && q < end && isLetter(classAt(q))) {
    q = nextChar(q);
    return letterRun(q, end);
  }
  return symbolsOrWhitespace(p, q, b, c, end, false);
}
