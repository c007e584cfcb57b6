/**
 * estimateCost: count what a request will send (text, chat messages, images, audio), then
 * price it exactly with the WASM engine under the model's price period for the day.
 */
import type { BundleModel, PricePeriod } from '../pricing/types.js';
import { countChatDetailed } from './chat.js';
import { costEngine, type Quantities } from './engine.js';
import { CostInputError } from './errors.js';
import { imageTokensForRule } from './images.js';
import { loadOptions } from './lazy-options.js';
import { compiledTable } from './compiled-table.js';
import { getModel, periodAt } from './table.js';
import { counterFor, countText } from './tokens.js';
import type { CostEstimate, EstimateOptions } from './types.js';

/** What was counted, before pricing. */
export interface Counted {
  model: BundleModel;
  quantities: Quantities;
  inputTokens: number;
  outputTokens: number;
  exact: boolean;
  method: string;
  period: PricePeriod;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Resolves, counts and validates everything estimateCost needs; no pricing yet. */
export async function countRequest(opts: EstimateOptions): Promise<Counted> {
  const o = (await loadOptions()).parseEstimateOptions(opts);
  const model = getModel(o.model);
  const given = (['input', 'messages', 'inputTokens'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new CostInputError(given[1]!, `give only one of input, messages, inputTokens (got ${given.join(' and ')})`);
  if (o.tools !== undefined && o.messages === undefined) throw new CostInputError('tools', 'tools are counted with messages; pass messages too');
  if (o.cache !== undefined && o.cacheHitRatio !== undefined) throw new CostInputError('cacheHitRatio', 'give either cache or cacheHitRatio, not both');
  const period = periodAt(model, o.date);
  const counter = counterFor(model);

  let text = 0;
  let exact = true;
  let method = 'given';
  let characters = o.characters;
  let images = 0;
  if (o.input !== undefined) {
    if (counter) {
      text = await countText(counter, o.input);
      exact = counter.exact;
      method = counter.method;
    } else if (period.per_million_characters !== undefined) {
      characters ??= codePoints(o.input);
      method = 'characters';
    } else {
      throw new CostInputError('input', `${model.id} is not priced by text (use audio.inputSeconds)`);
    }
  } else if (o.messages !== undefined) {
    const c = await countChatDetailed(o.messages, o.tools ? { model: model.id, tools: o.tools } : { model: model.id });
    text = c.tokens;
    exact = c.exact;
    method = c.method;
  } else if (o.inputTokens !== undefined) {
    text = o.inputTokens;
  }

  let imageTokens = 0;
  if (o.images && o.images.length > 0) {
    const rule = period.image;
    if (!rule) throw new CostInputError('images', `${model.id} has no image pricing rule (it does not take image input)`);
    for (const img of o.images) {
      if (rule.rule === 'per-image') images++;
      else imageTokens += imageTokensForRule(rule, img.width, img.height, img.detail ?? 'auto');
    }
  }

  const output = o.outputTokens ?? 0;
  const reasoning = o.reasoningTokens ?? 0;
  if (reasoning > output) throw new CostInputError('reasoningTokens', `${reasoning} reasoning tokens exceed the ${output} output tokens they are part of`);

  const read = o.cache?.readTokens ?? (o.cacheHitRatio !== undefined ? Math.floor(text * o.cacheHitRatio) : 0);
  const write = o.cache?.writeTokens ?? 0;
  if (read > text) throw new CostInputError('cache.readTokens', `${read} cache-read tokens exceed the ${text} input tokens they are part of`);
  if (write > text - read) throw new CostInputError('cache.writeTokens', `${read} read + ${write} written cache tokens exceed the ${text} input tokens they are part of`);
  const ttl1h = o.cache?.ttl === '1h';

  return {
    model,
    period,
    inputTokens: text + imageTokens,
    outputTokens: output,
    exact,
    method,
    quantities: {
      input: text,
      cacheRead: read,
      cacheWrite5m: ttl1h ? 0 : write,
      cacheWrite1h: ttl1h ? write : 0,
      output,
      reasoning,
      imageTokens,
      images,
      audioInMs: Math.round((o.audio?.inputSeconds ?? 0) * 1000),
      audioOutMs: Math.round((o.audio?.outputSeconds ?? 0) * 1000),
      characters: characters ?? 0,
      batch: o.batch ?? false,
    },
  };
}

/** Prices counted quantities with the engine. */
export async function priceCounted(c: Counted): Promise<CostEstimate> {
  const engine = await costEngine();
  const ct = compiledTable();
  // A table swapped by loadPricing between counting and pricing: re-resolve the period.
  const record = ct.index.get(c.period) ?? ct.index.get(periodAt(getModel(c.model.id)))!;
  const priced = engine.compute(ct, record, c.quantities, c.model.id);
  const lines = priced.lines.length > 0 ? priced.lines : [{ component: 'input', quantity: 0, unit: 'token', unitPrice: '0', cost: '0' }];
  return {
    model: c.model.id,
    provider: c.model.provider,
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    totalUsd: Number(priced.total),
    total: priced.total,
    currency: 'USD',
    lines,
    exact: c.exact,
    method: c.method,
    priceSince: c.period.since,
    pricingVersion: ct.table.version,
  };
}

/** estimateCost (documented where the package exports it, lazy-api.ts): count, then price. */
export async function estimateCost(opts: EstimateOptions): Promise<CostEstimate> {
  return priceCounted(await countRequest(opts));
}
