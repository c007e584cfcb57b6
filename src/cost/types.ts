/** Public types of the cost API. */

/** One line of a cost breakdown. Money is an exact decimal string of USD. */
export interface CostLine {
  /** What is billed: input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, image, audio_input, audio_output, audio_cache_read, request. */
  component: string;
  /** How many units (tokens, images, minutes, characters, requests). */
  quantity: number;
  /** token | image | minute | character | request */
  unit: string;
  /** USD per one unit, exact decimal string ("0.0000025" for $2.50 per million tokens). */
  unitPrice: string;
  /** USD for this line, exact decimal string. */
  cost: string;
}

/** The price of one request. */
export interface CostEstimate {
  /** Canonical model id (aliases resolved). */
  model: string;
  provider: string;
  /** Prompt tokens as OpenAI's prompt_tokens counts them: text (cached included) plus image tokens. */
  inputTokens: number;
  /** Output tokens, reasoning included. */
  outputTokens: number;
  /** Total as a number (the exact decimal rounded once, at the end). */
  totalUsd: number;
  /** Total as an exact decimal string, e.g. "0.000000075". */
  total: string;
  currency: 'USD';
  lines: CostLine[];
  /** Whether the token counts are exact for this model (false: an estimate, see `method`). */
  exact: boolean;
  /** The tokenizer encoding used (`o200k_base`), the estimation method (`claude-o200k-ratio`), `usage` or `given`. */
  method: string;
  /** `since` date of the price period applied. */
  priceSince: string;
  /** Version of the pricing table used. */
  pricingVersion: string;
}

/** Image detail, as in OpenAI's API (`auto` is billed like `high`). */
export type ImageDetail = 'low' | 'high' | 'auto';

/** An input image by its pixel size. */
export interface ImageInput {
  width: number;
  height: number;
  detail?: ImageDetail;
}

/** Prompt-cache use of a request: tokens of the input read from / written to the cache. */
export interface CacheOptions {
  readTokens?: number;
  writeTokens?: number;
  /** Lifetime of written entries (Anthropic prices 1 h writes higher). Default '5m'. */
  ttl?: '5m' | '1h';
}

/** Options of {@link estimateCost}. Give at most one of `input`, `messages`, `inputTokens`. */
export interface EstimateOptions {
  model: string;
  /** Prompt text (counted with the model's tokenizer or estimation method). */
  input?: string;
  /** Chat messages (OpenAI or Anthropic shape), counted with {@link countChat}. */
  messages?: unknown[];
  /** Tool definitions sent with `messages`. */
  tools?: unknown[];
  /** Prompt tokens, when already known (the whole prompt, cached tokens included). */
  inputTokens?: number;
  outputTokens?: number;
  /** Part of outputTokens that is reasoning (priced separately only where the provider does). */
  reasoningTokens?: number;
  cache?: CacheOptions;
  /** Alternative to `cache`: this fraction (0..1) of the input tokens is read from the cache. */
  cacheHitRatio?: number;
  batch?: boolean;
  images?: ImageInput[];
  audio?: { inputSeconds?: number; outputSeconds?: number };
  /** Characters of text to synthesize (per-character speech models); default: the length of `input`. */
  characters?: number;
  /** Price history: prices in force on this day (default today). */
  date?: string | Date;
}
