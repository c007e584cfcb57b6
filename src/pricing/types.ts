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

/** tiktoken encodings that reproduce a provider's own token counts. */
export type ExactEncoding = 'o200k_base' | 'o200k_harmony' | 'cl100k_base' | 'p50k_base' | 'r50k_base';

/**
 * Estimation methods for models whose tokenizer we do not ship (Claude 3+,
 * Gemini, Grok, Mistral, Cohere, DeepSeek, Llama, Qwen): counts are estimates
 * and must be labelled as such.
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
  input: Decimal;
  output?: Decimal;
  cached_input?: Decimal;
  cache_write_5m?: Decimal;
  cache_write_1h?: Decimal;
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
  cache_write_1h?: Decimal;
  cache_storage_per_hour?: Decimal;
  /** Absent: reasoning tokens are billed as output. */
  reasoning?: Decimal;
  batch?: BatchPrice;
  tiers?: PriceTier[];
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
  deprecation_date?: IsoDate;
  source: string;
  checked: IsoDate;
  notes?: string;
}

/** One provider file (`pricing/<provider>.json`). */
export interface ProviderFile {
  $schema?: string;
  provider: string;
  name: string;
  pricing_url: string;
  notes: string;
  models: ModelEntry[];
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
}
