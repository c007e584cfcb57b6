// Character classes of the pre-tokenizer regexes and UTF-8 decoding over input bytes.
// Input always comes from TextEncoder, so it is valid UTF-8 and decoding needs no checks.
import { UNICODE_STAGE1, UNICODE_STAGE2, UNICODE_BLOCK_SHIFT } from '../generated/unicode-tables';

export const C_OTHER: u8 = 0;
export const C_UPPER: u8 = 1; // Lu Lt
export const C_LOWER: u8 = 2; // Ll
export const C_LETTER: u8 = 3; // Lm Lo
export const C_MARK: u8 = 4; // M
export const C_NUMBER: u8 = 5; // N
export const C_SPACE: u8 = 6; // White_Space
export const C_PUNCT: u8 = 7; // P, S (only DeepSeek's pre-tokenizer tells them from C_OTHER)

/** In tiktoken's `[^\s\p{L}\p{N}]` without marks: other, punctuation or symbol. */
@inline export function isOtherOrPunct(c: u8): bool {
  return c == C_OTHER || c == C_PUNCT;
}

/** Byte length of the UTF-8 sequence starting with `lead`. */
@inline export function seqLen(lead: u32): usize {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** Code point of the character starting at `p`. */
@inline export function codePointAt(p: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) return b0;
  if (b0 < 0xe0) return ((b0 & 0x1f) << 6) | (<u32>load<u8>(p, 1) & 0x3f);
  if (b0 < 0xf0) return ((b0 & 0x0f) << 12) | ((<u32>load<u8>(p, 1) & 0x3f) << 6) | (<u32>load<u8>(p, 2) & 0x3f);
  return ((b0 & 0x07) << 18) | ((<u32>load<u8>(p, 1) & 0x3f) << 12) | ((<u32>load<u8>(p, 2) & 0x3f) << 6) | (<u32>load<u8>(p, 3) & 0x3f);
}

/** Class of ASCII character `b` (< 0x80). */
@inline export function asciiClass(b: u32): u8 {
  return load<u8>(UNICODE_STAGE2 + b); // block 0 is stored first
}

/** Class of the character starting at `p` (ASCII takes the first-block fast path). */
@inline export function classAt(p: usize): u8 {
  return <u8>classLenAt(p); // inlined: the unused length folds away
}

/**
 * Class and byte length of the character at `p`, decoded once: `class | length << 8`. Loops
 * that classify and then step over each character use this instead of classAt + seqLen.
 */
@inline export function classLenAt(p: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) return <u32>load<u8>(UNICODE_STAGE2 + b0) | (1 << 8);
  return classLenDecoded(p, b0);
}

/**
 * classLenAt for a character known to be non-ASCII, kept out of line: for the helpers inlined
 * into the encode loops, whose ASCII paths are what a cold start compiles and runs.
 */
export function classLenNonAscii(p: usize): u32 {
  return classLenDecoded(p, <u32>load<u8>(p));
}

// codePointAt and the length from one dispatch on the lead byte: inlined into every
// pre-tokenizer loop, where a second dispatch (seqLen) would cost code and a branch.
@inline function classLenDecoded(p: usize, b0: u32): u32 {
  let cp: u32;
  let n: u32;
  if (b0 < 0xe0) {
    cp = ((b0 & 0x1f) << 6) | (<u32>load<u8>(p, 1) & 0x3f);
    n = 2 << 8;
  } else if (b0 < 0xf0) {
    cp = ((b0 & 0x0f) << 12) | ((<u32>load<u8>(p, 1) & 0x3f) << 6) | (<u32>load<u8>(p, 2) & 0x3f);
    n = 3 << 8;
  } else {
    cp = ((b0 & 0x07) << 18) | ((<u32>load<u8>(p, 1) & 0x3f) << 12) | ((<u32>load<u8>(p, 2) & 0x3f) << 6) | (<u32>load<u8>(p, 3) & 0x3f);
    n = 4 << 8;
  }
  const block = <usize>load<u16>(UNICODE_STAGE1 + ((<usize>(cp >> UNICODE_BLOCK_SHIFT)) << 1));
  return <u32>load<u8>(UNICODE_STAGE2 + (block << UNICODE_BLOCK_SHIFT) + (cp & ((1 << UNICODE_BLOCK_SHIFT) - 1))) | n;
}

@inline export function isLetter(c: u8): bool {
  return c >= C_UPPER && c <= C_LETTER;
}

/** o200k's letter-or-mark classes. */
@inline export function isLetterOrMark(c: u8): bool {
  return c >= C_UPPER && c <= C_MARK;
}

/**
 * End of the run of `\p{L}` characters starting at `p` (cl100k, r50k words), or of
 * `[\p{L}\p{M}]` when `marks` (DeepSeek; a constant where inlined). ASCII takes a tight loop:
 * it is most of real text and needs no decoding.
 */
@inline export function letterRun(p: usize, end: usize, marks: bool = false): usize {
  while (p < end) {
    const b = <u32>load<u8>(p);
    if (b < 0x80) {
      // ASCII letters are exactly A–Z and a–z
      if (((b | 0x20) - 0x61) > 25) return p;
      p++;
      continue;
    }
    const x = classLenAt(p);
    if (!isLetter(<u8>x) && (!marks || <u8>x != C_MARK)) return p;
    p += <usize>(x >> 8);
  }
  return p;
}

/**
 * End of the run of `[\p{Ll}\p{Lm}\p{Lo}\p{M}]` starting at `p` (o200k's lower word class).
 * In ASCII only a–z belong to it.
 */
@inline export function lowerSetRun(p: usize, end: usize): usize {
  while (p < end) {
    const b = <u32>load<u8>(p);
    if (b < 0x80) {
      if (b - 0x61 > 25) return p;
      p++;
      continue;
    }
    const x = classLenAt(p);
    const c = <u8>x;
    if (c != C_LOWER && <u32>(c - C_LETTER) > 1 /* C_LETTER, C_MARK */) return p;
    p += <usize>(x >> 8);
  }
  return p;
}
