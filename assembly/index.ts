// The WASM ABI. JS (src/core/wasm-core.ts) is the only caller; every entry point works on
// raw linear memory so no call allocates objects or leaves garbage behind.
import { allocPermanent, ensureMemory, scratchBase, align16 } from './memory/arena';
import {
  vocabLoad, vocabSelect, vocabRanks, vocabHeadBytes, vocabBinaryBytes, VOCAB_HEADER_BYTES, vocabValid, vocabComplete, vocabWantAll,
  vocabWanted, vocabFetched, WANTED_RANGES, passBegin, passIncomplete, vocabExtensions, curSpm, vocabIndexStep,
} from './tokenizer/vocab';
import { setWorkBase, hotClear, hotInit, setMergeWindow } from './tokenizer/bpe';
import { sinkReset, sinkCount, MODE_COUNT, MODE_OFFSETS } from './tokenizer/sink';
import { encodeLoop, encodeLoopGemma, FAMILY_O200K, FAMILY_CL100K, FAMILY_R50K, FAMILY_DEEPSEEK } from './tokenizer/encode';
import { decodeIds } from './tokenizer/decode';
import { seqLen } from './tokenizer/unicode';
import { cacheInit, cacheEnable } from './tokenizer/piece-cache';

let outIds: usize = 0;
let outStarts: usize = 0;
let outBytes: usize = 0;

/** Permanent allocation (vocabulary binaries, special-token tables). */
export function alloc(size: usize): usize {
  return allocPermanent(size);
}

// Constants the host reads as exported globals: a global costs no call, and no function for
// V8 to compile on a cold start.

/** Bytes of a vocabulary binary's fixed header (what the host copies first). */
export const vocab_header_size: usize = VOCAB_HEADER_BYTES;

/** Where vocab_wanted writes its ranges. */
export const vocab_ranges_ptr: usize = WANTED_RANGES;

/** Set by vocab_sizes: bytes of the binary the host must copy before vocab_load. */
export let vocab_head_size: usize = 0;

/**
 * Size of the whole vocabulary binary whose header is at `ptr` (0: not a vocabulary binary);
 * also sets vocab_head_size.
 */
export function vocab_sizes(ptr: usize): usize {
  const size = vocabBinaryBytes(ptr);
  vocab_head_size = size != 0 ? vocabHeadBytes(ptr) : 0;
  return size;
}

/**
 * Register a `len`-byte vocabulary binary reserved at `ptr`, of which the first
 * vocab_head_size are copied; the rest is copied in when wanted (vocab_wanted).
 * Returns its handle (< 0 on error).
 */
export function vocab_load(ptr: usize, len: usize): i32 {
  cacheInit();
  hotInit();
  return vocabLoad(ptr, len);
}

/**
 * Index the Hugging Face sections of a version 6 binary (merge lines…), after vocab_load. A
 * separate export so that tiktoken's loading (a cold start) compiles none of it.
 */
export function vocab_load_extensions(vocab: i32): void {
  if (vocabValid(vocab)) vocabExtensions(vocab);
}

/**
 * The byte ranges of vocabulary `vocab`'s binary the core wants copied in (after an encode
 * returned NEED_DATA, or vocab_want_all): writes (offset, length) u32 pairs at
 * vocab_ranges_ptr and returns how many.
 */
export function vocab_wanted(vocab: i32): u32 {
  return vocabValid(vocab) ? vocabWanted(vocab) : 0;
}

/**
 * The host copied the wanted ranges to the binary's place in memory. Returns the number of
 * groups this made usable, plus 1 << 30 once the whole binary is present.
 */
export function vocab_fetched(vocab: i32): u32 {
  return vocabValid(vocab) ? vocabFetched(vocab) : 0;
}

/** Whether vocabulary `vocab`'s whole binary is present (decode needs it). */
export function vocab_complete(vocab: i32): bool {
  return vocabValid(vocab) && vocabComplete(vocab);
}

/** Want the rest of vocabulary `vocab`'s binary (before a decode, or for a long first input). */
export function vocab_want_all(vocab: i32): void {
  if (vocabValid(vocab)) vocabWantAll(vocab);
}

/** Reserve `size` bytes of input at the start of scratch and return where to write them. */
export function input_reserve(size: usize): usize {
  const p = scratchBase();
  ensureMemory(p + size + 16);
  return p;
}

/** encode_* result: the pass met vocabulary groups not yet copied in; see vocab_wanted. */
const NEED_DATA: i32 = -3;

/**
 * Encode `len` UTF-8 bytes at the input pointer with vocabulary `vocab`, one export per
 * pre-tokenizer family. mode 0: ids, 1: count only, 2: ids + UTF-16 start offsets. Returns
 * the number of tokens, -1 once more than `limit` tokens were produced (the caller's limit
 * was exceeded), -2 for an unknown vocabulary, or NEED_DATA: copy in what vocab_wanted
 * lists, call vocab_fetched, and encode again.
 *
 * Separate exports, not one export taking the family: V8 compiles WASM functions lazily on
 * their first call, so a process that only counts o200k text compiles only o200k's loop
 * (a third of the code), which is most of the first call's cost. Being exported also keeps
 * Binaryen from inlining the three back into one function.
 */
export function encode_o200k(vocab: i32, len: usize, mode: i32, limit: u32): i32 {
  return encodeWith(FAMILY_O200K, vocab, len, mode, limit, 3);
}

/**
 * encode_o200k for cl100k_base and Llama 3 (`digits` 3), and Qwen 2/3 (`digits` 1: its regex
 * takes one number character per piece; text already NFC-normalised by the host).
 */
export function encode_cl100k(vocab: i32, len: usize, mode: i32, limit: u32, digits: i32): i32 {
  return encodeWith(FAMILY_CL100K, vocab, len, mode, limit, digits);
}

/** encode_o200k for DeepSeek V3. */
export function encode_deepseek_v3(vocab: i32, len: usize, mode: i32, limit: u32): i32 {
  return encodeWith(FAMILY_DEEPSEEK, vocab, len, mode, limit, 3);
}

/**
 * encode_o200k for Gemma 3 (a SentencePiece vocabulary): the host has matched the added tokens
 * other than newline and tab runs and turned spaces into `▁` (src/core/open-weight.ts).
 */
export function encode_gemma3(vocab: i32, len: usize, mode: i32, limit: u32): i32 {
  const status = encodeBegin(vocab, len, mode);
  if (status != 0) return status;
  if (curSpm == 0) return -2; // not a SentencePiece vocabulary
  const input = scratchBase();
  const within = encodeLoopGemma(input, input + len, limit);
  if (passIncomplete) return NEED_DATA;
  if (!within) return -1;
  return encodeEnd(input, mode);
}

/** encode_o200k for r50k_base, p50k_base and p50k_edit. */
export function encode_r50k(vocab: i32, len: usize, mode: i32, limit: u32): i32 {
  return encodeWith(FAMILY_R50K, vocab, len, mode, limit, 3);
}

@inline function encodeWith(family: i32, vocab: i32, len: usize, mode: i32, limit: u32, digits: i32): i32 {
  const status = encodeBegin(vocab, len, mode);
  if (status != 0) return status;
  const input = scratchBase();
  const within = encodeLoop(family, input, input + len, limit, digits);
  if (passIncomplete) return NEED_DATA;
  if (!within) return -1;
  return encodeEnd(input, mode);
}

/** Sets up the sink for an encode pass; returns 0, or the encode result to return at once. */
@inline function encodeBegin(vocab: i32, len: usize, mode: i32): i32 {
  if (!vocabSelect(vocab)) return -2;
  vocabIndexStep(len);
  if (mode == MODE_OFFSETS) {
    // Token lengths advance the offsets, so every token's bytes are needed.
    if (!vocabComplete(vocab)) {
      vocabWantAll(vocab);
      return NEED_DATA;
    }
    vocabRanks();
  }
  const input = scratchBase();
  memory.fill(input + len, 0, 16); // defined padding for 8-byte over-reads
  let work = align16(input + len + 16);
  outIds = work;
  outStarts = work;
  if (mode != MODE_COUNT) work = align16(work + (len << 2));
  if (mode == MODE_OFFSETS) {
    outStarts = work;
    work = align16(work + (len << 2));
  }
  ensureMemory(work + 4096);
  setWorkBase(work);
  sinkReset(mode, input, outIds, outStarts);
  passBegin();
  return 0;
}

@inline function encodeEnd(input: usize, mode: i32): i32 {
  if (mode == MODE_OFFSETS) toUtf16Offsets(input, sinkCount);
  return <i32>sinkCount;
}

/** Turn byte offsets of token starts into UTF-16 offsets of the original JS string. */
function toUtf16Offsets(input: usize, count: u32): void {
  let bp: usize = 0;
  let u: u32 = 0;
  for (let t: u32 = 0; t < count; t++) {
    const target = <usize>load<u32>(outStarts + ((<usize>t) << 2));
    while (bp < target) {
      const n = seqLen(<u32>load<u8>(input + bp));
      u += n == 4 ? 2 : 1;
      bp += n;
    }
    store<u32>(outStarts + ((<usize>t) << 2), u);
  }
}

/** Pointer to the ids of the last encode. */
export function output_ids(): usize {
  return outIds;
}

/** Pointer to the UTF-16 start offsets of the last mode-2 encode. */
export function output_starts(): usize {
  return outStarts;
}

/**
 * Decode `count` ids written at the input pointer. Returns the byte length (bytes at
 * `output_bytes()`), -(index + 1) of the first unknown id, or -(count + 1) for an unknown
 * vocabulary or one not yet complete (vocab_complete).
 */
export function decode(vocab: i32, count: u32, specials: usize, nSpecials: u32, specialBytes: usize): i64 {
  // Decoding needs every token's bytes: the host makes the binary complete first.
  if (!vocab_complete(vocab) || !vocabSelect(vocab)) return -(<i64>count) - 1;
  const ids = scratchBase();
  outBytes = align16(ids + ((<usize>count) << 2) + 16);
  return decodeIds(ids, count, outBytes, specials, nSpecials, specialBytes);
}

/** Pointer to the bytes of the last decode. */
export function output_bytes(): usize {
  return outBytes;
}
export * from './cost/abi';

/** Enable or disable (and clear) the merged-piece cache; for cold-path benchmarks. */
export function piece_cache(on: bool): void {
  cacheEnable(on);
  hotClear();
}

/** Window for merging segments that have no safe cut (tests set small ones to exercise seams). */
export function merge_window(bytes: usize): void {
  setMergeWindow(bytes);
}
