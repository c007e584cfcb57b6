/**
 * costFromUsage: the actual cost of a request from the `usage` its provider returned. Each
 * provider counts differently:
 *
 * - OpenAI Chat Completions: `prompt_tokens` INCLUDES `prompt_tokens_details.cached_tokens`
 *   (and audio_tokens); `completion_tokens` INCLUDES `completion_tokens_details.reasoning_tokens`
 *   (and audio_tokens). Responses API: the same with input_tokens / output_tokens and
 *   `*_tokens_details`; Realtime: `input_token_details` / `output_token_details`.
 * - Anthropic: `input_tokens` EXCLUDES `cache_creation_input_tokens` and
 *   `cache_read_input_tokens`; `cache_creation.ephemeral_5m_input_tokens` /
 *   `ephemeral_1h_input_tokens` split the writes by lifetime (all 5 min when absent).
 * - Gemini `usageMetadata`: `promptTokenCount` INCLUDES `cachedContentTokenCount`; output is
 *   `candidatesTokenCount` + `thoughtsTokenCount`; `toolUsePromptTokenCount` is input;
 *   AUDIO entries of `promptTokensDetails` / `cacheTokensDetails` are priced as audio.
 *
 * A whole response object is accepted too (its `usage` / `usageMetadata` is used). Server-side
 * tool calls are read where the provider reports them: Anthropic
 * `usage.server_tool_use.web_search_requests` / `web_fetch_requests`, OpenAI Responses output
 * items `web_search_call` / `file_search_call`, Gemini `groundingMetadata.webSearchQueries`
 * (one google_search call per query). A response's `service_tier` (OpenAI, Anthropic) picks the
 * service tier unless the options name one.
 */
import type { BundleModel } from '../pricing/types.js';
import type { Quantities } from './engine.js';
import { CostInputError } from './errors.js';
import { MAX_TOKENS } from './limits.js';
import { priceCounted, termsFor } from './estimate.js';
import { loadOptions, options as validation } from './lazy-options.js';
import { resolveModel } from './lifecycle.js';
import { serviceTiersOf } from './records.js';
import { periodAt } from './table.js';
import type { CostEstimate, ServiceTier, ToolCounts, ToolName } from './types.js';

/** Options of {@link costFromUsage}. */
export interface UsageOptions {
  /** The request went through the provider's Batch API (same as serviceTier: 'batch'). */
  batch?: boolean;
  /**
   * When the request was made: a day (price history) or a timestamp/Date (also picks the
   * time-of-day price); default today, time unknown.
   */
  date?: string | Date;
  /** Service tier the request ran on (the response's or request's `service_tier`); default the response's, else standard. */
  serviceTier?: ServiceTier;
  /** Region or data-residency geo whose uplift applies. */
  region?: string;
  /** Server-side tool calls, when the usage does not report them (replaces what it reports). */
  toolCalls?: ToolCounts;
  /** Calls of each tool already made in its free-quota period before this request. */
  toolQuotaUsed?: ToolCounts;
}

const USAGE_KEYS = ['batch', 'date', 'serviceTier', 'region', 'toolCalls', 'toolQuotaUsed'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads an optional count at `path` (dotted) of `u`, 0 when absent. */
function count(u: Obj, path: string): number {
  let v: unknown = u;
  // Walked without splitting the path: every proxied response reads six or more of these.
  for (let start = 0; start <= path.length; ) {
    if (!isObj(v)) return 0;
    let end = path.indexOf('.', start);
    if (end < 0) end = path.length;
    v = v[start === 0 && end === path.length ? path : path.slice(start, end)];
    start = end + 1;
  }
  if (v === undefined || v === null) return 0;
  // A plain count needs no validator (and no field name for a message it will not give).
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_TOKENS) return v;
  return validation().checkCount(v, `usage.${path}`);
}

function modality(list: unknown, name: string, field: string): number {
  if (!Array.isArray(list)) return 0;
  let n = 0;
  list.forEach((d, i) => {
    if (isObj(d) && String(d.modality).toUpperCase() === name) n += validation().checkCount(d.tokenCount ?? 0, `usage.${field}[${i}].tokenCount`);
  });
  return n;
}

interface Parsed {
  kind: string;
  q: Quantities;
  inputTokens: number;
  outputTokens: number;
  tools?: ToolCounts;
}

function fail(field: string, msg: string): never {
  throw new CostInputError(field, msg);
}

function openAiChat(u: Obj): Parsed {
  const prompt = count(u, 'prompt_tokens');
  const completion = count(u, 'completion_tokens');
  const cached = count(u, 'prompt_tokens_details.cached_tokens');
  const audioIn = count(u, 'prompt_tokens_details.audio_tokens');
  const reasoning = count(u, 'completion_tokens_details.reasoning_tokens');
  const audioOut = count(u, 'completion_tokens_details.audio_tokens');
  if (audioIn > prompt) fail('usage.prompt_tokens_details.audio_tokens', `${audioIn} exceeds prompt_tokens ${prompt}`);
  if (cached > prompt - audioIn) fail('usage.prompt_tokens_details.cached_tokens', `${cached} exceeds the ${prompt - audioIn} text prompt tokens it is part of`);
  if (audioOut + reasoning > completion) fail('usage.completion_tokens_details', `reasoning + audio tokens exceed completion_tokens ${completion}`);
  return {
    kind: 'usage:openai',
    q: { input: prompt - audioIn, cacheRead: cached, output: completion - audioOut, reasoning, audioInTokens: audioIn, audioOutTokens: audioOut },
    inputTokens: prompt,
    outputTokens: completion,
  };
}

function openAiResponses(u: Obj): Parsed {
  const input = count(u, 'input_tokens');
  const output = count(u, 'output_tokens');
  // Responses API: input_tokens_details; Realtime: input_token_details (with audio split).
  const cached = count(u, 'input_tokens_details.cached_tokens') + count(u, 'input_token_details.cached_tokens');
  const audioIn = count(u, 'input_token_details.audio_tokens');
  const audioCached = count(u, 'input_token_details.cached_tokens_details.audio_tokens');
  const audioOut = count(u, 'output_token_details.audio_tokens');
  const reasoning = count(u, 'output_tokens_details.reasoning_tokens');
  if (audioIn > input) fail('usage.input_token_details.audio_tokens', `${audioIn} exceeds input_tokens ${input}`);
  if (audioCached > audioIn || audioCached > cached) fail('usage.input_token_details.cached_tokens_details.audio_tokens', 'exceeds the cached or audio tokens it is part of');
  if (cached - audioCached > input - audioIn) fail('usage.input_tokens_details.cached_tokens', `${cached} exceeds input_tokens ${input}`);
  if (audioOut + reasoning > output) fail('usage.output_tokens_details', `reasoning + audio tokens exceed output_tokens ${output}`);
  return {
    kind: 'usage:openai',
    q: {
      input: input - audioIn,
      cacheRead: cached - audioCached,
      output: output - audioOut,
      reasoning,
      audioInTokens: audioIn,
      audioCachedTokens: audioCached,
      audioOutTokens: audioOut,
    },
    inputTokens: input,
    outputTokens: output,
  };
}

function anthropic(u: Obj): Parsed {
  const uncached = count(u, 'input_tokens');
  const read = count(u, 'cache_read_input_tokens');
  const created = count(u, 'cache_creation_input_tokens');
  let w5 = created;
  let w1 = 0;
  if (isObj(u.cache_creation)) {
    w5 = count(u, 'cache_creation.ephemeral_5m_input_tokens');
    w1 = count(u, 'cache_creation.ephemeral_1h_input_tokens');
    if (u.cache_creation_input_tokens !== undefined && w5 + w1 !== created) {
      fail('usage.cache_creation', `5m + 1h writes (${w5} + ${w1}) differ from cache_creation_input_tokens ${created}`);
    }
  }
  const input = uncached + read + w5 + w1;
  const output = count(u, 'output_tokens');
  const tools: ToolCounts = {};
  const search = count(u, 'server_tool_use.web_search_requests');
  const fetch = count(u, 'server_tool_use.web_fetch_requests');
  if (search) tools.web_search = search;
  if (fetch) tools.web_fetch = fetch;
  return {
    kind: 'usage:anthropic',
    q: { input, cacheRead: read, cacheWrite5m: w5, cacheWrite1h: w1, output },
    inputTokens: input,
    outputTokens: output,
    tools,
  };
}

function gemini(u: Obj): Parsed {
  const prompt = count(u, 'promptTokenCount') + count(u, 'toolUsePromptTokenCount');
  const cached = count(u, 'cachedContentTokenCount');
  const thoughts = count(u, 'thoughtsTokenCount');
  const output = count(u, 'candidatesTokenCount') + thoughts;
  const audioIn = modality(u.promptTokensDetails, 'AUDIO', 'promptTokensDetails');
  const audioCached = modality(u.cacheTokensDetails, 'AUDIO', 'cacheTokensDetails');
  if (cached > prompt) fail('usage.cachedContentTokenCount', `${cached} exceeds promptTokenCount ${prompt}`);
  if (audioIn > prompt || audioCached > audioIn || audioCached > cached) fail('usage.promptTokensDetails', 'audio token counts are inconsistent with the totals');
  if (cached - audioCached > prompt - audioIn) fail('usage.cachedContentTokenCount', 'exceeds the text prompt tokens it is part of');
  return {
    kind: 'usage:gemini',
    q: { input: prompt - audioIn, cacheRead: cached - audioCached, output, reasoning: thoughts, audioInTokens: audioIn, audioCachedTokens: audioCached },
    inputTokens: prompt,
    outputTokens: output,
  };
}

/** Tool calls a whole response reports outside its usage (OpenAI Responses items, Gemini grounding). */
function responseTools(r: Obj): ToolCounts {
  const out: ToolCounts = {};
  const add = (k: ToolName, n: number): void => {
    if (n > 0) out[k] = (out[k] ?? 0) + n;
  };
  if (Array.isArray(r.output)) {
    for (const item of r.output) {
      if (!isObj(item)) continue;
      if (item.type === 'web_search_call') add('web_search', 1);
      else if (item.type === 'file_search_call') add('file_search', 1);
    }
  }
  if (Array.isArray(r.candidates)) {
    for (const c of r.candidates) {
      const g = isObj(c) && isObj(c.groundingMetadata) ? c.groundingMetadata : undefined;
      if (g && Array.isArray(g.webSearchQueries)) add('google_search', g.webSearchQueries.length);
    }
  }
  return out;
}

/** Recognizes the provider's usage shape. */
export function parseUsage(usage: unknown, model: BundleModel): Parsed {
  const p = parseUsageObject(usage, model);
  const extra = isObj(usage) ? responseTools(usage) : {};
  return Object.keys(extra).length ? { ...p, tools: { ...extra, ...p.tools } } : p;
}

function parseUsageObject(usage: unknown, model: BundleModel): Parsed {
  if (!isObj(usage)) fail('usage', 'must be a usage object (or a response containing one)');
  let u: Obj = usage;
  if (isObj(u.usageMetadata)) u = u.usageMetadata;
  else if (isObj(u.usage)) u = u.usage;
  if ('promptTokenCount' in u || 'candidatesTokenCount' in u || 'totalTokenCount' in u) return gemini(u);
  if ('prompt_tokens' in u || 'completion_tokens' in u) return openAiChat(u);
  if ('cache_creation_input_tokens' in u || 'cache_read_input_tokens' in u || 'cache_creation' in u) return anthropic(u);
  if ('input_tokens' in u || 'output_tokens' in u) return model.provider === 'anthropic' ? anthropic(u) : openAiResponses(u);
  return fail('usage', 'not a recognized usage object: expected OpenAI (prompt_tokens / input_tokens), Anthropic (input_tokens + cache_*_input_tokens) or Gemini (promptTokenCount) fields');
}

function reportedTier(usage: unknown): string | undefined {
  if (!isObj(usage)) return undefined;
  if (typeof usage.service_tier === 'string') return usage.service_tier;
  if (isObj(usage.usage) && typeof usage.usage.service_tier === 'string') return usage.usage.service_tier;
  return undefined;
}

function checked<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string; path: PropertyKey[] }> } } }, v: unknown, field: string): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  fail(issue.path.length ? `${field}.${validation().fieldPath(issue.path)}` : field, issue.message);
}

/** costFromUsage (documented where the package exports it, lazy-api.ts). */
export async function costFromUsage(model: string, usage: unknown, options: UsageOptions = {}): Promise<CostEstimate> {
  const v = await loadOptions();
  if (!isObj(options)) fail('options', 'must be an object');
  const opts = options as UsageOptions;
  for (const k of Object.keys(opts)) if (!USAGE_KEYS.includes(k)) fail(k, `unknown field; expected ${USAGE_KEYS.join(', ')}`);
  if (opts.batch !== undefined && typeof opts.batch !== 'boolean') fail('batch', 'must be true or false');
  const date = opts.date === undefined ? undefined : checked(v.dateSchema, opts.date, 'date');
  const region = opts.region === undefined ? undefined : checked(v.regionSchema, opts.region, 'region');
  const toolCalls = opts.toolCalls === undefined ? undefined : checked(v.toolCountsSchema, opts.toolCalls, 'toolCalls');
  const toolQuotaUsed = opts.toolQuotaUsed === undefined ? undefined : checked(v.toolCountsSchema, opts.toolQuotaUsed, 'toolQuotaUsed');
  const resolved = resolveModel(model, date);
  const m = resolved.model;
  const p = parseUsage(usage, m);
  const period = periodAt(m, resolved.day);
  let serviceTier = opts.serviceTier === undefined ? undefined : checked(v.serviceTierSchema, opts.serviceTier, 'serviceTier');
  if (serviceTier === undefined && !opts.batch) {
    // The response's own service_tier (OpenAI: on the response; Anthropic: in usage), when the caller names none.
    const reported = reportedTier(usage);
    const parsed = reported === undefined ? undefined : v.serviceTierSchema.safeParse(reported);
    if (parsed?.success && serviceTiersOf(period).includes(parsed.data === 'batch' || parsed.data === 'flex' || parsed.data === 'priority' || parsed.data === 'fast' ? parsed.data : 'standard')) serviceTier = parsed.data;
    else if (reported !== undefined && reported !== 'standard' && reported !== 'default') {
      resolved.warnings.push(`the response reports service tier ${JSON.stringify(reported)}, which ${m.id} has no separate price for; priced at standard prices.`);
    }
  }
  const terms = termsFor(m, period, { serviceTier, batch: opts.batch, region, date, toolCalls: toolCalls ?? p.tools, toolQuotaUsed });
  return priceCounted({
    model: m,
    period,
    quantities: { ...p.q, regionMicro: terms.regionMicro, toolCalls: terms.toolCalls, toolBefore: terms.toolBefore },
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    exact: true,
    method: p.kind,
    serviceTier: terms.serviceTier,
    window: terms.window,
    ...(region !== undefined ? { region: region.toLowerCase() } : {}),
    warnings: [...resolved.warnings, ...terms.warnings],
    ...(resolved.alias ? { alias: resolved.alias } : {}),
  });
}
