/**
 * The contract between the shared server core and one provider's wire format: the provider
 * says how a request is authenticated, routed and answered, and how errors look; the core
 * does transport (recording, scripted faults, pacing, cuts, cleanup).
 */
import type { Ids } from './ids.js';
import type { RecordedRequest } from './record.js';
import type { Step } from './script.js';

/** Why an error is sent; each provider words and types it its own way. */
export type ErrorKind =
  | 'missing_key'
  | 'invalid_key'
  | 'invalid_request'
  | 'not_found'
  | 'model_not_found'
  | 'rate_limit'
  | 'server_error'
  | 'overloaded'
  /** Any other status a test scripted. */
  | 'status';

export interface ErrorSpec {
  status: number;
  kind: ErrorKind;
  /** Overrides the provider's default wording. */
  message?: string;
  /** Overrides the error type (OpenAI `type`, Anthropic `error.type`, Gemini `status`). */
  type?: string;
  /** OpenAI `code`. */
  code?: string | null;
  /** OpenAI `param`. */
  param?: string | null;
  /** Context for default wordings (the key for "Incorrect API key provided: sk-…", the model…). */
  key?: string;
  model?: string;
  retryAfterSeconds?: number;
}

/** A request error a route raises (validation, unknown model…); the core renders it. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly kind: ErrorKind,
    message?: string,
    readonly param?: string | null,
  ) {
    super(message ?? kind);
  }
  get explicitMessage(): string | undefined {
    return this.message === this.kind ? undefined : this.message;
  }
}

export interface JsonAnswer {
  kind: 'json';
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
}

/** A stream: every SSE event fully rendered (`event: …\ndata: …\n\n`), terminator included. */
export interface StreamAnswer {
  kind: 'sse';
  events: string[];
  headers?: Record<string, string>;
}

export type Answer = JsonAnswer | StreamAnswer;

export interface RouteContext {
  rec: RecordedRequest;
  body: any;
  /** Capture groups of the route's pattern. */
  params: string[];
  query: Record<string, string>;
  step: Step;
  ids: Ids;
}

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** The model the request names (for matching scripted steps and recording). */
  model?(params: string[], body: any): string | undefined;
  /** Whether the request asks for a stream. */
  stream?(params: string[], body: any, query: Record<string, string>): boolean;
  handle(ctx: RouteContext): Answer;
}

/** Per-key request-rate state (for `x-ratelimit-*` style headers). */
export interface RateState {
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

export interface Provider {
  name: 'openai' | 'anthropic' | 'gemini';
  /** Path an SDK's `baseURL` should end with (OpenAI: `/v1`). */
  sdkBasePath: string;
  routes: Route[];
  /** The credential a request carries, if any. */
  credential(headers: Record<string, string>, query: Record<string, string>): string | undefined;
  /** Status for a request without / with a wrong credential (default 401; Gemini: 403 / 400). */
  authStatus?: { missing: number; invalid: number };
  requestIdHeader?: string;
  newRequestId?(ids: Ids): string;
  /** Headers on every answer (rate limits, version…). */
  commonHeaders(rate: RateState): Record<string, string>;
  /** Error body and extra headers in the provider's shape. */
  error(spec: ErrorSpec, requestId: string | undefined): { body: unknown; headers?: Record<string, string> };
  /** The provider's in-stream error event. */
  streamError(spec: ErrorSpec): string;
  /** Forget caches and other state (called by `reset()`). */
  reset?(): void;
}
