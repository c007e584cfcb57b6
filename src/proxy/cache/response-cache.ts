/**
 * The opt-in response cache. A route's `cache` policy, or a request's
 * `x-tollgate-cache: ttl=<seconds>` (and `no-store` to bypass), caches complete successful
 * answers in the Workers Cache API, keyed by SHA-256 of the tenant, the concrete target and
 * the normalised request (fields that do not change the answer — stream, stream_options,
 * user — left out). A hit is replayed in the client's format, as a stream when one was asked
 * for, costs $0 and reports what it saved. Errors and interrupted streams are never stored,
 * and one tenant never sees another's entries.
 */
import type { CachePolicy } from '../config/schema.js';
import { ProxyInputError } from '../errors.js';
import type { ParsedRequest } from '../request.js';
import type { ChatCompletion, ChatUsage, Json } from '../translate/openai-types.js';

export interface CacheDecision {
  ttl: number;
  maxBytes: number;
}

/** What a cache entry holds: the answer in the internal shape and what it cost. */
export interface CachedAnswer {
  completion?: ChatCompletion;
  /** Embeddings answers are stored as they came. */
  body?: Json;
  usage: ChatUsage;
  cost: string;
  provider: string;
  model: string;
  upstreamModel: string;
  storedAt: string;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

/** The cache policy of this request, or undefined when it is not cached. */
export function cacheDecision(headers: Headers, routePolicy: CachePolicy | undefined, req: ParsedRequest): CacheDecision | undefined {
  const header = headers.get('x-tollgate-cache')?.trim().toLowerCase();
  if (header === 'no-store' || header === 'no-cache') return undefined;
  let ttl = routePolicy?.ttl;
  if (header) {
    const m = /^ttl=(\d{1,8})$/.exec(header);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 30 * 86400) throw new ProxyInputError("x-tollgate-cache: expected 'ttl=<seconds>' (1 to 2592000) or 'no-store'", 'x-tollgate-cache', 'invalid_cache_header');
    ttl = Number(m[1]);
  }
  if (ttl === undefined) return undefined;
  if (routePolicy?.onlyDeterministic && req.kind === 'chat' && req.body.temperature !== 0 && req.body.seed == null) return undefined;
  return { ttl, maxBytes: routePolicy?.maxBytes ?? DEFAULT_MAX_BYTES };
}

async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const b of new Uint8Array(d)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** The cache key URL for a request on a concrete target. */
export async function cacheKey(tenant: string, targetLabel: string, req: ParsedRequest): Promise<string> {
  const { stream: _s, stream_options: _so, user: _u, ...rest } = req.body as Json;
  const digest = await sha256(JSON.stringify([tenant, targetLabel, req.kind, rest]));
  return `https://response-cache.tollgate.internal/v1/${digest}`;
}

function cache(): Cache | undefined {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default;
}

export async function cacheGet(key: string): Promise<CachedAnswer | undefined> {
  const c = cache();
  if (!c) return undefined;
  const res = await c.match(key);
  return res ? ((await res.json()) as CachedAnswer) : undefined;
}

export async function cachePut(key: string, answer: CachedAnswer, d: CacheDecision): Promise<boolean> {
  const c = cache();
  if (!c) return false;
  const body = JSON.stringify(answer);
  if (body.length > d.maxBytes) return false;
  await c.put(key, new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': `max-age=${d.ttl}` } }));
  return true;
}
