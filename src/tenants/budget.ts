/**
 * The worker's side of budgets: build the reservation from the caller's policy (tenant, key,
 * end user) and the plan's worst case, ask the tenant's Durable Object once before the upstream
 * call, settle once after it, and turn the object's answers into HTTP (429 with retry-after,
 * rate-limit headers like OpenAI's, x-tollgate-budget-remaining).
 */
import type { UsageRecord } from '../proxy/accounting/record.js';
import { resolveSecret } from '../proxy/config/secrets.js';
import type { Plan } from '../proxy/routing/plan.js';
import { ApiError } from '../worker/errors.js';
import type { Env } from '../worker/env.js';
import type { Caller } from './auth.js';
import type { AlertTarget, RateInfo, ReserveRequest, ReserveResult, ScopedBudget, ScopedLimits, SettleRequest } from './ledger/protocol.js';
import type { TenantLedger } from './ledger/tenant-ledger.js';
import { settleBatched } from './settle-batch.js';

export interface Reservation {
  id: string;
  stub: DurableObjectStub<TenantLedger>;
  request: ReserveRequest;
  result: Extract<ReserveResult, { ok: true }>;
}

/** A downgrade budget was reached: the request should be served from `route`. */
export class DowngradeRequired extends Error {
  constructor(
    readonly route: string,
    readonly reason: string,
  ) {
    super(`downgrade to ${route}`);
  }
}

function ledgerOf(env: Env, tenant: string): DurableObjectStub<TenantLedger> | undefined {
  const ns = env.TENANTS as DurableObjectNamespace<TenantLedger> | undefined;
  return ns ? ns.get(ns.idFromName(tenant)) : undefined;
}

/** The limits and budgets that apply to a caller, by scope. */
export function scopesOf(caller: Caller): { limits: ScopedLimits[]; budgets: ScopedBudget[] } {
  const limits: ScopedLimits[] = [{ scope: 'tenant', limits: caller.policy.limits }];
  const budgets: ScopedBudget[] = caller.policy.budgets.map((budget) => ({ scope: 'tenant', budget }));
  if (caller.key) {
    const scope = `key:${caller.key.id}`;
    if (caller.key.limits) limits.push({ scope, limits: caller.key.limits });
    for (const budget of caller.key.budgets ?? []) budgets.push({ scope, budget });
  }
  if (caller.user && caller.policy.users) {
    const scope = `user:${caller.user}`;
    limits.push({ scope, limits: caller.policy.users.limits });
    for (const budget of caller.policy.users.budgets) budgets.push({ scope, budget });
  }
  return { limits: limits.filter((l) => Object.keys(l.limits).length > 0), budgets };
}

/** `1s`, `6m0s`, `20ms` — the duration format of OpenAI's x-ratelimit-reset-* headers. */
export function formatReset(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

export function rateHeaders(rate: RateInfo, budgetRemaining?: string, warnings: string[] = []): Record<string, string> {
  const h: Record<string, string> = {};
  if (rate.limitRequests !== undefined) {
    h['x-ratelimit-limit-requests'] = String(rate.limitRequests);
    h['x-ratelimit-remaining-requests'] = String(rate.remainingRequests ?? 0);
    h['x-ratelimit-reset-requests'] = formatReset(rate.resetRequestsMs ?? 0);
  }
  if (rate.limitTokens !== undefined) {
    h['x-ratelimit-limit-tokens'] = String(rate.limitTokens);
    h['x-ratelimit-remaining-tokens'] = String(rate.remainingTokens ?? 0);
    h['x-ratelimit-reset-tokens'] = formatReset(rate.resetTokensMs ?? 0);
  }
  if (budgetRemaining !== undefined) h['x-tollgate-budget-remaining'] = budgetRemaining;
  if (warnings.length) h['x-tollgate-budget-warning'] = warnings[0]!.replace(/[^\x20-\x7e]/g, '?');
  return h;
}

/**
 * Reserves the plan's worst case for the caller. Returns undefined when the worker has no
 * ledger binding (accounting is then logged only). Throws 429/401/403 ApiErrors when refused,
 * DowngradeRequired when a downgrade budget is reached.
 */
export async function reserve(env: Env, caller: Caller, plan: Plan, requestId: string, now: number, ttlMs: number, downgraded = false): Promise<Reservation | undefined> {
  const { limits, budgets } = scopesOf(caller);
  // Nothing to enforce: no round trip before the upstream call (the ledger still gets the settle).
  if (limits.length === 0 && budgets.length === 0) return undefined;
  const stub = ledgerOf(env, caller.tenant);
  if (!stub) return undefined;
  const request: ReserveRequest = {
    requestId,
    now,
    keyId: caller.keyId,
    route: plan.route.name,
    models: [...new Set(plan.targets.map((t) => t.target.priced.id))],
    worstUnits: (await plan.worstUnits()).toString(),
    worstTokens: await plan.worstTokens(),
    limits,
    budgets,
    timezone: caller.policy.timezone,
    ttlMs,
    ...(downgraded ? { downgraded } : {}),
  };
  const result = await stub.reserve(JSON.stringify(request), caller.tenant);
  if (result.ok) return { id: result.reservationId, stub, request, result };
  if (result.downgradeTo) throw new DowngradeRequired(result.downgradeTo, result.message);
  const headers = rateHeaders(result.rate);
  if (result.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
  const type = result.status === 401 ? 'authentication_error' : result.status === 403 ? 'permission_error' : 'rate_limit_error';
  throw new ApiError(result.status, result.message, type, null, result.code, headers);
}

async function alertTarget(env: Env, caller: Caller): Promise<AlertTarget | undefined> {
  const a = caller.policy.alerts;
  if (!a) return undefined;
  try {
    return { url: a.webhook, secret: await resolveSecret(a.secret, { env, encryptionKey: env.TOLLGATE_ENCRYPTION_KEY }, `tenants.${caller.tenant}.alerts.secret`) };
  } catch (err) {
    console.error(JSON.stringify({ tollgate: 'alert_secret_unavailable', tenant: caller.tenant, error: String((err as Error).message) }));
    return undefined;
  }
}

/**
 * Settles: records the usage in the tenant's ledger and releases the reservation, with the
 * isolate's next batch for the tenant (./settle-batch.ts). Retried on transient failures,
 * because a lost settle is a lost ledger row. Returns what the request must keep itself alive
 * for (pass it to `waitUntil`), or undefined when there is nothing to wait for.
 */
export function settle(env: Env, caller: Caller, reservation: Reservation | undefined, record: UsageRecord, tokens: number): Promise<void> | undefined {
  if (env.LOG_USAGE === 'on') console.log(JSON.stringify({ tollgate: 'usage', ...record }));
  if (!env.TENANTS) return undefined;
  const batch = (alerts: AlertTarget | undefined) => {
    const req: SettleRequest = { reservationId: reservation?.id ?? record.requestId, record, tokens, alerts, budgets: reservation?.request.budgets ?? scopesOf(caller).budgets, timezone: caller.policy.timezone };
    return settleBatched(caller.tenant, () => ledgerOf(env, caller.tenant)!, req);
  };
  // Resolving the alert secret is asynchronous: that (rare) path keeps the request alive until its batch lands.
  return caller.policy.alerts ? alertTarget(env, caller).then(batch) : batch(undefined);
}

/** Releases a reservation that will not be used (e.g. replaced after a downgrade). */
export async function release(reservation: Reservation | undefined): Promise<void> {
  if (reservation) await reservation.stub.release(reservation.id);
}
