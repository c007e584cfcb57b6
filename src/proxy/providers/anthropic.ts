/**
 * Anthropic Messages API. Requests from /v1/messages clients go as they came (model replaced);
 * others are translated (../translate/anthropic-request.ts). Anthropic requires max_tokens:
 * when the client gives none, the model's max output is sent (and reserved against budgets).
 */
import type { CompiledTarget } from '../config/load.js';
import { toAnthropic } from '../translate/anthropic-request.js';
import { completionFromAnthropic } from '../translate/anthropic-response.js';
import { AnthropicDecoder } from '../translate/anthropic-stream.js';
import { joinUrl, messageOf, type ProviderAdapter } from './types.js';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Headers of a request to an Anthropic provider: the key, the API version, the client's own anthropic-* headers, then the provider's configured ones. */
export function anthropicHeaders(target: CompiledTarget, key: string, client?: Record<string, string>): Record<string, string> {
  return { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION, ...(client ?? {}), ...(target.config.headers ?? {}) };
}

export const anthropicAdapter: ProviderAdapter = {
  wire: 'anthropic',
  unsupported(req) {
    if (req.kind === 'embeddings') return 'Anthropic has no embeddings API';
    if (req.n > 1) return 'Anthropic does not support n > 1';
    return undefined;
  },
  build(req, target, key) {
    if (req.kind !== 'chat') throw new Error('unreachable: embeddings to anthropic');
    const headers = anthropicHeaders(target, key, req.anthropicHeaders);
    const body = req.anthropicBody
      ? { ...req.anthropicBody, model: target.upstreamModel }
      : toAnthropic(req.body, { model: target.upstreamModel, defaultMaxTokens: target.priced.max_output ?? 4096 });
    return { url: joinUrl(target.config.baseUrl!, '/v1/messages'), init: { method: 'POST', headers, body: JSON.stringify(body) } };
  },
  completion: (json, target) => completionFromAnthropic(json, target.upstreamModel),
  decoder: (target) => new AnthropicDecoder(target.upstreamModel),
  errorMessage: (status, text) => messageOf(text) ?? `HTTP ${status}`,
};
