/**
 * OpenAI error bodies `{"error":{"message","type","param","code"}}` and headers, worded as the
 * API words them (OpenAI API reference "Error codes" and the bodies the API returns for a
 * missing / wrong key, an unknown model, a rate limit and a server error).
 */
import type { ErrorSpec, RateState } from '../core/provider.js';

/** `sk-proj-abcd…wxyz` → `sk-proj-****…wxyz`, as OpenAI echoes a wrong key. */
function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return key.slice(0, Math.min(8, key.length - 4)) + '*'.repeat(Math.max(4, key.length - 12)) + key.slice(-4);
}

/** Go-style duration as in `x-ratelimit-reset-*` ("6ms", "1.5s", "6m0s"). */
export function rateDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  return `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

export function openaiRateHeaders(rate: RateState): Record<string, string> {
  return {
    'openai-version': '2020-10-01',
    'openai-organization': 'user-fake',
    'openai-processing-ms': '1',
    'x-ratelimit-limit-requests': String(rate.limit),
    'x-ratelimit-remaining-requests': String(rate.remaining),
    'x-ratelimit-reset-requests': rateDuration(rate.resetMs),
    'x-ratelimit-limit-tokens': '30000000',
    'x-ratelimit-remaining-tokens': '30000000',
    'x-ratelimit-reset-tokens': '0s',
  };
}

interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

function defaults(spec: ErrorSpec): OpenAIError {
  const model = spec.model ?? 'the model';
  switch (spec.kind) {
    case 'missing_key':
      return {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
        type: 'invalid_request_error',
        param: null,
        code: null,
      };
    case 'invalid_key':
      return {
        message: `Incorrect API key provided: ${maskKey(spec.key ?? '')}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      };
    case 'model_not_found':
      return { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' };
    case 'rate_limit': {
      const wait = spec.retryAfterSeconds !== undefined ? ` Please try again in ${spec.retryAfterSeconds}s.` : '';
      return {
        message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM).${wait} Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    }
    case 'server_error':
      return {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      };
    case 'overloaded':
      return { message: 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: null };
    case 'not_found':
      return { message: 'Invalid URL', type: 'invalid_request_error', param: null, code: null };
    case 'invalid_request':
      return { message: 'Invalid request.', type: 'invalid_request_error', param: null, code: null };
    default:
      return {
        message: `Request failed with status ${spec.status}.`,
        type: spec.status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: null,
      };
  }
}

export function openaiError(spec: ErrorSpec): { error: OpenAIError } {
  const d = defaults(spec);
  return {
    error: {
      message: spec.message ?? d.message,
      type: spec.type ?? d.type,
      param: spec.param !== undefined ? spec.param : d.param,
      code: spec.code !== undefined ? spec.code : d.code,
    },
  };
}
