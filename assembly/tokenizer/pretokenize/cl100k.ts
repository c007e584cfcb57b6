// cl100k_base pre-tokenizer, one piece at a time:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
import { classAt, isLetter, letterRun, C_NUMBER } from '../unicode';
import { contractionCI, nextChar, symbolsOrWhitespace } from './shared';

export function pieceCl100k(p: usize, end: usize): usize {
  const b = load<u8>(p);
  if (b == 0x27) {
    const e = contractionCI(p, end);
    if (e != 0) return e;
  }
  const c = classAt(p);
  let q = nextChar(p);
  if (isLetter(c)) {
    return letterRun(q, end);
  }
  if (c == C_NUMBER) {
    if (q < end && classAt(q) == C_NUMBER) {
      q = nextChar(q);
      if (q < end && classAt(q) == C_NUMBER) q = nextChar(q);
    }
    return q;
  }
  // [^\r\n\p{L}\p{N}] prefix followed by letters
  if (b != 0x0d && b != 0x0a && q < end && isLetter(classAt(q))) {
    q = nextChar(q);
    return letterRun(q, end);
  }
  return symbolsOrWhitespace(p, q, b, c, end, false);
}
