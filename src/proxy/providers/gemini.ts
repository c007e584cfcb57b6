/** Google Gemini API (`generateContent`, `streamGenerateContent?alt=sse`), key in `x-goog-api-key`. */
import { completionFromGemini, GeminiDecoder, toGemini } from '../translate/gemini.js';
import { joinUrl, messageOf, type ProviderAdapter } from './types.js';

export const geminiAdapter: ProviderAdapter = {
  wire: 'gemini',
  unsupported(req) {
    if (req.kind === 'embeddings') return 'embeddings go to Gemini through its OpenAI-compatible endpoint (type openai)';
    return undefined;
  },
  build(req, target, key) {
    if (req.kind !== 'chat') throw new Error('unreachable: embeddings to gemini');
    const model = encodeURIComponent(target.upstreamModel);
    const path = req.stream ? `/v1beta/models/${model}:streamGenerateContent?alt=sse` : `/v1beta/models/${model}:generateContent`;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-goog-api-key': key, ...(target.config.headers ?? {}) };
    return { url: joinUrl(target.config.baseUrl!, path), init: { method: 'POST', headers, body: JSON.stringify(toGemini(req.body)) } };
  },
  completion: (json, target, id) => completionFromGemini(json, target.upstreamModel, id),
  decoder: (target, id, req) => new GeminiDecoder(target.upstreamModel, id, req.n),
  errorMessage: (status, text) => messageOf(text) ?? `HTTP ${status}`,
};
