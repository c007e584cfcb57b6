/**
 * Every error the worker returns goes through this module and has OpenAI's shape:
 * `{"error": {"message", "type", "param", "code"}}`. Routes throw; `onError`/`notFound`
 * in app.ts call `errorResponse`, so the mapping lives in exactly one place.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { ENCODING_NAMES } from '../core/encodings.js';
import { UnknownNameError } from '../core/errors.js';

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'upstream_error';

export interface ErrorBody {
  error: { message: string; type: ErrorType; param: string | null; code: string | null };
}

/** An error with its HTTP status and OpenAI error fields decided. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly type: ErrorType = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** `['messages', 0, 'content']` → `messages[0].content`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Zod validation failure → 400 naming the first offending field. */
export function fromZodError(error: ZodError, target = 'json', input?: unknown): ApiError {
  const issue = deepest(error.issues[0]);
  if (!issue) return new ApiError(400, 'Invalid request.', 'invalid_request_error', null, 'invalid_request');
  let path: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys' && issue.keys.length) {
    path = [...path, issue.keys[0]];
    message = `Unrecognized request argument supplied: ${issue.keys.join(', ')}`;
  }
  const param = path.length ? formatPath(path) : null;
  const where = target === 'param' ? 'path parameter' : target === 'query' ? 'query parameter' : 'field';
  const text = param ? `Invalid ${where} '${param}': ${message}` : `Invalid request body: ${message}`;
  const code = issue.code === 'unrecognized_keys' ? 'unknown_parameter' : issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined ? 'missing_required_parameter' : 'invalid_value';
  return new ApiError(400, text, 'invalid_request_error', param, code);
}

type Issue = ZodError['issues'][number];

/** For a union, the failing branch that got furthest into the value (the most specific issue). */
function deepest(issue: Issue | undefined): Issue | undefined {
  if (!issue || issue.code !== 'invalid_union' || !Array.isArray(issue.errors) || issue.errors.length === 0) return issue;
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    const i = deepest(branch[0]);
    if (i && (!best || i.path.length > best.path.length)) best = i;
  }
  if (!best || best.path.length === 0) return issue;
  return { ...best, path: [...issue.path, ...best.path] } as Issue;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** An unknown model or encoding: 404 with the closest known names in the message. */
export function unknownName(kind: 'model' | 'encoding', requested: string, suggestions: string[], param: string): ApiError {
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
  const list = kind === 'model' ? ' GET /v1/models lists the known models.' : ` Known encodings: ${ENCODING_NAMES.join(', ')}.`;
  return new ApiError(
    404,
    `The ${kind} '${requested}' does not exist.${hint}${list}`,
    'invalid_request_error',
    param,
    kind === 'model' ? 'model_not_found' : 'encoding_not_found',
  );
}

interface NamedErrorLike {
  name?: unknown;
  message?: unknown;
  suggestions?: unknown;
  model?: unknown;
  requested?: unknown;
  kind?: unknown;
  field?: unknown;
  param?: unknown;
  path?: unknown;
}

function isRecord(x: unknown): x is NamedErrorLike {
  return typeof x === 'object' && x !== null;
}

/**
 * Maps anything thrown while handling a request to an ApiError. `rename` maps the cost API's
 * field names to the request's (`model` → `models[2]`, `outputTokens` → `max_tokens`);
 * other camelCase fields become snake_case (`cache.readTokens` → `cache.read_tokens`).
 */
export function toApiError(err: unknown, rename: Record<string, string> = {}): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    const s = err.status;
    if (s === 413) return new ApiError(413, 'Request body too large.', 'invalid_request_error', null, 'request_too_large');
    if (s === 415) return new ApiError(415, 'Unsupported Content-Type: send the body as application/json.', 'invalid_request_error', null, 'unsupported_media_type');
    if (s === 400) return new ApiError(400, `${err.message || 'Bad request'}. The body must be a JSON object.`, 'invalid_request_error', null, 'invalid_json');
    if (s >= 400 && s < 500) return new ApiError(s as ContentfulStatusCode, err.message || 'Bad request', 'invalid_request_error', null, null);
    return internal();
  }
  if (!isRecord(err) || typeof err.message !== 'string') return internal();
  // Errors of the core, pricing table and cost engine, recognised by name (not class) so a
  // second copy of a module in a bundle still maps correctly.
  const name = String(err.name ?? '');
  if (err instanceof UnknownNameError || /^Unknown(Model|Name)Error$/.test(name)) {
    const e = err as NamedErrorLike;
    const kind = err.kind === 'encoding' ? 'encoding' : 'model';
    const requested = typeof e.requested === 'string' ? e.requested : typeof e.model === 'string' ? e.model : '';
    const suggestions = Array.isArray(e.suggestions) ? e.suggestions.filter((s): s is string => typeof s === 'string') : [];
    return unknownName(kind, requested, suggestions, rename[kind] ?? kind);
  }
  // Cost-engine input errors (CostInputError) name the bad field: `field: message`.
  if (name === 'CostInputError' && typeof err.field === 'string') {
    const param = renameField(err.field, rename);
    const message = err.message.startsWith(`${err.field}: `) ? `${param}: ${err.message.slice(err.field.length + 2)}` : err.message;
    return new ApiError(400, message, 'invalid_request_error', param, 'invalid_value');
  }
  return internal();
}

/** `cache.readTokens` → `cache.read_tokens`; the head segment may be renamed. */
function renameField(field: string, rename: Record<string, string>): string {
  const m = /^([A-Za-z_]\w*)(.*)$/.exec(field);
  if (!m) return field;
  const head = rename[m[1]] ?? snake(m[1]);
  const rest = m[2].replace(/\.([A-Za-z_]\w*)/g, (_, k: string) => `.${snake(k)}`);
  return head + rest;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

function internal(): ApiError {
  return new ApiError(500, 'The server had an error while processing your request.', 'server_error', null, 'internal_error');
}

/** The JSON response for an error (status, headers, OpenAI body). */
export function errorResponse(c: Context, err: unknown): Response {
  const e = toApiError(err);
  if (e.status >= 500) console.error('tollgate: unhandled error', err instanceof Error ? err.stack ?? err.message : String(err));
  for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
  return c.json(e.body(), e.status);
}
