/** GET /v1/models and /v1/models/{id}: OpenAI-style model objects with prices. */
import { z } from '@hono/zod-openapi';

const Decimal = z.string().regex(/^\d+(\.\d+)?$/).openapi({ description: 'Exact decimal string.', example: '2.5' });

export const PriceTier = z
  .object({
    threshold: z.number().int().openapi({ description: 'Once the prompt exceeds this (reaches it, when inclusive), the whole request is billed at the tier prices.', example: 200000 }),
    inclusive: z.boolean().optional(),
    input: Decimal,
    output: Decimal.optional(),
    cached_input: Decimal.optional(),
    cache_write_5m: Decimal.optional(),
    cache_write_30m: Decimal.optional(),
    cache_write_1h: Decimal.optional(),
    cache_write_12h: Decimal.optional(),
  })
  .openapi('PriceTier');

export const Pricing = z
  .object({
    currency: z.literal('USD'),
    unit: z.literal('per_million_tokens').openapi({ description: 'Token prices are USD per 1M tokens; fields named per_* say their own unit.' }),
    since: z.string().openapi({ description: 'First day these prices apply.', example: '2024-10-01' }),
    input: Decimal.optional(),
    output: Decimal.optional(),
    cached_input: Decimal.optional(),
    cache_write_5m: Decimal.optional(),
    cache_write_30m: Decimal.optional(),
    cache_write_1h: Decimal.optional(),
    cache_write_12h: Decimal.optional(),
    cache_storage_per_hour: Decimal.optional(),
    reasoning: Decimal.optional(),
    batch: z.looseObject({}).optional().openapi({ description: '`{multiplier}` or explicit `{input, output, cached_input}` batch prices.' }),
    tiers: z.array(PriceTier).optional(),
    service_tiers: z.looseObject({}).optional().openapi({ description: 'flex / priority / fast: `{multiplier}` or explicit prices.' }),
    time_of_day: z.array(z.looseObject({ label: z.string(), start: z.string(), end: z.string() })).optional().openapi({ description: 'UTC windows (peak, off-peak) whose prices replace the period\'s while they last.' }),
    tools: z.looseObject({}).optional().openapi({ description: 'Per-call prices of server-side tools (USD per 1000 calls) with free quotas.' }),
    regions: z.looseObject({}).optional().openapi({ description: 'Regional / data-residency uplift multipliers.' }),
    image: z.looseObject({ rule: z.string() }).optional().openapi({ description: 'How input images become billed tokens (openai-tile, openai-patch, anthropic, gemini, per-image).' }),
    audio: z.looseObject({}).optional().openapi({ description: 'Audio token prices and per-minute rates.' }),
    per_minute: Decimal.optional(),
    per_million_characters: Decimal.optional(),
    per_request: Decimal.optional(),
  })
  .openapi('Pricing', { description: 'Prices in force now (the newest price period).' });

export const Model = z
  .object({
    id: z.string().openapi({ example: 'gpt-4o' }),
    object: z.literal('model'),
    created: z.number().int().openapi({ description: 'Unix time of the first recorded price period.', example: 1715558400 }),
    owned_by: z.string().openapi({ description: 'Provider id.', example: 'openai' }),
    name: z.string().openapi({ example: 'GPT-4o' }),
    kind: z.string().openapi({ description: 'chat, embedding, transcription, speech or realtime', example: 'chat' }),
    aliases: z.array(z.string()).openapi({ example: ['gpt-4o-2024-08-06'] }),
    context_window: z.number().int().nullable().openapi({ example: 128000 }),
    max_output: z.number().int().nullable().openapi({ example: 16384 }),
    tokenizer: z.string().nullable().openapi({ description: 'Encoding (exact) or estimation method; null when not priced per token.', example: 'o200k_base' }),
    exact: z.boolean().openapi({ description: 'Whether token counts for this model are exact.', example: true }),
    modalities: z.object({ input: z.array(z.string()), output: z.array(z.string()) }),
    pricing: Pricing,
    deprecation_date: z.string().nullable().openapi({ description: 'Same as `retired` (kept for older clients).' }),
    deprecated: z.string().nullable().openapi({ description: 'Day the provider deprecated the model (announced its retirement).', example: '2026-06-01' }),
    retired: z.string().nullable().openapi({ description: 'Day the model stopped being served; retired models are listed only with `include_retired=true`.', example: null }),
    replacement: z.string().nullable().openapi({ description: 'The model the provider names as its replacement.', example: 'gpt-5.5' }),
    source: z.string().openapi({ description: 'Where the prices were read.', example: 'https://openai.com/api/pricing/' }),
    checked: z.string().openapi({ description: 'Day the prices were last checked against the source.', example: '2026-11-23' }),
  })
  .openapi('Model');

export const ModelList = z
  .object({ object: z.literal('list'), data: z.array(Model), pricing_version: z.string().openapi({ example: '2026-11-23+a70b59fed47c' }) })
  .openapi('ModelList');

export const ModelsQuery = z.object({
  include_retired: z.enum(['true', 'false']).optional().openapi({ param: { name: 'include_retired', in: 'query' }, description: 'Also list models the provider has retired (default false).', example: 'false' }),
  provider: z.string().max(64).optional().openapi({ param: { name: 'provider', in: 'query' }, description: 'Only models of this provider (openai, anthropic, google, …).', example: 'anthropic' }),
});

export const ModelParams = z.object({
  id: z.string().min(1).max(256).openapi({ param: { name: 'id', in: 'path' }, description: 'Model id or alias; ids may contain slashes (groq/openai/gpt-oss-120b).', example: 'gpt-4o' }),
});

export type ModelBody = z.infer<typeof Model>;
