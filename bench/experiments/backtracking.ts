/**
 * Experiment, not part of `npm run bench`: would GitHub's backtracking BPE encoder (the `bpe`
 * crate, github/rust-gems) need fewer vocabulary lookups than merging with a heap, on the
 * benchmark corpus? A plain TypeScript model over tiktoken's rank files that counts lookups
 * (each one is a hashed probe, and on first-seen text a cache miss, in the WASM core), and
 * checks that the backtracking result equals tiktoken's merge on every piece.
 *
 * Usage: npx tsx bench/experiments/backtracking.ts [o200k_base|cl100k_base]
 * Findings: bench/README.md, "Where first sight loses its time".
 */
import { createRequire } from 'node:module';
import { corpusTexts } from '../lib/corpus.js';

const require = createRequire(import.meta.url);
const enc = process.argv[2] ?? 'o200k_base';
const file = require(`tiktoken/encoders/${enc}.json`) as { bpe_ranks: string };
// js-tiktoken's translation of the split pattern (JavaScript regex syntax).
const pattern = new RegExp((require(`js-tiktoken/ranks/${enc}`) as { pat_str: string }).pat_str, 'gu');

// ---- the vocabulary: bytes (as latin1 strings) ↔ rank ----
const rankOf = new Map<string, number>();
const bytesOf: string[] = [];
for (const line of file.bpe_ranks.split('\n')) {
  if (!line) continue;
  const [, first, ...tokens] = line.split(' ');
  tokens.forEach((t, i) => {
    const b = Buffer.from(t, 'base64').toString('latin1');
    rankOf.set(b, Number(first) + i);
    bytesOf[Number(first) + i] = b;
  });
}

const counts = { longest: 0, compatible: 0, backtracks: 0 };
let counting = false;
function rank(bytes: string, what?: 'longest' | 'compatible'): number {
  if (counting && what) counts[what]++;
  return rankOf.get(bytes) ?? -1;
}

// ---- each token's split (the last merge of its own BPE), computed on first use as the crate builds it ----
const UNKNOWN = -2;
const NONE = -1;
const splitLeft = new Int32Array(bytesOf.length).fill(UNKNOWN);
const splitRight = new Int32Array(bytesOf.length).fill(UNKNOWN);

function split(t: number): number {
  if (splitLeft[t] !== UNKNOWN) return splitLeft[t]!;
  const b = bytesOf[t]!;
  splitLeft[t] = splitRight[t] = NONE;
  for (let k = b.length - 1; k >= 1; k--) {
    const left = rank(b.slice(0, k));
    const right = rank(b.slice(k));
    if (left < 0 || right < 0 || left >= t || right >= t || !reachable(left) || !reachable(right)) continue;
    if (compatible(left, right)) {
      splitLeft[t] = left;
      splitRight[t] = right;
      break;
    }
  }
  return splitLeft[t]!;
}

/** Whether BPE of the token's own bytes gives the token (else only a whole-piece lookup can). */
function reachable(t: number): boolean {
  return bytesOf[t]!.length === 1 || split(t) !== NONE;
}

/** The crate's is_valid_token_pair: would BPE of the two tokens' bytes give exactly these two tokens? */
function compatible(t1: number, t2: number): boolean {
  let limit = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const combined = rank(bytesOf[t1]! + bytesOf[t2]!, 'compatible');
    if (combined >= 0 && combined < limit && split(combined) === t1 && splitRight[combined] === t2) return false;
    const right1 = bytesOf[t1]!.length === 1 ? t1 : splitRight[t1]!;
    const left2 = bytesOf[t2]!.length === 1 ? t2 : splitLeft[t2]!;
    if (t1 > t2) {
      limit = t1;
      t1 = right1;
      if (t1 === limit) {
        limit = t2 + 1;
        t2 = left2;
        if (t2 + 1 === limit) return true;
      }
    } else {
      limit = t2 + 1;
      t2 = left2;
      if (t2 + 1 === limit) {
        limit = t1;
        t1 = right1;
        if (t1 === limit) return true;
      }
    }
  }
}

// Candidate lengths per first two bytes, longest first (the crate walks an Aho-Corasick automaton instead).
const lengths = new Map<string, number[]>();
for (const b of bytesOf) {
  if (b.length < 2) continue;
  const key = b.slice(0, 2);
  const l = lengths.get(key) ?? [];
  if (!l.includes(b.length)) l.push(b.length);
  lengths.set(key, l);
}
for (const l of lengths.values()) l.sort((a, b) => b - a);

/** The longest reachable token at `pos` ending at or before `end`. */
function longest(piece: string, pos: number, end: number): number {
  for (const l of lengths.get(piece.slice(pos, pos + 2)) ?? []) {
    if (pos + l > end) continue;
    const r = rank(piece.slice(pos, pos + l), 'longest');
    if (r >= 0 && reachable(r)) return r;
  }
  return rankOf.get(piece[pos]!)!;
}

function backtrack(piece: string): number[] {
  const dead = new Uint8Array(piece.length + 1);
  const tokens: number[] = [];
  let pos = 0;
  let next = longest(piece, 0, piece.length);
  while (pos < piece.length) {
    let token = next;
    const last = tokens.length > 0 ? tokens[tokens.length - 1]! : NONE;
    for (;;) {
      const end = pos + bytesOf[token]!.length;
      if (!dead[end] && (last === NONE || compatible(last, token))) {
        tokens.push(token);
        pos = end;
        if (pos < piece.length) next = longest(piece, pos, piece.length);
        break;
      }
      if (bytesOf[token]!.length > 1) {
        token = longest(piece, pos, end - 1);
        continue;
      }
      if (counting) counts.backtracks++;
      dead[pos] = 1;
      tokens.pop();
      pos -= bytesOf[last]!.length;
      next = last;
      break;
    }
  }
  return tokens;
}

/** tiktoken's _byte_pair_merge: the adjacent pair of least rank merges first, leftmost on ties. */
function heapMerge(piece: string): number[] {
  const bounds = Array.from({ length: piece.length + 1 }, (_, i) => i);
  const pairRank = (i: number): number => (i + 2 < bounds.length ? (rankOf.get(piece.slice(bounds[i], bounds[i + 2])) ?? Infinity) : Infinity);
  for (;;) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i + 2 < bounds.length; i++) {
      const r = pairRank(i);
      if (r < best) [best, at] = [r, i];
    }
    if (at < 0) break;
    bounds.splice(at + 1, 1);
  }
  return bounds.slice(1).map((e, i) => rankOf.get(piece.slice(bounds[i], e))!);
}

const pieces = corpusTexts().flatMap((t) => [...t.matchAll(pattern)].map((m) => Buffer.from(m[0]).toString('latin1')));
const merged = pieces.filter((p) => !rankOf.has(p));

// A first pass fills the split table, as a warm process would have it; the second one is counted.
let differences = 0;
for (const p of merged) if (backtrack(p).join() !== heapMerge(p).join()) differences++;
counting = true;
let tokens = 0;
let heapLookups = 0;
for (const p of merged) {
  const n = backtrack(p).length;
  tokens += n;
  heapLookups += p.length - 1 + 2 * (p.length - n); // the initial byte pairs, then two new pairs per merge
}
const per = (n: number): string => (n / tokens).toFixed(1);
console.log(`${enc}: ${pieces.length} pieces, ${merged.length} of them no single token; backtracking ≠ tiktoken's merge on ${differences}`);
console.log(
  `lookups per token of those pieces: heap merge from bytes ${per(heapLookups)}; backtracking ${per(counts.longest + counts.compatible)}` +
    ` (longest token ${per(counts.longest)}, compatibility ${per(counts.compatible)}; backtracks ${(counts.backtracks / tokens).toFixed(2)})`,
);
