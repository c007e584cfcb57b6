// r50k_base / p50k_base pre-tokenizer, one piece at a time:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
import { classAt, isLetter, letterRun, C_NUMBER, C_SPACE } from '../unicode';
import { contractionCS, whitespace, nextChar } from './shared';

@inline export function pieceR50k(p: usize, end: usize): usize {
  const b = load<u8>(p);
  if (b == 0x27) {
    const e = contractionCS(p, end);
    if (e != 0) return e;
  }
  const s = b == 0x20 && p + 1 < end ? p + 1 : p;
  const c = classAt(s);
  if (isLetter(c)) {
    let q = nextChar(s);
    return letterRun(q, end);
  }
  if (c == C_NUMBER) {
    let q = nextChar(s);
    while (q < end && classAt(q) == C_NUMBER) q = nextChar(q);
    return q;
  }
  if (c != C_SPACE) {
    let q = nextChar(s);
    while (q < end) {
      const d = classAt(q);
      if (isLetter(d) || d == C_NUMBER || d == C_SPACE) break;
      q = nextChar(q);
    }
    return q;
  }
  return whitespace(p, end, false);
}
