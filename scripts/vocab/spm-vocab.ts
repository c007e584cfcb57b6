/**
 * Reads a SentencePiece BPE model with byte fallback, as Hugging Face's `tokenizer.json` states
 * it (Gemma 3), into what build-vocab.ts compiles. How the `tokenizers` crate encodes such a
 * model, and what the core therefore needs (docs/open-weight-tokenizers.md):
 *
 * - non-normalised added tokens are matched first, leftmost-longest, in the raw text; spaces
 *   then become `▁` and the rest of a segment is one word (the `Split` on " " finds none left);
 * - merging starts from characters: a character that is a vocabulary token is one part, any
 *   other becomes one `<0xXX>` part per UTF-8 byte, and those parts never merge;
 * - pairs merge by merge line, and only listed pairs (as for the byte-level files);
 * - `ignore_merges` is false: a word that is a token is still merged, so the core's
 *   whole-piece lookup is valid only for tokens whose own BPE yields them.
 *
 * Token ids are kept as ranks (every token made by merges comes in id order once the lines the
 * core never meets are left out, see below), so no id table is needed. Facts the core relies
 * on are checked here and the build fails otherwise.
 */
import type { HfVocab, TokenizerJson } from './hf-vocab.js';

/** The part of a SentencePiece vocabulary binary after the merge section (build-vocab.ts). */
export interface SpmExtension {
  /** Id of `<0x00>`; `<0xXX>` is byteBase + XX. */
  byteBase: number;
  /** Key of the first merge line numbered implicitly (rank order); lower keys are explicit. */
  firstKey: number;
  /** Merge lines of tokens whose lines are not contiguous in merge order: [rank, split, key]. */
  explicit: [number, number, number][];
  /** Characters X (code points) such that a token holds `X▁`: no cut before `▁` after them. */
  noCut: number[];
  /** Tokens the whole-piece shortcut must not return (their own BPE is not themselves). */
  noShortcut: number[];
  /**
   * Single-byte characters that are added tokens, as runs (Gemma: newlines and tabs): the
   * core emits `c`×k as id base + k - 1 (k ≤ max, leftmost-longest) without a segment break.
   */
  runs: { byte: number; base: number; max: number }[];
}

const METASPACE = '\u2581';
const byteToken = (b: number) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;

function expectShape(file: string, what: string, got: unknown, want: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${file}: ${what} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}

export function readSpmVocab(file: string, json: TokenizerJson): HfVocab {
  const model = json.model as TokenizerJson['model'] & Record<string, unknown>;
  // The only normaliser and pre-tokenizer this reader (and the core) implement.
  expectShape(file, 'the normalizer', json.normalizer, { type: 'Replace', pattern: { String: ' ' }, content: METASPACE });
  expectShape(file, 'the pre_tokenizer', json.pre_tokenizer, { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false });
  for (const k of ['dropout', 'continuing_subword_prefix', 'end_of_word_suffix'] as const) if (model[k] != null) throw new Error(`${file}: model.${k} is set`);
  const vocab = model.vocab;
  const added = json.added_tokens;
  if (added.some((t) => t.normalized)) throw new Error(`${file}: normalised added tokens are not supported`);
  const addedIds = new Set(added.map((t) => t.id));

  const byteBase = vocab[byteToken(0)]!;
  for (let b = 0; b < 256; b++) if (vocab[byteToken(b)] !== byteBase + b) throw new Error(`${file}: byte tokens are not contiguous at ${byteToken(b)}`);

  // Single-character non-special added tokens are split out before anything else, so BPE never
  // meets those characters: merge lines using them are left out. The core cuts their runs itself.
  const runs: SpmExtension['runs'] = [];
  const runChars = new Set<string>();
  for (const t of added) {
    if (t.special || [...t.content].length !== 1) continue;
    const c = t.content;
    if (c.length !== 1 || c.charCodeAt(0) >= 0x80) throw new Error(`${file}: added character ${JSON.stringify(c)} is not ASCII`);
    let max = 1;
    while (added.some((u) => !u.special && u.content === c.repeat(max + 1))) max++;
    for (let k = 1; k <= max; k++) if (vocab[c.repeat(k)] !== t.id + k - 1) throw new Error(`${file}: run ${JSON.stringify(c.repeat(k))} has no consecutive id`);
    runs.push({ byte: c.charCodeAt(0), base: t.id, max });
    runChars.add(c);
  }
  // Another added token holding a run character would make cutting runs in the core differ
  // from leftmost-longest matching.
  for (const t of added) {
    const isRun = runChars.has(t.content[0]!) && t.content === t.content[0]!.repeat(t.content.length);
    if (!isRun && [...t.content].some((c) => runChars.has(c))) throw new Error(`${file}: added token ${JSON.stringify(t.content)} holds a run character`);
  }
  const reachable = (s: string) => ![...s].some((c) => runChars.has(c));

  // Merge lines BPE can meet, keyed by their index among those.
  const lines = model.merges.map((m) => (Array.isArray(m) ? m : (m.split(' ') as [string, string]))).filter(([a, b]) => reachable(a + b));
  const linesOf = new Map<number, [number, number][]>(); // id → [split (bytes), key]
  const pairKey = new Map<string, number>(); // "idA idB" → key
  lines.forEach(([a, b], key) => {
    const ia = vocab[a], ib = vocab[b], id = vocab[a + b];
    if (ia === undefined || ib === undefined || id === undefined) throw new Error(`${file}: merge ${a} ${b} joins or makes a non-token`);
    if (ia >= byteBase && ia < byteBase + 256 || ib >= byteBase && ib < byteBase + 256) throw new Error(`${file}: merge ${a} ${b} joins a byte token`);
    const pk = `${ia} ${ib}`;
    if (pairKey.has(pk)) throw new Error(`${file}: pair ${a} ${b} listed twice`);
    pairKey.set(pk, key);
    let list = linesOf.get(id);
    if (!list) linesOf.set(id, (list = []));
    list.push([Buffer.byteLength(a), key]);
  });

  // The core's tables: every token BPE can produce. Byte tokens come in as single bytes where
  // no one-byte character token has that byte; added tokens no merge line makes are left out
  // (only matching finds them, and decoding reads them from the encoding's table).
  const ranks = new Map<number, Buffer>();
  const byBytes = new Map<string, number>();
  for (const [s, id] of Object.entries(vocab)) {
    if (id >= byteBase && id < byteBase + 256) continue;
    if (addedIds.has(id) && !linesOf.has(id)) {
      if ([...s].length === 1 && !added.some((t) => t.id === id && !t.special)) throw new Error(`${file}: special character token ${JSON.stringify(s)}`);
      continue;
    }
    const bytes = Buffer.from(s, 'utf8');
    if (bytes.length > 255) throw new Error(`${file}: token ${id} is ${bytes.length} bytes`);
    if (byBytes.has(bytes.toString('latin1'))) throw new Error(`${file}: two tokens spell ${JSON.stringify(s)}`);
    byBytes.set(bytes.toString('latin1'), id);
    ranks.set(id, bytes);
  }
  for (let b = 0; b < 256; b++) if (!byBytes.has(String.fromCharCode(b))) ranks.set(byteBase + b, Buffer.from([b]));
  for (const [id, list] of linesOf) if (!ranks.has(id)) throw new Error(`${file}: merged token ${id} is not in the tables`);
  // A character inside a token that is no token itself would start as byte parts in the core
  // but could then meet a merge line through its bytes.
  for (const [id, bytes] of ranks) {
    if (id >= byteBase && id < byteBase + 256) continue;
    for (const c of bytes.toString('utf8')) if (!byBytes.has(Buffer.from(c).toString('latin1'))) throw new Error(`${file}: token ${id} holds ${JSON.stringify(c)}, no token`);
  }

  // Keys: a token's j-th line is base(rank) + j, base counting lines in rank order from
  // firstKey, except for the tokens whose lines interleave with others' (the whitespace runs at
  // the start of Gemma's list): those lie below firstKey and are listed explicitly.
  const owner = new Array<number>(lines.length);
  for (const [id, list] of linesOf) for (const [, key] of list) owner[key] = id;
  const firstOf = (id: number) => linesOf.get(id)![0]![1];
  const lastOf = (id: number) => linesOf.get(id)!.at(-1)![1];
  let firstKey = 0;
  for (;;) {
    let next = firstKey;
    for (let k = firstKey; k < owner.length; k++) {
      const id = owner[k]!;
      const continues = k > firstKey && owner[k - 1] === id;
      if (!continues && (firstOf(id) !== k || (k > firstKey && id < owner[k - 1]!))) next = k + 1;
    }
    // every line of a token listed explicitly lies below firstKey
    for (let k = 0; k < next; k++) next = Math.max(next, lastOf(owner[k]!) + 1);
    if (next === firstKey) break;
    firstKey = next;
  }
  const explicit: [number, number, number][] = [];
  const merges = new Map<number, [number, number][]>();
  for (const [id, list] of linesOf) {
    if (list[0]![1] < firstKey) for (const [split, key] of list) explicit.push([id, split, key]);
    else merges.set(id, list);
  }
  explicit.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  if (explicit.length > 4096) throw new Error(`${file}: ${explicit.length} explicit merge lines`);

  // BPE as the crate runs it, to find the tokens the whole-piece shortcut must not return.
  const partsOf = (s: string): number[] => {
    const parts: number[] = [];
    for (const c of s) {
      const id = byBytes.get(Buffer.from(c).toString('latin1'));
      if (id !== undefined) parts.push(id);
      else for (const b of Buffer.from(c)) parts.push(byteBase + b);
    }
    return parts;
  };
  const bpe = (s: string): number[] => {
    const parts = partsOf(s);
    for (;;) {
      let best = Infinity, at = -1;
      for (let i = 0; i + 1 < parts.length; i++) {
        const k = pairKey.get(`${parts[i]} ${parts[i + 1]}`);
        if (k !== undefined && k < best) (best = k), (at = i);
      }
      if (at < 0) return parts;
      parts.splice(at, 2, vocab[lines[best]![0] + lines[best]![1]]!);
    }
  };
  const noShortcut: number[] = [];
  const noCut = new Set<number>();
  for (const [id, bytes] of ranks) {
    const s = bytes.toString('utf8');
    const cs = [...s];
    for (let i = 1; i < cs.length; i++) if (cs[i] === METASPACE && cs[i - 1] !== METASPACE) noCut.add(cs[i - 1]!.codePointAt(0)!);
    if (cs.length < 2 || model.ignore_merges) continue;
    const r = bpe(s);
    if (r.length !== 1 || r[0] !== id) noShortcut.push(id);
  }
  noShortcut.sort((a, b) => a - b);

  return {
    ranks: new Map([...ranks].sort((a, b) => a[0] - b[0])),
    merges,
    nMerges: lines.length,
    added: added.map((t) => ({ content: t.content, id: t.id, special: t.special })),
    patterns: [],
    spm: { byteBase, firstKey, explicit, noCut: [...noCut].sort((a, b) => a - b), noShortcut, runs },
  };
}

/** The SentencePiece section of a vocabulary binary (after the merge section; build-vocab.ts). */
export function encodeSpmSection(spm: SpmExtension): Buffer {
  const words = [
    spm.byteBase,
    spm.firstKey,
    spm.explicit.length,
    spm.noCut.length,
    spm.noShortcut.length,
    spm.runs.length,
    ...spm.noCut,
    ...spm.explicit.flat(),
    ...spm.noShortcut,
    ...spm.runs.flatMap((r) => [r.byte, r.base, r.max]),
  ];
  const out = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => out.writeUInt32LE(w, i * 4));
  return out;
}
