/**
 * Anthropic error bodies `{"type":"error","error":{"type","message"},"request_id"}` and headers
 * (Claude API reference "Errors": HTTP status → error type, the `request-id` header; "Rate
 * limits": the `anthropic-ratelimit-*` and `retry-after` headers).
 */
import type { ErrorSpec, RateState } from '../core/provider.js';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

function defaults(spec: ErrorSpec): { type: string; message: string } {
  switch (spec.kind) {
    case 'missing_key':
      return { type: 'authentication_error', message: 'x-api-key header is required' };
    case 'invalid_key':
      return { type: 'authentication_error', message: 'invalid x-api-key' };
    case 'model_not_found':
      return { type: 'not_found_error', message: `model: ${spec.model}` };
    case 'not_found':
      return { type: 'not_found_error', message: 'Not Found' };
    case 'rate_limit':
      return {
        type: 'rate_limit_error',
        message:
          'This request would exceed the rate limit for your organization of requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.',
      };
    case 'overloaded':
      return { type: 'overloaded_error', message: 'Overloaded' };
    case 'server_error':
      return { type: 'api_error', message: 'Internal server error' };
    default:
      return { type: TYPE_BY_STATUS[spec.status] ?? (spec.status >= 500 ? 'api_error' : 'invalid_request_error'), message: `Request failed with status ${spec.status}` };
  }
}

export function anthropicErrorBody(spec: ErrorSpec, requestId?: string): Record<string, unknown> {
  const d = defaults(spec);
  return {
    type: 'error',
    error: { type: spec.type ?? d.type, message: spec.message ?? d.message },
    ...(requestId ? { request_id: requestId } : {}),
  };
}

export function anthropicRateHeaders(rate: RateState): Record<string, string> {
  const reset = new Date(Date.now() + rate.resetMs).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    'anthropic-organization-id': '00000000-0000-4000-8000-00000000fa4e',
    'anthropic-ratelimit-requests-limit': String(rate.limit),
    'anthropic-ratelimit-requests-remaining': String(rate.remaining),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': '2000000',
    'anthropic-ratelimit-input-tokens-remaining': '2000000',
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': '400000',
    'anthropic-ratelimit-output-tokens-remaining': '400000',
    'anthropic-ratelimit-output-tokens-reset': reset,
    'anthropic-ratelimit-tokens-limit': '2400000',
    'anthropic-ratelimit-tokens-remaining': '2400000',
    'anthropic-ratelimit-tokens-reset': reset,
  };
}
