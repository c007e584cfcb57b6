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
 * A whole response object is accepted too (its `usage` / `usageMetadata` is used).
 */
import type { BundleModel } from '../pricing/types.js';
import type { Quantities } from './engine.js';
import { CostInputError } from './errors.js';
import { priceCounted } from './estimate.js';
import { loadOptions, options as validation } from './lazy-options.js';
import { getModel, periodAt } from './table.js';
import type { CostEstimate } from './types.js';

/** Options of {@link costFromUsage}. */
export interface UsageOptions {
  /** The request went through the provider's Batch API. */
  batch?: boolean;
  /** Day the request was made (price history); default today. */
  date?: string | Date;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads an optional count at `path` (dotted) of `u`, 0 when absent. */
function count(u: Obj, path: string): number {
  let v: unknown = u;
  for (const k of path.split('.')) {
    if (!isObj(v)) return 0;
    v = v[k];
  }
  if (v === undefined || v === null) return 0;
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
  return {
    kind: 'usage:anthropic',
    q: { input, cacheRead: read, cacheWrite5m: w5, cacheWrite1h: w1, output },
    inputTokens: input,
    outputTokens: output,
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

/** Recognizes the provider's usage shape. */
export function parseUsage(usage: unknown, model: BundleModel): Parsed {
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

/** costFromUsage (documented where the package exports it, lazy-api.ts). */
export async function costFromUsage(model: string, usage: unknown, options: UsageOptions = {}): Promise<CostEstimate> {
  await loadOptions();
  if (!isObj(options)) fail('options', 'must be an object');
  const opts = options as UsageOptions;
  for (const k of Object.keys(opts)) if (k !== 'batch' && k !== 'date') fail(k, 'unknown field; expected batch, date');
  if (opts.batch !== undefined && typeof opts.batch !== 'boolean') fail('batch', 'must be true or false');
  const m = getModel(model);
  const p = parseUsage(usage, m);
  const period = periodAt(m, opts.date);
  return priceCounted({
    model: m,
    period,
    quantities: { ...p.q, batch: opts.batch ?? false },
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    exact: true,
    method: p.kind,
  });
}
