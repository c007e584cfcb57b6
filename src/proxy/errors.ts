/**
 * Errors of the proxy routes, rendered in the wire format of the endpoint the client called:
 * OpenAI's `{"error": {message, type, param, code}}` on /v1/chat/completions and /v1/embeddings,
 * Anthropic's `{"type": "error", "error": {type, message}}` on /v1/messages — also inside
 * streams (an `error` event), so SDKs raise them as API errors.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, toApiError, type ErrorBody, type ErrorType } from '../worker/errors.js';

/** The client's wire format. */
export type ClientFormat = 'openai' | 'anthropic';

/** A request the gateway cannot send anywhere: 400 naming the field. */
export class ProxyInputError extends ApiError {
  override name = 'ProxyInputError';
  constructor(message: string, param: string | null, code = 'invalid_value') {
    super(400, message, 'invalid_request_error', param, code);
  }
}

/** An error answered by a provider (status and message kept, provider named). */
export class UpstreamError extends ApiError {
  override name = 'UpstreamError';
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly provider: string,
    type: ErrorType = 'upstream_error',
    code: string | null = 'upstream_error',
    headers: Record<string, string> = {},
    param: string | null = null,
  ) {
    super(status, message, type, param, code, headers);
  }
}

/** Anthropic's error type for a status (docs.anthropic.com "Errors"). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
    case 413:
    case 415:
      return status === 413 ? 'request_too_large' : 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return 'api_error';
  }
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** The error body in a wire format. */
export function errorBody(format: ClientFormat, e: ApiError): ErrorBody | AnthropicErrorBody {
  if (format === 'anthropic') return { type: 'error', error: { type: anthropicErrorType(e.status), message: e.message } };
  return e.body();
}

/** A JSON error response in the client's wire format. */
export function errorResponse(format: ClientFormat, err: unknown, headers: Record<string, string> = {}): Response {
  const e = toApiError(err);
  if (e.status >= 500 && !(e instanceof UpstreamError)) console.error('tollgate: unhandled error', err instanceof Error ? (err.stack ?? err.message) : String(err));
  return new Response(JSON.stringify(errorBody(format, e)), { status: e.status, headers: { ...headers, 'content-type': 'application/json', ...e.headers } });
}

/** The wire format of a path: /v1/messages speaks Anthropic's, everything else OpenAI's. */
export function formatOfPath(path: string): ClientFormat {
  return path === '/v1/messages' || path.startsWith('/v1/messages/') ? 'anthropic' : 'openai';
}
