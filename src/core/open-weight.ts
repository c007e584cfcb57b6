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

/**
 * Gives `spec` its segmenters: Hugging Face matches added tokens (leftmost-longest) before
 * normalising and pre-tokenizing, in any text, so ordinary encoding is text segments
 * (normalised) and the added tokens' ids between them. `matched`: the added tokens matched
 * here, when the core's loop takes some itself (Gemma 3's newline and tab runs).
 */
function withSegments(spec: EncodingSpec, matched = spec.addedTokens): EncodingSpec {
  const added = matched ? new SpecialTokens(matched) : undefined;
  const all = new Set(added?.ids.keys());
  const normalize = spec.normalize;
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

/** Gemma 3's HTML tags (added tokens 168–237, in id order). */
const GEMMA_TAGS = ['table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'];
const GEMMA_HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote'];
const GEMMA_INLINE = ['strong', 'em', 'b', 'i', 'u', 's', 'sub', 'sup', 'code'];
const GEMMA_BLOCK = ['a', 'html', 'body', 'img', 'span', 'bbox', 'ul', 'li', 'div', 'iframe', 'footer'];

/**
 * Gemma 3's added tokens that are not special (6,406, per its tokenizer.json): `<mask>`,
 * `[multimodal]`, `<unused0>`–`<unused6241>`, runs of 1–31 newlines and tabs, runs of 2–31
 * literal `▁` and 70 HTML tags. `runs`: only the newline and tab runs (the core emits those).
 */
function gemmaAdded(runs: boolean): Record<string, number> {
  const a: Record<string, number> = {};
  for (let k = 1; k <= 31; k++) a['\n'.repeat(k)] = 106 + k;
  for (let k = 1; k <= 31; k++) a['\t'.repeat(k)] = 255967 + k;
  if (runs) return a;
  a['<mask>'] = 4;
  a['[multimodal]'] = 5;
  for (let i = 0; i <= 98; i++) a[`<unused${i}>`] = 6 + i;
  for (let k = 2; k <= 31; k++) a[METASPACE.repeat(k)] = 136 + k;
  let id = 168;
  for (const group of [GEMMA_TAGS, GEMMA_HEADINGS, GEMMA_INLINE, GEMMA_BLOCK]) {
    for (const t of group) a[`<${t}>`] = id++;
    for (const t of group) a[`</${t}>`] = id++;
  }
  for (let i = 99; i <= 6241; i++) a[`<unused${i}>`] = 256001 + i - 99;
  return a;
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
  const added = gemmaAdded(false);
  const runs = gemmaAdded(true);
  const matched = Object.fromEntries(Object.entries(added).filter(([t]) => !(t in runs)));
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
      addedTokens: added,
      decodeBytes: metaspaceToSpace,
    },
    matched,
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
