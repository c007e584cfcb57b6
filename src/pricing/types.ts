/**
 * Types of the pricing database, mirroring `pricing/schema.json` (one provider
 * file) and the merged bundle written to `dist/assets/pricing.json`.
 *
 * Money is a decimal string (USD per million tokens unless the field name says
 * otherwise) so that no price ever passes through a float; the cost engine
 * parses these into exact integer units.
 */

/** Non-negative decimal string with at most 6 fraction digits, e.g. `"2.50"`. */
export type Decimal = string;

/** ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** Encodings that reproduce a provider's own token counts: tiktoken's and the open-weight models' (Llama 3, Qwen 2/3, DeepSeek V3, Gemma 3 / Gemini 2.x). */
export type ExactEncoding = 'o200k_base' | 'o200k_harmony' | 'cl100k_base' | 'p50k_base' | 'r50k_base' | 'llama3' | 'llama3_0' | 'qwen2' | 'deepseek_v3' | 'gemma3';

/**
 * Estimation methods for models whose tokenizer we do not ship (Claude 3+,
 * Gemini 3 Flash preview and 3.1+, Grok, Mistral, Cohere, Llama 4, DeepSeek V4): counts are estimates and
 * must be labelled as such.
 */
export type EstimationMethod = 'claude-o200k-ratio' | 'gemini-o200k-ratio' | 'o200k-approx' | 'cl100k-approx';

/** How a model's tokens are counted: exactly with an encoding, or estimated. */
export type TokenizerSpec =
  | { encoding: ExactEncoding; exact: true }
  | { method: EstimationMethod; exact: false };

/** What the endpoint does; decides which price fields make sense. */
export type ModelKind = 'chat' | 'embedding' | 'transcription' | 'speech' | 'realtime';

/** Input and output modalities a model accepts and produces. */
export interface Modalities {
  input: Array<'text' | 'image' | 'audio' | 'video' | 'pdf'>;
  output: Array<'text' | 'image' | 'audio' | 'embedding'>;
}

/** Batch API prices: one multiplier for every token price, or explicit prices. */
export type BatchPrice =
  | { multiplier: Decimal }
  | { input: Decimal; output: Decimal; cached_input?: Decimal };

/**
 * Long-context tier. It applies to the whole request once the request's input
 * tokens (cached ones included) are strictly greater than `threshold`; omitted
 * prices keep their base value.
 */
export interface PriceTier {
  threshold: number;
  /** true: applies from `threshold` itself ("≥ 200k"); default: above it ("> 272k"). */
  inclusive?: boolean;
  input: Decimal;
  output?: Decimal;
  cached_input?: Decimal;
  cache_write_5m?: Decimal;
  cache_write_30m?: Decimal;
  cache_write_1h?: Decimal;
  cache_write_12h?: Decimal;
}

/** A service tier's prices: one multiplier on every token price, or explicit prices. */
export type ServicePrice =
  | { multiplier: Decimal }
  | {
      input: Decimal;
      output: Decimal;
      cached_input?: Decimal;
      cache_write_5m?: Decimal;
      cache_write_30m?: Decimal;
      cache_write_1h?: Decimal;
      cache_write_12h?: Decimal;
      /** Long-context tiers of this service tier; absent: it is not offered above the base tiers' thresholds. */
      tiers?: PriceTier[];
    };

/** Service tiers priced apart from standard (and batch, which has its own field). */
export interface ServiceTiers {
  flex?: ServicePrice;
  priority?: ServicePrice;
  fast?: ServicePrice;
}

/** A time-of-day price window in UTC, `[start, end)`; it may wrap past midnight. */
export interface TimeWindow {
  label: string;
  /** `HH:MM` UTC. */
  start: string;
  end: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday, UTC) the window applies on; default every day. */
  weekdays?: number[];
  multiplier?: Decimal;
  input?: Decimal;
  output?: Decimal;
  cached_input?: Decimal;
}

/** Server-side tools that can carry per-call prices. */
export type ToolKind = 'web_search' | 'web_fetch' | 'file_search' | 'google_search' | 'google_maps' | 'code_execution';

/** Per-call price of a server-side tool, with an optional free quota. */
export interface ToolPrice {
  per_thousand: Decimal;
  free?: number;
  free_per?: 'day' | 'month';
  unit?: string;
}

/** How an input image becomes billed tokens (see the schema for each rule). */
export type ImageRule =
  | { rule: 'openai-tile'; base: number; tile: number }
  | { rule: 'openai-patch'; multiplier: Decimal; cap: number }
  | { rule: 'anthropic' }
  | { rule: 'gemini' }
  | { rule: 'per-image'; price: Decimal };

/** Audio prices: USD per 1M audio tokens, per-minute rates, token rates. */
export interface AudioPrice {
  input?: Decimal;
  output?: Decimal;
  cached_input?: Decimal;
  input_per_minute?: Decimal;
  output_per_minute?: Decimal;
  input_tokens_per_second?: number;
  output_tokens_per_second?: number;
}

/** Prices in force from `since` until the next period's `since`. */
export interface PricePeriod {
  since: IsoDate;
  input?: Decimal;
  output?: Decimal;
  cached_input?: Decimal;
  cache_write_5m?: Decimal;
  cache_write_30m?: Decimal;
  cache_write_1h?: Decimal;
  cache_write_12h?: Decimal;
  cache_storage_per_hour?: Decimal;
  /** Absent: reasoning tokens are billed as output. */
  reasoning?: Decimal;
  batch?: BatchPrice;
  service_tiers?: ServiceTiers;
  tiers?: PriceTier[];
  time_of_day?: TimeWindow[];
  tools?: Partial<Record<ToolKind, ToolPrice>>;
  /** Regional / data-residency uplifts by region name. */
  regions?: Record<string, { multiplier: Decimal }>;
  image?: ImageRule;
  audio?: AudioPrice;
  per_minute?: Decimal;
  per_million_characters?: Decimal;
  per_request?: Decimal;
  note?: string;
}

/** One model as written in a provider file. */
export interface ModelEntry {
  id: string;
  api_model?: string;
  aliases?: string[];
  name: string;
  kind: ModelKind;
  tokenizer?: TokenizerSpec;
  context_window?: number;
  max_output?: number;
  modalities: Modalities;
  /** Oldest first. */
  prices: PricePeriod[];
  /** Day the provider deprecated the model (announced its retirement). */
  deprecated?: IsoDate;
  /** Day the model stopped being served. */
  retired?: IsoDate;
  /** The model the provider names as the replacement. */
  replacement?: string;
  source: string;
  checked: IsoDate;
  notes?: string;
}

/** An alias whose target changed over time (`deepseek-chat`, `mistral-medium-latest`). */
export interface DatedAlias {
  alias: string;
  /** Oldest first: the target in force on a day is the last one whose since is on or before it. */
  targets: Array<{ since: IsoDate; model: string }>;
  source: string;
  note?: string;
}

/** One provider file (`pricing/<provider>.json`). */
export interface ProviderFile {
  $schema?: string;
  provider: string;
  name: string;
  pricing_url: string;
  notes: string;
  models: ModelEntry[];
  dated_aliases?: DatedAlias[];
}

/** Provider metadata carried into the bundle. */
export interface BundleProvider {
  id: string;
  name: string;
  pricing_url: string;
  notes: string;
}

/** A model in the merged bundle: a provider file entry plus its provider id. */
export interface BundleModel extends ModelEntry {
  provider: string;
}

/** The merged, normalized pricing bundle (`dist/assets/pricing.json`). */
export interface PricingBundle {
  /** `<newest checked date>+<first 12 hex of sha256 of providers+models>`. */
  version: string;
  /** Midnight UTC of the newest `checked` date: reproducible, never "now". */
  generated_at: string;
  providers: BundleProvider[];
  /** Sorted by provider, then id. */
  models: BundleModel[];
  /** Aliases that resolve by date, sorted by provider, then alias (absent in bundles built before 2026-12). */
  dated_aliases?: BundleDatedAlias[];
}

/** A dated alias in the bundle, with its provider id. */
export interface BundleDatedAlias extends DatedAlias {
  provider: string;
}
