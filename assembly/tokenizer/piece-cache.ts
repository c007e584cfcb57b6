// A bounded cache of merged pieces (piece bytes → token ids). Pieces that are not single
// tokens (rare words, identifiers, most non-Latin text) repeat a lot in real traffic — system
// prompts, templates, code — and merging them is the expensive part of encoding.
//
// Log-structured: entries are appended to a fixed ring; a two-way set-associative index points
// at the newest entries for each hash. An entry is valid while the ring has not wrapped past it, so
// nothing is ever freed, memory never grows, and a stale index slot is simply a miss.
import { allocPermanent } from '../memory/arena';
import { bytesEqual } from './bytes';

const RING_BYTES: u64 = 1 << 22;
const INDEX_BITS: u32 = 16; // sets of two slots
/** Longer pieces are not cached (they would evict many short ones). */
export const CACHE_MAX_PIECE: usize = 8192;
const MAX_ENTRY: usize = 16 + CACHE_MAX_PIECE + 8 + (CACHE_MAX_PIECE << 2);

let ring: usize = 0;
let index: usize = 0;
let writePos: u64 = 0; // absolute, monotonic
let enabled = true;

/** Turn the cache off (cold-path benchmarks) or on. Turning it off also forgets its contents. */
export function cacheEnable(on: bool): void {
  enabled = on;
  writePos += RING_BYTES; // invalidates every entry
}

/** Whether the cache is on. */
@inline export function cacheIsOn(): bool {
  return enabled;
}

/** Allocate the cache; must happen outside an encode (it takes permanent memory). */
export function cacheInit(): void {
  if (ring != 0) return;
  ring = allocPermanent(<usize>RING_BYTES + MAX_ENTRY);
  index = allocPermanent((<usize>1 << INDEX_BITS) << 4);
}

/** Pointer to the cached ids (u32) for piece `p`/`len` with key `key`, or 0; count in `cachedCount`. */
export let cachedCount: u32 = 0;
export function cacheGet(p: usize, len: usize, key: u64): usize {
  if (!enabled) return 0;
  const set = index + ((<usize>(key >> (64 - INDEX_BITS))) << 4);
  const e = entryAt(load<u64>(set), p, len, key);
  if (e != 0) return e;
  return entryAt(load<u64>(set, 8), p, len, key);
}

/** The ids of the entry an index slot points at if it is live and holds this piece, else 0. */
@inline function entryAt(stored: u64, p: usize, len: usize, key: u64): usize {
  if (stored == 0) return 0;
  const pos = stored - 1;
  if (writePos > pos + RING_BYTES) return 0; // overwritten since
  const e = ring + <usize>(pos % RING_BYTES);
  if (load<u64>(e) != key || <usize>load<u32>(e, 8) != len) return 0;
  if (!bytesEqual(e + 16, p, len)) return 0;
  cachedCount = load<u32>(e, 12);
  return e + 16 + ((len + 7) & ~(<usize>7));
}

/** Remember that piece `p`/`len` merges to the `count` ids at `ids`. */
export function cachePut(p: usize, len: usize, key: u64, ids: usize, count: u32): void {
  if (ring == 0 || !enabled || len > CACHE_MAX_PIECE) return;
  const size = <u64>(16 + ((len + 7) & ~(<usize>7)) + ((<usize>count) << 2));
  // Entries never straddle the ring's end.
  let off = writePos % RING_BYTES;
  if (off + size > RING_BYTES) {
    writePos += RING_BYTES - off;
    off = 0;
  }
  const e = ring + <usize>off;
  store<u64>(e, key);
  store<u32>(e, <u32>len, 8);
  store<u32>(e, count, 12);
  memory.copy(e + 16, p, len);
  memory.copy(e + 16 + ((len + 7) & ~(<usize>7)), ids, (<usize>count) << 2);
  // Two-way sets: a piece replaces the older of its set's two entries (a dead slot reads as
  // oldest), so two hot pieces whose hashes collide do not keep evicting each other.
  const set = index + ((<usize>(key >> (64 - INDEX_BITS))) << 4);
  const a = load<u64>(set);
  const b = load<u64>(set, 8);
  store<u64>(a <= b ? set : set + 8, writePos + 1);
  writePos += (size + 7) & ~(<u64>7);
}
