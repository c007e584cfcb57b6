/** POST /v1/estimate request and response bodies (snake_case, mapped to the cost API). */
import { z } from '@hono/zod-openapi';
import { LIMITS, Messages, ModelName, oneOf, Tools } from './common.js';

/** Token counts: non-negative integers, at most 1e12 (the cost engine's bound). */
const Tokens = z.number().int().min(0).max(1e12);
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
        ttl: z.enum(['5m', '1h']).optional().openapi({ description: 'Lifetime of cache writes (Anthropic prices 1h writes higher). Default 5m.' }),
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
    date: z.iso.date().optional().openapi({ description: 'Use the prices in force on this day (YYYY-MM-DD); default today.', example: '2025-06-01' }),
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
  })
  .openapi('Estimate');

export const EstimateList = z
  .object({ estimates: z.array(Estimate).openapi({ description: 'One estimate per requested model, cheapest first.' }) })
  .openapi('EstimateList');

export type EstimateRequestBody = z.infer<typeof EstimateRequest>;
export type EstimateBody = z.infer<typeof Estimate>;
