// The encode loop: split input bytes into pieces with the family's pre-tokenizer and
// merge each piece with BPE into the active sink.
import { pieceR50k } from './pretokenize/r50k';
import { pieceCl100k } from './pretokenize/cl100k';
import { pieceO200k } from './pretokenize/o200k';
import { pieceDeepseek, deepseekReset } from './pretokenize/deepseek';
import { pieceGemma, runEntry } from './pretokenize/gemma';
import { encodePiece, encodePieceOutOfLine, encodePieceSpm } from './bpe';
import { emit, sinkCount } from './sink';

export const FAMILY_R50K: i32 = 0; // r50k_base, p50k_base, p50k_edit
export const FAMILY_CL100K: i32 = 1;
export const FAMILY_O200K: i32 = 2; // o200k_base, o200k_harmony
export const FAMILY_DEEPSEEK: i32 = 4; // DeepSeek V3's three splits (3: Qwen is FAMILY_CL100K with digits = 1)

/**
 * Encode bytes [p, end). Stops early (returning false) once more than `limit` tokens were
 * produced, which lets `isWithinLimit` reject huge inputs without tokenizing all of them.
 * Inlined with a constant family (assembly/index.ts has one encode export per family), so
 * each caller gets its own loop with its pre-tokenizer inlined: no per-piece dispatch or call.
 */
@inline export function encodeLoop(family: i32, p: usize, end: usize, limit: u32, digits: i32): bool {
  if (family == FAMILY_DEEPSEEK) deepseekReset();
  while (p < end) {
    const e =
      family == FAMILY_O200K
        ? pieceO200k(p, end)
        : family == FAMILY_CL100K
          ? pieceCl100k(p, end, digits)
          : family == FAMILY_DEEPSEEK
            ? pieceDeepseek(p, end)
            : pieceR50k(p, end);
    // tiktoken's families inline the whole-piece path into their loop; the open-weight ones
    // call it, keeping the module small (V8 validates all of it at every cold start).
    if (family == FAMILY_DEEPSEEK) encodePieceOutOfLine(p, e - p);
    else encodePiece(p, e - p);
    if (sinkCount > limit) return false;
    p = e;
  }
  return true;
}

/**
 * encodeLoop for Gemma 3 (SentencePiece; pretokenize/gemma.ts): runs of newlines and tabs are
 * added tokens, emitted here; the text between is cut where no token can cross and merged.
 */
export function encodeLoopGemma(p: usize, end: usize, limit: u32): bool {
  while (p < end) {
    const b = <u32>load<u8>(p);
    const run = b < 0x80 ? runEntry(b) : 0;
    if (run != 0) {
      const max = <usize>(run & 0xff);
      let k: usize = 1;
      while (p + k < end && <u32>load<u8>(p + k) == b) k++;
      while (k > 0) {
        const t = k < max ? k : max;
        emit((run >> 8) + <u32>t - 1, p);
        p += t;
        k -= t;
      }
    } else {
      const e = pieceGemma(p, end);
      encodePieceSpm(p, e - p);
      p = e;
    }
    if (sinkCount > limit) return false;
  }
  return true;
}
