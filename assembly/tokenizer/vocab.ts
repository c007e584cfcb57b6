// Vocabularies: token bytes in rank order plus an open-addressing hash table from byte
// strings to ranks, built once at load time inside linear memory.
import { allocPermanent } from '../memory/arena';
import { hashBytes, bytesEqual } from './bytes';
export { hashBytes };

/** Rank bits in a hash slot; the upper bits hold a hash tag so most misses skip the byte compare. */
const RANK_BITS: u32 = 18;
const RANK_MASK: u32 = (1 << RANK_BITS) - 1;
export const NO_RANK: u32 = 0xffffffff;
const MAX_VOCABS: i32 = 8;

// Per-vocabulary descriptors (a handful at most), kept in flat globals-backed arrays.
// Descriptor fields (all u32): offsets ptr (u32[n + 1], built on first decode), bytes ptr,
// n (max rank + 1), shards ptr, lens ptr, byte-rank ptr (u32[256], in the binary), longest token.
const D_OFFSETS: usize = 0, D_BYTES: usize = 4, D_SIZE: usize = 8, D_SHARDS: usize = 12, D_LENS: usize = 16,
  D_BYTERANK: usize = 20, D_MAXLEN: usize = 24, D_STRIDE: usize = 32;
const descriptors: usize = memory.data(<i32>(MAX_VOCABS * <i32>D_STRIDE));
let vCount: i32 = 0;
let curId: i32 = -1;

// The hash table is sharded by token length and each shard is filled on its first lookup, so
// loading does no per-token work and a fresh instance answers its first count after inserting
// only the lengths that text needs. Slots are 8 bytes: (rank + 1) | tag << 18, and the token's
// byte offset, so a lookup verifies a hit without another memory access.
// Shard entry (12 bytes): table ptr, mask, built flag.
const S_TABLE: usize = 0, S_MASK: usize = 4, S_BUILT: usize = 8, S_STRIDE: usize = 12;

// The active vocabulary, cached in globals for the hot path.
export let curBytes: usize = 0;
export let curShards: usize = 0;
export let curLens: usize = 0;
export let curByteRank: usize = 0;
export let curMaxLen: u32 = 0;
export let curSize: u32 = 0;
/** Distinguishes vocabularies in the shared piece cache. */
export let curSalt: u64 = 0;

const HEADER: usize = 16 + 256 * 4 * 2;

/**
 * Register a vocabulary binary (see scripts/vocab/build-vocab.ts) that JS copied to `src`.
 * Returns its handle. The binary stays in place as the token byte store; only the (empty)
 * shard tables are allocated here.
 */
export function vocabLoad(src: usize, srcLen: usize): i32 {
  if (vCount >= MAX_VOCABS) return -1;
  if (load<u32>(src) != 0x42564754 /* "TGVB" */ || load<u32>(src, 4) != 2) return -2;
  const n = load<u32>(src, 8);
  const total = load<u32>(src, 12);
  if (HEADER + <usize>n + total > srcLen || n > RANK_MASK) return -3;
  const counts = src + 16;
  const byteRank = counts + 1024;
  const lens = src + HEADER;
  const bytes = lens + n;

  const shards = allocPermanent(256 * S_STRIDE);
  let maxLen: u32 = 0;
  for (let len: usize = 2; len < 256; len++) {
    const c = load<u32>(counts + (len << 2));
    if (c == 0) continue;
    maxLen = <u32>len;
    let cap: u32 = 16;
    while (cap < c * 2) cap <<= 1; // load factor <= 0.5 keeps probe chains short
    const sh = shards + len * S_STRIDE;
    store<u32>(sh + S_TABLE, <u32>allocPermanent((<usize>cap) << 3));
    store<u32>(sh + S_MASK, cap - 1);
  }

  const id = vCount++;
  const d = descriptors + <usize>id * D_STRIDE;
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
  // SWAR: test 8 lengths per step and skip groups without `len` (most of them); this scan runs
  // before V8 has optimised the module, so fewer iterations matter for ready time.
  const pattern = (<u64>want) * 0x0101010101010101;
  const LO: u64 = 0x0101010101010101;
  const HI: u64 = 0x8080808080808080;
  const PAIRS: u64 = 0x00ff00ff00ff00ff;
  let off: u32 = 0;
  let r: u32 = 0;
  while (r < curSize) {
    if (r + 8 <= curSize) {
      const v = load<u64>(curLens + r);
      const x = v ^ pattern;
      if (((x - LO) & ~x & HI) == 0) {
        const pairs = (v & PAIRS) + ((v >> 8) & PAIRS); // four 16-bit sums of two lengths
        off += <u32>((pairs * 0x0001000100010001) >> 48);
        r += 8;
        continue;
      }
    }
    const stop = r + 8 < curSize ? r + 8 : curSize;
    for (; r < stop; r++) {
      const l = load<u8>(curLens + r);
      if (l == want) {
        const h = hashBytes(curBytes + <usize>off, len);
        let i = <u32>h & mask;
        while (load<u32>(table + ((<usize>i) << 3)) != 0) i = (i + 1) & mask;
        store<u64>(table + ((<usize>i) << 3), (<u64>((r + 1) | ((<u32>(h >> 50)) << RANK_BITS))) | ((<u64>off) << 32));
      }
      off += <u32>l;
    }
  }
  store<u32>(sh + S_BUILT, 1);
}

/**
 * Byte offsets of every rank (u32[n + 1]) for decoding, built on the first decode: lookups do
 * not need them because hash slots carry offsets.
 */
export function vocabOffsets(): usize {
  const d = descriptors + <usize>curId * D_STRIDE;
  let offsets = <usize>load<u32>(d + D_OFFSETS);
  if (offsets != 0) return offsets;
  offsets = allocPermanent((<usize>curSize + 1) << 2);
  let off: u32 = 0;
  for (let r: u32 = 0; r < curSize; r++) {
    store<u32>(offsets + ((<usize>r) << 2), off);
    off += <u32>load<u8>(curLens + r);
  }
  store<u32>(offsets + ((<usize>curSize) << 2), off);
  store<u32>(d + D_OFFSETS, <u32>offsets);
  return offsets;
}

/** Make vocabulary `id` the one the hot path uses. */
export function vocabSelect(id: i32): bool {
  if (id < 0 || id >= vCount) return false;
  const d = descriptors + <usize>id * D_STRIDE;
  curId = id;
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
    const slot = load<u64>(table + ((<usize>i) << 3));
    const s = <u32>slot;
    if (s == 0) return NO_RANK;
    // Every token in a shard has length `len`, so only the bytes need comparing.
    if (s >> RANK_BITS == tag && bytesEqual(curBytes + <usize>(slot >> 32), p, len)) return (s & RANK_MASK) - 1;
    i = (i + 1) & mask;
  }
  return NO_RANK;
}

/** Length of rank `r`'s token in the active vocabulary (0 = no such token). */
@inline export function tokenLength(r: u32): usize {
  return <usize>load<u8>(curLens + <usize>r);
}
