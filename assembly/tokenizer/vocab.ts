// Vocabularies: token bytes grouped by length, plus per-length open-addressing hash tables
// from byte strings to ranks, built lazily inside linear memory.
import { allocPermanent } from '../memory/arena';
import { hashBytes, bytesEqual } from './bytes';
export { hashBytes };

export const NO_RANK: u32 = 0xffffffff;
const MAX_VOCABS: i32 = 8;

// Per-vocabulary descriptors (a handful at most), kept in a flat static array. Fields (u32):
// token bytes ptr, n (max rank + 1), shards ptr, byte-rank ptr (u32[256], in the binary),
// longest token, rank table ptrs (u32 offset[n] and u8 length[n], filled on first need) and
// whether they are filled, delta stream ptr.
const D_BYTES: usize = 0, D_SIZE: usize = 4, D_SHARDS: usize = 8, D_BYTERANK: usize = 12, D_MAXLEN: usize = 16,
  D_RANKOFF: usize = 20, D_RANKLEN: usize = 24, D_RANKS_BUILT: usize = 28, D_STRIDE: usize = 32;
const descriptors: usize = memory.data(<i32>(MAX_VOCABS * <i32>D_STRIDE));
let vCount: i32 = 0;
let curId: i32 = -1;

// One open-addressing table per token length, filled on that length's first lookup from its
// group in the binary (tokens of one length are contiguous there), so a fresh instance
// answers its first count after touching only the lengths that text needs. Slots are u32:
// (index in group + 1) | hash tag << 16; the group's fixed stride locates the bytes to verify
// and a u32 array decoded from the binary's rank deltas gives the rank. Tables are sized to a
// 3/4 load factor (not a power of two): on a fresh instance each table page costs a page
// fault, which is most of the time a first lookup takes.
// Shard entry: table ptr, capacity, built flag, group bytes ptr, ranks ptr (u32[count]),
// count, delta stream ptr.
const S_TABLE: usize = 0, S_CAP: usize = 4, S_BUILT: usize = 8, S_BYTES: usize = 12, S_RANKS: usize = 16,
  S_COUNT: usize = 20, S_DELTAS: usize = 24, S_STRIDE: usize = 32;

// The active vocabulary, cached in globals for the hot path.
export let curBytes: usize = 0;
export let curShards: usize = 0;
export let curByteRank: usize = 0;
export let curMaxLen: u32 = 0;
export let curSize: u32 = 0;
let curRankOff: usize = 0;
let curRankLen: usize = 0;
/** Distinguishes vocabularies in the shared piece cache. */
export let curSalt: u64 = 0;

const H_COUNT: usize = 16, H_BYTERANK: usize = H_COUNT + 1024, H_DELTA_START: usize = H_BYTERANK + 1024,
  H_DELTA_BYTES: usize = H_DELTA_START + 1024, HEADER: usize = H_DELTA_BYTES + 4;

/**
 * Register a vocabulary binary (see scripts/vocab/build-vocab.ts) that JS copied to `src`.
 * Returns its handle. The binary stays in place as the token byte store; the tables are only
 * reserved here (untouched memory costs nothing until a lookup fills it).
 */
export function vocabLoad(src: usize, srcLen: usize): i32 {
  if (vCount >= MAX_VOCABS) return -1;
  if (load<u32>(src) != 0x42564754 /* "TGVB" */ || load<u32>(src, 4) != 3) return -2;
  const n = load<u32>(src, 8);
  const total = load<u32>(src, 12);
  const deltaBytes = load<u32>(src + H_DELTA_BYTES);
  if (HEADER + <usize>deltaBytes + <usize>total > srcLen) return -3;
  const deltas = src + HEADER;
  const bytes = deltas + deltaBytes;

  const shards = allocPermanent(256 * S_STRIDE);
  let maxLen: u32 = 0;
  let groupBytes: usize = 0;
  for (let len: usize = 1; len < 256; len++) {
    const c = load<u32>(src + H_COUNT + (len << 2));
    const sh = shards + len * S_STRIDE;
    store<u32>(sh + S_BYTES, <u32>(bytes + groupBytes));
    store<u32>(sh + S_DELTAS, <u32>(deltas + <usize>load<u32>(src + H_DELTA_START + (len << 2))));
    store<u32>(sh + S_COUNT, c);
    groupBytes += <usize>c * len;
    if (c == 0) continue;
    maxLen = <u32>len;
    if (len == 1) continue; // single bytes use the byte-rank array
    const cap = c + c / 3 + 2; // load factor ≤ 3/4, and always a free slot
    store<u32>(sh + S_TABLE, <u32>allocPermanent((<usize>cap) << 2));
    store<u32>(sh + S_CAP, cap);
    store<u32>(sh + S_RANKS, <u32>allocPermanent((<usize>c) << 2));
  }
  if (groupBytes != <usize>total) return -3;

  const id = vCount++;
  const d = descriptors + <usize>id * D_STRIDE;
  store<u32>(d + D_BYTES, <u32>bytes);
  store<u32>(d + D_SIZE, n);
  store<u32>(d + D_SHARDS, <u32>shards);
  store<u32>(d + D_BYTERANK, <u32>(src + H_BYTERANK));
  store<u32>(d + D_MAXLEN, maxLen);
  store<u32>(d + D_RANKOFF, <u32>allocPermanent((<usize>n) << 2));
  store<u32>(d + D_RANKLEN, <u32>allocPermanent(<usize>n));
  return id;
}

/** Read one LEB128 varint at `varintAt`, advancing it. */
let varintAt: usize = 0;
@inline function readVarint(): u32 {
  let v: u32 = 0;
  let shift: u32 = 0;
  while (true) {
    const b = <u32>load<u8>(varintAt++);
    v |= (b & 0x7f) << shift;
    if (b < 0x80) return v;
    shift += 7;
  }
  return v;
}

/** First slot to probe for hash `h` in a table of `cap` slots (multiply-shift, no power of two needed). */
@inline function firstSlot(h: u64, cap: u32): u32 {
  return <u32>(((h & 0xffffffff) * <u64>cap) >> 32);
}

/** Insert every token of length `len` into its shard (first lookup of that length). */
function buildShard(sh: usize, len: usize): void {
  const table = <usize>load<u32>(sh + S_TABLE);
  const cap = load<u32>(sh + S_CAP);
  const group = <usize>load<u32>(sh + S_BYTES);
  const ranks = <usize>load<u32>(sh + S_RANKS);
  const c = load<u32>(sh + S_COUNT);
  // Writing the (already zero) table first makes each fresh page fault once, not twice (a
  // probe's read would map the zero page and the insert's write would then copy it).
  memory.fill(table, 0, (<usize>cap) << 2);
  varintAt = <usize>load<u32>(sh + S_DELTAS);
  let rank: u32 = -1;
  let tok = group;
  for (let idx: u32 = 0; idx < c; idx++) {
    rank += readVarint() + 1;
    store<u32>(ranks + ((<usize>idx) << 2), rank);
    const h = hashBytes(tok, len);
    let i = firstSlot(h, cap);
    while (load<u32>(table + ((<usize>i) << 2)) != 0) if (++i == cap) i = 0;
    store<u32>(table + ((<usize>i) << 2), (idx + 1) | ((<u32>(h >> 48)) << 16));
    tok += len;
  }
  store<u32>(sh + S_BUILT, 1);
}

/**
 * Fill the active vocabulary's rank table (byte offset and length of every rank), which
 * decoding and token offsets need and lookups do not. Idempotent; memory was reserved at load.
 */
export function vocabRanks(): void {
  const d = descriptors + <usize>curId * D_STRIDE;
  if (load<u32>(d + D_RANKS_BUILT) != 0) return;
  for (let len: usize = 1; len <= <usize>curMaxLen; len++) {
    const sh = curShards + len * S_STRIDE;
    const c = load<u32>(sh + S_COUNT);
    varintAt = <usize>load<u32>(sh + S_DELTAS);
    let off = <u32>(<usize>load<u32>(sh + S_BYTES) - curBytes);
    let rank: u32 = -1;
    for (let idx: u32 = 0; idx < c; idx++) {
      rank += readVarint() + 1;
      store<u32>(curRankOff + ((<usize>rank) << 2), off);
      store<u8>(curRankLen + <usize>rank, <u8>len);
      off += <u32>len;
    }
  }
  store<u32>(d + D_RANKS_BUILT, 1);
}

/** Byte offset (from `curBytes`) of rank `r`'s token; valid after vocabRanks(). */
@inline export function tokenOffset(r: u32): usize {
  return <usize>load<u32>(curRankOff + ((<usize>r) << 2));
}

/** Make vocabulary `id` the one the hot path uses. */
export function vocabSelect(id: i32): bool {
  if (id < 0 || id >= vCount) return false;
  const d = descriptors + <usize>id * D_STRIDE;
  curId = id;
  curBytes = <usize>load<u32>(d + D_BYTES);
  curSize = load<u32>(d + D_SIZE);
  curShards = <usize>load<u32>(d + D_SHARDS);
  curByteRank = <usize>load<u32>(d + D_BYTERANK);
  curRankOff = <usize>load<u32>(d + D_RANKOFF);
  curRankLen = <usize>load<u32>(d + D_RANKLEN);
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
  const cap = load<u32>(sh + S_CAP);
  if (cap == 0) return NO_RANK; // no token has this length
  if (load<u32>(sh + S_BUILT) == 0) buildShard(sh, len);
  const table = <usize>load<u32>(sh + S_TABLE);
  const tag = <u32>(h >> 48);
  let i = firstSlot(h, cap);
  while (true) {
    const slot = load<u32>(table + ((<usize>i) << 2));
    if (slot == 0) return NO_RANK;
    if (slot >> 16 == tag) {
      const idx = <usize>(slot & 0xffff) - 1;
      // Every token in a shard has length `len`, so only the bytes need comparing.
      if (bytesEqual(<usize>load<u32>(sh + S_BYTES) + idx * len, p, len)) return load<u32>(<usize>load<u32>(sh + S_RANKS) + (idx << 2));
    }
    if (++i == cap) i = 0;
  }
  return NO_RANK;
}

/** Length of rank `r`'s token in the active vocabulary (0 = no such token); valid after vocabRanks(). */
@inline export function tokenLength(r: u32): usize {
  return <usize>load<u8>(curRankLen + <usize>r);
}
