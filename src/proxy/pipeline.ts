/**
 * The proxy pipeline. Every proxied route (/v1/chat/completions, /v1/messages,
 * /v1/embeddings) goes through it, top to bottom:
 *
 *   authenticate  gateway key → tenant, policy, end user, tags              ../tenants/auth.ts
 *   parse         wire format → the internal request                        ./request.ts
 *   plan          route → targets counted, priced and ordered               ./routing/
 *   reserve       worst case against budgets and limits (tenant object)     ../tenants/budget.ts
 *   cache         replay a cached answer, if the policy allows              ./cache/
 *   attempt       targets, keys, retries, timeouts, circuit breakers       ./upstream/
 *   relay         stream or JSON to the client in its format, counted      ./relay/
 *   settle        actual cost → ledger, reservation released               ../tenants/budget.ts
 *   respond       client format + x-tollgate-* and rate-limit headers
 */
import type { Context } from 'hono';
import { authenticate, checkModelAllowed, type Caller } from '../tenants/auth.js';
import { DowngradeRequired, rateHeaders, release, reserve, settle, type Reservation } from '../tenants/budget.js';
import { ApiError } from '../worker/errors.js';
import type { Env } from '../worker/env.js';
import { tokensOf, type RecordStatus, type UsageRecord } from './accounting/record.js';
import { cacheDecision, cacheGet, cacheKey, cachePut, type CacheDecision } from './cache/response-cache.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { errorResponse, type ClientFormat } from './errors.js';
import { healthView, type HealthView } from './health/health-view.js';
import type { Bill } from './accounting/bill.js';
import { crossCheck } from './accounting/cross-check.js';
import { encoderFor } from './relay/encoders.js';
import { relayJson } from './relay/json.js';
import { replay } from './relay/replay.js';
import { relayStream } from './relay/stream.js';
import { parseChat, parseEmbeddings, parseMessages, type ParsedRequest } from './request.js';
import { planRequest, type Plan } from './routing/plan.js';
import { resolveRoute } from './routing/resolve.js';
import { attemptPlan, type Attempted } from './upstream/attempt.js';

export type Endpoint = UsageRecord['endpoint'];

/** Per-request state the stages share. */
interface Flow {
  env: Env;
  endpoint: Endpoint;
  format: ClientFormat;
  requestId: string;
  clientRequestId?: string;
  /** The request's time (ms): the clock (or, in tests, x-tollgate-test-now). */
  now: number;
  started: number;
  /** Response headers, set as the stages learn them (a plain record: one conversion when the Response is built, not a native call per header). */
  headers: Record<string, string>;
  /** Keeps the request alive for `p` (undefined: nothing to wait for). */
  defer: (p: Promise<unknown> | undefined) => void;
  loaded?: LoadedConfig;
  caller?: Caller;
  req?: ParsedRequest;
  plan?: Plan;
  reservation?: Reservation;
  health?: HealthView;
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Request ids: a random prefix per isolate and a counter (unique without a random draw per
 * request). Always the gateway's own: the ledger is keyed by it, and a client's reused
 * `x-request-id` must not make a second request look like a retried settle of the first.
 */
let isolateId: string | undefined;
let requestCounter = 0;

function newRequestId(): string {
  // Drawn on the first request: Workers allow no random values at global scope.
  isolateId ??= Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `req_${isolateId}${(requestCounter++).toString(36).padStart(6, '0')}`;
}

/** The client's own request id, kept in the record for correlation. */
function clientRequestIdOf(headers: Headers): string | undefined {
  const given = headers.get('x-request-id');
  return given && CLIENT_REQUEST_ID.test(given) ? given : undefined;
}

function clock(env: Env, headers: Headers): number {
  if (env.TOLLGATE_TEST_CLOCK === 'on') {
    const t = Number(headers.get('x-tollgate-test-now'));
    if (Number.isFinite(t) && t > 0) return t;
  }
  return Date.now();
}

/** The body as sent (an OpenAI-compatible upstream may get it as it is) and parsed. */
async function readJson(c: Context): Promise<{ text: string; json: unknown }> {
  try {
    // The raw request's own reader: Hono's c.req.json() adds a body cache this single read does not need.
    const text = await c.req.raw.text();
    return { text, json: JSON.parse(text) as unknown };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // Hono's bodyLimit raises its own error for oversize bodies; let it through.
    if (err && typeof err === 'object' && 'status' in err && (err as { status: number }).status === 413) throw err;
    throw new ApiError(400, 'We could not parse the JSON body of your request. The body must be a JSON object.', 'invalid_request_error', null, 'invalid_json');
  }
}

function parse(endpoint: Endpoint, body: { text: string; json: unknown }, headers: Headers): ParsedRequest {
  if (endpoint === 'messages') return parseMessages(body.json, headers);
  if (endpoint === 'embeddings') return parseEmbeddings(body.json, body.text);
  return parseChat(body.json, body.text);
}

/**
 * Every record is this one literal, with the optional fields present (undefined until set, and
 * left out of JSON): all records share one shape, which keeps V8's property access and the
 * settle batch's JSON.stringify on their fast paths (a conditional spread in the literal did not).
 */
function baseRecord(f: Flow, status: RecordStatus, httpStatus: number): UsageRecord {
  return {
    requestId: f.requestId,
    clientRequestId: f.clientRequestId,
    at: new Date(f.now).toISOString(),
    endpoint: f.endpoint,
    tenant: f.caller!.tenant,
    keyId: f.caller!.keyId,
    user: f.caller!.user,
    tags: f.caller!.tags,
    provider: undefined,
    model: undefined,
    upstreamModel: undefined,
    route: f.plan?.route.name ?? f.req?.model ?? '',
    promptTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cost: '0',
    saved: undefined,
    exact: true,
    usageSource: 'none',
    latencyMs: Date.now() - f.started,
    ttftMs: undefined,
    status,
    httpStatus,
    attempts: 0,
    stream: f.req?.stream ?? false,
    error: undefined,
  };
}

/** Plan and reserve; a reached downgrade budget re-plans on the cheaper route once. */
async function planAndReserve(f: Flow, health: ReturnType<typeof healthView>): Promise<void> {
  const req = f.req!;
  const ttl = f.loaded!.config.defaults.reservationTtlMs;
  let route = resolveRoute(f.loaded!, req.model);
  checkModelAllowed(f.caller!, req.model, route.targets.map((t) => t.priced.id));
  f.plan = await planRequest(route, req, health, f.now);
  try {
    f.reservation = await reserve(f.env, f.caller!, f.plan, f.requestId, f.now, ttl);
  } catch (err) {
    if (!(err instanceof DowngradeRequired)) throw err;
    route = resolveRoute(f.loaded!, err.route);
    f.plan = await planRequest(route, req, health, f.now);
    f.reservation = await reserve(f.env, f.caller!, f.plan, f.requestId, f.now, ttl, true);
    f.headers['x-tollgate-downgraded'] = `${req.model}->${err.route}`;
  }
  const r = f.reservation?.result;
  if (r) Object.assign(f.headers, rateHeaders(r.rate, r.budgetRemaining, r.warnings));
}

function servedHeaders(f: Flow, att: Attempted): void {
  f.headers['x-tollgate-provider'] = att.planned.target.provider;
  f.headers['x-tollgate-model'] = att.planned.target.priced.id;
  f.headers['x-tollgate-attempts'] = String(att.attempts);
}

async function fromCache(f: Flow, key: string): Promise<Response | undefined> {
  const answer = await cacheGet(key);
  if (!answer) {
    f.headers['x-tollgate-cache'] = 'miss';
    return undefined;
  }
  const out = replay(answer, f.req!, f.requestId);
  f.headers['x-tollgate-cache'] = 'hit';
  f.headers['x-tollgate-saved'] = answer.cost;
  f.headers['x-tollgate-cost'] = '0';
  f.headers['x-tollgate-provider'] = answer.provider;
  f.headers['x-tollgate-model'] = answer.model;
  f.headers['x-tollgate-attempts'] = '0';
  const record = Object.assign(baseRecord(f, 'cache_hit', 200), tokensOf(answer.usage));
  record.provider = answer.provider;
  record.model = answer.model;
  record.upstreamModel = answer.upstreamModel;
  record.saved = answer.cost;
  record.usageSource = 'cache';
  f.defer(settle(f.env, f.caller!, f.reservation, record, 0));
  if (out.stream) {
    f.headers['content-type'] = 'text/event-stream; charset=utf-8';
    return new Response(out.stream, { headers: f.headers });
  }
  f.headers['content-type'] = 'application/json';
  return new Response(JSON.stringify(out.json), { headers: f.headers });
}

function servedRecord(f: Flow, att: Attempted, status: RecordStatus, httpStatus: number, b: { usage: Parameters<typeof tokensOf>[0]; estimate: { total: string }; counted: boolean; exact: boolean }, ttftMs?: number, error?: string): UsageRecord {
  const t = att.planned.target;
  // Filled in place: one record object per request, not a copy per stage.
  const r = Object.assign(baseRecord(f, status, httpStatus), tokensOf(b.usage));
  r.provider = t.provider;
  r.model = t.priced.id;
  r.upstreamModel = t.upstreamModel;
  r.cost = b.estimate.total;
  r.exact = b.exact;
  r.usageSource = b.counted ? 'counted' : 'reported';
  r.attempts = att.attempts;
  if (ttftMs !== undefined) r.ttftMs = ttftMs;
  if (error) r.error = error;
  return r;
}

/**
 * Teaches the learned token ratio of a model without a public tokenizer: the provider's prompt
 * count against our o200k count of the same prompt.
 */
function learnRatio(f: Flow, att: Attempted, b: Bill): Promise<void> | undefined {
  const tok = att.planned.target.priced.tokenizer;
  const health = f.health;
  // Nothing to learn (our count is exact, or the provider reported none): no background task at all.
  if (b.counted || !tok || tok.exact || !health) return undefined;
  return f.plan!.counter.raw().then((raw) => {
    if (raw !== undefined && b.usage.prompt_tokens > 0) health.sampleRatio(att.planned.target.priced.id, b.usage.prompt_tokens, raw, f.defer);
  });
}

async function respondStream(f: Flow, att: Attempted, decision: CacheDecision | undefined, key: string | undefined): Promise<Response> {
  const req = f.req!;
  if (req.kind !== 'chat') throw new Error('unreachable: streamed embeddings');
  // An Anthropic client's message_start states the prompt's tokens before any upstream usage: counted here.
  const promptTokens = req.clientFormat === 'anthropic' && att.planned.adapter.wire !== 'anthropic' ? (await att.planned.prompt()).tokens : 0;
  const encoder = encoderFor(req, att.planned.adapter.wire, f.requestId, promptTokens);
  const decoder = att.planned.adapter.decoder(att.planned.target, f.requestId, req);
  const { body, done } = relayStream({ attempted: att, decoder, encoder, n: req.n, idleTimeoutMs: f.loaded!.config.defaults.streamIdleTimeoutMs, provider: att.planned.target.provider });
  f.defer(
    done.then(async (r) => {
      const ttft = r.tally.firstTokenAt !== undefined ? r.tally.firstTokenAt - f.started : undefined;
      const record = servedRecord(f, att, r.status, 200, r.bill, ttft, r.error);
      if (r.status === 'ok') await learnRatio(f, att, r.bill);
      await settle(f.env, f.caller!, f.reservation, record, r.bill.usage.total_tokens ?? r.bill.usage.prompt_tokens + r.bill.usage.completion_tokens);
      if (r.status === 'ok' && decision && key) {
        await cachePut(key, { completion: r.tally.completion(), usage: r.bill.usage, cost: r.bill.estimate.total, provider: att.planned.target.provider, model: att.planned.target.priced.id, upstreamModel: att.planned.target.upstreamModel, storedAt: new Date().toISOString() }, decision);
      }
    }),
  );
  f.headers['content-type'] = 'text/event-stream; charset=utf-8';
  f.headers['cache-control'] = 'no-cache';
  return new Response(body, { status: 200, headers: f.headers });
}

async function respondJson(f: Flow, att: Attempted, decision: CacheDecision | undefined, key: string | undefined): Promise<Response> {
  const r = await relayJson(att, f.req!, f.requestId);
  f.headers['x-tollgate-cost'] = r.bill.estimate.total;
  f.headers['x-tollgate-usage'] = r.bill.counted ? 'counted' : 'reported';
  const record = servedRecord(f, att, 'ok', 200, r.bill);
  f.defer(crossCheck(att.planned, r.bill.counted ? undefined : r.completion?.usage));
  f.defer(learnRatio(f, att, r.bill));
  f.defer(settle(f.env, f.caller!, f.reservation, record, r.bill.usage.prompt_tokens + r.bill.usage.completion_tokens));
  if (decision && key) {
    const t = att.planned.target;
    f.defer(cachePut(key, { ...(r.completion ? { completion: r.completion } : { body: r.body }), usage: r.bill.usage, cost: r.bill.estimate.total, provider: t.provider, model: t.priced.id, upstreamModel: t.upstreamModel, storedAt: new Date().toISOString() }, decision));
  }
  f.headers['content-type'] = 'application/json';
  return new Response(JSON.stringify(r.body), { status: 200, headers: f.headers });
}

/** Handles one proxied request end to end. Never throws: errors are answered in the client's format. */
export async function handleProxy(c: Context<{ Bindings: Env }>, endpoint: Endpoint): Promise<Response> {
  const env = c.env;
  const f: Flow = {
    env,
    endpoint,
    format: endpoint === 'messages' ? 'anthropic' : 'openai',
    requestId: newRequestId(),
    clientRequestId: clientRequestIdOf(c.req.raw.headers),
    now: clock(env, c.req.raw.headers),
    started: Date.now(),
    headers: {},
    defer: (p) => {
      if (p) c.executionCtx.waitUntil(p.catch((e: unknown) => console.error('tollgate: background task failed', String(e))));
    },
  };
  f.headers['x-tollgate-request-id'] = f.requestId;
  try {
    f.loaded = await loadConfig(env);
    f.caller = await authenticate(c.req.raw.headers, env, f.loaded, f.now, f.defer);
    f.req = parse(endpoint, await readJson(c), c.req.raw.headers);
    const health = (f.health = healthView(env));
    health.refresh(f.defer);
    await planAndReserve(f, health);

    const decision = cacheDecision(c.req.raw.headers, f.plan!.route.route.cache, f.req);
    const key = decision ? await cacheKey(f.caller.tenant, f.plan!.targets[0]!.target.label, f.req) : undefined;
    if (decision && key) {
      const hit = await fromCache(f, key);
      if (hit) return hit;
    }

    const att = await attemptPlan({ env, plan: f.plan!, req: f.req, requestId: f.requestId, defaults: f.loaded.config.defaults, health, defer: f.defer, clientSignal: c.req.raw.signal });
    servedHeaders(f, att);
    return f.req.stream ? await respondStream(f, att, decision, key) : await respondJson(f, att, decision, key);
  } catch (err) {
    const res = errorResponse(f.format, err, f.headers);
    if (f.caller && f.reservation) {
      const attempts = (err as { attempts?: number }).attempts ?? 0;
      const record = baseRecord(f, 'upstream_error', res.status);
      record.attempts = attempts;
      record.error = err instanceof Error ? err.message.slice(0, 500) : String(err);
      f.defer(settle(env, f.caller, f.reservation, record, 0));
    } else if (f.reservation) {
      f.defer(release(f.reservation));
    }
    return res;
  }
}
