/**
 * Specs of the open-weight encodings (Hugging Face tokenizers): special tokens and the added
 * tokens Hugging Face matches in any text, per the models' own tokenizer.json (checked by
 * test/tokenizer/open-weight-corpus.test.ts), Qwen's NFC and Gemma 3's spaces. Loaded as a chunk by the first
 * getEncoding of one of them (registry.ts), with the NFC tables.
 */
import * as NFC_TABLES from '../../dist/assets/nfc-tables.js';
import { FAMILY, type EncodingSpec, type OpenWeightName } from './encodings.js';
import { installNfcTables, nfc } from './nfc.js';
import { SpecialTokens } from './special-tokens.js';

installNfcTables(NFC_TABLES);

/** Text as ordinary segments and added tokens' ids, each with its length in the text. */
type Splitter = (text: string) => [string | number, number][];

/**
 * Gives `spec` its segmenters: Hugging Face matches added tokens (leftmost-longest) before
 * normalising and pre-tokenizing, in any text, so ordinary encoding is text segments
 * (normalised) and the added tokens' ids between them. `split`: a splitter of the spec's own
 * (Gemma 3's thousands of added tokens), else one matching `addedTokens`.
 */
function withSegments(spec: EncodingSpec, split?: Splitter): EncodingSpec {
  const normalize = spec.normalize;
  if (split) {
    spec.rawSegments = split;
    spec.segments = (text) => split(text).map(([p]) => (normalize && typeof p === 'string' ? normalize(p) : p));
    return spec;
  }
  const added = spec.addedTokens ? new SpecialTokens(spec.addedTokens) : undefined;
  const all = new Set(added?.ids.keys());
  spec.rawSegments = (text) => (added ? added.split(text, all) : [text]).map((p) => [p, typeof p === 'number' ? added!.nameOf(p).length : p.length]);
  spec.segments = (text) => {
    const parts = added ? added.split(text, all) : [text];
    if (normalize) for (let i = 0; i < parts.length; i++) if (typeof parts[i] === 'string') parts[i] = normalize(parts[i] as string);
    return parts;
  };
  return spec;
}

/**
 * Llama 3 specials: 256 ids from 128000, the unnamed ones `<|reserved_special_token_N|>` in
 * order. 3.1 – 3.3 (Meta's tokenizer.py) named four of 3.0's reserved ids, and 3.2 also calls
 * 128005 `<|step_id|>` (an alias here; decoding uses the first name).
 */
function llama3Specials(v30: boolean): Record<string, number> {
  const named: Record<number, string> = v30
    ? { 128000: '<|begin_of_text|>', 128001: '<|end_of_text|>', 128006: '<|start_header_id|>', 128007: '<|end_header_id|>', 128009: '<|eot_id|>' }
    : {
        128000: '<|begin_of_text|>',
        128001: '<|end_of_text|>',
        128004: '<|finetune_right_pad_id|>',
        128006: '<|start_header_id|>',
        128007: '<|end_header_id|>',
        128008: '<|eom_id|>',
        128009: '<|eot_id|>',
        128010: '<|python_tag|>',
      };
  const s: Record<string, number> = {};
  let reserved = 0;
  for (let id = 128000; id < 128256; id++) s[named[id] ?? `<|reserved_special_token_${reserved++}|>`] = id;
  if (!v30) s['<|step_id|>'] = 128005;
  return s;
}

let llama3Cache: Record<string, number> | undefined;
let llama30Cache: Record<string, number> | undefined;
let deepseekCache: Record<string, number> | undefined;
let gemmaCache: EncodingSpec | undefined;

function deepseekSpecials(): Record<string, number> {
  const s: Record<string, number> = { '<｜begin▁of▁sentence｜>': 0, '<｜end▁of▁sentence｜>': 1, '<｜▁pad▁｜>': 2, '<|EOT|>': 128805 };
  for (let i = 0; i < 800; i++) s[`<｜place▁holder▁no▁${i}｜>`] = 128000 + i;
  return s;
}

const METASPACE = '\u2581';

/** Gemma 3's HTML tags (added tokens 168–237: each group's openers, then its closers). */
const GEMMA_TAG_GROUPS = [
  ['table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'],
  ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote'],
  ['strong', 'em', 'b', 'i', 'u', 's', 'sub', 'sup', 'code'],
  ['a', 'html', 'body', 'img', 'span', 'bbox', 'ul', 'li', 'div', 'iframe', 'footer'],
];
/** `<unusedN>`: N ≤ 98 at 6 + N, the rest at 256001 + N - 99. */
const GEMMA_UNUSED_MAX = 6241;

let gemmaTags: Map<string, number> | undefined;

function gemmaTagIds(): Map<string, number> {
  if (gemmaTags) return gemmaTags;
  gemmaTags = new Map([['<mask>', 4], ['[multimodal]', 5]]);
  let id = 168;
  for (const group of GEMMA_TAG_GROUPS) {
    for (const t of group) gemmaTags.set(`<${t}>`, id++);
    for (const t of group) gemmaTags.set(`</${t}>`, id++);
  }
  return gemmaTags;
}

/**
 * Gemma 3's added tokens that are not special (6,406, per its tokenizer.json): `<mask>`,
 * `[multimodal]`, `<unused0>`–`<unused6241>`, runs of 1–31 newlines and tabs, runs of 2–31
 * literal `▁` and 70 HTML tags. Built only for decoding and listings.
 */
function gemmaAdded(): Record<string, number> {
  const a: Record<string, number> = {};
  for (let k = 1; k <= 31; k++) a['\n'.repeat(k)] = 106 + k;
  for (let k = 1; k <= 31; k++) a['\t'.repeat(k)] = 255967 + k;
  for (let k = 2; k <= 31; k++) a[METASPACE.repeat(k)] = 136 + k;
  for (const [t, id] of gemmaTagIds()) a[t] = id;
  for (let i = 0; i <= GEMMA_UNUSED_MAX; i++) a[`<unused${i}>`] = i <= 98 ? 6 + i : 256001 + i - 99;
  return a;
}

let gemmaMatcher: RegExp | undefined;

/**
 * Gemma 3's added tokens matched leftmost-longest, as Hugging Face does, except the newline and
 * tab runs (the core's loop emits those: pretokenize/gemma.ts). One compact pattern rather
 * than six thousand alternatives: at a position at most one tag matches (a tag ends at its
 * `>`), `<unusedN>` is checked for its range, and `▁` runs are taken 31 at most, greedily.
 */
function gemmaSplit(text: string): [string | number, number][] {
  const re = (gemmaMatcher ??= new RegExp(
    `<unused(0|[1-9]\\d{0,3})>|<mask>|\\[multimodal\\]|<\\/?(?:${GEMMA_TAG_GROUPS.flat().join('|')})>|${METASPACE}{2,31}`,
    'g',
  ));
  const parts: [string | number, number][] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tok = m[0];
    let id: number;
    if (m[1] !== undefined) {
      const n = Number(m[1]);
      if (n > GEMMA_UNUSED_MAX) {
        re.lastIndex = m.index + 1;
        continue;
      }
      id = n <= 98 ? 6 + n : 256001 + n - 99;
    } else if (tok.charCodeAt(0) === 0x2581) {
      id = 136 + tok.length;
    } else {
      id = gemmaTagIds().get(tok)!;
    }
    if (m.index > last) parts.push([text.slice(last, m.index), m.index - last]);
    parts.push([id, tok.length]);
    last = m.index + tok.length;
  }
  if (last < text.length || parts.length === 0) parts.push([text.slice(last), text.length - last]);
  return parts;
}

/** Gemma 3's decoder: `▁` (E2 96 81) back to a space; byte-fallback tokens are already bytes. */
function metaspaceToSpace(b: Uint8Array): Uint8Array {
  let i = b.indexOf(0xe2);
  while (i >= 0 && !(b[i + 1] === 0x96 && b[i + 2] === 0x81)) i = b.indexOf(0xe2, i + 1);
  if (i < 0) return b.slice();
  const out = new Uint8Array(b.length);
  let o = 0;
  for (let k = 0; k < b.length; k++) {
    if (b[k] === 0xe2 && b[k + 1] === 0x96 && b[k + 2] === 0x81) {
      out[o++] = 0x20;
      k += 2;
    } else out[o++] = b[k]!;
  }
  return out.slice(0, o);
}

function gemma3(): EncodingSpec {
  let added: Record<string, number> | undefined;
  return withSegments(
    {
      name: 'gemma3',
      vocab: 'gemma3',
      family: FAMILY.gemma3,
      // Spaces become ▁ (the normaliser); the core's loop cuts words and newline/tab runs.
      normalize: (s) => s.replaceAll(' ', METASPACE),
      specialTokens: {
        '<pad>': 0,
        '<eos>': 1,
        '<bos>': 2,
        '<unk>': 3,
        '<start_of_turn>': 105,
        '<end_of_turn>': 106,
        '<start_of_image>': 255999,
        '<end_of_image>': 256000,
        '<image_soft_token>': 262144,
      },
      get addedTokens() {
        return (added ??= gemmaAdded());
      },
      decodeBytes: metaspaceToSpace,
    },
    gemmaSplit,
  );
}

export const OPEN_WEIGHT: Record<OpenWeightName, EncodingSpec> = {
  llama3: {
    name: 'llama3',
    vocab: 'llama3',
    family: FAMILY.cl100k, // Llama 3's split regex is cl100k_base's, character for character
    get specialTokens() {
      return (llama3Cache ??= llama3Specials(false));
    },
  },
  llama3_0: {
    name: 'llama3_0',
    vocab: 'llama3',
    family: FAMILY.cl100k,
    get specialTokens() {
      return (llama30Cache ??= llama3Specials(true));
    },
  },
  qwen2: withSegments({
    name: 'qwen2',
    vocab: 'qwen2',
    family: FAMILY.qwen2,
    normalize: nfc,
    specialTokens: {
      '<|endoftext|>': 151643,
      '<|im_start|>': 151644,
      '<|im_end|>': 151645,
      '<|object_ref_start|>': 151646,
      '<|object_ref_end|>': 151647,
      '<|box_start|>': 151648,
      '<|box_end|>': 151649,
      '<|quad_start|>': 151650,
      '<|quad_end|>': 151651,
      '<|vision_start|>': 151652,
      '<|vision_end|>': 151653,
      '<|vision_pad|>': 151654,
      '<|image_pad|>': 151655,
      '<|video_pad|>': 151656,
    },
    addedTokens: {
      '<tool_call>': 151657,
      '</tool_call>': 151658,
      '<|fim_prefix|>': 151659,
      '<|fim_middle|>': 151660,
      '<|fim_suffix|>': 151661,
      '<|fim_pad|>': 151662,
      '<|repo_name|>': 151663,
      '<|file_sep|>': 151664,
      '<tool_response>': 151665,
      '</tool_response>': 151666,
      '<think>': 151667,
      '</think>': 151668,
    },
  }),
  deepseek_v3: withSegments({
    name: 'deepseek_v3',
    vocab: 'deepseek_v3',
    family: FAMILY.deepseek_v3,
    get specialTokens() {
      return (deepseekCache ??= deepseekSpecials());
    },
    addedTokens: {
      '<｜fim▁hole｜>': 128800,
      '<｜fim▁begin｜>': 128801,
      '<｜fim▁end｜>': 128802,
      '<｜User｜>': 128803,
      '<｜Assistant｜>': 128804,
      '<｜tool▁calls▁begin｜>': 128806,
      '<｜tool▁calls▁end｜>': 128807,
      '<｜tool▁call▁begin｜>': 128808,
      '<｜tool▁call▁end｜>': 128809,
      '<｜tool▁outputs▁begin｜>': 128810,
      '<｜tool▁outputs▁end｜>': 128811,
      '<｜tool▁output▁begin｜>': 128812,
      '<｜tool▁output▁end｜>': 128813,
      '<｜tool▁sep｜>': 128814,
    },
  }),
  // 6,415 names: built on first use, not when another encoding loads this chunk.
  get gemma3() {
    return (gemmaCache ??= gemma3());
  },
};
