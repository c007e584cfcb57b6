/**
 * OpenAI and every OpenAI-compatible API (Groq, Together, Mistral, DeepSeek, xAI, OpenRouter,
 * vLLM, Ollama …): the internal shape is this wire format, so a request passes through with
 * the upstream's model name, and streams always ask for usage (`stream_options.include_usage`;
 * the relay strips that chunk when the client did not ask for it).
 */
import { OpenAIDecoder } from '../translate/openai-stream.js';
import type { ChatCompletion, Json } from '../translate/openai-types.js';
import { joinUrl, messageOf, type ProviderAdapter } from './types.js';

export const openaiAdapter: ProviderAdapter = {
  wire: 'openai',
  unsupported: () => undefined,
  build(req, target, key) {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    if (target.config.headers) Object.assign(headers, target.config.headers);
    // The client's own body when the upstream needs it unchanged (same model name; a stream already asking for usage): no re-serialization.
    const unchanged = req.text !== undefined && req.body.model === target.upstreamModel;
    if (req.kind === 'embeddings') {
      return { url: joinUrl(target.config.baseUrl!, '/embeddings'), init: { method: 'POST', headers, body: unchanged ? req.text! : JSON.stringify({ ...req.body, model: target.upstreamModel }) } };
    }
    if (unchanged && (!req.stream || req.body.stream_options?.include_usage === true)) {
      return { url: joinUrl(target.config.baseUrl!, '/chat/completions'), init: { method: 'POST', headers, body: req.text! } };
    }
    const body: Json = { ...req.body, model: target.upstreamModel };
    if (req.stream) body.stream_options = { ...(req.body.stream_options ?? {}), include_usage: true };
    // Translated requests (from /v1/messages) carry max_tokens; OpenAI's reasoning models accept only max_completion_tokens.
    if (req.clientFormat !== 'openai' && target.priced.provider === 'openai' && body.max_tokens != null) {
      body.max_completion_tokens = body.max_tokens;
      delete body.max_tokens;
    }
    return { url: joinUrl(target.config.baseUrl!, '/chat/completions'), init: { method: 'POST', headers, body: JSON.stringify(body) } };
  },
  completion: (json) => json as unknown as ChatCompletion,
  decoder: () => new OpenAIDecoder(),
  errorMessage: (status, text) => messageOf(text) ?? `HTTP ${status}`,
};
