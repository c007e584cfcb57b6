// Gemma 3 (SentencePiece BPE): there is no pre-tokenizer in effect — after spaces become `▁`
// a whole segment between added tokens is one word — so pieces here are cuts no token can
// cross, which makes BPE of the whole the BPE of the pieces one after another (the proof of
// docs/open-weight-tokenizers.md, "Long pieces"), and lets repeated words hit the caches:
//
// - before a `▁` that follows a character other than `▁`, unless some token holds that
//   character followed by `▁` (the spm section's no-cut list, built from the vocabulary:
//   Gemma 3 has one such token, `>▁</`);
// - around runs of a one-byte character that is an added token (newlines, tabs): the host
//   leaves them in the text and the loop emits their ids (leftmost-longest: runs of at most
//   `max`, as Hugging Face's matcher takes them).
import { curNoCut, curNoCutCount, curRuns } from '../vocab';
import { codePointAt } from '../unicode';

/** Run table entry of byte `b` (base id << 8 | longest run), 0 if `b` is not a run character. */
@inline export function runEntry(b: u32): u32 {
  return load<u32>(curRuns + ((<usize>b) << 2));
}

/** Code point of the character that ends just before `q` (valid UTF-8, starting at or after `p`). */
@inline function codePointBefore(q: usize): u32 {
  let c = q - 1;
  while ((load<u8>(c) & 0xc0) == 0x80) c--;
  return codePointAt(c);
}

/** Whether the `▁` at `q` (after the piece start `p`) may start a piece. */
function cutBeforeMetaspace(p: usize, q: usize): bool {
  if (q - p >= 3 && load<u8>(q - 3) == 0xe2 && load<u8>(q - 2) == 0x96 && load<u8>(q - 1) == 0x81) return false; // after ▁
  const cp = codePointBefore(q);
  for (let i: u32 = 0; i < curNoCutCount; i++) if (load<u32>(curNoCut + ((<usize>i) << 2)) == cp) return false;
  return true;
}

/** The end of the piece starting at `p` (not a run character). */
export function pieceGemma(p: usize, end: usize): usize {
  // Continuation bytes never equal the bytes tested here (ASCII, 0xE2).
  let q = p + 1;
  while (q < end) {
    const b = <u32>load<u8>(q);
    if (b < 0x80) {
      if (runEntry(b) != 0) return q;
    } else if (b == 0xe2 && q + 3 <= end && load<u8>(q + 1) == 0x96 && load<u8>(q + 2) == 0x81 && cutBeforeMetaspace(p, q)) {
      return q;
    }
    q++;
  }
  return end;
}
