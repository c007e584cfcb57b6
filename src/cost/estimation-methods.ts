/**
 * Estimation methods for models without a public tokenizer. Models with one (OpenAI, gpt-oss,
 * Llama 3.x, Qwen 2/3, DeepSeek V3.x, Gemma 3 and Gemini 2.x) count exactly with their encoding. The others have none we can ship, so their counts are
 * ESTIMATES, always labelled `exact: false` with the method used:
 *
 * | method              | count                                  | why                                           |
 * |---------------------|----------------------------------------|-----------------------------------------------|
 * | claude-o200k-ratio  | ceil(o200k_base tokens × 1.20)         | Claude 3+'s tokenizer yields ~15–25% more tokens than o200k on English prose/code; rounded up so budgets err on the safe side |
 * | gemini-o200k-ratio  | ceil(o200k_base tokens × 1.05)         | Gemini's 256k SentencePiece vocabulary is close to o200k; small safety margin (Gemini 3.1+; also the fallback for gemma3 when a build leaves it out) |
 * | o200k-approx        | o200k_base tokens                      | modern 100k–200k BPE vocabularies (Llama 4, Grok, DeepSeek V4, Mistral, Cohere) land within a few %; also the fallback for an open-weight encoding a build left out |
 * | cl100k-approx       | cl100k_base tokens                     | older 100k vocabularies                       |
 *
 * When exactness matters for such a model, use the provider's count-tokens endpoint (or bill
 * with costFromUsage from the response's usage).
 */
import type { EncodingName } from '../core/encodings.js';
import type { EstimationMethod } from '../pricing/types.js';

/** Scale factor of each estimation method, as an exact ratio (numerator / denominator). */
export const ESTIMATION_METHODS: Record<EstimationMethod, { encoding: EncodingName; num: number; den: number }> = {
  'claude-o200k-ratio': { encoding: 'o200k_base', num: 120, den: 100 },
  'gemini-o200k-ratio': { encoding: 'o200k_base', num: 105, den: 100 },
  'o200k-approx': { encoding: 'o200k_base', num: 1, den: 1 },
  'cl100k-approx': { encoding: 'cl100k_base', num: 1, den: 1 },
};
