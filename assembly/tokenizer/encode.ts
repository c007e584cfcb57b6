// The encode loop: split input bytes into pieces with the family's pre-tokenizer and
// merge each piece with BPE into the active sink.
import { pieceR50k } from './pretokenize/r50k';
import { pieceCl100k } from './pretokenize/cl100k';
import { pieceO200k } from './pretokenize/o200k';
import { encodePiece } from './bpe';
import { sinkCount } from './sink';

export const FAMILY_R50K: i32 = 0; // r50k_base, p50k_base, p50k_edit
export const FAMILY_CL100K: i32 = 1;
export const FAMILY_O200K: i32 = 2; // o200k_base, o200k_harmony

/**
 * Encode bytes [p, end). Stops early (returning false) once more than `limit` tokens were
 * produced, which lets `isWithinLimit` reject huge inputs without tokenizing all of them.
 */
export function encodeBytes(family: i32, p: usize, end: usize, limit: u32): bool {
  if (family == FAMILY_O200K) return encodeO200k(p, end, limit);
  if (family == FAMILY_CL100K) return encodeCl100k(p, end, limit);
  return encodeR50k(p, end, limit);
}

// One loop per family with its pre-tokenizer inlined: no per-piece dispatch or call.
function encodeO200k(p: usize, end: usize, limit: u32): bool {
  while (p < end) {
    const e = pieceO200k(p, end);
    encodePiece(p, e - p);
    if (sinkCount > limit) return false;
    p = e;
  }
  return true;
}

function encodeCl100k(p: usize, end: usize, limit: u32): bool {
  while (p < end) {
    const e = pieceCl100k(p, end);
    encodePiece(p, e - p);
    if (sinkCount > limit) return false;
    p = e;
  }
  return true;
}

function encodeR50k(p: usize, end: usize, limit: u32): bool {
  while (p < end) {
    const e = pieceR50k(p, end);
    encodePiece(p, e - p);
    if (sinkCount > limit) return false;
    p = e;
  }
  return true;
}
