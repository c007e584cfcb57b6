// Linear-memory layout, managed by hand so the hot path never allocates objects:
//
//   [static data][permanent: vocabularies, hash tables ...][scratch: input | output | work]
//
// Permanent allocations only grow (one per loaded vocabulary). Scratch is reused by every
// call, so repeated calls never grow memory; it only grows to fit the largest input seen.

let permTop: usize = 0;
// Highest address ever made available (and so possibly written). Memory above it is fresh from
// memory.grow and already zero, so permanent allocations there skip zeroing.
let touchedTop: usize = 0;

@inline function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

/** Make sure linear memory extends to at least `end` bytes. */
export function ensureMemory(end: usize): void {
  if (end > touchedTop) touchedTop = end;
  const have = (<usize>memory.size()) << 16;
  if (end <= have) return;
  const pages = <i32>((end - have + 0xffff) >> 16);
  if (memory.grow(pages) < 0) unreachable();
}

/** Bump-allocate `size` bytes that live as long as the module (zeroed). */
export function allocPermanent(size: usize): usize {
  if (permTop == 0) permTop = align16(__heap_base);
  const ptr = permTop;
  const end = align16(ptr + size + 16); // +16: every region may be read 8 bytes past its end
  const dirtyEnd = touchedTop < end ? touchedTop : end;
  if (dirtyEnd > ptr) memory.fill(ptr, 0, dirtyEnd - ptr);
  permTop = end;
  ensureMemory(end);
  return ptr;
}

/** Start of the scratch region; moves up when a vocabulary is loaded. */
export function scratchBase(): usize {
  if (permTop == 0) permTop = align16(__heap_base);
  return permTop;
}

export { align16 };
