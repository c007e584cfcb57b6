/**
 * estimateCost: count what a request will send (text, chat messages, images, audio), then
 * price it exactly with the WASM engine under the model's price period for the day, its
 * service tier, region and time-of-day window.
 */
import type { BundleModel, PricePeriod, ToolKind } from '../pricing/types.js';
import { countChatDetailed } from './chat.js';
import { compiledTable, recordOf, type CompiledTable } from './compiled-table.js';
import { costEngine, type PricedLines, type Quantities } from './engine.js';
import { CostInputError } from './errors.js';
import { imageTokensForRule } from './images.js';
import { loadOptions } from './lazy-options.js';
import { resolveModel } from './lifecycle.js';
import { toolsOf, type ServiceTierName } from './records.js';
import { periodAt } from './table.js';
import { describeWindows, regionMicro, serviceTierOf, windowAt } from './terms.js';
import { counterFor, countText } from './tokens.js';
import type { CostEstimate, EstimateOptions, ToolCounts } from './types.js';

/** What was counted, before pricing. */
export interface Counted {
  model: BundleModel;
  quantities: Quantities;
  inputTokens: number;
  outputTokens: number;
  exact: boolean;
  method: string;
  period: PricePeriod;
  serviceTier: ServiceTierName;
  /** Time-of-day window index (-1: outside every window), or undefined when the time is unknown. */
  window: number | undefined;
  region?: string;
  warnings: string[];
  alias?: string;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The request's terms (tier, region, window, tools) for `period`, shared by estimates and usage. */
export function termsFor(
  model: BundleModel,
  period: PricePeriod,
  o: { serviceTier?: string; batch?: boolean; region?: string; date?: string | Date; toolCalls?: ToolCounts; toolQuotaUsed?: ToolCounts },
): Pick<Counted, 'serviceTier' | 'window' | 'warnings'> & { regionMicro: number; toolCalls: number[]; toolBefore: number[] } {
  const { tier, warnings } = serviceTierOf(o.serviceTier, o.batch, period, model.id);
  const tools = toolsOf(period);
  for (const k of Object.keys(o.toolCalls ?? {}) as ToolKind[]) {
    if ((o.toolCalls![k] ?? 0) > 0 && !tools.includes(k)) {
      throw new CostInputError(`toolCalls.${k}`, `${model.id} has no ${k} price${tools.length ? `; it prices ${tools.join(', ')}` : ''}`);
    }
  }
  return {
    serviceTier: tier,
    window: windowAt(period, o.date),
    warnings,
    regionMicro: regionMicro(o.region, period, model.id),
    toolCalls: tools.map((k) => o.toolCalls?.[k] ?? 0),
    toolBefore: tools.map((k) => o.toolQuotaUsed?.[k] ?? 0),
  };
}

/** Resolves, counts and validates everything estimateCost needs; no pricing yet. */
export async function countRequest(opts: EstimateOptions): Promise<Counted> {
  const o = (await loadOptions()).parseEstimateOptions(opts);
  const resolved = resolveModel(o.model, o.date);
  const model = resolved.model;
  const given = (['input', 'messages', 'inputTokens'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new CostInputError(given[1]!, `give only one of input, messages, inputTokens (got ${given.join(' and ')})`);
  if (o.tools !== undefined && o.messages === undefined) throw new CostInputError('tools', 'tools are counted with messages; pass messages too');
  if (o.cache !== undefined && o.cacheHitRatio !== undefined) throw new CostInputError('cacheHitRatio', 'give either cache or cacheHitRatio, not both');
  const period = periodAt(model, resolved.day);
  const terms = termsFor(model, period, o);
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
  const ttl = o.cache?.ttl ?? '5m';
  const storage = o.cache?.storage;

  return {
    model,
    period,
    inputTokens: text + imageTokens,
    outputTokens: output,
    exact,
    method,
    serviceTier: terms.serviceTier,
    window: terms.window,
    ...(o.region !== undefined ? { region: o.region.toLowerCase() } : {}),
    warnings: [...resolved.warnings, ...terms.warnings],
    ...(resolved.alias ? { alias: resolved.alias } : {}),
    quantities: {
      input: text,
      cacheRead: read,
      cacheWrite5m: ttl === '5m' ? write : 0,
      cacheWrite30m: ttl === '30m' ? write : 0,
      cacheWrite1h: ttl === '1h' ? write : 0,
      cacheWrite12h: ttl === '12h' ? write : 0,
      output,
      reasoning,
      imageTokens,
      images,
      audioInMs: Math.round((o.audio?.inputSeconds ?? 0) * 1000),
      audioOutMs: Math.round((o.audio?.outputSeconds ?? 0) * 1000),
      characters: characters ?? 0,
      regionMicro: terms.regionMicro,
      storageTokens: storage?.tokens ?? 0,
      storageSeconds: storage ? Math.round(storage.hours * 3600) : 0,
      toolCalls: terms.toolCalls,
      toolBefore: terms.toolBefore,
    },
  };
}

function priceWith(engine: Awaited<ReturnType<typeof costEngine>>, ct: CompiledTable, c: Counted, period: PricePeriod, window: number): PricedLines {
  const record = recordOf(ct, period, c.serviceTier, window);
  if (record === undefined) throw new CostInputError('serviceTier', `${c.model.id} has no '${c.serviceTier}' price in the pricing table in force`);
  return engine.compute(ct, record, c.quantities, c.model.id);
}

/** Prices counted quantities with the engine. */
export async function priceCounted(c: Counted): Promise<CostEstimate> {
  const engine = await costEngine();
  const ct = compiledTable();
  // A table swapped by loadPricing between counting and pricing: re-resolve the period.
  const period = ct.variants.has(c.period) ? c.period : periodAt(ct.table.require(c.model.id), c.period.since);
  const warnings = [...c.warnings];
  let priced: PricedLines;
  let range: CostEstimate['range'];
  let timeWindow: string | undefined;
  if (c.window === undefined) {
    // Time unknown: price every window and the hours outside them; report the range, bill the highest.
    const all = [-1, ...(period.time_of_day ?? []).map((_, i) => i)].map((w) => priceWith(engine, ct, c, period, w));
    let lo = all[0]!;
    let hi = all[0]!;
    for (const p of all) {
      if (p.totalYocto < lo.totalYocto) lo = p;
      if (p.totalYocto > hi.totalYocto) hi = p;
    }
    priced = hi;
    range = { min: lo.total, max: hi.total };
    warnings.push(`${c.model.id} is priced by time of day (${describeWindows(period)}); no time was given, so the total is the highest of ${lo.total}–${hi.total} USD. Pass date as a timestamp for the exact price.`);
  } else {
    priced = priceWith(engine, ct, c, period, c.window);
    if (period.time_of_day) timeWindow = c.window >= 0 ? period.time_of_day[c.window]!.label : 'standard';
  }
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
    priceSince: period.since,
    pricingVersion: ct.table.version,
    warnings,
    serviceTier: c.serviceTier,
    ...(c.region !== undefined ? { region: c.region } : {}),
    ...(timeWindow !== undefined ? { timeWindow } : {}),
    ...(range ? { range } : {}),
    ...(c.alias ? { alias: c.alias } : {}),
  };
}

/** estimateCost (documented where the package exports it, lazy-api.ts): count, then price. */
export async function estimateCost(opts: EstimateOptions): Promise<CostEstimate> {
  return priceCounted(await countRequest(opts));
}
