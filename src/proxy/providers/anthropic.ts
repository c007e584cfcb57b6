/**
 * Anthropic Messages API. Requests from /v1/messages clients go as they came (model replaced);
 * others are translated (../translate/anthropic-request.ts). Anthropic requires max_tokens:
 * when the client gives none, the model's max output is sent (and reserved against budgets).
 */
import { toAnthropic } from '../translate/anthropic-request.js';
import { completionFromAnthropic } from '../translate/anthropic-response.js';
import { AnthropicDecoder } from '../translate/anthropic-stream.js';
import { joinUrl, messageOf, type ProviderAdapter } from './types.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicAdapter: ProviderAdapter = {
  wire: 'anthropic',
  unsupported(req) {
    if (req.kind === 'embeddings') return 'Anthropic has no embeddings API';
    if (req.n > 1) return 'Anthropic does not support n > 1';
    return undefined;
  },
  build(req, target, key) {
    if (req.kind !== 'chat') throw new Error('unreachable: embeddings to anthropic');
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION, ...(req.anthropicHeaders ?? {}), ...(target.config.headers ?? {}) };
    const body = req.anthropicBody
      ? { ...req.anthropicBody, model: target.upstreamModel }
      : toAnthropic(req.body, { model: target.upstreamModel, defaultMaxTokens: target.priced.max_output ?? 4096 });
    return { url: joinUrl(target.config.baseUrl!, '/v1/messages'), init: { method: 'POST', headers, body: JSON.stringify(body) } };
  },
  completion: (json, target) => completionFromAnthropic(json, target.upstreamModel),
  decoder: (target) => new AnthropicDecoder(target.upstreamModel),
  errorMessage: (status, text) => messageOf(text) ?? `HTTP ${status}`,
};
