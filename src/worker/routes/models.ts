/** GET /v1/models and GET /v1/models/{id}: the priced models, OpenAI-style, with prices. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { catalog, getModel, pricingVersion, type ModelInfo } from '../../core/index.js';
import type { Env } from '../env.js';
import { toApiError } from '../errors.js';
import { Model, ModelList, ModelParams, ModelsQuery, type ModelBody } from '../schemas/models.js';
import { errorResponses } from '../schemas/responses.js';

export const listModelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['Models'],
  summary: 'List models',
  description: 'Priced models grouped by provider, newest first, with their current prices (USD per 1M tokens, exact decimals), context window, tokenizer, whether counts are exact, and lifecycle dates. Retired models are left out unless `include_retired=true`.',
  request: { query: ModelsQuery },
  responses: {
    200: { description: 'Models', content: { 'application/json': { schema: ModelList } } },
    ...errorResponses(400),
  },
});

export const getModelRoute = createRoute({
  method: 'get',
  path: '/v1/models/{id}',
  tags: ['Models'],
  summary: 'Retrieve a model',
  description: 'One model by id or alias (aliases resolve to the canonical id). Ids may contain slashes.',
  request: { params: ModelParams },
  responses: {
    200: { description: 'The model', content: { 'application/json': { schema: Model } } },
    ...errorResponses(404),
  },
});

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function modelBody(m: ModelInfo): ModelBody {
  const day = today();
  let p = m.prices[m.prices.length - 1]!;
  for (const q of m.prices) if (q.since <= day) p = q;
  const { note: _note, since, ...prices } = p;
  void _note;
  return {
    id: m.id,
    object: 'model',
    created: Math.floor(Date.parse(`${m.prices[0]!.since}T00:00:00Z`) / 1000),
    owned_by: m.provider,
    name: m.name,
    kind: m.kind,
    aliases: m.aliases ?? [],
    context_window: m.context_window ?? null,
    max_output: m.max_output ?? null,
    tokenizer: m.tokenizer ? (m.tokenizer.exact ? m.tokenizer.encoding : m.tokenizer.method) : null,
    exact: m.tokenizer?.exact ?? false,
    modalities: { input: [...m.modalities.input], output: [...m.modalities.output] },
    pricing: { currency: 'USD', unit: 'per_million_tokens', since, ...prices } as ModelBody['pricing'],
    deprecation_date: m.retired ?? null,
    deprecated: m.deprecated ?? null,
    retired: m.retired ?? null,
    replacement: m.replacement ?? null,
    source: m.source,
    checked: m.checked,
  };
}

// The list only changes when a signed pricing update is loaded: cache it per version and day.
let cache: { key: string; current: ModelBody[]; all: ModelBody[] } | undefined;
function listed(includeRetired: boolean): ModelBody[] {
  const key = `${pricingVersion()}|${today()}`;
  if (cache?.key !== key) cache = { key, current: catalog().map(modelBody), all: catalog({ includeRetired: true }).map(modelBody) };
  return includeRetired ? cache.all : cache.current;
}

const app = new OpenAPIHono<{ Bindings: Env }>();

app.openapi(listModelsRoute, (c) => {
  const { provider, include_retired } = c.req.valid('query');
  const all = listed(include_retired === 'true');
  const data = provider ? all.filter((m) => m.owned_by === provider.toLowerCase()) : all;
  return c.json({ object: 'list' as const, data, pricing_version: pricingVersion() }, 200);
});

// Ids contain slashes (together/meta-llama/…): route on `{id}` matching the rest of the path,
// documented as the plain `/v1/models/{id}`.
app.openapi({ ...getModelRoute, path: '/v1/models/{id{.+}}', hide: true }, (c) => {
  const { id } = c.req.valid('param');
  try {
    return c.json(modelBody(getModel(id)), 200);
  } catch (err) {
    throw toApiError(err, { model: 'id' });
  }
});
app.openAPIRegistry.registerPath(getModelRoute);

export const models = app;
