// Hashing and comparing short byte strings in linear memory. Both may read up to 7 bytes past
// the end: every region they touch (input, vocabulary, cache) is padded for it.

@inline function mix(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  return h;
}

/** 64-bit hash of `len` bytes at `p`; may read up to 7 bytes past the end (regions are padded). */
@inline export function hashBytes(p: usize, len: usize): u64 {
  let h: u64 = (<u64>len) * 0x9e3779b97f4a7c15;
  while (len > 8) {
    h = (h ^ load<u64>(p)) * 0xc2b2ae3d27d4eb4f;
    h = (h << 31) | (h >> 33);
    p += 8;
    len -= 8;
  }
  const tail = load<u64>(p) & (0xffffffffffffffff >> ((8 - <u64>len) << 3));
  return mix(h ^ (tail * 0x165667b19e3779f9));
}

/** Byte equality of two padded regions. */
@inline export function bytesEqual(a: usize, b: usize, len: usize): bool {
  while (len > 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    len -= 8;
  }
  return ((load<u64>(a) ^ load<u64>(b)) & (0xffffffffffffffff >> ((8 - <u64>len) << 3))) == 0;
}

