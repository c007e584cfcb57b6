/**
 * Specs of the open-weight encodings (Hugging Face tokenizers): special tokens and the added
 * tokens Hugging Face matches in any text, per the models' own tokenizer.json (checked by
 * test/tokenizer/open-weight-corpus.test.ts), and Qwen's NFC. Loaded as a chunk by the first
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
 * (normalised) and the added tokens' ids between them.
 */
function withSegments(spec: EncodingSpec): EncodingSpec {
  const added = spec.addedTokens ? new SpecialTokens(spec.addedTokens) : undefined;
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

function deepseekSpecials(): Record<string, number> {
  const s: Record<string, number> = { '<｜begin▁of▁sentence｜>': 0, '<｜end▁of▁sentence｜>': 1, '<｜▁pad▁｜>': 2, '<|EOT|>': 128805 };
  for (let i = 0; i < 800; i++) s[`<｜place▁holder▁no▁${i}｜>`] = 128000 + i;
  return s;
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
};
