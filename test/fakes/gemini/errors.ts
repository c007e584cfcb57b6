/**
 * Google API error bodies `{"error":{"code","message","status","details"}}` as the Gemini API
 * sends them (Gemini API "Troubleshooting" → error codes; google.rpc.Status with ErrorInfo,
 * QuotaFailure and RetryInfo details, as returned for a bad key and a quota 429).
 */
import type { ErrorSpec } from '../core/provider.js';

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

interface GoogleError {
  code: number;
  message: string;
  status: string;
  details?: unknown[];
}

function defaults(spec: ErrorSpec): GoogleError {
  const status = STATUS_BY_CODE[spec.status] ?? (spec.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  const base = { code: spec.status, status };
  switch (spec.kind) {
    case 'missing_key':
      return {
        ...base,
        message:
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      };
    case 'invalid_key':
      return {
        ...base,
        message: 'API key not valid. Please pass a valid API key.',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
        ],
      };
    case 'model_not_found':
      return {
        ...base,
        message: `models/${spec.model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      };
    case 'not_found':
      return { ...base, message: 'Requested entity was not found.' };
    case 'rate_limit':
      return {
        ...base,
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
          },
          ...(spec.retryAfterSeconds !== undefined ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.ceil(spec.retryAfterSeconds)}s` }] : []),
        ],
      };
    case 'overloaded':
      return { ...base, message: 'The model is overloaded. Please try again later.' };
    case 'server_error':
      return { ...base, message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' };
    case 'invalid_request':
      return { ...base, message: 'Invalid request.' };
    default:
      return { ...base, message: `Request failed with status ${spec.status}.` };
  }
}

export function geminiError(spec: ErrorSpec): { error: GoogleError } {
  const d = defaults(spec);
  return { error: { ...d, message: spec.message ?? d.message, status: spec.type ?? d.status } };
}
