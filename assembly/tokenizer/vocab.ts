// Vocabularies: per-length open-addressing hash tables from token bytes to ranks, filled
// lazily inside linear memory from the binary's prefix groups (scripts/vocab/build-vocab.ts).
import { allocPermanent, align16 } from '../memory/arena';
import { hashBytes, bytesEqual } from './bytes';
import { codePointAt } from './unicode';
import { charStartTable, charStartSection, CHAR_START_FIRST, CHAR_STAGE2, CHAR_LEFT_BUCKETS, CHAR_LEFT_LIST, CHAR_RIGHT_BUCKETS, CHAR_RIGHT_LIST } from '../generated/char-starts';
export { hashBytes };

export const NO_RANK: u32 = 0xffffffff;
const MAX_VOCABS: i32 = 8;

/** Groups fetched one by one before the rest of the binary is fetched at once. */
const LAZY_GROUPS: u32 = 32;

// Per-vocabulary descriptors (a handful at most), kept in a flat static array. Fields (u32):
// n (max rank + 1), shards ptr, byte-rank ptr (u32[256], in the binary), longest token,
// rank table ptrs (u32 token pointer[n] and u8 length[n]) and whether it is filled, the
// binary's address, bytes present from its start (all of it once fully fetched), its size,
// how many groups were fetched one by one, the groups wanted now (list ptr, count; each
// entry length << 24 | group index) and whether the rest of the binary is wanted.
//
// Version 6 binaries (Hugging Face BPE models) add: flags, the number of merge keys, and
// pointers to the per-rank merge list offsets and key bases and the key → rank table;
// SentencePiece ones (FLAG_SPM) the spm section, the no-shortcut bitmap and the run table.
const D_SIZE: usize = 0, D_SHARDS: usize = 4, D_BYTERANK: usize = 8, D_MAXLEN: usize = 12,
  D_RANKPTR: usize = 16, D_RANKLEN: usize = 20, D_RANKS_BUILT: usize = 24, D_SRC: usize = 28,
  D_PRESENT: usize = 32, D_SRCLEN: usize = 36, D_FETCHES: usize = 40, D_WANTED: usize = 44,
  D_NWANTED: usize = 48, D_WANT_ALL: usize = 52, D_FLAGS: usize = 56, D_KEYS: usize = 60,
  D_MERGEOFF: usize = 64, D_MERGEBASE: usize = 68, D_KEYTOK: usize = 72, D_FILTER: usize = 76,
  D_FILTER_BUILT: usize = 80, D_EXT_AT: usize = 84, D_EXT_SRC: usize = 88, D_SPM: usize = 92,
  D_SPM_BITS: usize = 96, D_SPM_RUNS: usize = 100, D_INDEXED: usize = 104, D_BLOOM: usize = 108, D_PAIRS: usize = 112, D_CHARS: usize = 116,
  D_CHARS2: usize = 120, D_CHAR_RANKS: usize = 124, D_CHAR_EXC: usize = 128,
  D_CHAR_BUCKETS: usize = 132, D_CHAR_REXC: usize = 136,
  D_CHAR_RBUCKETS: usize = 140, D_STRIDE: usize = 144;
const descriptors: usize = memory.data(<i32>(MAX_VOCABS * <i32>D_STRIDE));
let vCount: i32 = 0;
let curId: i32 = -1;

// One table per token length ("shard"). A fresh instance must answer its first count fast,
// so nothing is inserted at load: the binary groups each length's tokens by their first two
// bytes (the prefix key). A group's first lookup scans it; its next inserts it into the table
// (SCANS_BEFORE_INSERT). A bitmap per length (one bit per prefix) says which groups are in.
//
// The binary itself arrives the same way: at load only its header, checkpoints and
// directories are present. A lookup that needs a group whose bytes are absent cannot wait for
// them (the core imports nothing: V8 compiles a wrapper for every import, ~0.7 ms of a cold
// start), so it misses, the group is added to the vocabulary's wanted list and the encode
// pass is marked incomplete. The host then copies the wanted ranges in (vocabWanted /
// vocabFetched) and runs the pass again; results of an incomplete pass are never cached or
// returned. After LAZY_GROUPS groups the rest comes in one piece. A fresh process so reads
// tens of kilobytes instead of 1.5 MB before its first count.
//
// Slots are u32: (index in length + 1) | hash tag << 16. The index locates the token's entry:
// its full bytes (rebuilt from prefix + stored suffix) to verify a hit, then its rank (u32),
// so a hit on text never seen (cold CPU caches) waits for two memory accesses, not three.
// A table holds what is loaded at a load factor ≤ 3/4 (any size: multiply-shift indexing) and
// grows by rehashing into the other of two regions reserved for it, so a fresh instance
// touches table pages in proportion to the tokens it has loaded (each fresh page costs a
// fault). Everything is reserved at load; untouched memory costs nothing.
//
// Shard entry fields (u32): table, capacity, token entries (count × (len bytes, u32 rank)),
// unused, prefix bitmap (u8[8192]), directory stream ptr, decoded directory (entry[groups]), groups,
// delta stream ptr, suffix stream ptr, count, the other table region, largest capacity,
// tokens in the table, checkpoints ptr, and which directory blocks are decoded (u8[blocks]).
//
// The directory is decoded a block of CHECK_EVERY groups at a time, from the checkpoint
// before it: a lookup decodes at most one block, not the thousands of groups some lengths have.
const S_TABLE: usize = 0, S_CAP: usize = 4, S_FULL: usize = 8, S_BITMAP: usize = 16,
  S_DIR: usize = 20, S_ENTRIES: usize = 24, S_GROUPS: usize = 28, S_DELTAS: usize = 32, S_SUFFIX: usize = 36,
  S_COUNT: usize = 40, S_SPARE: usize = 44, S_CAPMAX: usize = 48, S_LOADED: usize = 52, S_CHECKS: usize = 56,
  S_BLOCKS: usize = 60, S_STRIDE: usize = 64;
/** Groups per directory block (scripts/vocab/build-vocab.ts writes a checkpoint per block). */
const CHECK_EVERY: u32 = 64;
// Checkpoint: key of the block's first group (u16, then 2 unused bytes), its offset in the
// length's directory stream, its first token's index, its offset in the length's delta stream.
const K_KEY: usize = 0, K_DIR: usize = 4, K_START: usize = 8, K_DELTAS: usize = 12, K_STRIDE: usize = 16;
/** Slots of a length's first table. */
const FIRST_CAP: u32 = 512;
// Decoded directory entry: prefix key (u16), token count (u16), first index (u32), delta ptr
// (u32), delta bytes (u16) and state (u16): E_PRESENT once the group's bytes were fetched
// (or the whole binary is present), plus how often it was scanned.
const E_KEY: usize = 0, E_COUNT: usize = 2, E_START: usize = 4, E_DELTAS: usize = 8, E_DELTA_BYTES: usize = 12,
  E_STATE: usize = 14, E_STRIDE: usize = 16;
const E_PRESENT: u16 = 0x8000;
/** Lookups answered by scanning a group before it is inserted into its length's table. */
const SCANS_BEFORE_INSERT: u16 = 1;
const BITMAP_BYTES: usize = 65536 >> 3;

// The active vocabulary, cached in globals for the hot path.
export let curShards: usize = 0;
export let curByteRank: usize = 0;
export let curMaxLen: u32 = 0;
export let curSize: u32 = 0;
let curRankPtr: usize = 0;
let curRankLen: usize = 0;
/** Distinguishes vocabularies in the shared piece cache. */
export let curSalt: u64 = 0;
/** Version 6 flags of the active vocabulary (FLAG_*), and its merge tables (see vocabLoad). */
export let curFlags: u32 = 0;
/** Size of the merge-priority space: merge lines (Hugging Face) or ranks (tiktoken). */
export let curKeys: u32 = 0;
/** The active vocabulary's whole-character flags (generated/char-starts.ts): stage 1, stage 2; 0 if none. */
export let curChars: usize = 0;
export let curChars2: usize = 0;
/** Its left-edge exceptions (key and rank pairs, by bucket) and their bucket starts. */
export let curCharExceptions: usize = 0;
export let curCharBuckets: usize = 0;
/** The same for the right edge. */
export let curCharRightExceptions: usize = 0;
export let curCharRightBuckets: usize = 0;
let curMergeOff: usize = 0;
let curMergeBase: usize = 0;
let curKeyTok: usize = 0;
// SentencePiece vocabularies (0 for the others): the spm section (scripts/vocab/spm-vocab.ts),
// its explicit merge lines (rank, split, key: u32 each, by rank and split) and their count,
// the no-shortcut bitmap (a bit per rank) and the run table (u32 per byte: base id << 8 | max).
export let curSpm: usize = 0;
let curExplicit: usize = 0;
let curExplicitCount: u32 = 0;
let curNoShortcut: usize = 0;
export let curRuns: usize = 0;
/** Characters after which a `▁` may not be cut (code points, u32 each), and how many. */
export let curNoCut: usize = 0;
export let curNoCutCount: u32 = 0;

/** Pairs merge by their merge lines (Hugging Face BPE), not by any split of a token. */
export const FLAG_HF_MERGES: u32 = 1;
/** SentencePiece BPE with byte fallback: parts start as characters (bpe.ts), the spm section. */
export const FLAG_SPM: u32 = 2;
/** The core needs the whole binary at load (the merge section is read then). */
const FLAG_WHOLE: u32 = 4;
// The spm section: byte-token base, first implicit key, then the counts of its lists.
const SPM_BYTE_BASE: usize = 0, SPM_FIRST_KEY: usize = 4, SPM_EXPLICIT: usize = 8, SPM_NOCUT: usize = 12,
  SPM_NOSHORTCUT: usize = 16, SPM_RUNS: usize = 20, SPM_LISTS: usize = 24;

const H_COUNT: usize = 16, H_BYTERANK: usize = H_COUNT + 1024, H_DIR_START: usize = H_BYTERANK + 1024,
  H_DELTA_START: usize = H_DIR_START + 1024, H_CHECK_START: usize = H_DELTA_START + 1024,
  H_SIZES: usize = H_CHECK_START + 1024, HEADER: usize = H_SIZES + 12;
// Version 6 extension after the v5 header: flags, merge section bytes, spm section bytes, merge lines.
const H_FLAGS: usize = HEADER, H_MERGE_BYTES: usize = HEADER + 4, H_SPM_BYTES: usize = HEADER + 8,
  H_KEYS: usize = HEADER + 12, HEADER6: usize = HEADER + 16;

/** Header bytes of the binary at `src` (v5 or v6). */
@inline function headerBytes(src: usize): usize {
  return load<u32>(src, 4) == 6 ? HEADER6 : HEADER;
}
/** v6 flags of the binary at `src` (0 for v5). */
@inline function binaryFlags(src: usize): u32 {
  return load<u32>(src, 4) == 6 ? load<u32>(src + H_FLAGS) : 0;
}
/** Bytes of the v6 sections after the suffixes (merge lines, spm). */
@inline function extensionBytes(src: usize): usize {
  return load<u32>(src, 4) == 6 ? <usize>load<u32>(src + H_MERGE_BYTES) + <usize>load<u32>(src + H_SPM_BYTES) : 0;
}
/** Header, checkpoints and directories: what a lazily fetched binary needs at load. */
@inline function directoryEnd(src: usize): usize {
  return headerBytes(src) + <usize>load<u32>(src + H_SIZES, 8) + <usize>load<u32>(src + H_SIZES);
}

/** Every byte value once: the "full bytes" of the single-byte tokens, for decoding. */
const BYTE_VALUES: usize = memory.data(256);
let byteValuesReady = false;

/** LEB128 reader over linear memory; `varintAt` advances. */
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

/** Bytes of a binary's header (the longest, v6): the host copies these first, then vocabHeadBytes() of it. */
export const VOCAB_HEADER_BYTES: usize = HEADER6;

// Carving vocabLoad's one allocation into regions, laid out as allocPermanent would: each
// region 16-byte aligned and followed by 16 bytes that may be over-read.
let carveAt: usize = 0;
@inline function region(size: usize): usize {
  return align16(size + 16);
}
@inline function carve(size: usize): usize {
  const p = carveAt;
  carveAt += region(size);
  return p;
}
/** Table slots for `c` tokens: load factor ≤ 3/4 with every token in, and always a free slot. */
@inline function capacity(c: u32): u32 {
  return c + c / 3 + 2;
}
@inline function blocks(groups: usize): usize {
  return (groups + <usize>CHECK_EVERY - 1) / <usize>CHECK_EVERY;
}
/** End of block `b`'s groups (one past its last). */
@inline function blockEnd(sh: usize, b: u32): u32 {
  const end = (b + 1) * CHECK_EVERY;
  const groups = load<u32>(sh + S_GROUPS);
  return end < groups ? end : groups;
}
/** Decoded directory entry of group `g` of shard `sh`. */
@inline function groupEntry(sh: usize, g: u32): usize {
  return <usize>load<u32>(sh + S_ENTRIES) + <usize>g * E_STRIDE;
}
/** Groups of length-`len` tokens: the first varint of the length's directory. */
@inline function groupsOfLength(src: usize, dir: usize, len: usize): u32 {
  varintAt = dir + <usize>load<u32>(src + H_DIR_START + (len << 2));
  return readVarint();
}

/** Size of the whole binary whose header is at `src`, or 0 if it is not a TGVB v5/v6 header. */
export function vocabBinaryBytes(src: usize): usize {
  const version = load<u32>(src, 4);
  if (load<u32>(src) != 0x42564754 /* "TGVB" */ || (version != 5 && version != 6)) return 0;
  return directoryEnd(src) + <usize>load<u32>(src + H_SIZES, 4) + <usize>load<u32>(src, 12) + extensionBytes(src);
}

/** Bytes from the start of the binary at `src` (header present) that vocabLoad needs present. */
export function vocabHeadBytes(src: usize): usize {
  return (binaryFlags(src) & FLAG_WHOLE) != 0 ? vocabBinaryBytes(src) : directoryEnd(src);
}

/**
 * Register the vocabulary binary (see scripts/vocab/build-vocab.ts) of `srcLen` bytes for
 * which `src` is reserved and whose first vocabHeadBytes() the host has copied there; the
 * rest is fetched on demand. Returns its handle (< 0: not a valid binary). The binary stays
 * in place as the source of every group; the tables are only reserved here.
 */
@inline export function vocabLoad(src: usize, srcLen: usize): i32 {
  if (vCount >= MAX_VOCABS) return -1;
  if (srcLen < HEADER || vocabBinaryBytes(src) == 0) return -2;
  if (vocabBinaryBytes(src) != srcLen) return -3;
  const n = load<u32>(src, 8);
  const dirBytes = load<u32>(src + H_SIZES);
  const deltaBytes = load<u32>(src + H_SIZES, 4);
  const checks = src + headerBytes(src);
  const flags = binaryFlags(src);
  const nKeys = (flags & FLAG_HF_MERGES) != 0 ? load<u32>(src + H_KEYS) : n;
  const dir = checks + <usize>load<u32>(src + H_SIZES, 8);
  const deltas = dir + dirBytes;
  let suffix = deltas + deltaBytes;
  if (!byteValuesReady) {
    for (let b = 0; b < 256; b++) store<u8>(BYTE_VALUES + b, <u8>b);
    byteValuesReady = true;
  }

  // Whole-character flags (bpe.ts, partsInit) exist only for the binaries they were built from.
  const chars = flags == 0 ? charStartTable(n, srcLen, load<u32>(src + H_COUNT + 12)) : 0;
  const shards = allocPermanent(256 * S_STRIDE);
  // Every region this vocabulary needs is sized first, then taken from one allocation (one
  // memory.grow, and a smaller function for V8 to compile on a cold start). Only reserved:
  // untouched pages cost nothing.
  let total = region((<usize>n) << 2) + region(<usize>n) + region(LAZY_GROUPS << 2) + region(FILTER_BYTES) + region(bloomWords(n) << 3) + region(PAIR_TABLE_BYTES);
  if ((flags & FLAG_HF_MERGES) != 0) total += (region((<usize>n) << 2) << 1) + region((<usize>nKeys) << 2);
  if ((flags & FLAG_SPM) != 0) total += region(((<usize>n) >> 3) + 1) + region(256 << 2);
  if (chars != 0) total += region(CHAR_RANK_BYTES);
  for (let len: usize = 2; len < 256; len++) {
    const c = <usize>load<u32>(src + H_COUNT + (len << 2));
    if (c == 0) continue;
    const groups = <usize>groupsOfLength(src, dir, len);
    total += (region(capacity(<u32>c) << 2) << 1) + region(c * (len + 4)) + region(BITMAP_BYTES) + region(groups * E_STRIDE) + region(blocks(groups));
  }
  carveAt = allocPermanent(total);
  let maxLen: u32 = load<u32>(src + H_COUNT + 4) != 0 ? 1 : 0;
  for (let len: usize = 2; len < 256; len++) {
    const c = load<u32>(src + H_COUNT + (len << 2));
    if (c == 0) continue;
    maxLen = <u32>len;
    const sh = shards + len * S_STRIDE;
    const capMax = capacity(c);
    store<u32>(sh + S_TABLE, <u32>carve((<usize>capMax) << 2));
    store<u32>(sh + S_SPARE, <u32>carve((<usize>capMax) << 2));
    store<u32>(sh + S_CAPMAX, capMax);
    store<u32>(sh + S_CAP, capMax < FIRST_CAP ? capMax : FIRST_CAP);
    store<u32>(sh + S_FULL, <u32>carve(<usize>c * (len + 4)));
    store<u32>(sh + S_BITMAP, <u32>carve(BITMAP_BYTES));
    const groups = groupsOfLength(src, dir, len);
    store<u32>(sh + S_GROUPS, groups);
    store<u32>(sh + S_DIR, <u32>(dir + <usize>load<u32>(src + H_DIR_START + (len << 2))));
    store<u32>(sh + S_ENTRIES, <u32>carve(<usize>groups * E_STRIDE));
    store<u32>(sh + S_CHECKS, <u32>(checks + <usize>load<u32>(src + H_CHECK_START + (len << 2))));
    store<u32>(sh + S_BLOCKS, <u32>carve(blocks(<usize>groups)));
    store<u32>(sh + S_DELTAS, <u32>(deltas + <usize>load<u32>(src + H_DELTA_START + (len << 2))));
    store<u32>(sh + S_SUFFIX, <u32>suffix);
    store<u32>(sh + S_COUNT, c);
    suffix += <usize>c * (len - 2);
  }

  const id = vCount++;
  const d = descriptor(id);
  store<u32>(d + D_SIZE, n);
  store<u32>(d + D_SHARDS, <u32>shards);
  store<u32>(d + D_BYTERANK, <u32>(src + H_BYTERANK));
  store<u32>(d + D_MAXLEN, maxLen);
  store<u32>(d + D_RANKPTR, <u32>carve((<usize>n) << 2));
  store<u32>(d + D_RANKLEN, <u32>carve(<usize>n));
  store<u32>(d + D_SRC, <u32>src);
  store<u32>(d + D_PRESENT, <u32>vocabHeadBytes(src));
  store<u32>(d + D_SRCLEN, <u32>srcLen);
  store<u32>(d + D_WANTED, <u32>carve(LAZY_GROUPS << 2));
  store<u32>(d + D_FILTER, <u32>carve(FILTER_BYTES));
  store<u32>(d + D_BLOOM, <u32>carve(bloomWords(n) << 3));
  store<u32>(d + D_PAIRS, <u32>carve(PAIR_TABLE_BYTES));
  store<u32>(d + D_FLAGS, flags);
  store<u32>(d + D_KEYS, nKeys);
  store<u32>(d + D_CHARS, <u32>chars);
  store<u32>(d + D_CHARS2, <u32>charStartSection(chars, CHAR_STAGE2));
  store<u32>(d + D_CHAR_RANKS, <u32>(chars != 0 ? carve(CHAR_RANK_BYTES) : 0));
  store<u32>(d + D_CHAR_EXC, <u32>charStartSection(chars, CHAR_LEFT_LIST));
  store<u32>(d + D_CHAR_BUCKETS, <u32>charStartSection(chars, CHAR_LEFT_BUCKETS));
  store<u32>(d + D_CHAR_REXC, <u32>charStartSection(chars, CHAR_RIGHT_LIST));
  store<u32>(d + D_CHAR_RBUCKETS, <u32>charStartSection(chars, CHAR_RIGHT_BUCKETS));
  // v6 sections are indexed by vocabExtensions (its own export, called by the host for v6
  // binaries), from the rest of this allocation.
  store<u32>(d + D_EXT_AT, <u32>carveAt);
  store<u32>(d + D_EXT_SRC, <u32>suffix);
  return id;
}

/** Index a v6 binary's merge lines (and spm section); see vocabLoad. */
export function vocabExtensions(id: i32): void {
  const d = descriptor(id);
  const flags = load<u32>(d + D_FLAGS);
  if ((flags & FLAG_HF_MERGES) == 0) return;
  carveAt = <usize>load<u32>(d + D_EXT_AT);
  const sec = <usize>load<u32>(d + D_EXT_SRC);
  const n = load<u32>(d + D_SIZE);
  let spm: usize = 0;
  if ((flags & FLAG_SPM) != 0) spm = sec + <usize>load<u32>(<usize>load<u32>(d + D_SRC) + H_MERGE_BYTES);
  loadMerges(d, sec, n, load<u32>(d + D_KEYS), spm);
  if (spm != 0) loadSpm(d, spm, n);
}

/**
 * Index the spm section at `spm`: the bitmap of ranks the whole-piece shortcut must not return
 * and the run table (newlines, tabs) the encode loop emits directly.
 */
function loadSpm(d: usize, spm: usize, n: u32): void {
  const bits = carve(((<usize>n) >> 3) + 1);
  const runs = carve(256 << 2);
  const nNoCut = <usize>load<u32>(spm + SPM_NOCUT);
  const nExplicit = <usize>load<u32>(spm + SPM_EXPLICIT);
  const nNo = <usize>load<u32>(spm + SPM_NOSHORTCUT);
  let p = spm + SPM_LISTS + (nNoCut << 2) + nExplicit * 12;
  for (let i: usize = 0; i < nNo; i++) {
    const r = <usize>load<u32>(p + (i << 2));
    store<u8>(bits + (r >> 3), load<u8>(bits + (r >> 3)) | (<u8>1 << <u8>(r & 7)));
  }
  p += nNo << 2;
  const nRuns = <usize>load<u32>(spm + SPM_RUNS);
  for (let i: usize = 0; i < nRuns; i++) {
    const e = p + i * 12;
    store<u32>(runs + ((<usize>load<u32>(e)) << 2), (load<u32>(e, 4) << 8) | load<u32>(e, 8));
  }
  store<u32>(d + D_SPM, <u32>spm);
  store<u32>(d + D_SPM_BITS, <u32>bits);
  store<u32>(d + D_SPM_RUNS, <u32>runs);
}

/** Whether the whole-piece shortcut may return rank `r` (SentencePiece vocabularies: its own BPE is itself). */
@inline export function shortcutAllowed(r: u32): bool {
  return (load<u8>(curNoShortcut + ((<usize>r) >> 3)) & (<u8>1 << <u8>(r & 7))) == 0;
}

/**
 * Index the merge section at `sec` (scripts/vocab/hf-vocab.ts): per rank, where its merge
 * list starts and the key of its first merge line (the running count); per key, the rank it
 * makes.
 */
function loadMerges(d: usize, sec: usize, n: u32, nKeys: u32, spm: usize): void {
  const off = carve((<usize>n) << 2);
  const bases = carve((<usize>n) << 2);
  const keyTok = carve((<usize>nKeys) << 2);
  let p = sec;
  let base: u32 = 0;
  if (spm != 0) {
    // Keys below firstKey are the explicit lines' (spm-vocab.ts).
    base = load<u32>(spm + SPM_FIRST_KEY);
    const list = spm + SPM_LISTS + ((<usize>load<u32>(spm + SPM_NOCUT)) << 2);
    const count = <usize>load<u32>(spm + SPM_EXPLICIT);
    for (let i: usize = 0; i < count; i++) store<u32>(keyTok + ((<usize>load<u32>(list + i * 12, 8)) << 2), load<u32>(list + i * 12));
  }
  for (let r: u32 = 0; r < n; r++) {
    store<u32>(off + ((<usize>r) << 2), <u32>p);
    store<u32>(bases + ((<usize>r) << 2), base);
    const cnt = <u32>load<u8>(p);
    for (let j: u32 = 0; j < cnt; j++) store<u32>(keyTok + ((<usize>(base + j)) << 2), r);
    p += 1 + <usize>cnt;
    base += cnt;
  }
  store<u32>(d + D_MERGEOFF, <u32>off);
  store<u32>(d + D_MERGEBASE, <u32>bases);
  store<u32>(d + D_KEYTOK, <u32>keyTok);
}

/**
 * Merge key of the pair whose concatenation is rank `r` and whose left part is `split` bytes
 * long: its merge line's index, or NO_RANK when that split of `r` has no merge line.
 */
export function hfKey(r: u32, split: usize): u32 {
  const p = <usize>load<u32>(curMergeOff + ((<usize>r) << 2));
  const cnt = <usize>load<u8>(p);
  for (let j: usize = 0; j < cnt; j++) if (<usize>load<u8>(p + 1 + j) == split) return load<u32>(curMergeBase + ((<usize>r) << 2)) + <u32>j;
  return curExplicitCount != 0 ? explicitKey(r, split) : NO_RANK;
}

/** hfKey for the tokens whose merge lines are listed explicitly (binary search by rank, split). */
function explicitKey(r: u32, split: usize): u32 {
  const want = ((<u64>r) << 32) | <u64>split;
  let lo: u32 = 0;
  let hi = curExplicitCount;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = curExplicit + <usize>mid * 12;
    const at = ((<u64>load<u32>(e)) << 32) | <u64>load<u32>(e, 4);
    if (at == want) return load<u32>(e, 8);
    if (at < want) lo = mid + 1;
    else hi = mid;
  }
  return NO_RANK;
}

/** Rank made by merge key `key` (Hugging Face vocabularies); for tiktoken's the key is the rank. */
@inline export function keyRank(key: u32): u32 {
  return curKeyTok != 0 ? load<u32>(curKeyTok + ((<usize>key) << 2)) : key;
}

// ---- where a long piece may be cut ----
// A piece with no split point (a megabyte of CJK) is merged in chunks cut where no token can
// cross (bpe.ts). A token crossing a character boundary p of the text holds, around its own
// byte q aligned with p (a UTF-8 lead byte), a "crossing signature": the tail of the character
// before q and the head of the character from q, each clamped to the token. Every such
// signature of every token goes into a Bloom filter; a boundary whose (suffix of the
// character before, prefix of the character after) pairs are all absent cannot be crossed by
// any token, so no merge ever joins its two sides. A false positive only makes a boundary
// look unsafe.

/** Bloom filter of crossing signatures: 2^20 bits, two probes. */
const FILTER_BITS: u32 = 20;
const FILTER_BYTES: usize = (<usize>1 << FILTER_BITS) >> 3;

@inline function signatureHash(left: u32, kl: u32, right: u32, km: u32): u64 {
  let h = ((<u64>left) | ((<u64>right) << 32)) ^ ((<u64>(kl | (km << 4))) * 0x9e3779b97f4a7c15);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

/** The first `k` bytes at `p` as a little-endian u32 (k ≤ 4). */
@inline function packBytes(p: usize, k: usize): u32 {
  let v: u32 = 0;
  for (let i: usize = 0; i < k; i++) v |= (<u32>load<u8>(p + i)) << (<u32>i << 3);
  return v;
}

@inline function filterSet(f: usize, h: u64): void {
  const a = <usize>(h & ((1 << FILTER_BITS) - 1));
  const b = <usize>((h >> 32) & ((1 << FILTER_BITS) - 1));
  store<u8>(f + (a >> 3), load<u8>(f + (a >> 3)) | (<u8>1 << <u8>(a & 7)));
  store<u8>(f + (b >> 3), load<u8>(f + (b >> 3)) | (<u8>1 << <u8>(b & 7)));
}

@inline function filterHas(f: usize, h: u64): bool {
  const a = <usize>(h & ((1 << FILTER_BITS) - 1));
  const b = <usize>((h >> 32) & ((1 << FILTER_BITS) - 1));
  return (load<u8>(f + (a >> 3)) & (<u8>1 << <u8>(a & 7))) != 0 && (load<u8>(f + (b >> 3)) & (<u8>1 << <u8>(b & 7))) != 0;
}

/**
 * The active vocabulary's crossing filter, built on first use from every token's bytes; 0 if
 * the binary is not all present yet (then the rest is wanted and the pass is incomplete).
 */
export function crossingFilter(): usize {
  const d = descriptor(curId);
  const f = <usize>load<u32>(d + D_FILTER);
  if (load<u32>(d + D_FILTER_BUILT) != 0) return f;
  if (!vocabComplete(curId)) {
    vocabWantAll(curId);
    passIncomplete = true;
    return 0;
  }
  vocabRanks();
  for (let r: u32 = 0; r < curSize; r++) {
    const len = tokenLength(r);
    if (len < 2) continue;
    const t = tokenBytes(r);
    for (let q: usize = 1; q < len; q++) {
      if ((load<u8>(t + q) & 0xc0) == 0x80) continue; // not a character boundary in any text
      let a = q - 1;
      while (a > 0 && q - a < 4 && (load<u8>(t + a) & 0xc0) == 0x80) a--;
      const kl = q - a;
      let km: usize = (load<u8>(t + q) < 0xc0) ? 1 : load<u8>(t + q) < 0xe0 ? 2 : load<u8>(t + q) < 0xf0 ? 3 : 4;
      if (q + km > len) km = len - q;
      filterSet(f, signatureHash(packBytes(t + a, kl), <u32>kl, packBytes(t + q, km), <u32>km));
    }
  }
  store<u32>(d + D_FILTER_BUILT, 1);
  return f;
}

/**
 * Whether no token can cross the character boundary at `p` (between the character ending at
 * `p` and the one starting there), given the filter `f` from crossingFilter().
 */
export function uncrossable(f: usize, p: usize): bool {
  let c1 = p - 1;
  while ((load<u8>(c1) & 0xc0) == 0x80) c1--;
  const n1 = p - c1;
  const b = load<u8>(p);
  const n2: usize = b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
  for (let k: usize = 1; k <= n1; k++) {
    const left = packBytes(p - k, k);
    for (let m: usize = 1; m <= n2; m++) {
      if (filterHas(f, signatureHash(left, <u32>k, packBytes(p, m), <u32>m))) return false;
    }
  }
  return true;
}


/** Set when a lookup met a group whose bytes are absent; the pass's result is then discarded. */
export let passIncomplete = false;
/** Like passIncomplete, but cleared by whoever consumes it (encodePiece in bpe.ts). */
export let lookupDeferred = false;

@inline function descriptor(id: i32): usize {
  return descriptors + <usize>id * D_STRIDE;
}

/** Whether `id` is a loaded vocabulary's handle. */
export function vocabValid(id: i32): bool {
  return id >= 0 && id < vCount;
}

/** Whether vocabulary `id`'s whole binary is present. */
export function vocabComplete(id: i32): bool {
  const d = descriptor(id);
  return load<u32>(d + D_PRESENT) == load<u32>(d + D_SRCLEN);
}

/** Ask for the rest of vocabulary `id`'s binary (decoding and token offsets need all of it). */
export function vocabWantAll(id: i32): void {
  store<u32>(descriptor(id) + D_WANT_ALL, 1);
}

/**
 * Add group `g` of length `len` to the active vocabulary's wanted list (or, past LAZY_GROUPS,
 * want the rest of the binary).
 */
function want(len: usize, g: u32): void {
  const d = descriptor(curId);
  if (load<u32>(d + D_WANT_ALL) != 0) return;
  const list = <usize>load<u32>(d + D_WANTED);
  const n = load<u32>(d + D_NWANTED);
  const entry = (<u32>len << 24) | g;
  for (let i: u32 = 0; i < n; i++) if (load<u32>(list + ((<usize>i) << 2)) == entry) return;
  if (load<u32>(d + D_FETCHES) + n >= LAZY_GROUPS) {
    store<u32>(d + D_WANT_ALL, 1);
    return;
  }
  store<u32>(list + ((<usize>n) << 2), entry);
  store<u32>(d + D_NWANTED, n + 1);
}

/** Where vocabWanted writes: (offset from the binary's start, length) u32 pairs. */
export const WANTED_RANGES: usize = memory.data(<i32>(LAZY_GROUPS * 16));

/** Writes the byte ranges vocabulary `id` wants to WANTED_RANGES (by offset, near ones merged); returns how many. */
@inline export function vocabWanted(id: i32): u32 {
  const out = WANTED_RANGES;
  const d = descriptor(id);
  const present = load<u32>(d + D_PRESENT);
  const size = load<u32>(d + D_SRCLEN);
  if (present == size) return 0;
  if (load<u32>(d + D_WANT_ALL) != 0) {
    store<u32>(out, present);
    store<u32>(out, size - present, 4);
    return 1;
  }
  const src = <usize>load<u32>(d + D_SRC);
  const shards = <usize>load<u32>(d + D_SHARDS);
  const list = <usize>load<u32>(d + D_WANTED);
  const n = load<u32>(d + D_NWANTED);
  let k: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const entry = load<u32>(list + ((<usize>i) << 2));
    const len = <usize>(entry >> 24);
    const sh = shards + len * S_STRIDE;
    const e = groupEntry(sh, entry & 0xffffff);
    const tail = <u32>len - 2;
    const count = <u32>load<u16>(e + E_COUNT);
    store<u32>(out + ((<usize>k) << 3), <u32>(<usize>load<u32>(e + E_DELTAS) - src));
    store<u32>(out + ((<usize>k) << 3), <u32>load<u16>(e + E_DELTA_BYTES), 4);
    k++;
    if (tail == 0) continue;
    store<u32>(out + ((<usize>k) << 3), <u32>(<usize>load<u32>(sh + S_SUFFIX) - src) + load<u32>(e + E_START) * tail);
    store<u32>(out + ((<usize>k) << 3), count * tail, 4);
    k++;
  }
  return coalesceRanges(out, k);
}

/** Ranges closer than this are read as one (fewer reads; the bytes between are the binary's own). */
const COALESCE_GAP: u32 = 4096;

/** Sort `k` (offset, length) pairs at `out` by offset and merge near ones; returns how many remain. */
function coalesceRanges(out: usize, k: u32): u32 {
  for (let i: u32 = 1; i < k; i++) {
    const r = load<u64>(out + ((<usize>i) << 3));
    let j = i;
    while (j > 0 && <u32>load<u64>(out + ((<usize>(j - 1)) << 3)) > <u32>r) {
      store<u64>(out + ((<usize>j) << 3), load<u64>(out + ((<usize>(j - 1)) << 3)));
      j--;
    }
    store<u64>(out + ((<usize>j) << 3), r);
  }
  let m: u32 = 0;
  for (let i: u32 = 0; i < k; i++) {
    const start = load<u32>(out + ((<usize>i) << 3));
    const end = start + load<u32>(out + ((<usize>i) << 3), 4);
    if (m > 0) {
      const prev = out + ((<usize>(m - 1)) << 3);
      const prevEnd = load<u32>(prev) + load<u32>(prev, 4);
      if (start <= prevEnd + COALESCE_GAP) {
        if (end > prevEnd) store<u32>(prev, end - load<u32>(prev), 4);
        continue;
      }
    }
    store<u32>(out + ((<usize>m) << 3), start);
    store<u32>(out + ((<usize>m) << 3), end - start, 4);
    m++;
  }
  return m;
}

/**
 * The host copied in what vocabWanted asked for: the wanted groups are present now (their
 * next lookup scans them). Returns how many, plus 1 << 30 once the whole binary is present.
 */
export function vocabFetched(id: i32): u32 {
  const d = descriptor(id);
  if (load<u32>(d + D_WANT_ALL) != 0) {
    store<u32>(d + D_PRESENT, load<u32>(d + D_SRCLEN));
    store<u32>(d + D_WANT_ALL, 0);
  }
  const shards = <usize>load<u32>(d + D_SHARDS);
  const list = <usize>load<u32>(d + D_WANTED);
  const n = load<u32>(d + D_NWANTED);
  for (let i: u32 = 0; i < n; i++) {
    const entry = load<u32>(list + ((<usize>i) << 2));
    const e = groupEntry(shards + <usize>(entry >> 24) * S_STRIDE, entry & 0xffffff);
    store<u16>(e + E_STATE, load<u16>(e + E_STATE) | E_PRESENT);
  }
  store<u32>(d + D_NWANTED, 0);
  store<u32>(d + D_FETCHES, load<u32>(d + D_FETCHES) + n);
  return n | (vocabComplete(id) ? <u32>1 << 30 : 0);
}

/** Decode block `b` of a length's group directory (groups [b * CHECK_EVERY, …)) into its entries. */
function decodeBlock(sh: usize, b: u32): void {
  const check = <usize>load<u32>(sh + S_CHECKS) + <usize>b * K_STRIDE;
  varintAt = <usize>load<u32>(sh + S_DIR) + <usize>load<u32>(check + K_DIR);
  let key = <u32>load<u16>(check + K_KEY);
  let start = load<u32>(check + K_START);
  let deltas = <usize>load<u32>(sh + S_DELTAS) + <usize>load<u32>(check + K_DELTAS);
  const first = b * CHECK_EVERY;
  const last = blockEnd(sh, b);
  for (let g = first; g < last; g++) {
    const dk = readVarint(); // the checkpoint gives the first group's key outright
    if (g != first) key += dk;
    const count = readVarint();
    const deltaBytes = readVarint();
    const e = groupEntry(sh, g);
    store<u16>(e + E_KEY, <u16>key);
    store<u16>(e + E_COUNT, <u16>count);
    store<u32>(e + E_START, start);
    store<u32>(e + E_DELTAS, <u32>deltas);
    store<u16>(e + E_DELTA_BYTES, <u16>deltaBytes);
    store<u16>(e + E_STATE, 0);
    start += count;
    deltas += <usize>deltaBytes;
  }
  store<u8>(<usize>load<u32>(sh + S_BLOCKS) + <usize>b, 1);
}

/**
 * Make room for `more` tokens in shard `sh`'s table: past a 3/4 load, rehash into the spare
 * region at (at least) twice the capacity.
 */
function reserveSlots(sh: usize, len: usize, more: u32): void {
  const cap = load<u32>(sh + S_CAP);
  const need = load<u32>(sh + S_LOADED) + more;
  if (<u64>need * 4 <= <u64>cap * 3) return;
  const capMax = load<u32>(sh + S_CAPMAX);
  let next = cap << 1;
  const fit = capacity(need);
  if (next < fit) next = fit;
  if (next > capMax) next = capMax;
  const from = <usize>load<u32>(sh + S_TABLE);
  const to = <usize>load<u32>(sh + S_SPARE);
  memory.fill(to, 0, (<usize>next) << 2);
  const full = <usize>load<u32>(sh + S_FULL);
  for (let j: u32 = 0; j < cap; j++) {
    const slot = load<u32>(from + ((<usize>j) << 2));
    if (slot == 0) continue;
    const h = hashBytes(full + (<usize>(slot & 0xffff) - 1) * (len + 4), len);
    let i = firstSlot(h, next);
    while (load<u32>(to + ((<usize>i) << 2)) != 0) if (++i == next) i = 0;
    store<u32>(to + ((<usize>i) << 2), slot);
  }
  store<u32>(sh + S_TABLE, <u32>to);
  store<u32>(sh + S_SPARE, <u32>from);
  store<u32>(sh + S_CAP, next);
}

/** First slot to probe for hash `h` in a table of `cap` slots (multiply-shift, no power of two needed). */
@inline function firstSlot(h: u64, cap: u32): u32 {
  return <u32>(((h & 0xffffffff) * <u64>cap) >> 32);
}

/** Index of the group of length-`len` tokens with prefix `key` in shard `sh`, or -1 if none. */
function findGroup(sh: usize, key: u32): i32 {
  // The last block whose first key is <= key, then the group within it.
  const checks = <usize>load<u32>(sh + S_CHECKS);
  let lo: u32 = 0;
  let hi = <u32>blocks(<usize>load<u32>(sh + S_GROUPS));
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (<u32>load<u16>(checks + <usize>mid * K_STRIDE + K_KEY) <= key) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return -1;
  const b = lo - 1;
  if (load<u8>(<usize>load<u32>(sh + S_BLOCKS) + <usize>b) == 0) decodeBlock(sh, b);
  const end = blockEnd(sh, b);
  lo = b * CHECK_EVERY;
  hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (<u32>load<u16>(groupEntry(sh, mid) + E_KEY) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo < end && <u32>load<u16>(groupEntry(sh, lo) + E_KEY) == key ? <i32>lo : -1;
}

/** Whether prefix `key`'s group is settled in shard `sh`: inserted, or known not to exist. */
@inline function isLoaded(sh: usize, key: u32): bool {
  return (load<u8>(<usize>load<u32>(sh + S_BITMAP) + (key >> 3)) & (1 << (key & 7))) != 0;
}

function markLoaded(sh: usize, key: u32): void {
  const bitmap = <usize>load<u32>(sh + S_BITMAP) + (key >> 3);
  store<u8>(bitmap, load<u8>(bitmap) | (<u8>1 << <u8>(key & 7)));
}

function insertGroup(sh: usize, len: usize, e: usize): void {
  const key = load<u16>(e + E_KEY);
  const start = load<u32>(e + E_START);
  const count = <u32>load<u16>(e + E_COUNT);
  const tail = len - 2;
  let full = <usize>load<u32>(sh + S_FULL) + <usize>start * (len + 4);
  let suffix = <usize>load<u32>(sh + S_SUFFIX) + <usize>start * tail;
  varintAt = <usize>load<u32>(e + E_DELTAS);
  reserveSlots(sh, len, count);
  const table = <usize>load<u32>(sh + S_TABLE);
  const cap = load<u32>(sh + S_CAP);
  store<u32>(sh + S_LOADED, load<u32>(sh + S_LOADED) + count);
  let rank: u32 = -1;
  // Token bytes are written as 8-byte words (key + suffix) instead of a memory.copy call each.
  // The words run past the token into the ones after it, which are written later; only where
  // they would run past the group (into another group's tokens) is memory.copy used. Each
  // entry's rank follows its bytes, so it is written after them.
  const wordBytes: usize = tail <= 6 ? 8 : 8 + ((tail - 6 + 7) & ~(<usize>7));
  const groupEnd = full + <usize>count * (len + 4);
  for (let idx = start; idx < start + count; idx++) {
    rank += readVarint() + 1;
    if (full + wordBytes <= groupEnd) {
      store<u64>(full, (load<u64>(suffix) << 16) | <u64>key);
      for (let o: usize = 6; o < tail; o += 8) store<u64>(full + 2 + o, load<u64>(suffix + o));
    } else {
      store<u16>(full, key);
      memory.copy(full + 2, suffix, tail);
    }
    store<u32>(full + len, rank);
    const h = hashBytes(full, len);
    let i = firstSlot(h, cap);
    while (load<u32>(table + ((<usize>i) << 2)) != 0) if (++i == cap) i = 0;
    store<u32>(table + ((<usize>i) << 2), (idx + 1) | ((<u32>(h >> 48)) << 16));
    const word = bloomWord(curBloomAll, h);
    store<u64>(word, load<u64>(word) | bloomBits(h));
    full += len + 4;
    suffix += tail;
  }
}

// ---- finishing the index ----
// Lazy insertion suits a fresh process. A long-running one keeps meeting text it has not seen,
// and there every first lookup of a group (scanned, then inserted on its next lookup) or of a
// prefix with no group (a directory search) made counting unseen text about twice as slow as
// counting it again. So once the whole binary is present (after LAZY_GROUPS fetches), each
// encode inserts INDEX_STEP more tokens (~0.2 ms), plus INDEX_PER_BYTE per input byte (the
// finishing work stays in proportion to the encode's own: a short count pays little, a
// document its share), until every group is in its table (o200k_base: ~6 ms in all); each
// length whose groups are all in gets a full prefix bitmap, and the miss filter is trusted.

/** Tokens inserted per encode while the index is being finished, plus INDEX_PER_BYTE per input byte. */
const INDEX_STEP: u32 = 8192;
const INDEX_PER_BYTE: u32 = 2;
/** D_INDEXED once every group is in: otherwise (length << 24 | next group) of the walk. */
const INDEX_DONE: u32 = 0xffffffff;

/** Insert the active vocabulary's remaining groups, about `budget` tokens' worth; returns whether all are in. */
function indexGroups(budget: u32): bool {
  const d = descriptor(curId);
  const at = load<u32>(d + D_INDEXED);
  if (at == INDEX_DONE) return true;
  let len = <usize>(at >> 24);
  if (len < 2) len = 2;
  let g = at & 0xffffff;
  for (; len <= <usize>curMaxLen; len++) {
    const sh = curShards + len * S_STRIDE;
    if (load<u32>(sh + S_COUNT) == 0) continue;
    const groups = load<u32>(sh + S_GROUPS);
    const decoded = <usize>load<u32>(sh + S_BLOCKS);
    // The table at its final size now: one rehash, not one per doubling.
    reserveSlots(sh, len, load<u32>(sh + S_COUNT) - load<u32>(sh + S_LOADED));
    for (; g < groups; g++) {
      if (budget == 0) {
        store<u32>(d + D_INDEXED, (<u32>len << 24) | g);
        return false;
      }
      if (load<u8>(decoded + <usize>(g / CHECK_EVERY)) == 0) decodeBlock(sh, g / CHECK_EVERY);
      const e = groupEntry(sh, g);
      const key = <u32>load<u16>(e + E_KEY);
      if (!isLoaded(sh, key)) {
        insertGroup(sh, len, e);
        markLoaded(sh, key);
      }
      const count = <u32>load<u16>(e + E_COUNT);
      budget = budget > count ? budget - count : 0;
    }
    // Every group of this length is in its table: a miss is final for every prefix.
    memory.fill(<usize>load<u32>(sh + S_BITMAP), 0xff, BITMAP_BYTES);
    g = 0;
  }
  store<u32>(d + D_INDEXED, INDEX_DONE);
  curBloom = curBloomAll;
  curPairs = fillPairTable(<usize>load<u32>(d + D_PAIRS));
  if (load<u32>(d + D_CHAR_RANKS) != 0) curCharRanks = fillCharRanks(<usize>load<u32>(d + D_CHAR_RANKS));
  return true;
}

/** One step of finishing the active vocabulary's index for an encode of `inputBytes`, once its whole binary is present (see above). */
export function vocabIndexStep(inputBytes: usize): void {
  if (load<u32>(descriptor(curId) + D_INDEXED) != INDEX_DONE && vocabComplete(curId)) {
    indexGroups(INDEX_STEP + (inputBytes < 0x1000000 ? <u32>inputBytes * INDEX_PER_BYTE : 0x2000000));
  }
}

/**
 * Fill the active vocabulary's rank table (bytes and length of every rank), which decoding
 * and token offsets need and lookups do not. Finishes the index first; memory was reserved at
 * load. The whole binary must be present (vocabComplete).
 */
export function vocabRanks(): void {
  const d = descriptor(curId);
  if (load<u32>(d + D_RANKS_BUILT) != 0) return;
  indexGroups(0xffffffff);
  for (let b: usize = 0; b < 256; b++) {
    const r = load<u32>(curByteRank + (b << 2));
    if (r == NO_RANK) continue;
    store<u32>(curRankPtr + ((<usize>r) << 2), <u32>(BYTE_VALUES + b));
    store<u8>(curRankLen + <usize>r, 1);
  }
  for (let len: usize = 2; len <= <usize>curMaxLen; len++) {
    const sh = curShards + len * S_STRIDE;
    const c = load<u32>(sh + S_COUNT);
    if (c == 0) continue;
    const full = <usize>load<u32>(sh + S_FULL);
    for (let idx: usize = 0; idx < <usize>c; idx++) {
      const entry = full + idx * (len + 4);
      const r = load<u32>(entry + len);
      store<u32>(curRankPtr + ((<usize>r) << 2), <u32>entry);
      store<u8>(curRankLen + <usize>r, <u8>len);
    }
  }
  if (curSpm != 0) {
    // Every <0xXX> token decodes to its byte, also where a one-byte character token has it.
    const byteBase = <usize>load<u32>(curSpm + SPM_BYTE_BASE);
    for (let b: usize = 0; b < 256; b++) {
      store<u32>(curRankPtr + ((byteBase + b) << 2), <u32>(BYTE_VALUES + b));
      store<u8>(curRankLen + byteBase + b, 1);
    }
  }
  store<u32>(d + D_RANKS_BUILT, 1);
}

/** Pointer to rank `r`'s bytes; valid after vocabRanks(). */
@inline export function tokenBytes(r: u32): usize {
  return <usize>load<u32>(curRankPtr + ((<usize>r) << 2));
}

/** Make vocabulary `id` the one the hot path uses. */
export function vocabSelect(id: i32): bool {
  if (!vocabValid(id)) return false;
  const d = descriptor(id);
  curId = id;
  curSize = load<u32>(d + D_SIZE);
  curShards = <usize>load<u32>(d + D_SHARDS);
  curByteRank = <usize>load<u32>(d + D_BYTERANK);
  curRankPtr = <usize>load<u32>(d + D_RANKPTR);
  curRankLen = <usize>load<u32>(d + D_RANKLEN);
  curMaxLen = load<u32>(d + D_MAXLEN);
  curSalt = (<u64>(id + 1)) * 0x9e3779b97f4a7c15;
  curBloomAll = <usize>load<u32>(d + D_BLOOM);
  curBloomWords = bloomWords(curSize);
  curBloom = load<u32>(d + D_INDEXED) == INDEX_DONE ? curBloomAll : 0;
  curPairs = curBloom != 0 ? <usize>load<u32>(d + D_PAIRS) : 0;
  curCharRanks = curBloom != 0 ? <usize>load<u32>(d + D_CHAR_RANKS) : 0;
  curFlags = load<u32>(d + D_FLAGS);
  curChars = <usize>load<u32>(d + D_CHARS);
  curChars2 = <usize>load<u32>(d + D_CHARS2);
  curCharExceptions = <usize>load<u32>(d + D_CHAR_EXC);
  curCharBuckets = <usize>load<u32>(d + D_CHAR_BUCKETS);
  curCharRightExceptions = <usize>load<u32>(d + D_CHAR_REXC);
  curCharRightBuckets = <usize>load<u32>(d + D_CHAR_RBUCKETS);
  curKeys = load<u32>(d + D_KEYS);
  curMergeOff = <usize>load<u32>(d + D_MERGEOFF);
  curMergeBase = <usize>load<u32>(d + D_MERGEBASE);
  curKeyTok = <usize>load<u32>(d + D_KEYTOK);
  curSpm = <usize>load<u32>(d + D_SPM);
  if (curSpm != 0) {
    curNoCutCount = load<u32>(curSpm + SPM_NOCUT);
    curNoCut = curSpm + SPM_LISTS;
    curExplicitCount = load<u32>(curSpm + SPM_EXPLICIT);
    curExplicit = curNoCut + ((<usize>curNoCutCount) << 2);
    curNoShortcut = <usize>load<u32>(d + D_SPM_BITS);
    curRuns = <usize>load<u32>(d + D_SPM_RUNS);
  } else {
    curExplicitCount = 0;
  }
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
  if (len == 2 && curPairs != 0) return load<u32>(curPairs + ((<usize>load<u16>(p)) << 2));
  const sh = curShards + len * S_STRIDE;
  if (load<u32>(sh + S_CAP) == 0) return NO_RANK; // no token has this length
  if (curBloom != 0) {
    // Every token is in its table: the filter answers most misses, and a miss is final.
    const bits = bloomBits(h);
    if ((load<u64>(bloomWord(curBloom, h)) & bits) != bits) return NO_RANK;
    return probe(sh, p, len, h);
  }
  // A token can only be in the table if its group was loaded, so hits skip the bitmap.
  const r = probe(sh, p, len, h);
  return r != NO_RANK ? r : lookupMissed(sh, p, len, h);
}

// ---- the miss filter ----
// Most lookups inside a merge miss (a candidate pair that is no token), and a miss probes until
// an empty slot: ~8 slots at a 3/4 load. Once every token is in its table (the index is
// finished), a blocked Bloom filter of all tokens' hashes (two bits in one u64 word, ~10 bits
// per token: ~3% false positives) answers most misses with one memory access. insertGroup sets
// the bits of every token it inserts; the filter is trusted (curBloom) once all are in.

/** Filter words (u64) of a vocabulary of `n` ranks: ~10 bits per token. */
@inline function bloomWords(n: u32): usize {
  return (((<usize>n) * 10) >> 6) + 1;
}
/** The active vocabulary's filter (always filled as tokens are inserted), and its size. */
let curBloomAll: usize = 0;
let curBloomWords: usize = 0;
/** curBloomAll once the index is finished (every token in), else 0. */
let curBloom: usize = 0;

@inline function bloomWord(filter: usize, h: u64): usize {
  return filter + ((<usize>((((h >> 20) & 0xffffffff) * <u64>curBloomWords) >> 32)) << 3);
}
@inline function bloomBits(h: u64): u64 {
  return ((<u64>1) << ((h >> 52) & 63)) | ((<u64>1) << (h >> 58));
}

// Two-byte lookups (every first pair of a merge from bytes: over a third of a merge's lookups
// in CJK, Thai or Hindi text) read a direct table of all 65536 byte pairs once the index is
// finished: one memory access, no hash, no probe.
const PAIR_TABLE_BYTES: usize = 65536 << 2;
/** The active vocabulary's byte-pair table (u32 rank or NO_RANK per little-endian u16), 0 until the index is finished. */
let curPairs: usize = 0;

/** Fill the byte-pair table at `t` from the length-2 entries (all in by now); returns `t`. */
function fillPairTable(t: usize): usize {
  memory.fill(t, 0xff, PAIR_TABLE_BYTES); // NO_RANK
  const sh = curShards + 2 * S_STRIDE;
  const c = <usize>load<u32>(sh + S_COUNT);
  const entries = <usize>load<u32>(sh + S_FULL);
  for (let i: usize = 0; i < c; i++) store<u32>(t + ((<usize>load<u16>(entries + i * 6)) << 2), load<u32>(entries + i * 6, 2));
  return t;
}

// Whole characters (bpe.ts, partsInitWhole) read their rank from a direct table of every two-
// and three-byte character once the index is finished: one memory access instead of a lookup.
const CHAR_RANK_BYTES: usize = (0x10000 - <usize>CHAR_START_FIRST) << 2;
/** The active vocabulary's character rank table (u32 rank or NO_RANK per code point from CHAR_START_FIRST), 0 until the index is finished or without flags. */
export let curCharRanks: usize = 0;

/** Fill the character rank table at `t` from the length-2 and length-3 entries (all in by now); returns `t`. */
function fillCharRanks(t: usize): usize {
  memory.fill(t, 0xff, CHAR_RANK_BYTES); // NO_RANK
  for (let len: usize = 2; len <= 3; len++) {
    const sh = curShards + len * S_STRIDE;
    const c = <usize>load<u32>(sh + S_COUNT);
    const entries = <usize>load<u32>(sh + S_FULL);
    for (let i: usize = 0; i < c; i++) {
      const e = entries + i * (len + 4);
      const b0 = <u32>load<u8>(e), b1 = <u32>load<u8>(e, 1), b2 = <u32>load<u8>(e, 2);
      const whole = len == 2 ? (b0 & 0xe0) == 0xc0 && (b1 & 0xc0) == 0x80 : (b0 & 0xf0) == 0xe0 && (b1 & 0xc0) == 0x80 && (b2 & 0xc0) == 0x80;
      const cp = whole ? codePointAt(e) : 0;
      // Overlong forms are no characters (and would take a shorter form's slot).
      if (cp >= (len == 2 ? 0x80 : 0x800)) store<u32>(t + ((<usize>(cp - CHAR_START_FIRST)) << 2), load<u32>(e + len));
    }
  }
  return t;
}

/** Rank of the `len` bytes at `p` (hash `h`) among the tokens already in shard `sh`'s table. */
@inline function probe(sh: usize, p: usize, len: usize, h: u64): u32 {
  const cap = load<u32>(sh + S_CAP);
  const table = <usize>load<u32>(sh + S_TABLE);
  const tag = <u32>(h >> 48);
  let i = firstSlot(h, cap);
  while (true) {
    const slot = load<u32>(table + ((<usize>i) << 2));
    if (slot == 0) return NO_RANK;
    if (slot >> 16 == tag) {
      const entry = <usize>load<u32>(sh + S_FULL) + (<usize>(slot & 0xffff) - 1) * (len + 4);
      // Every token in a shard has length `len`, so only the bytes need comparing; the rank follows them.
      if (bytesEqual(entry, p, len)) return load<u32>(entry + len);
    }
    if (++i == cap) i = 0;
  }
  return NO_RANK;
}

/**
 * A miss is final once the piece's prefix group is inserted (or there is no such group).
 * Otherwise, if the group's bytes are present, scan it (its first lookup) or insert it and
 * look again; if they are absent, want the group and mark the pass incomplete.
 */
function lookupMissed(sh: usize, p: usize, len: usize, h: u64): u32 {
  const key = <u32>load<u16>(p);
  if (isLoaded(sh, key)) return NO_RANK;
  const g = findGroup(sh, key);
  if (g < 0) {
    markLoaded(sh, key);
    return NO_RANK;
  }
  const e = groupEntry(sh, <u32>g);
  const state = load<u16>(e + E_STATE);
  if ((state & E_PRESENT) == 0 && !vocabComplete(curId)) {
    want(len, <u32>g);
    passIncomplete = true;
    lookupDeferred = true;
    return NO_RANK;
  }
  // Scanning a group costs about as much as inserting a tenth of it: groups looked up once
  // (most of a first count's) are never inserted.
  if ((state & ~E_PRESENT) < SCANS_BEFORE_INSERT) {
    store<u16>(e + E_STATE, state + 1);
    return scanGroup(sh, len, e, p);
  }
  insertGroup(sh, len, e);
  markLoaded(sh, key);
  return probe(sh, p, len, h);
}

/** Rank of the `len` bytes at `p` among group `e`'s tokens (their prefix is `p`'s), or NO_RANK. */
function scanGroup(sh: usize, len: usize, e: usize, p: usize): u32 {
  const count = <u32>load<u16>(e + E_COUNT);
  varintAt = <usize>load<u32>(e + E_DELTAS);
  // A two-byte prefix group of length 2 is the one token with those bytes.
  if (len == 2) return readVarint();
  const tail = len - 2;
  let suffix = <usize>load<u32>(sh + S_SUFFIX) + <usize>load<u32>(e + E_START) * tail;
  let rank: u32 = -1;
  for (let i: u32 = 0; i < count; i++) {
    rank += readVarint() + 1;
    if (bytesEqual(suffix, p + 2, tail)) return rank;
    suffix += tail;
  }
  return NO_RANK;
}

/** Start an encode pass: nothing deferred yet. */
export function passBegin(): void {
  passIncomplete = false;
  lookupDeferred = false;
}

/** Whoever acts on a deferred lookup clears it; returns whether there was one. */
export function takeLookupDeferred(): bool {
  const was = lookupDeferred;
  lookupDeferred = false;
  return was;
}

/** Length of rank `r`'s token in the active vocabulary (0 = no such token); valid after vocabRanks(). */
@inline export function tokenLength(r: u32): usize {
  return <usize>load<u8>(curRankLen + <usize>r);
}
