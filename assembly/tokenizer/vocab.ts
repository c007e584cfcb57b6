// Vocabularies: token bytes in rank order plus an open-addressing hash table from byte
// strings to ranks, built once at load time inside linear memory.
import { allocPermanent } from '../memory/arena';

/** Rank bits in a hash slot; the upper bits hold a hash tag so most misses skip the byte compare. */
const RANK_BITS: u32 = 18;
const RANK_MASK: u32 = (1 << RANK_BITS) - 1;
export const NO_RANK: u32 = 0xffffffff;
const MAX_VOCABS: i32 = 8;

// Per-vocabulary descriptors (a handful at most), kept in flat globals-backed arrays.
// Descriptor fields (all u32): offsets ptr (u32[n + 1], relative to bytes), bytes ptr, n (max rank + 1),
// shards ptr, lens ptr, byte-rank ptr (u32[256]), longest token. Static data: no allocator involved.
const D_OFFSETS: usize = 0, D_BYTES: usize = 4, D_SIZE: usize = 8, D_SHARDS: usize = 12, D_LENS: usize = 16,
  D_BYTERANK: usize = 20, D_MAXLEN: usize = 24, D_STRIDE: usize = 32;
const descriptors: usize = memory.data(<i32>(MAX_VOCABS * <i32>D_STRIDE));
let vCount: i32 = 0;

// The hash table is sharded by token length and each shard is filled on its first lookup, so a
// fresh instance answers its first count after inserting only the lengths that text needs
// (ready in a few milliseconds instead of hashing all 200k tokens up front).
// Shard entry (12 bytes): table ptr, mask, built flag.
const S_TABLE: usize = 0, S_MASK: usize = 4, S_BUILT: usize = 8, S_STRIDE: usize = 12;

// The active vocabulary, cached in globals for the hot path.
export let curOffsets: usize = 0;
export let curBytes: usize = 0;
export let curShards: usize = 0;
export let curLens: usize = 0;
export let curByteRank: usize = 0;
export let curMaxLen: u32 = 0;
export let curSize: u32 = 0;
/** Distinguishes vocabularies in the shared piece cache. */
export let curSalt: u64 = 0;

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
@inline function bytesEqual(a: usize, b: usize, len: usize): bool {
  while (len > 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    len -= 8;
  }
  return ((load<u64>(a) ^ load<u64>(b)) & (0xffffffffffffffff >> ((8 - <u64>len) << 3))) == 0;
}

/**
 * Load a vocabulary binary (see scripts/vocab/build-vocab.ts) that JS copied to `src`.
 * Returns its handle. The binary itself is kept in place as the token byte store.
 */
export function vocabLoad(src: usize, srcLen: usize): i32 {
  if (vCount >= MAX_VOCABS) return -1;
  if (load<u32>(src) != 0x42564754 /* "TGVB" */ || load<u32>(src, 4) != 1) return -2;
  const n = load<u32>(src, 8);
  const total = load<u32>(src, 12);
  if (<usize>16 + n + total > srcLen || n > RANK_MASK) return -3;
  const lens = src + 16;
  const bytes = lens + n;

  const offsets = allocPermanent((<usize>n + 1) << 2);
  const byteRank = allocPermanent(256 << 2);
  memory.fill(byteRank, 0xff, 256 << 2);
  const counts = allocPermanent(256 << 2);
  let off: u32 = 0;
  let maxLen: u32 = 0;
  for (let r: u32 = 0; r < n; r++) {
    store<u32>(offsets + ((<usize>r) << 2), off);
    const len = <u32>load<u8>(lens + r);
    if (len == 1) store<u32>(byteRank + ((<usize>load<u8>(bytes + off)) << 2), r);
    const c = counts + ((<usize>len) << 2);
    store<u32>(c, load<u32>(c) + 1);
    off += len;
  }
  store<u32>(offsets + ((<usize>n) << 2), off);

  const shards = allocPermanent(256 * S_STRIDE);
  for (let len: usize = 2; len < 256; len++) {
    const c = load<u32>(counts + (len << 2));
    if (c == 0) continue;
    maxLen = <u32>len;
    let cap: u32 = 16;
    while (cap < c * 2) cap <<= 1; // load factor <= 0.5 keeps probe chains short
    const sh = shards + len * S_STRIDE;
    store<u32>(sh + S_TABLE, <u32>allocPermanent((<usize>cap) << 2));
    store<u32>(sh + S_MASK, cap - 1);
  }

  const id = vCount++;
  const d = descriptors + <usize>id * D_STRIDE;
  store<u32>(d + D_OFFSETS, <u32>offsets);
  store<u32>(d + D_BYTES, <u32>bytes);
  store<u32>(d + D_SIZE, n);
  store<u32>(d + D_SHARDS, <u32>shards);
  store<u32>(d + D_LENS, <u32>lens);
  store<u32>(d + D_BYTERANK, <u32>byteRank);
  store<u32>(d + D_MAXLEN, maxLen);
  return id;
}

/** Insert every token of length `len` into its shard (first lookup of that length). */
function buildShard(sh: usize, len: usize): void {
  const table = <usize>load<u32>(sh + S_TABLE);
  const mask = load<u32>(sh + S_MASK);
  const want = <u8>len;
  for (let r: u32 = 0; r < curSize; r++) {
    if (load<u8>(curLens + r) != want) continue;
    const h = hashBytes(curBytes + <usize>load<u32>(curOffsets + ((<usize>r) << 2)), len);
    let i = <u32>h & mask;
    while (load<u32>(table + ((<usize>i) << 2)) != 0) i = (i + 1) & mask;
    store<u32>(table + ((<usize>i) << 2), (r + 1) | ((<u32>(h >> 50)) << RANK_BITS));
  }
  store<u32>(sh + S_BUILT, 1);
}

/** Make vocabulary `id` the one the hot path uses. */
export function vocabSelect(id: i32): bool {
  if (id < 0 || id >= vCount) return false;
  const d = descriptors + <usize>id * D_STRIDE;
  curOffsets = <usize>load<u32>(d + D_OFFSETS);
  curBytes = <usize>load<u32>(d + D_BYTES);
  curSize = load<u32>(d + D_SIZE);
  curShards = <usize>load<u32>(d + D_SHARDS);
  curLens = <usize>load<u32>(d + D_LENS);
  curByteRank = <usize>load<u32>(d + D_BYTERANK);
  curMaxLen = load<u32>(d + D_MAXLEN);
  curSalt = (<u64>(id + 1)) * 0x9e3779b97f4a7c15;
  return true;
}

/** Rank of the `len` bytes at `p` in the active vocabulary, or NO_RANK. */
@inline export function lookup(p: usize, len: usize): u32 {
  if (len == 1) return load<u32>(curByteRank + ((<usize>load<u8>(p)) << 2));
  if (len > <usize>curMaxLen) return NO_RANK;
  return lookupHashed(p, len, hashBytes(p, len));
}

/** lookup() for a key whose hash the caller already computed (2 <= len <= curMaxLen). */
@inline export function lookupHashed(p: usize, len: usize, h: u64): u32 {
  const sh = curShards + len * S_STRIDE;
  const mask = load<u32>(sh + S_MASK);
  if (mask == 0) return NO_RANK; // no token has this length
  if (load<u32>(sh + S_BUILT) == 0) buildShard(sh, len);
  const table = <usize>load<u32>(sh + S_TABLE);
  const tag = <u32>(h >> 50);
  let i = <u32>h & mask;
  while (true) {
    const s = load<u32>(table + ((<usize>i) << 2));
    if (s == 0) return NO_RANK;
    if (s >> RANK_BITS == tag) {
      const r = (s & RANK_MASK) - 1;
      const o = load<u32>(curOffsets + ((<usize>r) << 2));
      if (<usize>(load<u32>(curOffsets + ((<usize>r) << 2), 4) - o) == len && bytesEqual(curBytes + o, p, len)) return r;
    }
    i = (i + 1) & mask;
  }
  return NO_RANK;
}

/** Byte offset and length of rank `r`'s token in the active vocabulary (len 0 = no such token). */
@inline export function tokenOffset(r: u32): usize {
  return curBytes + load<u32>(curOffsets + ((<usize>r) << 2));
}
@inline export function tokenLength(r: u32): usize {
  return <usize>(load<u32>(curOffsets + ((<usize>r) << 2), 4) - load<u32>(curOffsets + ((<usize>r) << 2)));
}
