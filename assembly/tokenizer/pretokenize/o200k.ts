// o200k_base pre-tokenizer, one piece at a time:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//  |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//  |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// The alternatives are tried in order with backtracking, so each word alternative is tried
// with its optional prefix first and then without it, exactly as the regex engine would.
import { asciiClass, classAt, classLenAt, isLetter, lowerSetRun, isLetterOrMark, C_UPPER, C_LOWER, C_LETTER, C_MARK, C_NUMBER } from '../unicode';
import { contractionCI, nextChar, numbers3, symbolsOrWhitespace, whitespace } from './shared';

/** In [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]. */
@inline function inUpperSet(c: u8): bool {
  return c == C_UPPER || c == C_LETTER || c == C_MARK;
}
/** In [\p{Ll}\p{Lm}\p{Lo}\p{M}]. */
@inline function inLowerSet(c: u8): bool {
  return c == C_LOWER || c == C_LETTER || c == C_MARK;
}

/** `U* L+` from `s`: end, or 0 if it cannot match. */
function upperStarLowerPlus(s: usize, end: usize): usize {
  let u = s;
  let lastBoth: usize = 0; // last char in both sets, where backtracking U* can start L+ (0: none)
  while (u < end) {
    const x = classLenAt(u);
    const c = <u8>x;
    if (c == C_UPPER) {
      u += <usize>(x >> 8);
    } else if (<u32>(c - C_LETTER) <= 1 /* C_LETTER, C_MARK */) {
      lastBoth = u;
      u += <usize>(x >> 8);
    } else if (c == C_LOWER) {
      return lowerSetRun(u + <usize>(x >> 8), end);
    } else break;
  }
  return lastBoth != 0 ? nextChar(lastBoth) : 0;
}

/** `U+ L*` from `s`: end, or 0 if it cannot match. */
function upperPlusLowerStar(s: usize, end: usize): usize {
  let u = s;
  while (u < end) {
    const x = classLenAt(u);
    if (!inUpperSet(<u8>x)) break;
    u += <usize>(x >> 8);
  }
  if (u == s) return 0;
  return lowerSetRun(u, end);
}

@inline function withContraction(e: usize, end: usize): usize {
  if (e < end && load<u8>(e) == 0x27) {
    const x = contractionCI(e, end);
    if (x != 0) return x;
  }
  return e;
}

/**
 * ASCII fast path for the word alternatives: `[^\r\n\p{L}\p{N}]?` + ASCII letters. In ASCII
 * the upper set is exactly A–Z and the lower set a–z, so when the letters are followed by an
 * ASCII character (or the end) both word alternatives end at `[A-Z]*[a-z]*`: with lowercase
 * letters the first one matches, without them the second one does, and a prefix char (never a
 * letter) is taken by whichever matches. Returns 0 when the run reaches non-ASCII (a mark or a
 * letter could continue it), and the caller takes the general path.
 */
@inline function asciiWord(s: usize, end: usize): usize {
  let u = s;
  while (u < end && <u32>load<u8>(u) - 0x41 < 26) u++;
  while (u < end && <u32>load<u8>(u) - 0x61 < 26) u++;
  if (u < end) {
    const x = load<u8>(u);
    if (x >= 0x80) return 0;
    if (x == 0x27) {
      const y = contractionCI(u, end);
      if (y != 0) return y;
    }
  }
  return u;
}

/**
 * The end of the piece starting at `p`. ASCII text is settled here (this is inlined into the
 * encode loop); everything else goes to pieceO200kGeneral, kept out of line so a first count
 * of ASCII text has less code to compile (V8 compiles WASM functions on first call).
 */
@inline export function pieceO200k(p: usize, end: usize): usize {
  const b = load<u8>(p);
  if (b < 0x80) {
    const b32 = <u32>b;
    if (((b32 | 0x20) - 0x61) < 26) {
      const e = asciiWord(p, end);
      if (e != 0) return e;
    } else if (b32 - 0x30 < 10) {
      return numbers3(p, end);
    } else if (b == 0x0a || b == 0x0d) {
      // CR/LF cannot prefix a word and are no symbol: only the whitespace alternatives remain.
      return whitespace(p, end, true);
    } else if (p + 1 == end) {
      // A last ASCII char that is no letter, digit or newline is a piece of its own.
      return end;
    } else {
      const n = <u32>load<u8>(p + 1);
      if (((n | 0x20) - 0x61) < 26) {
        // an ASCII prefix char followed by an ASCII letter
        const e = asciiWord(p + 1, end);
        if (e != 0) return e;
      } else if (n < 0x80) {
        // ASCII prefix char, then an ASCII char that cannot start a word: no word alternative
        // matches, and `b` is no number.
        return symbolsOrWhitespace(p, p + 1, b, asciiClass(b32), end, true);
      }
    }
  }
  return pieceO200kGeneral(p, end);
}

/** pieceO200k for a piece starting with non-ASCII, or with ASCII followed by non-ASCII. */
function pieceO200kGeneral(p: usize, end: usize): usize {
  const b = load<u8>(p);
  const cl = classLenAt(p);
  const c = <u8>cl;
  const q = p + <usize>(cl >> 8);
  // [^\r\n\p{L}\p{N}]: anything but CR, LF, letters and numbers (marks and spaces included)
  const prefixable = !isLetter(c) && c != C_NUMBER && b != 0x0d && b != 0x0a;
  const wordy = isLetterOrMark(c);
  if (prefixable || wordy) {
    let e: usize = 0;
    if (prefixable && q < end) e = upperStarLowerPlus(q, end);
    if (e == 0 && wordy) e = upperStarLowerPlus(p, end);
    if (e == 0 && prefixable && q < end) e = upperPlusLowerStar(q, end);
    if (e == 0 && wordy) e = upperPlusLowerStar(p, end);
    if (e != 0) return withContraction(e, end);
  }
  if (c == C_NUMBER) return numbers3(p, end);
  return symbolsOrWhitespace(p, q, b, c, end, true);
}
