/**
 * What the token view shows: the first MAX_RENDERED tokens across all segments as spans, then
 * up to MAX_PLAIN_CHARS of plain text, and nothing more — a megabyte pasted still puts only a
 * few thousand elements in the page. Token ids and offsets come from the full tokenization,
 * so the highlighted tokens are exactly the input's first tokens.
 */
import type { Encoding } from 'tollgate';
import type { SegmentView } from './compute-protocol';

export const MAX_RENDERED = 4000;
export const MAX_PLAIN_CHARS = 2_000;

export interface SegmentInput {
  label?: string;
  text: string;
  /** Token count of `text`, already known. */
  total: number;
}

export function highlight(enc: Encoding, segments: SegmentInput[]): { segments: SegmentView[]; omittedSegments: number } {
  let tokenBudget = MAX_RENDERED;
  let charBudget = MAX_PLAIN_CHARS;
  const out: SegmentView[] = [];
  for (const seg of segments) {
    if (tokenBudget === 0 && charBudget === 0) break;
    let shown = 0;
    let cut = 0; // end of the highlighted part
    let ids = new Uint32Array(0);
    let starts = ids;
    let ends = ids;
    if (tokenBudget > 0 && seg.total > 0) {
      const t = enc.tokenize(seg.text);
      shown = Math.min(t.ids.length, tokenBudget);
      ids = t.ids.slice(0, shown);
      starts = t.starts.slice(0, shown);
      ends = t.ends.slice(0, shown);
      cut = shown < t.ids.length ? t.starts[shown]! : seg.text.length;
      tokenBudget -= shown;
    }
    const plain = Math.min(seg.text.length - cut, charBudget);
    charBudget -= plain;
    const end = cut + plain;
    out.push({ label: seg.label, text: seg.text.slice(0, end), ids, starts, ends, total: seg.total, truncated: end < seg.text.length });
  }
  return { segments: out, omittedSegments: segments.length - out.length };
}
