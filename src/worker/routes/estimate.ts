/** POST /v1/estimate: what a request will cost, for one model or several (cheapest first). */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { estimateCost, getModel, type CostEstimate, type EstimateOptions } from '../../core/index.js';
import type { Env } from '../env.js';
import { toApiError } from '../errors.js';
import { Estimate, EstimateList, EstimateRequest, type EstimateBody, type EstimateRequestBody } from '../schemas/estimate.js';
import { errorResponses, jsonBody } from '../schemas/responses.js';

export const estimateRoute = createRoute({
  method: 'post',
  path: '/v1/estimate',
  tags: ['Cost'],
  summary: 'Estimate cost',
  description:
    'Counts the prompt (`input` text, chat `messages`, or given `input_tokens`) with each model\'s tokenizer and prices it with exact integer arithmetic: long-context tiers, prompt caching, batch, images and audio included. With `models`, returns `{estimates}` sorted cheapest first.',
  request: jsonBody(EstimateRequest),
  responses: {
    200: {
      description: 'One estimate (with `model`) or a list (with `models`)',
      content: { 'application/json': { schema: Estimate.or(EstimateList) } },
    },
    ...errorResponses(400, 404, 413, 415),
  },
});

/** The request body (snake_case) as cost-API options for one model. */
function options(b: EstimateRequestBody, model: string): EstimateOptions {
  const o: EstimateOptions = { model };
  if (b.input !== undefined) o.input = b.input;
  if (b.messages !== undefined) o.messages = b.messages;
  if (b.tools !== undefined) o.tools = b.tools;
  if (b.input_tokens !== undefined) o.inputTokens = b.input_tokens;
  const output = b.output_tokens ?? b.max_tokens ?? b.max_completion_tokens;
  if (output !== undefined) o.outputTokens = output;
  if (b.reasoning_tokens !== undefined) o.reasoningTokens = b.reasoning_tokens;
  if (b.cache !== undefined) {
    o.cache = {};
    if (b.cache.read_tokens !== undefined) o.cache.readTokens = b.cache.read_tokens;
    if (b.cache.write_tokens !== undefined) o.cache.writeTokens = b.cache.write_tokens;
    if (b.cache.ttl !== undefined) o.cache.ttl = b.cache.ttl;
    if (b.cache.storage !== undefined) o.cache.storage = b.cache.storage;
  }
  if (b.cache_hit_ratio !== undefined) o.cacheHitRatio = b.cache_hit_ratio;
  if (b.batch !== undefined) o.batch = b.batch;
  if (b.images !== undefined) o.images = b.images.map((i) => (i.detail ? { width: i.width, height: i.height, detail: i.detail } : { width: i.width, height: i.height }));
  if (b.audio !== undefined) {
    o.audio = {};
    if (b.audio.input_seconds !== undefined) o.audio.inputSeconds = b.audio.input_seconds;
    if (b.audio.output_seconds !== undefined) o.audio.outputSeconds = b.audio.output_seconds;
  }
  if (b.characters !== undefined) o.characters = b.characters;
  if (b.date !== undefined) o.date = b.date;
  if (b.service_tier !== undefined) o.serviceTier = b.service_tier;
  if (b.region !== undefined) o.region = b.region;
  if (b.tool_calls !== undefined) o.toolCalls = b.tool_calls;
  if (b.tool_quota_used !== undefined) o.toolQuotaUsed = b.tool_quota_used;
  return o;
}

function body(e: CostEstimate): EstimateBody {
  return {
    model: e.model,
    provider: e.provider,
    input_tokens: e.inputTokens,
    output_tokens: e.outputTokens,
    total_usd: e.totalUsd,
    total: e.total,
    currency: e.currency,
    lines: e.lines.map((l) => ({ component: l.component, quantity: l.quantity, unit: l.unit, unit_price: l.unitPrice, cost: l.cost })),
    exact: e.exact,
    method: e.method,
    price_since: e.priceSince,
    pricing_version: e.pricingVersion,
    warnings: e.warnings,
    service_tier: e.serviceTier,
    ...(e.region !== undefined ? { region: e.region } : {}),
    ...(e.timeWindow !== undefined ? { time_window: e.timeWindow } : {}),
    ...(e.range !== undefined ? { range: e.range } : {}),
    ...(e.alias !== undefined ? { alias: e.alias } : {}),
  };
}

/** Compares two exact non-negative decimal strings. */
export function compareDecimal(a: string, b: string): number {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const ia = ai.replace(/^0+(?=\d)/, '');
  const ib = bi.replace(/^0+(?=\d)/, '');
  if (ia.length !== ib.length) return ia.length - ib.length;
  if (ia !== ib) return ia < ib ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const fa = af.padEnd(n, '0');
  const fb = bf.padEnd(n, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** How the cost API's field names appear in this request. */
function renames(b: EstimateRequestBody, modelParam: string): Record<string, string> {
  const r: Record<string, string> = { model: modelParam, serviceTier: 'service_tier', toolCalls: 'tool_calls', toolQuotaUsed: 'tool_quota_used' };
  if (b.max_tokens !== undefined) r.outputTokens = 'max_tokens';
  if (b.max_completion_tokens !== undefined) r.outputTokens = 'max_completion_tokens';
  return r;
}

/**
 * Estimates for several models. Text input is tokenized once per distinct tokenizer (not once
 * per model): the count is passed on as input_tokens and the estimate relabelled with the
 * tokenizer's exactness and method, which is exactly what estimateCost would have returned.
 */
async function estimateMany(b: EstimateRequestBody, names: string[]): Promise<CostEstimate[]> {
  const textCounts = new Map<string, { tokens: number; exact: boolean; method: string }>();
  const out: CostEstimate[] = [];
  for (let i = 0; i < names.length; i++) {
    try {
      const opts = options(b, names[i]);
      const tokenizer = b.input !== undefined ? getModel(names[i]).tokenizer : undefined;
      if (tokenizer) {
        const key = JSON.stringify(tokenizer);
        let t = textCounts.get(key);
        if (!t) {
          const e = await estimateCost({ model: names[i], input: b.input });
          t = { tokens: e.inputTokens, exact: e.exact, method: e.method };
          textCounts.set(key, t);
        }
        delete opts.input;
        opts.inputTokens = t.tokens;
        out.push({ ...(await estimateCost(opts)), exact: t.exact, method: t.method });
      } else {
        out.push(await estimateCost(opts));
      }
    } catch (err) {
      throw toApiError(err, renames(b, `models[${i}]`));
    }
  }
  return out;
}

export const estimate = new OpenAPIHono<{ Bindings: Env }>().openapi(estimateRoute, async (c) => {
  const b = c.req.valid('json');
  if (b.model !== undefined) {
    try {
      return c.json(body(await estimateCost(options(b, b.model))), 200);
    } catch (err) {
      throw toApiError(err, renames(b, 'model'));
    }
  }
  const list = await estimateMany(b, b.models!);
  list.sort((x, y) => compareDecimal(x.total, y.total) || (x.model < y.model ? -1 : x.model > y.model ? 1 : 0));
  return c.json({ estimates: list.map(body) }, 200);
});
