/**
 * A non-streaming answer: read whole, billed (the provider's usage; our count when the provider
 * reports none), and rendered in the client's wire format with `usage` always present and
 * carrying our exact `cost`.
 */
import { bill, type Bill } from '../accounting/bill.js';
import { completionText } from '../accounting/output.js';
import type { ParsedRequest } from '../request.js';
import { completionToAnthropic, usageToAnthropic } from '../translate/anthropic-response.js';
import { isObject, type ChatCompletion, type ChatUsage, type Json } from '../translate/openai-types.js';
import type { Attempted } from '../upstream/attempt.js';

export interface JsonResult {
  body: Json;
  bill: Bill;
  /** The answer in the internal shape (chat only; for the response cache). */
  completion?: ChatCompletion;
}

function withCost(usage: Json | undefined, b: Bill): Json {
  return { ...(usage ?? {}), cost: b.estimate.total, ...(b.counted ? { counted: true } : {}) };
}

export async function relayJson(att: Attempted, req: ParsedRequest, requestId: string): Promise<JsonResult> {
  const raw = (await att.response.json()) as unknown;
  const json: Json = isObject(raw) ? raw : {};
  const { adapter, target } = att.planned;
  if (req.kind === 'embeddings') {
    const usage = isObject(json.usage) ? (json.usage as unknown as ChatUsage) : undefined;
    const b = await bill(att.planned, usage ? { prompt_tokens: usage.prompt_tokens, completion_tokens: 0 } : undefined, usage ? { ...usage, completion_tokens: 0, total_tokens: usage.prompt_tokens } : undefined, () => '');
    const out: Json = { ...json, usage: withCost(usage ? { prompt_tokens: usage.prompt_tokens, total_tokens: usage.total_tokens ?? usage.prompt_tokens } : { prompt_tokens: b.usage.prompt_tokens, total_tokens: b.usage.prompt_tokens }, b) };
    return { body: out, bill: b };
  }
  const completion = adapter.completion(json, target, requestId);
  const providerUsage = adapter.wire === 'gemini' ? json.usageMetadata : json.usage;
  const b = await bill(att.planned, isObject(providerUsage) ? providerUsage : undefined, completion.usage, () => completionText(completion));
  if (req.clientFormat === 'anthropic') {
    // Same wire: the provider's message as it came; else the translated completion.
    const body = adapter.wire === 'anthropic' ? { ...json } : completionToAnthropic({ ...completion, usage: b.usage }, req.model);
    body.usage = withCost(isObject(body.usage) ? body.usage : usageToAnthropic(b.usage), b);
    return { body, bill: b, completion };
  }
  const body: Json = adapter.wire === 'openai' ? { ...json } : { ...completion };
  body.usage = withCost((isObject(body.usage) ? body.usage : b.usage) as Json, b);
  return { body, bill: b, completion };
}
