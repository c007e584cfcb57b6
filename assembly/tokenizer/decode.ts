// ids → bytes. Special-token bytes come from a per-encoding table JS registers, so one
// vocabulary serves encodings that differ only in specials (o200k_base / o200k_harmony).
import { curSize, tokenLength, tokenBytes, vocabRanks } from './vocab';
import { ensureMemory } from '../memory/arena';

/** Bytes of id `id`: sets `srcPtr`/`srcLen`; false if `id` is no token of this encoding. */
let srcPtr: usize = 0;
let srcLen: usize = 0;
function locate(id: u32, specials: usize, nSpecials: u32, specialBytes: usize): bool {
  if (id < curSize) {
    srcLen = tokenLength(id);
    srcPtr = tokenBytes(id);
    if (srcLen != 0) return true;
  }
  let lo: u32 = 0;
  let hi: u32 = nSpecials;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (load<u32>(specials + (<usize>mid) * 12) < id) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= nSpecials || load<u32>(specials + (<usize>lo) * 12) != id) return false;
  srcPtr = specialBytes + <usize>load<u32>(specials + (<usize>lo) * 12, 4);
  srcLen = <usize>load<u32>(specials + (<usize>lo) * 12, 8);
  return true;
}

/**
 * Write the bytes of `count` u32 ids at `ids` to `out` (memory grows to fit). Specials are a
 * table of (id, offset, length) u32 triples sorted by id, their bytes at `specialBytes`.
 * Returns bytes written, or -(index + 1) of the first id that is not a token.
 */
export function decodeIds(ids: usize, count: u32, out: usize, specials: usize, nSpecials: u32, specialBytes: usize): i64 {
  vocabRanks();
  let total: usize = 0;
  for (let i: u32 = 0; i < count; i++) {
    if (!locate(load<u32>(ids + ((<usize>i) << 2)), specials, nSpecials, specialBytes)) return -(<i64>i + 1);
    total += srcLen;
  }
  ensureMemory(out + total);
  let o = out;
  for (let i: u32 = 0; i < count; i++) {
    locate(load<u32>(ids + ((<usize>i) << 2)), specials, nSpecials, specialBytes);
    memory.copy(o, srcPtr, srcLen);
    o += srcLen;
  }
  return <i64>total;
}
