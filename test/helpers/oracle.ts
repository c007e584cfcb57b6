/**
 * The `tiktoken` npm package as the oracle: every id we produce must equal its output.
 * o200k_harmony is not shipped by the package, so it is built from o200k_base's ranks with
 * the harmony specials, the same way tiktoken's Python registry defines it.
 */
import { createRequire } from 'node:module';
import { get_encoding, Tiktoken, type TiktokenEncoding } from 'tiktoken';
import { ENCODINGS, type EncodingName } from '../../src/core/encodings.js';

const require = createRequire(import.meta.url);
const cache = new Map<EncodingName, Tiktoken>();

export function oracle(name: EncodingName): Tiktoken {
  let t = cache.get(name);
  if (!t) {
    if (name === 'o200k_harmony') {
      const base = require('tiktoken/encoders/o200k_base.json') as { bpe_ranks: string; pat_str: string };
      t = new Tiktoken(base.bpe_ranks, ENCODINGS.o200k_harmony.specialTokens, base.pat_str);
    } else {
      t = get_encoding(name as TiktokenEncoding);
    }
    cache.set(name, t);
  }
  return t;
}

/** First index where two id sequences differ, or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** A readable report of where `text` encodes differently, for assertion messages. */
export function describeDifference(text: string, ours: ArrayLike<number>, theirs: ArrayLike<number>): string {
  const i = firstDifference(ours, theirs);
  if (i < 0) return 'equal';
  return `first difference at token ${i}: ours ${JSON.stringify(Array.from(ours).slice(Math.max(0, i - 3), i + 4))} vs tiktoken ${JSON.stringify(
    Array.from(theirs).slice(Math.max(0, i - 3), i + 4),
  )} in ${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text)}`;
}

export const ALL_ENCODINGS: EncodingName[] = ['o200k_base', 'o200k_harmony', 'cl100k_base', 'p50k_base', 'p50k_edit', 'r50k_base'];
/** One encoding per distinct (vocabulary, pre-tokenizer) pair, for the expensive sweeps. */
export const DISTINCT_ENCODINGS: EncodingName[] = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];

/** The ordinary encoding of text, ours or the oracle's. */
type OrdinaryEncoder = { encodeOrdinary(text: string): ArrayLike<number> };

/**
 * Sweeps the scalar values of [from, to) against the oracle, each placed in `contexts`, a block
 * of `block` code points per encode; a block that differs is narrowed down to the code points
 * responsible. Returns how many code points were checked and the failures (at most 20).
 */
export function sweepCodePoints(ours: OrdinaryEncoder, name: EncodingName, from: number, to: number, block: number, contexts: (c: string) => string): { checked: number; failures: string[] } {
  const tk = oracle(name);
  const failures: string[] = [];
  let checked = 0;
  const scalars = (base: number) => {
    const out: string[] = [];
    for (let cp = base; cp < Math.min(base + block, to); cp++) if (cp < 0xd800 || cp > 0xdfff) out.push(String.fromCodePoint(cp));
    return out;
  };
  for (let base = from; base < to; base += block) {
    const chars = scalars(base);
    checked += chars.length;
    const s = chars.map(contexts).join('');
    if (firstDifference(ours.encodeOrdinary(s), tk.encode_ordinary(s)) < 0) continue;
    for (const c of chars) {
      if (failures.length >= 20) break;
      const t = contexts(c);
      const a = ours.encodeOrdinary(t);
      const b = tk.encode_ordinary(t);
      if (firstDifference(a, b) >= 0) failures.push(`U+${c.codePointAt(0)!.toString(16).toUpperCase()}: ${describeDifference(t, a, b)}`);
    }
  }
  return { checked, failures };
}
