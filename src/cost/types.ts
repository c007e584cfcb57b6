/** Public types of the cost API. */

/** One line of a cost breakdown. Money is an exact decimal string of USD. */
export interface CostLine {
  /**
   * What is billed: input, cache_read, cache_write_5m, cache_write_30m, cache_write_1h,
   * cache_write_12h, cache_storage, output, reasoning, image, audio_input, audio_output,
   * audio_cache_read, request, or a server-side tool (web_search, web_fetch, file_search,
   * google_search, google_maps, code_execution).
   */
  component: string;
  /** How many units (tokens, images, minutes, characters, requests, calls, token-hours). */
  quantity: number;
  /** token | image | minute | character | request | call | token_hour */
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
  /**
   * Human-readable sentences a caller should show: a retired or deprecated model, a dated
   * alias resolved to a model, a scheduled price change, a total that depends on the time of
   * day. Empty when there is nothing to say.
   */
  warnings: string[];
  /** The service tier priced: standard, batch, flex, priority or fast. */
  serviceTier: string;
  /** The region whose uplift was applied, if any. */
  region?: string;
  /** Label of the time-of-day window priced (e.g. `off-peak`), when the model has windows and the time was known. */
  timeWindow?: string;
  /**
   * For models priced by time of day when no time was given: the lowest and highest total over
   * the day. `total` is then the highest (budgets err on the safe side).
   */
  range?: { min: string; max: string };
  /** The dated alias the model name resolved through (`deepseek-chat`), if any. */
  alias?: string;
}

/** Service tier of a request: ours or the provider's request value (see SERVICE_TIER_INPUTS). */
export type ServiceTier = 'standard' | 'auto' | 'default' | 'standard_only' | 'scale' | 'flex' | 'priority' | 'batch' | 'fast';

/** Server-side tools with per-call prices. */
export type ToolName = 'web_search' | 'web_fetch' | 'file_search' | 'google_search' | 'google_maps' | 'code_execution';

/** Counts of server-side tool calls, by tool. */
export type ToolCounts = Partial<Record<ToolName, number>>;

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
  /** Lifetime of written entries (Anthropic 5 m / 1 h, OpenAI 30 m / 12 h). Default '5m'. */
  ttl?: '5m' | '30m' | '1h' | '12h';
  /** Explicit-cache storage (Gemini): this many tokens kept for this many hours. */
  storage?: { tokens: number; hours: number };
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
  /**
   * Price history: prices in force on this day (default today). A timestamp (ISO string with a
   * time, or a Date) also picks the time-of-day price; without one such models report a range.
   */
  date?: string | Date;
  /** Service tier (the request's `service_tier`): flex, priority, batch, fast, … Default standard. */
  serviceTier?: ServiceTier;
  /** Region or data-residency geo whose uplift applies (e.g. `us`), where the model has one. */
  region?: string;
  /** Server-side tool calls the request will make (web_search, google_search, …). */
  toolCalls?: ToolCounts;
  /** Calls of each tool already made in its free-quota period (day or month); default 0. */
  toolQuotaUsed?: ToolCounts;
}
