/**
 * The attempt loop: send the planned request to its targets in order until one answers.
 * - 429: the key cools down (retry-after, else the configured time) and the next key is tried
 *   at once; with no other key, a short retry-after is waited out, a long one moves on.
 * - 5xx, 408, timeouts and connection errors: retried with exponential backoff and jitter
 *   (at least the retry-after hint, capped), then the next target; the target's circuit counts them.
 * - 401/403: the key is rejected (cooled down); 404: the target is skipped; any other 4xx is
 *   the request's own fault and is returned at once, with the provider's status and message.
 * - A stream is committed only once its first bytes have arrived: an upstream that fails before
 *   that is retried like any other; after that it is never switched to another provider.
 * Per-attempt timeout to the first byte, and a total deadline across attempts.
 */
import type { Env } from '../../worker/env.js';
import type { Defaults } from '../config/schema.js';
import { UpstreamError } from '../errors.js';
import type { HealthView } from '../health/health-view.js';
import type { ParsedRequest } from '../request.js';
import type { Plan, PlannedTarget } from '../routing/plan.js';
import { backoffMs, retryAfterMs, sleep } from './backoff.js';
import { keysToTry, redactKeys, type ProviderKey } from './keys.js';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface AttemptContext {
  env: Env;
  plan: Plan;
  req: ParsedRequest;
  requestId: string;
  defaults: Defaults;
  health: HealthView;
  /** Keeps background work (health reports) alive after the response. */
  defer: (p: Promise<unknown>) => void;
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal;
  random?: () => number;
}

/** A committed upstream answer. */
export interface Attempted {
  response: Response;
  planned: PlannedTarget;
  key: ProviderKey;
  attempts: number;
  /** Aborts the upstream call (client disconnect). */
  abort: AbortController;
  /** ms from the first attempt to the committed response's headers (and first bytes for a stream). */
  ttfbMs: number;
  /** Streams: the reader, and the first bytes already read from it. */
  stream?: { reader: ReadableStreamDefaultReader<Uint8Array>; first: Uint8Array };
}

type Outcome =
  | { kind: 'ok'; attempted: Attempted }
  | { kind: 'rate_limited'; retryAfter?: number; status: number; message: string }
  | { kind: 'transient'; retryAfter?: number; status?: number; message: string }
  | { kind: 'key_rejected'; status: number; message: string }
  | { kind: 'skip_target'; status: number; message: string }
  | { kind: 'fatal'; status: number; message: string; headers: Headers };

class TimeoutError extends Error {}

/** Races `p` against a timer; aborts `ctl` when the timer wins. */
async function within<T>(p: Promise<T>, ms: number, ctl: AbortController): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, fail) => {
        t = setTimeout(() => {
          ctl.abort(new TimeoutError('timeout'));
          fail(new TimeoutError('timeout'));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(t);
  }
}

async function attemptOnce(ctx: AttemptContext, planned: PlannedTarget, key: ProviderKey, timeoutMs: number, attempts: number, t0: number): Promise<Outcome> {
  const { target, adapter } = planned;
  const up = adapter.build(ctx.req, target, key.value);
  const abort = new AbortController();
  const onClientAbort = () => abort.abort(ctx.clientSignal.reason);
  ctx.clientSignal.addEventListener('abort', onClientAbort, { once: true });
  try {
    // `up` was built for this attempt alone: its init takes the signal as it is.
    const send = adapter.transport ? adapter.transport(up, abort.signal) : fetch(up.url, Object.assign(up.init, { signal: abort.signal }));
    const res = await within(send, timeoutMs, abort);
    if (res.ok) {
      if (!ctx.req.stream || !res.body) return { kind: 'ok', attempted: { response: res, planned, key, attempts, abort, ttfbMs: Date.now() - t0 } };
      const reader = res.body.getReader();
      const first = await within(reader.read(), timeoutMs, abort);
      if (first.done || !first.value) return { kind: 'transient', status: 502, message: 'the stream ended before its first byte' };
      return { kind: 'ok', attempted: { response: res, planned, key, attempts, abort, ttfbMs: Date.now() - t0, stream: { reader, first: first.value } } };
    }
    const text = await res.text().catch(() => '');
    const message = await redactKeys(adapter.errorMessage(res.status, text), target, ctx.env);
    const hint = retryAfterMs(res.headers);
    if (res.status === 429) return { kind: 'rate_limited', retryAfter: hint, status: 429, message };
    if (res.status >= 500 || res.status === 408) return { kind: 'transient', retryAfter: hint, status: res.status, message };
    if (res.status === 401 || res.status === 403) return { kind: 'key_rejected', status: res.status, message };
    if (res.status === 404) return { kind: 'skip_target', status: res.status, message };
    return { kind: 'fatal', status: res.status, message, headers: res.headers };
  } catch (err) {
    if (ctx.clientSignal.aborted) throw err;
    if (err instanceof TimeoutError) return { kind: 'transient', status: 504, message: `no answer within ${timeoutMs} ms` };
    return { kind: 'transient', message: `connection failed (${err instanceof Error ? err.message : String(err)})` };
  } finally {
    ctx.clientSignal.removeEventListener('abort', onClientAbort);
  }
}

function upstreamError(status: number, provider: string, message: string, code: string, headers: Record<string, string> = {}): UpstreamError {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'upstream_error' : 'invalid_request_error';
  return new UpstreamError(status as ContentfulStatusCode, `${provider}: ${message}`, provider, type, code, headers);
}

/** Tries the plan's targets until one answers. Throws UpstreamError when none does. */
export async function attemptPlan(ctx: AttemptContext): Promise<Attempted> {
  const t0 = Date.now();
  const d = ctx.defaults;
  const route = ctx.plan.route.route;
  const deadline = t0 + (route.totalTimeoutMs ?? d.totalTimeoutMs);
  const retries = route.retries ?? d.retries;
  const defer = ctx.defer;
  let attempts = 0;
  let last: { status: number; provider: string; message: string; code: string; retryAfter?: number } | undefined;

  for (const planned of ctx.plan.targets) {
    const { target } = planned;
    const breaker = d.breaker;
    if (ctx.health.circuit(target.label, Date.now()) === 'half-open') ctx.health.probe(target.label);
    const timeout = route.timeoutMs ?? target.config.timeoutMs ?? d.timeoutMs;
    const cooldownMs = target.config.cooldownMs ?? d.cooldownMs;
    let failures = 0;
    const tried = new Set<string>();
    while (failures <= retries) {
      const now = Date.now();
      if (now >= deadline) break;
      const { ready, cooling } = await keysToTry(target, ctx.env, ctx.health, now);
      const key = ready.find((k) => !tried.has(k.fingerprint)) ?? ready[0];
      if (!key) {
        // Every key is resting: wait for the first one back if that is short, else move on.
        const soonest = Math.min(...cooling.map((c) => c.until));
        if (cooling.length && soonest - now <= d.maxRetryAfterMs && soonest < deadline) {
          await sleep(soonest - now, ctx.clientSignal);
          continue;
        }
        last = { status: 429, provider: target.provider, message: 'every API key is cooling down after rate limits', code: 'rate_limit_exceeded', retryAfter: cooling.length ? soonest - now : undefined };
        break;
      }
      tried.add(key.fingerprint);
      attempts++;
      const o = await attemptOnce(ctx, planned, key, Math.max(1, Math.min(timeout, deadline - now)), attempts, t0);
      if (o.kind === 'ok') {
        ctx.health.success(target.label, o.attempted.ttfbMs, defer);
        o.attempted.attempts = attempts;
        return o.attempted;
      }
      if (o.kind === 'fatal') {
        const headers: Record<string, string> = {};
        const rid = o.headers.get('x-request-id') ?? o.headers.get('request-id');
        if (rid) headers['x-upstream-request-id'] = rid;
        throw Object.assign(upstreamError(o.status, target.provider, o.message, 'upstream_error', headers), { attempts });
      }
      if (o.kind === 'rate_limited') {
        const until = Date.now() + (o.retryAfter ?? cooldownMs);
        ctx.health.cooldown(key.fingerprint, until, defer);
        last = { status: 429, provider: target.provider, message: o.message, code: 'rate_limit_exceeded', retryAfter: o.retryAfter ?? cooldownMs };
        if (ready.some((k) => !tried.has(k.fingerprint))) continue; // another key, at once
        if (o.retryAfter !== undefined && o.retryAfter <= d.maxRetryAfterMs && failures < retries && Date.now() + o.retryAfter < deadline) {
          failures++;
          await sleep(o.retryAfter, ctx.clientSignal);
          tried.clear();
          continue;
        }
        break;
      }
      if (o.kind === 'key_rejected') {
        ctx.health.cooldown(key.fingerprint, Date.now() + Math.max(cooldownMs, 60_000), defer);
        last = { status: 502, provider: target.provider, message: `rejected the API key (${o.status}): ${o.message}`, code: 'upstream_auth_failed' };
        if (ready.some((k) => !tried.has(k.fingerprint))) continue;
        break;
      }
      if (o.kind === 'skip_target') {
        last = { status: o.status, provider: target.provider, message: o.message, code: 'upstream_error' };
        break;
      }
      // transient
      ctx.health.failure(target.label, breaker, defer);
      last = { status: o.status ?? 502, provider: target.provider, message: o.message, code: o.status === 504 ? 'upstream_timeout' : o.status ? 'upstream_error' : 'upstream_unreachable', retryAfter: o.retryAfter };
      if (failures >= retries) break;
      const wait = backoffMs(failures, d.backoff.baseMs, d.backoff.maxMs, o.retryAfter, ctx.random);
      if (wait > d.maxRetryAfterMs || Date.now() + wait >= deadline) break;
      failures++;
      tried.clear();
      await sleep(wait, ctx.clientSignal);
    }
  }
  if (!last) throw Object.assign(upstreamError(504, 'tollgate', 'the deadline passed before any provider was tried', 'upstream_timeout'), { attempts });
  const headers: Record<string, string> = {};
  if (last.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(last.retryAfter / 1000)));
  throw Object.assign(upstreamError(last.status, last.provider, last.message, last.code, headers), { attempts });
}
