// Byte-pair merging of one pre-tokenized piece, equal to tiktoken's `_byte_pair_merge`:
// repeatedly merge the adjacent pair whose concatenation has the lowest rank, leftmost first.
//
// Most pieces are whole tokens and cost one hash lookup. Short pieces scan for the next merge
// (fastest when tiny). Longer pieces use a linked list plus a binary heap keyed
// by (rank, position), which makes the same choices in O(n log n): the known quadratic blow-up
// on megabytes without split points cannot happen.
import { allocPermanent, ensureMemory, align16 } from '../memory/arena';
import { lookup, lookupHashed, hashBytes, NO_RANK, curByteRank, curMaxLen, curSalt, curKeys, curFlags, FLAG_HF_MERGES, FLAG_SPM, hfKey, keyRank, tokenLength, passIncomplete, takeLookupDeferred, crossingFilter, uncrossable, shortcutAllowed, curSpm, curChars, curChars2, curCharRanks, curCharExceptions, curCharBuckets, curCharRightExceptions, curCharRightBuckets } from './vocab';
import { CHAR_START_FIRST, CHAR_START_SHIFT, charStartBucket } from '../generated/char-starts';
import { seqLen } from './unicode';
import { emit, sinkAdd, sinkMode, sinkCount, sinkRewind, MODE_COUNT, MODE_OFFSETS } from './sink';
import { cacheGet, cachePut, cachedCount, cacheIsOn, CACHE_MAX_PIECE } from './piece-cache';

/**
 * Merge key of the adjacent parts [a, m) and [m, e): the rank of their concatenation
 * (tiktoken: any split of a token merges, at the token's rank), or for Hugging Face
 * vocabularies the index of the merge line joining exactly these two parts. NO_RANK: they
 * never merge. Lower keys merge first; keyRank(key) is the merged part's rank.
 */
@inline function pairAt(a: usize, m: usize, e: usize): u32 {
  const r = lookup(a, e - a);
  return (curFlags & FLAG_HF_MERGES) == 0 || r == NO_RANK ? r : hfKey(r, m - a);
}

/**
 * Pieces at most this long scan for the next merge; longer ones use the heap, which measured
 * faster already from 17 bytes (a CJK word of six characters) up.
 */
const SMALL_PIECE: usize = 16;

/** Scratch area for merging; set by the caller before each encode. */
export let workBase: usize = 0;
export function setWorkBase(p: usize): void {
  workBase = p;
}

// Pieces of at most 8 bytes (most words, spaces, punctuation runs) first try a small
// direct-mapped table of recent ones. An entry holds the piece bytes, so a hit is one memory
// access and needs neither the full hash nor the vocabulary's bytes. Entry (16 bytes): the
// bytes as a u64 (zero past the end), meta = length | vocabulary tag, then the rank of a
// whole-token piece, or HOT_COUNT | token count of a merged one (used in count mode only, and
// only while the piece cache is on, since it is a cached merge).
const HOT_BITS: u32 = 16;
const HOT_COUNT: u32 = 0x80000000;
let hotTable: usize = 0;

/** Allocate the hot table; must happen outside an encode (it takes permanent memory). */
export function hotInit(): void {
  if (hotTable == 0) hotTable = allocPermanent(16 << HOT_BITS);
}

/** Forget every hot entry (with the piece cache, when it is turned on or off). */
export function hotClear(): void {
  if (hotTable != 0) memory.fill(hotTable, 0, 16 << HOT_BITS);
}

@inline function hotStore(slot: usize, w: u64, meta: u32, value: u32): void {
  store<u64>(slot, w);
  store<u32>(slot, meta, 8);
  store<u32>(slot, value, 12);
}

/**
 * `spm` (a constant where inlined): a SentencePiece vocabulary, whose whole-piece shortcut
 * skips the few tokens their own BPE does not yield (scripts/vocab/spm-vocab.ts).
 */
@inline export function encodePiece(s: usize, len: usize, spm: bool = false): void {
  if (len == 1) {
    emit(load<u32>(curByteRank + ((<usize>load<u8>(s)) << 2)), s);
    return;
  }
  if (len <= 8) {
    const w = load<u64>(s) & (0xffffffffffffffff >> ((8 - <u64>len) << 3));
    const meta = (<u32>len) | ((<u32>(curSalt >> 32)) & ~(<u32>0xf));
    const slot = hotTable + ((<usize>(((w ^ curSalt) * 0x9e3779b97f4a7c15) >> (64 - HOT_BITS))) << 4);
    if (load<u64>(slot) == w && load<u32>(slot, 8) == meta) {
      const v = load<u32>(slot, 12);
      if (v < HOT_COUNT) {
        emit(v, s);
        return;
      }
      if (sinkMode == MODE_COUNT) {
        sinkAdd(v & ~HOT_COUNT);
        return;
      }
    }
    const h8 = hashBytes(s, len);
    if (len <= <usize>curMaxLen) {
      const r = lookupHashed(s, len, h8);
      if (r != NO_RANK && (!spm || shortcutAllowed(r))) {
        hotStore(slot, w, meta, r);
        emit(r, s);
        return;
      }
    }
    // The whole-piece lookup could not be answered yet (its group's bytes are absent): this
    // pass will run again, so merging now would only want groups the piece may not need.
    if (takeLookupDeferred()) return;
    const n = encodeMerged(s, len, h8);
    if (cacheIsOn() && !passIncomplete) hotStore(slot, w, meta, HOT_COUNT | n);
    return;
  }
  encodeLong(s, len);
}

/** encodePiece, not inlined (the open-weight encode loops). */
export function encodePieceOutOfLine(s: usize, len: usize): void {
  encodePiece(s, len);
}

/** encodePiece for SentencePiece vocabularies (Gemma 3's loop), not inlined. */
export function encodePieceSpm(s: usize, len: usize): void {
  encodePiece(s, len, true);
}

/**
 * encodePiece for pieces of more than 8 bytes. Out of line: they are a minority, and the
 * encode loops it would be inlined into are compiled on their first call, in a cold start.
 */
function encodeLong(s: usize, len: usize): void {
  if (len > CHUNKED_PIECE) {
    encodeChunked(s, len);
    return;
  }
  const h = hashBytes(s, len);
  if (len <= <usize>curMaxLen) {
    const r = lookupHashed(s, len, h);
    if (r != NO_RANK && (curSpm == 0 || shortcutAllowed(r))) {
      emit(r, s);
      return;
    }
  }
  if (takeLookupDeferred()) return; // as in encodePiece
  encodeMerged(s, len, h);
}

// ---- long pieces: cut where no token can cross ----
// A piece longer than CHUNKED_PIECE (random CJK without spaces, a minified blob) is cut at
// every character boundary no vocabulary token can cross (vocab.ts, crossingFilter). No part
// can ever span such a boundary, so no pair across it ever merges, and BPE of the whole is
// exactly BPE of the segments one after another: each side's merges happen in the same
// relative order (ties break by position within a side). Segments are merged like pieces
// (through the piece cache, but never by whole-piece lookup, which only the whole piece may
// take), so time per byte is flat and merge memory is bounded by the longest segment. A segment
// longer than a window (no safe boundary for long: one repeated character, random lowercase
// letters) is merged in windows glued at a shared token (below).

/** Pieces longer than this are cut into segments. */
const CHUNKED_PIECE: usize = 8192;

function encodeChunked(s: usize, len: usize): void {
  const filter = crossingFilter();
  if (filter == 0) return; // the binary is not all here yet: this pass runs again
  let start: usize = 0;
  for (let p: usize = 1; p < len; p++) {
    if ((load<u8>(s + p) & 0xc0) == 0x80) continue; // inside a character
    if (!uncrossable(filter, s + p)) continue;
    encodeSegment(s + start, p - start);
    start = p;
  }
  encodeSegment(s + start, len - start);
}

/** BPE of one segment of a cut piece (see above). */
function encodeSegment(s: usize, len: usize): void {
  if (len == 1) {
    emit(load<u32>(curByteRank + ((<usize>load<u8>(s)) << 2)), s);
    return;
  }
  if (len <= CACHE_MAX_PIECE) {
    encodeMerged(s, len, hashBytes(s, len));
    return;
  }
  if (len > mergeWindow) {
    encodeWindowed(s, len);
    return;
  }
  emitMerged(s, workBase, mergeSpan(s, len, workBase));
}

/** BPE of bytes [s, s + len) by the strategy for its length; writes the ranks to `out`, returns how many. */
function mergeSpan(s: usize, len: usize, out: usize): u32 {
  const n = len <= SMALL_PIECE ? mergeSmall(s, len, out) : len <= HUGE_PIECE ? mergeLarge(s, len, out) : mergeHuge(s, len, out);
  takeLookupDeferred(); // the whole vocabulary is present here (crossingFilter): nothing was missed
  return n;
}

// ---- segments longer than a window: windows glued at a shared token ----
// Gluing (proof in docs/open-weight-tokenizers.md, "Long pieces"): if BPE(x) ends with a token
// t whose bytes are [p, q) of x, and BPE(x[p..] + y) starts with t, then BPE(x + y) is BPE(x)
// up to t followed by BPE(x[p..] + y) after t. So a window [b, b + W) is merged alone; a token
// t well inside it (covering b + W - W/64) is taken as the seam; the next window starts at t's
// first byte, and if its BPE starts with exactly t, the tokens before t are final (by
// induction from the last window, which runs to the segment's end). Each window also has a
// token boundary of the whole segment's BPE at its start, so nothing depends on what came
// before. If the next window does not start with t (the window's end changed t), the seam is
// tried again at b + W/2, then the segment is merged whole, as without windows: exact always,
// bounded memory whenever a seam holds (every run measured in bench and tests).

/** Segments longer than this are merged in windows of this many bytes (merge state ~64 bytes per byte). */
let mergeWindow: usize = 65536;

/** Set the window (tests use small ones to exercise many seams); at least 256 bytes. */
export function setMergeWindow(bytes: usize): void {
  mergeWindow = bytes < 256 ? 256 : bytes;
}

/** Set by tokenAt: the byte span [seamStart, seamEnd) of the token found. */
let seamStart: usize = 0;
let seamEnd: usize = 0;

/** Index of the token, among the `n` ranks at `ids`, that covers byte offset `at`. */
function tokenAt(ids: usize, n: u32, at: usize): u32 {
  let p: usize = 0;
  for (let i: u32 = 0; i < n; i++) {
    const e = p + tokenLength(load<u32>(ids + ((<usize>i) << 2)));
    if (e > at) {
      seamStart = p;
      seamEnd = e;
      return i;
    }
    p = e;
  }
  return n;
}

function encodeWindowed(s: usize, len: usize): void {
  const w = mergeWindow;
  const mark = sinkCount;
  const held = workBase; // u32[w]: the tokens of the window being glued
  const ids = align16(held + (w << 2) + 16); // the next window's tokens, then its merge state
  let b: usize = 0; // the current window's start: a token boundary of the segment's BPE
  let n = mergeSpan(s, w, ids);
  while (len - b > w) {
    const heldCount = n;
    memory.copy(held, ids, (<usize>heldCount) << 2);
    let glued = false;
    for (let attempt = 0; attempt < 2 && !glued; attempt++) {
      const k = tokenAt(held, heldCount, attempt == 0 ? w - (w >> 6) : w >> 1);
      if (k == 0 || k >= heldCount) continue; // the seam must leave tokens before it
      const t0 = seamStart;
      const tLen = seamEnd - seamStart;
      const rest = len - b - t0;
      n = mergeSpan(s + b + t0, rest < w ? rest : w, ids);
      if (tokenLength(load<u32>(ids)) == tLen) {
        emitMerged(s + b, held, k); // t itself leads the next window's tokens
        b += t0;
        glued = true;
      }
    }
    if (!glued) {
      sinkRewind(mark);
      emitMerged(s, workBase, mergeSpan(s, len, workBase));
      return;
    }
  }
  emitMerged(s + b, ids, n);
}

/**
 * A piece that is not one token: merged ids from the piece cache, or BPE. Kept out of line so
 * the whole-token path above stays small enough to inline into the encode loops.
 */
function encodeMerged(s: usize, len: usize, h: u64): u32 {
  const key = h ^ curSalt;
  let ids = cacheGet(s, len, key);
  let n: u32;
  if (ids != 0) {
    n = cachedCount;
  } else {
    // Results go to the start of the work area; merge state follows them.
    ids = workBase;
    n = len <= SMALL_PIECE ? mergeSmall(s, len, ids) : len <= HUGE_PIECE ? mergeLarge(s, len, ids) : mergeHuge(s, len, ids);
    // A merge made with lookups still wanted is wrong; never cache it.
    if (!passIncomplete) cachePut(s, len, key, ids, n);
    // Lookups inside the merge may have been deferred too; the next piece starts clean.
    takeLookupDeferred();
  }
  // Counting (the common case) makes no call: V8 moves a small function called once per merged
  // piece off its baseline compiler only after thousands of calls (measured: in the first
  // document after a warm-up of twenty).
  if (sinkMode == MODE_COUNT) sinkAdd(n);
  else emitMerged(s, ids, n);
  return n;
}

/** Send the `n` ranks at `ids`, merged from the piece at `s`, to the sink (out of line: once per merged piece). */
function emitMerged(s: usize, ids: usize, n: u32): void {
  if (sinkMode == MODE_COUNT) {
    sinkAdd(n);
  } else if (sinkMode == MODE_OFFSETS) {
    let at = s;
    for (let i: u32 = 0; i < n; i++) {
      const r = load<u32>(ids + ((<usize>i) << 2));
      emit(r, at);
      at += tokenLength(r);
    }
  } else {
    for (let i: u32 = 0; i < n; i++) emit(load<u32>(ids + ((<usize>i) << 2)), 0);
  }
}

/**
 * Merge a short piece; writes the ranks to `out` and returns how many. The part list of the
 * long pieces (below), with the next merge found by scanning every offset's pair rank (dead
 * offsets hold NO_RANK): for at most SMALL_PIECE bytes a plain scan of contiguous memory beats
 * a heap, and nothing is moved when parts merge (tiktoken's scan moves three arrays per merge).
 */
function mergeSmall(s: usize, len: usize, out: usize): u32 {
  partsInit(s, len, out + (len << 2));
  const pr = pPr;
  const last = len - 1; // the last offset never starts a pair
  while (true) {
    let best: u32 = NO_RANK;
    let bi: usize = 0;
    for (let i: usize = 0; i < last; i++) {
      // Branch-free: on new text, where the least rank lies is a coin toss for the predictor.
      const v = load<u32>(pr + (i << 2));
      const less = v < best;
      bi = select<usize>(i, bi, less);
      best = select<u32>(v, best, less);
    }
    if (best == NO_RANK) break;
    mergePair(bi, best);
  }
  return partsCollect(out);
}

// ---- large pieces: linked list + lazy binary min-heap of (rank << 32 | position) ----

const DEAD: u32 = 0xfffffffe;
let heap: usize = 0;
let heapSize: usize = 0;

@inline function heapPush(key: u64): void {
  let i = heapSize++;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const pk = load<u64>(heap + (parent << 3));
    if (pk <= key) break;
    store<u64>(heap + (i << 3), pk);
    i = parent;
  }
  store<u64>(heap + (i << 3), key);
}

@inline function siftDown(i: usize, key: u64): void {
  const n = heapSize;
  while (true) {
    let c = (i << 1) + 1;
    if (c >= n) break;
    let ck = load<u64>(heap + (c << 3));
    if (c + 1 < n) {
      // the lesser child without a branch (which one wins is a coin toss)
      const rk = load<u64>(heap + ((c + 1) << 3));
      const right = rk < ck;
      ck = select<u64>(rk, ck, right);
      c += <usize>right;
    }
    if (key <= ck) break;
    store<u64>(heap + (i << 3), ck);
    i = c;
  }
  store<u64>(heap + (i << 3), key);
}

@inline function heapPop(): u64 {
  const top = load<u64>(heap);
  heapSize--;
  if (heapSize > 0) siftDown(0, load<u64>(heap + (heapSize << 3)));
  return top;
}

// ---- the part list shared by the long-piece strategies ----
// Parts are named by their start offset. nxt/prv: neighbouring part starts; tr: rank of the
// part (DEAD once merged into its left neighbour); pr: rank of (part + next part), NO_RANK if
// none. A queued pair (rank, i) is stale unless part i is alive and pr[i] still equals rank.

let pS: usize = 0;
let pLen: usize = 0;
let pNxt: usize = 0;
let pPrv: usize = 0;
let pTr: usize = 0;
let pPr: usize = 0;
/**
 * Set by mergePair: the new rank of the merged part's right pair, and its left pair's. Both are
 * written before every read; 0, not NO_RANK, so the module needs no start function.
 */
let rightRank: u32 = 0;
let leftPos: usize = 0;
let leftRank: u32 = 0;

/**
 * The initial parts of a SentencePiece piece (merging starts from characters): a character
 * that is a token is one part, any other one `<0xXX>` part per byte (curByteRank has the
 * byte tokens wherever no one-byte character token has the byte). Such byte parts never merge:
 * no token holds a character that is not a token (checked at build), so no pair with one is a
 * token. Writes part starts to `pos` and ranks to `tr`; returns how many.
 */
function charParts(s: usize, len: usize, pos: usize, tr: usize): usize {
  let m: usize = 0;
  let i: usize = 0;
  while (i < len) {
    let n = seqLen(<u32>load<u8>(s + i));
    if (i + n > len) n = len - i;
    const r = lookup(s + i, n);
    if (r != NO_RANK) {
      store<u32>(pos + (m << 2), <u32>i);
      store<u32>(tr + (m << 2), r);
      m++;
    } else {
      for (let k: usize = 0; k < n; k++) {
        store<u32>(pos + (m << 2), <u32>(i + k));
        store<u32>(tr + (m << 2), load<u32>(curByteRank + ((<usize>load<u8>(s + i + k)) << 2)));
        m++;
      }
    }
    i += n;
  }
  return m;
}

/** partsInit for SentencePiece pieces: one part per character (charParts); offsets inside a part are dead. */
function partsInitChars(s: usize, len: usize): void {
  // charParts' starts go to pPr and ranks to pNxt for now (both rewritten below).
  const m = charParts(s, len, pPr, pNxt);
  for (let j: usize = 0; j < m; j++) store<u32>(pTr + ((<usize>load<u32>(pPr + (j << 2))) << 2), load<u32>(pNxt + (j << 2)));
  for (let j: usize = 0; j < m; j++) {
    const i = <usize>load<u32>(pPr + (j << 2));
    store<u32>(pNxt + (i << 2), j + 1 < m ? load<u32>(pPr + ((j + 1) << 2)) : <u32>len);
    store<u32>(pPrv + (i << 2), j > 0 ? load<u32>(pPr + ((j - 1) << 2)) : <u32>-1);
  }
  memory.fill(pPr, 0xff, len << 2); // NO_RANK
  let i: usize = 0;
  while (i < len) {
    const k = <usize>load<u32>(pNxt + (i << 2));
    if (k < len) store<u32>(pPr + (i << 2), pairAt(s + i, s + k, s + <usize>load<u32>(pNxt + (k << 2))));
    i = k;
  }
}

// ---- whole characters ----
// A two- or three-byte character C that is one token may start as one part instead of its
// bytes when no token crossing its edges, as they are here, ranks below C's own merges: BPE
// then always completes C before anything crosses its edges, so starting from C gives the same
// tokens (proof in docs/tokenizer.md, "Whole characters"; flags from
// scripts/vocab/build-char-starts.ts). An edge at either end of the merged span needs no flag.
// In CJK text most characters qualify, so a merge has about a third of the parts and two
// fewer merges per character.
const WHOLE_LEFT: u32 = 1; // safe after a continuation byte
const WHOLE_RIGHT: u32 = 2; // safe before a lead byte

/**
 * Rank of the character of `w` bytes (2 or 3, from its lead byte; i + w <= len) at s + i if
 * it may start as one part here, else NO_RANK.
 */
@inline function wholeRank(s: usize, i: usize, len: usize, w: usize): u32 {
  const b0 = <u32>load<u8>(s + i);
  const b1 = <u32>load<u8>(s + i + 1);
  // Decoded here rather than by unicode.ts's codePointAt: a piece may end inside a character, so
  // the bytes are checked first, and only two lengths occur (fewer branches on this hot path).
  let cp: u32;
  if (w == 2) {
    if ((b1 & 0xc0) != 0x80) return NO_RANK; // not a whole character
    cp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  } else {
    const b2 = <u32>load<u8>(s + i + 2);
    if ((b1 & 0xc0) != 0x80 || (b2 & 0xc0) != 0x80) return NO_RANK;
    cp = ((b0 & 0xf) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    if (cp < 0x800) return NO_RANK; // overlong: never produced by encodeInto
  }
  if (cp < CHAR_START_FIRST) return NO_RANK; // overlong
  const k = cp - CHAR_START_FIRST;
  const block = <usize>load<u16>(curChars + ((<usize>(k >> CHAR_START_SHIFT)) << 1));
  const f = (<u32>load<u8>(curChars2 + (block << (CHAR_START_SHIFT - 2)) + <usize>((k & ((1 << CHAR_START_SHIFT) - 1)) >> 2)) >> ((k & 3) << 1)) & 3;
  if (f == 0) return NO_RANK;
  const p = i > 0 ? <u32>load<u8>(s + i - 1) : 0;
  if (i > 0 && ((f & WHOLE_LEFT) == 0 || (p & 0xc0) != 0x80)) return NO_RANK;
  if (i + w < len && ((f & WHOLE_RIGHT) == 0 || <u32>load<u8>(s + i + w) < 0xc0)) return NO_RANK;
  // Before the index is finished: a lookup, NO_RANK while its group is absent (the pass runs again).
  const r = curCharRanks != 0 ? load<u32>(curCharRanks + ((<usize>k) << 2)) : lookup(s + i, w);
  if (i > 0 && r != NO_RANK && leftException(p, b0, b1, r)) return NO_RANK;
  if (i + w < len && r != NO_RANK && rightException(s + i, w, <u32>load<u8>(s + i + w), r)) return NO_RANK;
  return r;
}

/**
 * Whether a listed right-edge token (generated/char-starts.ts: the last k bytes of the
 * character at `c` of `w` bytes, then the byte `q`) ranks below the character's rank `r`.
 */
@inline function rightException(c: usize, w: usize, q: u32, r: u32): bool {
  const b = charStartBucket(q | (<u32>load<u8>(c + w - 1) << 8));
  const end = <usize>load<u8>(curCharRightBuckets + b + 1);
  for (let e = <usize>load<u8>(curCharRightBuckets + b); e < end; e++) {
    const key = load<u32>(curCharRightExceptions + (e << 3));
    const value = load<u32>(curCharRightExceptions + (e << 3), 4);
    const k = <usize>(key >> 24);
    if (value >> 24 != q || k > w) continue;
    let same = true;
    for (let j: usize = 0; j < k; j++) {
      if (<u32>load<u8>(c + w - k + j) != ((key >> (<u32>j << 3)) & 0xff)) same = false;
    }
    if (same && (value & 0xffffff) < r) return true;
  }
  return false;
}

/**
 * Whether a listed left-edge token (generated/char-starts.ts: byte `p`, then the first one or
 * two bytes of the character b0 b1…, ending there) ranks below the character's rank `r`: its
 * LEFT flag was set on the condition that such a token is checked here.
 */
@inline function leftException(p: u32, b0: u32, b1: u32, r: u32): bool {
  const head = p | (b0 << 8);
  const b = charStartBucket(head);
  const end = <usize>load<u8>(curCharBuckets + b + 1);
  for (let e = <usize>load<u8>(curCharBuckets + b); e < end; e++) {
    const key = load<u32>(curCharExceptions + (e << 3));
    if ((key & 0xffff) != head) continue;
    // k = 2 keys name a three-byte character's first two bytes; k = 1 keys only its lead byte.
    if (key >> 24 == 2 && ((key >> 16) & 0xff) != b1) continue;
    if (load<u32>(curCharExceptions + (e << 3), 4) < r) return true;
  }
  return false;
}

/** Whether bytes [s, s + len) hold a lead byte of a two- or three-byte character (else partsInitWhole would only be slower). */
@inline function hasWholeCandidate(s: usize, len: usize): bool {
  for (let i: usize = 0; i < len; i++) {
    if (<u32>load<u8>(s + i) - 0xc0 < 0x30) return true;
  }
  return false;
}

/** partsInit with whole characters where wholeRank allows; offsets inside a part are dead. */
function partsInitWhole(s: usize, len: usize): void {
  let prev: usize = <usize>-1;
  let i: usize = 0;
  while (i < len) {
    const b = <u32>load<u8>(s + i);
    let r = load<u32>(curByteRank + ((<usize>b) << 2));
    let n: usize = 1;
    const w: usize = b - 0xc0 < 0x20 ? 2 : b - 0xe0 < 0x10 ? 3 : 0;
    if (w != 0 && i + w <= len) {
      const c = wholeRank(s, i, len, w);
      if (c != NO_RANK) {
        r = c;
        n = w;
        for (let k: usize = 1; k < w; k++) {
          store<u32>(pTr + ((i + k) << 2), DEAD);
          store<u32>(pPr + ((i + k) << 2), NO_RANK);
        }
      }
    }
    store<u32>(pTr + (i << 2), r);
    store<u32>(pPrv + (i << 2), <u32>prev);
    if (prev != <usize>-1) store<u32>(pNxt + (prev << 2), <u32>i);
    prev = i;
    i += n;
  }
  store<u32>(pNxt + (prev << 2), <u32>len);
  i = 0;
  while (i < len) {
    const k = <usize>load<u32>(pNxt + (i << 2));
    store<u32>(pPr + (i << 2), k < len ? pairAt(s + i, s + k, s + <usize>load<u32>(pNxt + (k << 2))) : NO_RANK);
    i = k;
  }
}

/** Lay out the part arrays at `base` (4 × u32[len]) with one part per byte; returns their end. */
function partsInit(s: usize, len: usize, base: usize): usize {
  pS = s;
  pLen = len;
  pNxt = base;
  pPrv = pNxt + (len << 2);
  pTr = pPrv + (len << 2);
  pPr = pTr + (len << 2);
  ensureMemory(pPr + (len << 2) + 8);
  if ((curFlags & FLAG_SPM) != 0) {
    partsInitChars(s, len);
    return pPr + (len << 2);
  }
  if (curChars != 0 && hasWholeCandidate(s, len)) {
    partsInitWhole(s, len);
    return pPr + (len << 2);
  }
  for (let i: usize = 0; i < len; i++) {
    store<u32>(pNxt + (i << 2), <u32>(i + 1));
    store<u32>(pPrv + (i << 2), <u32>(i - 1));
    store<u32>(pTr + (i << 2), load<u32>(curByteRank + ((<usize>load<u8>(s + i)) << 2)));
    store<u32>(pPr + (i << 2), i + 1 < len ? pairAt(s + i, s + i + 1, s + i + 2) : NO_RANK);
  }
  return pPr + (len << 2);
}

@inline function pairRank(i: usize): u32 {
  return load<u32>(pPr + (i << 2));
}

@inline function isLivePair(i: usize, rank: u32): bool {
  return load<u32>(pTr + (i << 2)) != DEAD && load<u32>(pPr + (i << 2)) == rank;
}

/** Merge part i with its right neighbour; leaves the two changed pair ranks in rightRank / leftRank. */
@inline function mergePair(i: usize, rank: u32): void {
  const j = <usize>load<u32>(pNxt + (i << 2));
  const k = <usize>load<u32>(pNxt + (j << 2));
  store<u32>(pTr + (i << 2), keyRank(rank));
  store<u32>(pTr + (j << 2), DEAD);
  store<u32>(pPr + (j << 2), NO_RANK);
  store<u32>(pNxt + (i << 2), <u32>k);
  let nr = NO_RANK;
  if (k < pLen) {
    store<u32>(pPrv + (k << 2), <u32>i);
    nr = pairAt(pS + i, pS + k, pS + <usize>load<u32>(pNxt + (k << 2)));
  }
  store<u32>(pPr + (i << 2), nr);
  rightRank = nr;
  leftRank = NO_RANK;
  if (i > 0) {
    const h = <usize>load<u32>(pPrv + (i << 2));
    const lr = pairAt(pS + h, pS + i, pS + k);
    store<u32>(pPr + (h << 2), lr);
    leftPos = h;
    leftRank = lr;
  }
}

/** Write the surviving parts' ranks to `out`; returns how many. */
function partsCollect(out: usize): u32 {
  let i: usize = 0;
  let n: u32 = 0;
  while (i < pLen) {
    store<u32>(out + ((<usize>n) << 2), load<u32>(pTr + (i << 2)));
    n++;
    i = <usize>load<u32>(pNxt + (i << 2));
  }
  return n;
}

/** Merge a long piece; writes the ranks to `out` and returns how many. */
function mergeLarge(s: usize, len: usize, out: usize): u32 {
  heap = partsInit(s, len, out + (len << 2));
  ensureMemory(heap + ((len << 1) << 3) + 8);
  heapSize = 0;
  for (let i: usize = 0; i + 1 < len; i++) {
    const r = pairRank(i);
    if (r != NO_RANK) store<u64>(heap + ((heapSize++) << 3), ((<u64>r) << 32) | <u64>i);
  }
  // heapify
  if (heapSize > 1) {
    let i = (heapSize - 2) >> 1;
    while (true) {
      siftDown(i, load<u64>(heap + (i << 3)));
      if (i == 0) break;
      i--;
    }
  }
  while (heapSize > 0) {
    const key = load<u64>(heap); // peek: a valid top is replaced in place rather than popped
    const r = <u32>(key >> 32);
    const i = <usize>(<u32>key);
    if (!isLivePair(i, r)) {
      heapPop();
      continue;
    }
    mergePair(i, r);
    if (rightRank != NO_RANK) siftDown(0, ((<u64>rightRank) << 32) | <u64>i); // replace the top: one sift, not pop + push
    else heapPop();
    if (leftRank != NO_RANK) heapPush(((<u64>leftRank) << 32) | <u64>leftPos);
  }
  return partsCollect(out);
}

// ---- huge pieces: rank buckets ----
// Megabytes without a split point ('a' × 1e6) make the heap memory-bound: every pop walks
// ~20 levels of a 16 MB array. Here pairs wait in one bucket per rank instead. A round takes
// the lowest non-empty bucket, sorts its positions, and merges them left to right, which is
// exactly tiktoken's order because a merge at rank r can never create another pair of rank r.
// Pairs a round creates with a higher rank go to their buckets; the rare ones at or below
// the round's rank (ranks are not monotone in every vocabulary) go to a small heap that is
// interleaved by (rank, position). Nearly every access is sequential.

/** Pieces longer than this use rank buckets. */
export const HUGE_PIECE: usize = 4096;

let bHead: usize = 0; // u32[ranks]: 1 + pool index of the bucket's first entry, 0 = empty
let bTail: usize = 0; // u32[ranks]: 1 + pool index of the bucket's last entry
let pool: usize = 0; // (u32 pos, u32 next) entries
let poolSize: usize = 0;

@inline function bucketAppend(rank: u32, pos: u32): void {
  const e = poolSize++;
  store<u32>(pool + (e << 3), pos);
  store<u32>(pool + (e << 3), 0, 4);
  const t = load<u32>(bTail + ((<usize>rank) << 2));
  if (t == 0) store<u32>(bHead + ((<usize>rank) << 2), <u32>e + 1);
  else store<u32>(pool + ((<usize>t - 1) << 3), <u32>e + 1, 4);
  store<u32>(bTail + ((<usize>rank) << 2), <u32>e + 1);
}

/** Sort `n` u32 positions at `a` ascending (insertion sort for short runs, else LSD radix via `tmp`). */
function sortPositions(a: usize, n: usize, tmp: usize): void {
  let sorted = true;
  for (let i: usize = 1; i < n; i++) {
    if (load<u32>(a + (i << 2)) < load<u32>(a + ((i - 1) << 2))) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  const counts = tmp + (n << 2); // u32[65536]
  for (let shift: u32 = 0; shift < 32; shift += 16) {
    memory.fill(counts, 0, 65536 << 2);
    for (let i: usize = 0; i < n; i++) {
      const c = counts + ((<usize>((load<u32>(a + (i << 2)) >> shift) & 0xffff)) << 2);
      store<u32>(c, load<u32>(c) + 1);
    }
    let sum: u32 = 0;
    for (let d: usize = 0; d < 65536; d++) {
      const c = load<u32>(counts + (d << 2));
      store<u32>(counts + (d << 2), sum);
      sum += c;
    }
    for (let i: usize = 0; i < n; i++) {
      const v = load<u32>(a + (i << 2));
      const c = counts + ((<usize>((v >> shift) & 0xffff)) << 2);
      const at = load<u32>(c);
      store<u32>(c, at + 1);
      store<u32>(tmp + ((<usize>at) << 2), v);
    }
    memory.copy(a, tmp, n << 2);
  }
}

/** A new pair waits in its rank's bucket, or in the heap when it does not rank above this round. */
@inline function queuePair(rank: u32, pos: usize, roundRank: u32): void {
  if (rank == NO_RANK) return;
  if (rank > roundRank) bucketAppend(rank, <u32>pos);
  else heapPush(((<u64>rank) << 32) | <u64>pos);
}

function mergeHuge(s: usize, len: usize, out: usize): u32 {
  const ranks = <usize>curKeys; // one bucket per merge key
  bHead = partsInit(s, len, out + (len << 2));
  bTail = bHead + (ranks << 2);
  const round = out; // u32[len]: the frozen bucket of the current round (out is free until the end)
  const sortTmp = bTail + (ranks << 2); // u32[len] + u32[65536]
  pool = sortTmp + (len << 2) + (65536 << 2); // 3·len entries: the initial pairs and two per merge
  heap = pool + ((len * 3) << 3); // 2·len entries; only non-monotone merges use it, so mostly untouched
  ensureMemory(heap + (len << 4) + 8);
  memory.fill(bHead, 0, ranks << 3);
  poolSize = 0;
  heapSize = 0;
  for (let i: usize = 0; i + 1 < len; i++) {
    const r = pairRank(i);
    if (r != NO_RANK) bucketAppend(r, <u32>i);
  }

  let r: u32 = 0;
  while (true) {
    // next non-empty bucket; buckets only ever receive ranks above the current round's
    while (r < <u32>ranks && load<u32>(bHead + ((<usize>r) << 2)) == 0) r++;
    if (r >= <u32>ranks && heapSize == 0) break;
    let n: usize = 0;
    if (r < <u32>ranks) {
      let e = load<u32>(bHead + ((<usize>r) << 2));
      while (e != 0) {
        store<u32>(round + (n << 2), load<u32>(pool + ((<usize>e - 1) << 3)));
        n++;
        e = load<u32>(pool + ((<usize>e - 1) << 3), 4);
      }
      store<u32>(bHead + ((<usize>r) << 2), 0);
      store<u32>(bTail + ((<usize>r) << 2), 0);
      sortPositions(round, n, sortTmp);
    }
    const roundRank = r < <u32>ranks ? r : 0xffffffff;
    let k: usize = 0;
    while (true) {
      // the next merge candidate: the heap's top or the round's next position, whichever is lower
      let rank: u32 = 0;
      let i: usize = 0;
      const fromRound = k < n;
      if (heapSize > 0 && (!fromRound || load<u64>(heap) < (((<u64>roundRank) << 32) | <u64>load<u32>(round + (k << 2))))) {
        const key = heapPop();
        rank = <u32>(key >> 32);
        i = <usize>(<u32>key);
      } else if (fromRound) {
        rank = roundRank;
        i = <usize>load<u32>(round + (k << 2));
        k++;
      } else break;
      if (!isLivePair(i, rank)) continue;
      mergePair(i, rank);
      queuePair(rightRank, i, roundRank);
      queuePair(leftRank, leftPos, roundRank);
    }
    if (r < <u32>ranks) r++;
  }
  return partsCollect(out);
}
