// Pieces of the pre-tokenizer regexes that several encoding families share.
import { asciiClass, classLenNonAscii, seqLen, isLetter, isOtherOrPunct, C_MARK, C_SPACE, C_NUMBER } from '../unicode';

/** Pointer to the character after the one at `p`. */
@inline export function nextChar(p: usize): usize {
  return p + seqLen(<u32>load<u8>(p));
}

/**
 * `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `p` (which holds an apostrophe): end of the match or 0.
 * Rust's case-insensitive matching uses simple case folding, so U+017F (ſ) matches `s`.
 */
export function contractionCI(p: usize, end: usize): usize {
  if (p + 1 >= end) return 0;
  const c1 = <u32>load<u8>(p, 1) | 0x20;
  if (c1 == 0x73 /* s */ || c1 == 0x74 /* t */ || c1 == 0x6d /* m */ || c1 == 0x64 /* d */) {
    // `| 0x20` also maps some non-letters onto letters; re-check the raw byte is a letter.
    const raw = <u32>load<u8>(p, 1);
    if ((raw >= 0x41 && raw <= 0x5a) || (raw >= 0x61 && raw <= 0x7a)) return p + 2;
    return 0;
  }
  if (load<u8>(p, 1) == 0xc5 && p + 2 < end && load<u8>(p, 2) == 0xbf) return p + 3; // ſ
  if (p + 2 >= end) return 0;
  const r1 = <u32>load<u8>(p, 1);
  const r2 = <u32>load<u8>(p, 2);
  const l1 = r1 | 0x20;
  const l2 = r2 | 0x20;
  const isAlpha1 = (r1 >= 0x41 && r1 <= 0x5a) || (r1 >= 0x61 && r1 <= 0x7a);
  const isAlpha2 = (r2 >= 0x41 && r2 <= 0x5a) || (r2 >= 0x61 && r2 <= 0x7a);
  if (!isAlpha1 || !isAlpha2) return 0;
  if ((l1 == 0x72 /* r */ || l1 == 0x76 /* v */) && l2 == 0x65 /* e */) return p + 3;
  if (l1 == 0x6c && l2 == 0x6c /* ll */) return p + 3;
  return 0;
}

/** `'s|'t|'re|'ve|'m|'ll|'d` (case-sensitive, r50k/p50k) at `p`: end of the match or 0. */
export function contractionCS(p: usize, end: usize): usize {
  if (p + 1 >= end) return 0;
  const c1 = load<u8>(p, 1);
  if (c1 == 0x73 || c1 == 0x74 || c1 == 0x6d || c1 == 0x64) return p + 2;
  if (p + 2 >= end) return 0;
  const c2 = load<u8>(p, 2);
  if ((c1 == 0x72 || c1 == 0x76) && c2 == 0x65) return p + 3;
  if (c1 == 0x6c && c2 == 0x6c) return p + 3;
  return 0;
}

/**
 * Whitespace at `p` (known to be White_Space): `\s*[\r\n]+|\s+(?!\S)|\s+` when `newlines`
 * (cl100k, o200k), else `\s+(?!\S)|\s+` (r50k, p50k).
 */
@inline export function whitespace(p: usize, end: usize, newlines: bool): usize {
  let q = p;
  let last = p; // start of the last character of the run
  let afterNewline: usize = 0;
  while (q < end) {
    const b = load<u8>(q);
    if (b == 0x20 || b == 0x09) {
      last = q;
      q++;
      continue;
    }
    if (b == 0x0a || b == 0x0d) {
      last = q;
      q++;
      afterNewline = q;
      continue;
    }
    if (b < 0x80) {
      if (b != 0x0b && b != 0x0c) break; // the only other ASCII White_Space: VT, FF
    } else if (<u8>classLenNonAscii(q) != C_SPACE) break;
    last = q;
    q = nextChar(q);
  }
  if (newlines && afterNewline != 0) return afterNewline; // \s*[\r\n]+ ends after the run's last newline
  if (q >= end) return q; // \s+(?!\S) at the end of text takes the whole run
  if (last > p) return last; // leave the last space to prefix the next word
  return q; // \s+: a single space character
}

/**
 * `[^\s\p{L}\p{N}]+` from `s` (a symbol/mark run), then trailing `[\r\n]*` — or `[\r\n/]*`
 * when `slash` (o200k). Returns the end of the match.
 */
@inline export function symbolRun(s: usize, end: usize, slash: bool): usize {
  let e = nextChar(s);
  while (e < end) {
    const y = <u32>load<u8>(e);
    if (y < 0x80) {
      // ASCII has no marks: it continues the run exactly when it is punctuation or other.
      if (!isOtherOrPunct(asciiClass(y))) break;
      e++;
      continue;
    }
    const xl = classLenNonAscii(e);
    const x = <u8>xl;
    if (!isOtherOrPunct(x) && x != C_MARK) break; // [^\s\p{L}\p{N}]: other, punctuation or mark
    e += <usize>(xl >> 8);
  }
  while (e < end) {
    const y = load<u8>(e);
    if (y != 0x0d && y != 0x0a && (!slash || y != 0x2f)) break;
    e++;
  }
  return e;
}

/**
 * The last alternatives shared by cl100k and o200k, at `p` (first byte `b`, class `c`, next
 * char at `q`): ` ?[^\s\p{L}\p{N}]+[\r\n]*` (`[\r\n/]*` when `slash`), else the whitespace ones.
 */
@inline export function symbolsOrWhitespace(p: usize, q: usize, b: u8, c: u8, end: usize, slash: bool): usize {
  const s = b == 0x20 ? q : p;
  if (s < end) {
    const d = s == p ? c : load<u8>(s) < 0x80 ? asciiClass(<u32>load<u8>(s)) : <u8>classLenNonAscii(s);
    if (d != C_SPACE && !isLetter(d) && d != C_NUMBER) return symbolRun(s, end, slash);
  }
  return whitespace(p, end, true);
}

/** `\p{N}{1,3}` at `p` (which holds a number character): end of the match. ASCII digits need no decoding. */
@inline export function numbers3(p: usize, end: usize): usize {
  return numbersUpTo(p, end, 3);
}

/** `\p{N}{1,max}` at `p` (which holds a number character); `max` is a constant where inlined. */
@inline export function numbersUpTo(p: usize, end: usize, max: i32): usize {
  let e = nextChar(p);
  for (let i = 1; i < max; i++) {
    if (e >= end) break;
    const x = <u32>load<u8>(e);
    if (x - 0x30 < 10) {
      e++;
    } else if (x >= 0x80 && <u8>classLenNonAscii(e) == C_NUMBER) {
      e = nextChar(e);
    } else break;
  }
  return e;
}
