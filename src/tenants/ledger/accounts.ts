/**
 * A tenant's counters and the reserve → settle protocol, as plain code over a counter store
 * (the Durable Object persists it in SQLite; tests run it directly). Money is bigint 1e-24 USD (../../proxy/accounting/money.ts).
 *
 * Zero overspend: a request is admitted only if, for every budget that applies, what is spent
 * plus what is reserved by requests in flight plus this request's worst case fits the amount.
 * The object handles one call at a time, so there is no check-then-record race; the settled
 * cost never exceeds the reservation when the counts are exact (the worst case is the counted
 * prompt plus max output at the model's prices).
 */
import { fromUnits, toUnits } from '../../proxy/accounting/money.js';
import { bucketStart, calendarWindow, rollingBuckets, ROLLING, utcDay, utcMinute } from '../periods.js';
import type { Budget, Period } from '../policy-schema.js';
import type { KeyStatus, RateInfo, ReserveRequest, ReserveResult, ScopedBudget, SettleRequest } from './protocol.js';

export interface Counter {
  spent: bigint;
  reserved: bigint;
  /** ms after which the counter no longer matters. */
  expires: number;
}

export interface Reservation {
  id: string;
  at: number;
  expires: number;
  worst: bigint;
  worstTokens: number;
  /** Budget counters charged (spent on settle). */
  budgetKeys: string[];
  /** Token counters charged. */
  tokenKeys: string[];
  /** In-flight counters taken. */
  inflightKeys: string[];
}

/**
 * Where counters, reservations and key states persist. Only what is spent is saved with a
 * counter: what is reserved is the sum of the open reservations, rebuilt from them on start
 * ({@link restoreReserved}), so admitting a request writes one reservation and nothing else.
 */
export interface AccountsStore {
  counters: Map<string, Counter>;
  reservations: Map<string, Reservation>;
  keyStates: Map<string, { status: KeyStatus; graceUntil?: number }>;
  /** Called when a counter's spent amount changed. */
  saveCounter(k: string, c: Counter): void;
  deleteCounter(k: string): void;
  saveReservation(r: Reservation): void;
  deleteReservation(id: string): void;
}

export interface BudgetState {
  /** Counter keys summed for the budget's current period, and the one new spend goes to. */
  keys: string[];
  charge: string;
  /** ms when the period resets (calendar) or the oldest bucket leaves (rolling). */
  resetAt: number;
  /** Identity of this budget's period, for once-per-period alerts. */
  period: string;
}

function filterOf(b: Budget): string {
  return b.model ? `m:${b.model}` : b.route ? `r:${b.route}` : '*';
}

/** Whether a budget counts this request. */
export function budgetApplies(b: Budget, route: string, models: string[]): boolean {
  if (b.model && !models.includes(b.model)) return false;
  if (b.route && b.route !== route) return false;
  return true;
}

export function budgetState(sb: ScopedBudget, tz: string, now: number): BudgetState {
  const b = sb.budget;
  const base = `${sb.scope}|${filterOf(b)}|${b.period}`;
  if (!b.rolling) {
    const w = calendarWindow(b.period, tz, now);
    const k = `b|${base}|${tz}|${w.start}`;
    return { keys: [k], charge: k, resetAt: w.end, period: k };
  }
  const buckets = rollingBuckets(b.period, now);
  const keys = buckets.map((s) => `rb|${base}|${s}`);
  const { durationMs, bucketMs } = ROLLING[b.period];
  // Alerts fire at most once per period length.
  return { keys, charge: `rb|${base}|${bucketStart(b.period, now)}`, resetAt: buckets[0]! + bucketMs + durationMs, period: `rb|${base}|${Math.floor(now / durationMs)}` };
}

const usd = fromUnits;

/** A budget's period as its adjective, for messages ("daily budget"). */
const PERIODIC: Record<Period, string> = { hour: 'hourly', day: 'daily', week: 'weekly', month: 'monthly' };

/** Marks a refusal that requests still in flight cause (it may pass once they settle). */
function held(r: ReserveResult, inFlight: boolean): ReserveResult {
  if (inFlight && !r.ok) r.inFlight = true;
  return r;
}

export class Accounts {
  constructor(private readonly store: AccountsStore) {}

  private counter(k: string): Counter {
    return this.store.counters.get(k) ?? { spent: 0n, reserved: 0n, expires: 0 };
  }

  private add(k: string, spent: bigint, reserved: bigint, expires: number): void {
    const c = this.counter(k);
    const next = { spent: c.spent + spent, reserved: c.reserved + reserved, expires: Math.max(c.expires, expires) };
    if (next.reserved < 0n) next.reserved = 0n;
    if (next.spent === 0n && next.reserved === 0n && !k.startsWith('b|') && !k.startsWith('rb|')) {
      this.store.counters.delete(k);
      this.store.deleteCounter(k);
      return;
    }
    this.store.counters.set(k, next);
    if (spent !== 0n) this.store.saveCounter(k, next);
  }

  /** Adds the open reservations' amounts to the counters (after loading both from storage). */
  restoreReserved(): void {
    for (const r of this.store.reservations.values()) {
      for (const k of r.budgetKeys) this.bump(k, r.worst);
      for (const k of r.tokenKeys) this.bump(k, BigInt(r.worstTokens));
    }
  }

  private bump(k: string, reserved: bigint): void {
    const c = this.counter(k);
    this.store.counters.set(k, { ...c, reserved: c.reserved + reserved });
  }

  /** Spent + reserved over the budget's current period. */
  used(state: BudgetState): { spent: bigint; reserved: bigint } {
    let spent = 0n;
    let reserved = 0n;
    for (const k of state.keys) {
      const c = this.store.counters.get(k);
      if (c) {
        spent += c.spent;
        reserved += c.reserved;
      }
    }
    return { spent, reserved };
  }

  keyStatus(keyId: string, now: number): KeyStatus | 'expired' {
    const s = this.store.keyStates.get(keyId);
    if (!s) return 'active';
    if (s.status !== 'active') return s.status;
    return s.graceUntil !== undefined && now > s.graceUntil ? 'expired' : 'active';
  }

  reserve(req: ReserveRequest): ReserveResult {
    const now = req.now;
    const minute = utcMinute(now);
    const day = utcDay(now);
    const worst = BigInt(req.worstUnits);
    const rate: RateInfo = {};
    const refuse = (status: 401 | 403 | 429, code: Extract<ReserveResult, { ok: false }>['code'], message: string, retryAfterMs?: number, downgradeTo?: string): ReserveResult => ({
      ok: false,
      status,
      code,
      message,
      rate,
      ...(retryAfterMs !== undefined ? { retryAfterMs: Math.max(0, retryAfterMs) } : {}),
      ...(downgradeTo ? { downgradeTo } : {}),
    });

    const ks = this.keyStatus(req.keyId, now);
    if (ks === 'revoked' || ks === 'expired') return refuse(401, 'key_revoked', ks === 'expired' ? 'This API key was rotated and its grace period has ended.' : 'This API key has been revoked.');
    if (ks === 'disabled') return refuse(403, 'key_disabled', 'This API key is disabled.');

    // Rate limits: report the most restrictive scope in the headers.
    const tokenKeys: string[] = [];
    const inflightKeys: string[] = [];
    const requestKeys: string[] = [];
    for (const { scope, limits } of req.limits) {
      const who = scope === 'tenant' ? 'the tenant' : scope;
      if (limits.requestsPerMinute !== undefined) {
        const k = `rq|${scope}|${minute.start}`;
        const used = Number(this.counter(k).spent);
        const remaining = limits.requestsPerMinute - used;
        if (rate.remainingRequests === undefined || remaining - 1 < rate.remainingRequests) Object.assign(rate, { limitRequests: limits.requestsPerMinute, remainingRequests: Math.max(0, remaining - 1), resetRequestsMs: minute.end - now });
        if (remaining < 1) return refuse(429, 'rate_limit_exceeded', `Rate limit reached for ${who}: ${limits.requestsPerMinute} requests per minute.`, minute.end - now);
        requestKeys.push(k);
      }
      for (const [limit, k, w, label] of [
        [limits.tokensPerMinute, `tm|${scope}|${minute.start}`, minute, 'tokens per minute'],
        [limits.tokensPerDay, `td|${scope}|${day.start}`, day, 'tokens per day'],
      ] as const) {
        if (limit === undefined) continue;
        const c = this.counter(k);
        const used = Number(c.spent + c.reserved);
        if (req.worstTokens > limit) return refuse(429, 'request_too_large', `This request may use up to ${req.worstTokens} tokens (prompt + max output), more than the limit of ${limit} ${label} for ${who}. Lower max_tokens.`);
        const remaining = limit - used - req.worstTokens;
        if (label === 'tokens per minute' || rate.limitTokens === undefined) {
          if (rate.remainingTokens === undefined || remaining < rate.remainingTokens) Object.assign(rate, { limitTokens: limit, remainingTokens: Math.max(0, remaining), resetTokensMs: w.end - now });
        }
        if (remaining < 0) return held(refuse(429, 'rate_limit_exceeded', `Rate limit reached for ${who}: ${limit} ${label} (${used} in use, this request may use ${req.worstTokens}).`, w.end - now), c.reserved > 0n && limit - Number(c.spent) - req.worstTokens >= 0);
        tokenKeys.push(k);
      }
      if (limits.concurrent !== undefined) {
        const k = `if|${scope}`;
        if (Number(this.counter(k).spent) + 1 > limits.concurrent) return held(refuse(429, 'concurrency_limit_exceeded', `Too many requests in flight for ${who}: the limit is ${limits.concurrent}.`, 1000), limits.concurrent > 0);
        inflightKeys.push(k);
      }
    }

    // Budgets.
    const warnings: string[] = [];
    let remaining: bigint | undefined;
    const budgetKeys: string[] = [];
    for (const sb of req.budgets) {
      const b = sb.budget;
      if (!budgetApplies(b, req.route, req.models)) continue;
      const state = budgetState(sb, req.timezone, now);
      const { spent, reserved } = this.used(state);
      const amount = toUnits(b.amount);
      const left = amount - spent - reserved - worst;
      const what = `${sb.scope === 'tenant' ? 'The tenant' : sb.scope}'s ${b.rolling ? 'rolling ' : ''}${PERIODIC[b.period]} budget of $${b.amount}${b.model ? ` for ${b.model}` : b.route ? ` for route ${b.route}` : ''}`;
      if (left < 0n) {
        const detail = `${what} is reached ($${usd(spent)} spent, $${usd(reserved)} reserved by requests in flight; this request may cost up to $${usd(worst)}).`;
        const fitsOnceSettled = reserved > 0n && amount - spent - worst >= 0n;
        if (b.action === 'block') return held(refuse(429, 'budget_exceeded', detail, state.resetAt - now), fitsOnceSettled);
        if (b.action === 'downgrade' && !req.downgraded) return held(refuse(429, 'budget_exceeded', detail, state.resetAt - now, b.downgradeTo), fitsOnceSettled);
        warnings.push(detail);
      }
      if (b.action === 'block' && (remaining === undefined || left < remaining)) remaining = left;
      budgetKeys.push(state.charge);
    }

    const id = req.requestId;
    const expires = now + req.ttlMs;
    const reservation: Reservation = { id, at: now, expires, worst, worstTokens: req.worstTokens, budgetKeys, tokenKeys, inflightKeys };
    const keep = Math.max(expires, day.end) + 60_000;
    for (const k of budgetKeys) this.add(k, 0n, worst, keep + ROLLING.month.durationMs);
    for (const k of tokenKeys) this.add(k, 0n, BigInt(req.worstTokens), keep);
    for (const k of inflightKeys) this.add(k, 1n, 0n, expires);
    for (const k of requestKeys) this.add(k, 1n, 0n, minute.end + 60_000);
    this.store.reservations.set(id, reservation);
    this.store.saveReservation(reservation);
    return { ok: true, reservationId: id, rate, warnings, ...(remaining !== undefined ? { budgetRemaining: usd(remaining) } : {}) };
  }

  /** Releases a reservation (its reserved amounts and in-flight slots). Returns it, if it was held. */
  release(id: string): Reservation | undefined {
    const r = this.store.reservations.get(id);
    if (!r) return undefined;
    for (const k of r.budgetKeys) this.add(k, 0n, -r.worst, 0);
    for (const k of r.tokenKeys) this.add(k, 0n, -BigInt(r.worstTokens), 0);
    for (const k of r.inflightKeys) this.add(k, -1n, 0n, 0);
    this.store.reservations.delete(id);
    this.store.deleteReservation(id);
    return r;
  }

  /**
   * Settles a request: releases its reservation and charges the actual cost and tokens to the
   * same periods. A request whose reservation expired is still charged (to the current periods).
   */
  settle(req: SettleRequest, now: number): void {
    const r = this.release(req.reservationId);
    const cost = toUnits(req.record.cost);
    const budgetKeys = r ? r.budgetKeys : req.budgets.filter((sb) => budgetApplies(sb.budget, req.record.route, req.record.model ? [req.record.model] : [])).map((sb) => budgetState(sb, req.timezone, now).charge);
    const keep = now + ROLLING.month.durationMs + 86_400_000;
    if (cost > 0n) for (const k of budgetKeys) this.add(k, cost, 0n, keep);
    const tokenKeys = r?.tokenKeys ?? [];
    if (req.tokens > 0) for (const k of tokenKeys) this.add(k, BigInt(req.tokens), 0n, keep);
  }

  /** Reservations whose request never came back, released. */
  expire(now: number): Reservation[] {
    const out: Reservation[] = [];
    for (const r of [...this.store.reservations.values()]) if (r.expires <= now) out.push(this.release(r.id)!);
    return out;
  }

  /** Drops counters past their expiry. */
  prune(now: number): number {
    let n = 0;
    for (const [k, c] of this.store.counters) {
      if (c.expires > 0 && c.expires < now && c.reserved === 0n) {
        this.store.counters.delete(k);
        this.store.deleteCounter(k);
        n++;
      }
    }
    return n;
  }
}
