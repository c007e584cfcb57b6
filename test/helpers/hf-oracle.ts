/**
 * Hugging Face's Rust `tokenizers` (through the `@anush008/tokenizers` binding) as the oracle
 * for the open-weight encodings, run on the same `tokenizer.json` the vocabulary binaries are
 * built from. The JavaScript ports in those packages are not exact (JavaScript's `\s` is not
 * Unicode White_Space, for one), so they are not used.
 *
 * `ordinary` is the tokenizer with its special added tokens disabled, so special-token text is
 * text, as in our `encodeOrdinary`; non-special added tokens stay (Hugging Face always
 * matches them). `full` is the file as shipped: it always splits special tokens, as our
 * `encode(text, { allowedSpecial: 'all' })`.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPEN_WEIGHT_ENCODINGS, OPEN_WEIGHT_VOCABS, type EncodingSpec, type OpenWeightName } from '../../src/core/encodings.js';
import { EXTRA_VOCABS } from '../../scripts/vocab/sources.js';
import { root } from './workerd.js';

const require = createRequire(import.meta.url);

interface HfEncoding {
  getIds(): number[];
}
interface HfTokenizer {
  encode(s: string, pair: null, opts: { addSpecialTokens: boolean }): Promise<HfEncoding>;
  encodeBatch(s: string[], opts: { addSpecialTokens: boolean }): Promise<HfEncoding[]>;
  getNormalizer(): { normalizeString(s: string): string } | null;
  addSpecialTokens(tokens: string[]): void;
}

export interface HfOracle {
  ordinary(texts: string[]): Promise<number[][]>;
  full(texts: string[]): Promise<number[][]>;
  normalize(s: string): string;
  tokenizer: HfTokenizer;
}

/** Encodings with an open-weight vocabulary, and the vocabulary each uses. */
export const OPEN_WEIGHT_NAMES: OpenWeightName[] = ['llama3', 'llama3_0', 'qwen2', 'deepseek_v3', 'gemma3'];
/** One encoding per distinct open-weight vocabulary, for the expensive sweeps. */
export const DISTINCT_OPEN_WEIGHT: OpenWeightName[] = ['llama3', 'qwen2', 'deepseek_v3', 'gemma3'];

export function tokenizerJsonPath(vocab: string): string {
  const src = EXTRA_VOCABS[vocab]!;
  return join(root, 'node_modules', src.package, src.file);
}

/** Whether the build made this vocabulary (TOLLGATE_EXTRA_VOCABS or a missing package can skip it). */
export function isBuilt(vocab: string): boolean {
  return existsSync(join(root, 'dist/assets/vocab', `${vocab}.bin`));
}

const cache = new Map<string, HfOracle>();

export function hfOracle(vocab: string): HfOracle {
  let o = cache.get(vocab);
  if (o) return o;
  if (!OPEN_WEIGHT_VOCABS.includes(vocab as never)) throw new Error(`${vocab} is not an open-weight vocabulary`);
  const { Tokenizer } = require('@anush008/tokenizers') as { Tokenizer: { fromString(s: string): HfTokenizer; fromFile(f: string): HfTokenizer } };
  const text = readFileSync(tokenizerJsonPath(vocab), 'utf8');
  // Special added tokens keep their ids (removing them renumbers the rest) but get content
  // no test text contains, so their names are ordinary text.
  // Specials that are also in the model's vocabulary (DeepSeek's 0–2) are simply dropped.
  const json = JSON.parse(text) as { model: { vocab: Record<string, number> }; added_tokens: { special: boolean; content: string; id: number }[] };
  json.added_tokens = json.added_tokens.filter((t) => !(t.special && json.model.vocab[t.content] === t.id));
  for (const t of json.added_tokens) if (t.special) t.content = `\u0000\u0000removed special ${t.id}\u0000\u0000`;
  const ordinary = Tokenizer.fromString(JSON.stringify(json));
  const full = Tokenizer.fromString(text);
  const ids = async (t: HfTokenizer, texts: string[]) => (await t.encodeBatch(texts, { addSpecialTokens: false })).map((e) => e.getIds());
  o = {
    ordinary: (texts) => ids(ordinary, texts),
    full: (texts) => ids(full, texts),
    normalize: (s) => ordinary.getNormalizer()?.normalizeString(s) ?? s,
    tokenizer: full,
  };
  cache.set(vocab, o);
  return o;
}

/**
 * What decode(encodeOrdinary(s)) gives for well-formed `s`: the text as the model normalises
 * it (Qwen: NFC between added tokens, which are matched first), or for Gemma 3 the text
 * through its decoder (`▁`, typed or made from a space, decodes as a space).
 */
export function decodedAsModel(name: OpenWeightName, s: string, spec: EncodingSpec): string {
  if (name === 'gemma3') return s.replaceAll('\u2581', ' ');
  if (!spec.normalize) return s;
  const normalize = hfOracle(OPEN_WEIGHT_ENCODINGS[name]).normalize;
  const added = Object.keys(spec.addedTokens ?? {}).sort((a, b) => b.length - a.length);
  if (!added.length) return normalize(s);
  const re = new RegExp(`(${added.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`);
  return s.split(re).map((part, i) => (i % 2 ? part : normalize(part))).join('');
}

/**
 * Whether the suites for `vocab` run: yes unless the build was told to leave it out
 * (TOLLGATE_EXTRA_VOCABS). A vocabulary that should have been built but was not fails its
 * suites rather than skipping them.
 */
export function openWeightWanted(vocab: string): boolean {
  const v = (process.env.TOLLGATE_EXTRA_VOCABS ?? 'all').trim().toLowerCase();
  if (v === '' || v === 'all') return true;
  if (v === 'none' || v === '0' || v === 'false') return false;
  return v.split(',').map((s) => s.trim()).includes(vocab);
}
