/** POST /v1/estimate request and response bodies (snake_case, mapped to the cost API). */
import { z } from '@hono/zod-openapi';
import { LIMITS, Messages, ModelName, oneOf, Tools } from './common.js';

/** Token counts: non-negative integers, at most 1e12 (the cost engine's bound). */
const Tokens = z.number().int().min(0).max(1e12);
const ToolShape = {
  web_search: Tokens.optional(),
  web_fetch: Tokens.optional(),
  file_search: Tokens.optional(),
  google_search: Tokens.optional(),
  google_maps: Tokens.optional(),
  code_execution: Tokens.optional(),
};
const Seconds = z.number().min(0).max(1e9);

export const ImageInput = z
  .strictObject({
    width: z.number().int().min(1).max(1_000_000).openapi({ example: 1024 }),
    height: z.number().int().min(1).max(1_000_000).openapi({ example: 768 }),
    detail: z.enum(['low', 'high', 'auto']).optional().openapi({ description: 'OpenAI image detail; `auto` is billed like `high`.' }),
  })
  .openapi('ImageInput');

export const EstimateRequest = z
  .strictObject({
    model: ModelName.optional(),
    models: z.array(ModelName).min(1).max(LIMITS.models).optional().openapi({ description: `Several models to compare (at most ${LIMITS.models}); the answer lists them cheapest first.`, example: ['gpt-4o', 'claude-sonnet-4-5'] }),
    input: z.string().optional().openapi({ description: 'Prompt text.', example: 'Summarize the following article…' }),
    messages: Messages.optional().openapi({ description: 'Chat messages, counted with per-message overhead.' }),
    tools: Tools.optional().openapi({ description: 'Tool definitions sent with `messages`.' }),
    input_tokens: Tokens.optional().openapi({ description: 'Prompt tokens when already known (cached tokens included).' }),
    output_tokens: Tokens.optional().openapi({ description: 'Expected output tokens (reasoning included).', example: 500 }),
    max_tokens: Tokens.optional().openapi({ description: 'Alias of `output_tokens` (worst case: the output limit you send).' }),
    max_completion_tokens: Tokens.optional().openapi({ description: 'Alias of `output_tokens`.' }),
    reasoning_tokens: Tokens.optional().openapi({ description: 'Part of the output that is reasoning.' }),
    cache: z
      .strictObject({
        read_tokens: Tokens.optional().openapi({ description: 'Input tokens read from the prompt cache.' }),
        write_tokens: Tokens.optional().openapi({ description: 'Input tokens written to the prompt cache.' }),
        ttl: z.enum(['5m', '30m', '1h', '12h']).optional().openapi({ description: 'Lifetime of cache writes (Anthropic 5m / 1h, OpenAI 30m / 12h). Default 5m.' }),
        storage: z.strictObject({ tokens: Tokens, hours: z.number().min(0).max(1e6) }).optional().openapi({ description: 'Explicit-cache storage (Gemini): tokens kept for hours.' }),
      })
      .optional()
      .openapi('CacheUse'),
    cache_hit_ratio: z.number().min(0).max(1).optional().openapi({ description: 'Alternative to `cache`: this fraction of the input tokens is read from the cache.', example: 0.5 }),
    batch: z.boolean().optional().openapi({ description: 'Batch API prices.' }),
    images: z.array(ImageInput).max(LIMITS.images).optional().openapi({ description: 'Input images by pixel size.' }),
    audio: z
      .strictObject({ input_seconds: Seconds.optional(), output_seconds: Seconds.optional() })
      .optional()
      .openapi('AudioUse', { description: 'Audio input/output duration in seconds.' }),
    characters: Tokens.optional().openapi({ description: 'Characters to synthesize (per-character speech models); default: the length of `input`.' }),
    date: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional().openapi({ description: 'Use the prices in force on this day (YYYY-MM-DD); a timestamp also picks time-of-day prices (DeepSeek peak/off-peak). Default today, time unknown.', example: '2025-06-01' }),
    service_tier: z.enum(['standard', 'auto', 'default', 'standard_only', 'scale', 'flex', 'priority', 'batch', 'fast']).optional().openapi({ description: 'Service tier, as the provider request field `service_tier` (OpenAI flex / priority, Google Flex / Priority, Anthropic fast mode, batch).', example: 'flex' }),
    region: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/).max(32).optional().openapi({ description: 'Region or data-residency geo whose uplift applies.', example: 'us' }),
    tool_calls: z.strictObject(ToolShape).optional().openapi('ToolCalls', { description: 'Server-side tool calls the request makes (web_search, google_search, …).' }),
    tool_quota_used: z.strictObject(ToolShape).optional().openapi({ description: 'Calls of each tool already made in its free-quota period.' }),
  })
  .superRefine(oneOf(['model', 'models']))
  .superRefine(oneOf(['input', 'messages', 'input_tokens'], true))
  .superRefine(oneOf(['output_tokens', 'max_tokens', 'max_completion_tokens'], true))
  .superRefine(oneOf(['cache', 'cache_hit_ratio'], true))
  .openapi('EstimateRequest', {
    description: 'Give `model` (or `models` to compare), and the prompt as `input`, `messages` or `input_tokens`; optionally the output length, cache use, batch, images and audio.',
  });

export const CostLine = z
  .object({
    component: z.string().openapi({ description: 'input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, image, audio_input, audio_output, audio_cache_read, request', example: 'input' }),
    quantity: z.number().openapi({ example: 1200 }),
    unit: z.string().openapi({ description: 'token, image, minute, character or request', example: 'token' }),
    unit_price: z.string().openapi({ description: 'USD per unit, exact decimal', example: '0.0000025' }),
    cost: z.string().openapi({ description: 'USD, exact decimal', example: '0.003' }),
  })
  .openapi('CostLine');

export const Estimate = z
  .object({
    model: z.string().openapi({ description: 'Canonical model id (aliases resolved).', example: 'gpt-4o' }),
    provider: z.string().openapi({ example: 'openai' }),
    input_tokens: z.number().int().openapi({ description: 'Prompt tokens (text, cached included, plus image tokens).', example: 1200 }),
    output_tokens: z.number().int().openapi({ example: 500 }),
    total_usd: z.number().openapi({ description: 'Total as a number (the exact decimal, rounded once).', example: 0.008 }),
    total: z.string().openapi({ description: 'Total as an exact decimal string of USD.', example: '0.008' }),
    currency: z.literal('USD'),
    lines: z.array(CostLine),
    exact: z.boolean().openapi({ description: 'false when the input was counted with an estimation method (no public tokenizer).', example: true }),
    method: z.string().openapi({ description: 'Encoding used, estimation method, `given` (input_tokens) or `characters`.', example: 'o200k_base' }),
    price_since: z.string().openapi({ description: 'First day of the price period applied.', example: '2024-10-01' }),
    pricing_version: z.string().openapi({ description: 'Version of the pricing table.', example: '2026-11-23+a70b59fed47c' }),
    warnings: z.array(z.string()).openapi({ description: 'Sentences to show the user: retired or deprecated model, alias resolved by date, scheduled price change, time-of-day range.', example: [] }),
    service_tier: z.string().openapi({ description: 'Service tier priced: standard, batch, flex, priority or fast.', example: 'standard' }),
    region: z.string().optional(),
    time_window: z.string().optional().openapi({ description: 'Time-of-day window priced (peak, off-peak, standard) when the model has windows and the time was given.' }),
    range: z.object({ min: z.string(), max: z.string() }).optional().openapi({ description: 'Lowest and highest total over the day when the price depends on the time of day and no time was given (total is the highest).' }),
    alias: z.string().optional().openapi({ description: 'The dated alias the model name resolved through.' }),
  })
  .openapi('Estimate');

export const EstimateList = z
  .object({ estimates: z.array(Estimate).openapi({ description: 'One estimate per requested model, cheapest first.' }) })
  .openapi('EstimateList');

export type EstimateRequestBody = z.infer<typeof EstimateRequest>;
export type EstimateBody = z.infer<typeof Estimate>;
