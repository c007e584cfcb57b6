// Where encoded tokens go. One global sink per call keeps the hot path free of callbacks:
// ids only, ids + start offsets (for highlighting), or just a running count.
export const MODE_IDS: i32 = 0;
export const MODE_COUNT: i32 = 1;
export const MODE_OFFSETS: i32 = 2;

// Literal initial values, not the constants: AssemblyScript initialises a global from another
// global in a start function, which V8 must compile and run at every instantiation.
export let sinkMode: i32 = 0; // MODE_IDS
export let sinkIds: usize = 0; // u32[] token ids
export let sinkStarts: usize = 0; // u32[] byte offset of each token's first byte
export let sinkCount: u32 = 0;
export let sinkInput: usize = 0; // input base, to turn pointers into offsets

export function sinkReset(mode: i32, input: usize, ids: usize, starts: usize): void {
  sinkMode = mode;
  sinkInput = input;
  sinkIds = ids;
  sinkStarts = starts;
  sinkCount = 0;
}

/** Record one token whose bytes start at pointer `at`. */
@inline export function emit(rank: u32, at: usize): void {
  if (sinkMode != MODE_COUNT) {
    store<u32>(sinkIds + ((<usize>sinkCount) << 2), rank);
    if (sinkMode == MODE_OFFSETS) store<u32>(sinkStarts + ((<usize>sinkCount) << 2), <u32>(at - sinkInput));
  }
  sinkCount++;
}

/** Count `n` tokens without recording them (count mode). */
@inline export function sinkAdd(n: u32): void {
  sinkCount += n;
}

/** Forget the tokens recorded after the first `count` (a long piece starting over). */
export function sinkRewind(count: u32): void {
  sinkCount = count;
}
