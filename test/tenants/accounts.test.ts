/**
 * The reserve → settle protocol as plain code (the tenant Durable Object runs exactly this),
 * with properties over random interleavings: the settled spend never exceeds a blocking budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Accounts, type AccountsStore } from '../../src/tenants/ledger/accounts.js';
import type { ReserveRequest, SettleRequest } from '../../src/tenants/ledger/protocol.js';
import { calendarWindow, localToUtc, rollingBuckets } from '../../src/tenants/periods.js';
import { Budget } from '../../src/tenants/policy-schema.js';
import type { UsageRecord } from '../../src/proxy/accounting/record.js';

const RUNS = Number(process.env.TOLLGATE_PROPERTY_RUNS ?? 300);
const SEED = process.env.TOLLGATE_SEED ? Number(process.env.TOLLGATE_SEED) : undefined;

function store(): AccountsStore {
  return { counters: new Map(), reservations: new Map(), keyStates: new Map(), saveCounter() {}, deleteCounter() {}, saveReservation() {}, deleteReservation() {} };
}

const NOW = Date.UTC(2026, 11, 2, 10, 30);
const USD = 10n ** 24n;

function reserveReq(id: string, worst: bigint, extra: Partial<ReserveRequest> = {}): ReserveRequest {
  return {
    requestId: id,
    now: NOW,
    keyId: 'key_a',
    route: 'gpt-4o',
    models: ['gpt-4o'],
    worstUnits: worst.toString(),
    worstTokens: 100,
    limits: [],
    budgets: [{ scope: 'tenant', budget: Budget.parse({ amount: '1.00', period: 'day' }) }],
    timezone: 'UTC',
    ttlMs: 60_000,
    ...extra,
  };
}

function record(id: string, cost: string, at = NOW): UsageRecord {
  return { requestId: id, at: new Date(at).toISOString(), endpoint: 'chat', tenant: 't', keyId: 'key_a', tags: {}, route: 'gpt-4o', model: 'gpt-4o', promptTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0, cost, exact: true, usageSource: 'reported', latencyMs: 1, status: 'ok', httpStatus: 200, attempts: 1, stream: false };
}

function settleReq(r: ReserveRequest, cost: string, tokens = 50): SettleRequest {
  return { reservationId: r.requestId, record: record(r.requestId, cost, r.now), tokens, budgets: r.budgets, timezone: r.timezone };
}

const fmt = (units: bigint) => {
  const s = units.toString().padStart(25, '0');
  const frac = s.slice(-24).replace(/0+$/, '');
  return frac ? `${s.slice(0, -24)}.${frac}` : s.slice(0, -24);
};

describe('budgets', () => {
  it('admits while spent + reserved + worst case fits, refuses with the reset time after', () => {
    const a = new Accounts(store());
    const r1 = reserveReq('r1', (6n * USD) / 10n);
    expect(a.reserve(r1)).toMatchObject({ ok: true, budgetRemaining: '0.4' });
    // 0.6 reserved: another 0.6 would not fit, even though nothing is spent yet.
    const r2 = a.reserve(reserveReq('r2', (6n * USD) / 10n));
    expect(r2).toMatchObject({ ok: false, status: 429, code: 'budget_exceeded' });
    if (!r2.ok) expect(r2.retryAfterMs).toBe(Date.UTC(2026, 11, 3) - NOW);
    // Settling to the actual cost frees the rest of the reservation.
    a.settle(settleReq(r1, '0.25'), NOW);
    expect(a.reserve(reserveReq('r3', (7n * USD) / 10n))).toMatchObject({ ok: true, budgetRemaining: '0.05' });
  });

  it('warn serves and says so; downgrade names the route, then serves once downgraded', () => {
    const a = new Accounts(store());
    const warn = [{ scope: 'tenant', budget: Budget.parse({ amount: '0.10', period: 'day', action: 'warn' }) }];
    expect(a.reserve(reserveReq('w', USD, { budgets: warn }))).toMatchObject({ ok: true, warnings: [expect.stringContaining('is reached')] });
    const down = [{ scope: 'tenant', budget: Budget.parse({ amount: '0.10', period: 'day', action: 'downgrade', downgradeTo: 'cheap' }) }];
    expect(a.reserve(reserveReq('d1', USD, { budgets: down }))).toMatchObject({ ok: false, downgradeTo: 'cheap' });
    expect(a.reserve(reserveReq('d2', USD, { budgets: down, downgraded: true }))).toMatchObject({ ok: true });
  });

  it('budgets filtered by model or route only count their requests', () => {
    const a = new Accounts(store());
    const budgets = [{ scope: 'tenant', budget: Budget.parse({ amount: '0.10', period: 'day', model: 'gpt-4o' }) }];
    expect(a.reserve(reserveReq('x', USD, { budgets, models: ['gpt-4o-mini'], route: 'gpt-4o-mini' }))).toMatchObject({ ok: true });
    expect(a.reserve(reserveReq('y', USD, { budgets }))).toMatchObject({ ok: false, code: 'budget_exceeded' });
  });

  it('a new period starts empty (calendar day in the tenant time zone)', () => {
    const a = new Accounts(store());
    const budgets = [{ scope: 'tenant', budget: Budget.parse({ amount: '1.00', period: 'day' }) }];
    const tz = 'America/New_York';
    const lateEvening = Date.UTC(2026, 11, 3, 4, 30); // 23:30 on Dec 2 in New York
    const r = reserveReq('a', (9n * USD) / 10n, { budgets, timezone: tz, now: lateEvening });
    expect(a.reserve(r)).toMatchObject({ ok: true });
    a.settle(settleReq(r, '0.9'), lateEvening);
    expect(a.reserve(reserveReq('b', (2n * USD) / 10n, { budgets, timezone: tz, now: lateEvening + 10 * 60_000 }))).toMatchObject({ ok: false });
    // 00:30 in New York: a new day there, though it is the same UTC day as before.
    expect(a.reserve(reserveReq('c', (2n * USD) / 10n, { budgets, timezone: tz, now: lateEvening + 60 * 60_000 }))).toMatchObject({ ok: true });
  });

  it('rolling budgets count the last period, bucket by bucket', () => {
    const a = new Accounts(store());
    const budgets = [{ scope: 'tenant', budget: Budget.parse({ amount: '1.00', period: 'hour', rolling: true }) }];
    const r = reserveReq('a', USD, { budgets });
    expect(a.reserve(r)).toMatchObject({ ok: true });
    a.settle(settleReq(r, '1'), NOW);
    expect(a.reserve(reserveReq('b', 1n, { budgets, now: NOW + 59 * 60_000 }))).toMatchObject({ ok: false });
    expect(a.reserve(reserveReq('c', 1n, { budgets, now: NOW + 61 * 60_000 }))).toMatchObject({ ok: true });
  });

  it('property: under any interleaving of reserves and settles (actual ≤ worst), settled spend never exceeds the budget', () => {
    const op = fc.oneof(fc.record({ kind: fc.constant('reserve' as const), worst: fc.bigInt({ min: 0n, max: 3n * 10n ** 23n }) }), fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), fraction: fc.integer({ min: 0, max: 100 }) }));
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 200 }), fc.bigInt({ min: 1n, max: 2n * 10n ** 18n }), (ops, attoAmount) => {
        // Budgets are written with at most 18 fraction digits.
        const amount = attoAmount * 10n ** 6n;
        const a = new Accounts(store());
        const budget = Budget.parse({ amount: fmt(amount), period: 'day' });
        const open: ReserveRequest[] = [];
        let settled = 0n;
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'reserve') {
            const r = reserveReq(`r${n++}`, o.worst, { budgets: [{ scope: 'tenant', budget }] });
            if (a.reserve(r).ok) open.push(r);
          } else if (open.length) {
            const r = open.splice(o.pick % open.length, 1)[0]!;
            const actual = (BigInt(r.worstUnits) * BigInt(o.fraction)) / 100n;
            a.settle(settleReq(r, fmt(actual)), NOW);
            settled += actual;
          }
          expect(settled).toBeLessThanOrEqual(amount);
        }
        for (const r of open) {
          a.settle(settleReq(r, r.worstUnits === '0' ? '0' : fmt(BigInt(r.worstUnits))), NOW);
          settled += BigInt(r.worstUnits);
        }
        expect(settled).toBeLessThanOrEqual(amount);
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  });
});

describe('rate limits, concurrency, keys', () => {
  it('requests per minute, with OpenAI-style remaining counts and reset', () => {
    const a = new Accounts(store());
    const limits = [{ scope: 'tenant', limits: { requestsPerMinute: 2 } }];
    expect(a.reserve(reserveReq('1', 1n, { limits }))).toMatchObject({ ok: true, rate: { limitRequests: 2, remainingRequests: 1 } });
    expect(a.reserve(reserveReq('2', 1n, { limits }))).toMatchObject({ ok: true, rate: { remainingRequests: 0 } });
    const third = a.reserve(reserveReq('3', 1n, { limits }));
    expect(third).toMatchObject({ ok: false, code: 'rate_limit_exceeded', retryAfterMs: 60_000 });
    expect(a.reserve(reserveReq('4', 1n, { limits, now: NOW + 59_999 }))).toMatchObject({ ok: false });
    expect(a.reserve(reserveReq('5', 1n, { limits, now: NOW + 60_000 }))).toMatchObject({ ok: true });
  });

  it('tokens per minute reserve the worst case and settle to the actual tokens', () => {
    const a = new Accounts(store());
    const limits = [{ scope: 'key:key_a', limits: { tokensPerMinute: 250 } }];
    const r1 = reserveReq('1', 1n, { limits, worstTokens: 200 });
    expect(a.reserve(r1)).toMatchObject({ ok: true, rate: { limitTokens: 250, remainingTokens: 50 } });
    expect(a.reserve(reserveReq('2', 1n, { limits, worstTokens: 100 }))).toMatchObject({ ok: false, code: 'rate_limit_exceeded' });
    a.settle(settleReq(r1, '0', 120), NOW);
    expect(a.reserve(reserveReq('3', 1n, { limits, worstTokens: 100 }))).toMatchObject({ ok: true, rate: { remainingTokens: 30 } });
    expect(a.reserve(reserveReq('4', 1n, { limits, worstTokens: 300 }))).toMatchObject({ ok: false, code: 'request_too_large' });
  });

  it('concurrency slots are released by settle and by expiry', () => {
    const a = new Accounts(store());
    const limits = [{ scope: 'tenant', limits: { concurrent: 1 } }];
    const r1 = reserveReq('1', 1n, { limits });
    expect(a.reserve(r1).ok).toBe(true);
    expect(a.reserve(reserveReq('2', 1n, { limits }))).toMatchObject({ ok: false, code: 'concurrency_limit_exceeded' });
    a.settle(settleReq(r1, '0'), NOW);
    expect(a.reserve(reserveReq('3', 1n, { limits })).ok).toBe(true);
    expect(a.expire(NOW + 60_000).map((r) => r.id)).toEqual(['3']);
    expect(a.reserve(reserveReq('4', 1n, { limits })).ok).toBe(true);
  });

  it('marks refusals that only requests in flight cause (the object waits for them to settle), and no others', () => {
    const a = new Accounts(store());
    // Budget: 0.6 reserved, another 0.6 fits once the first settles (nothing spent yet)…
    const r1 = reserveReq('b1', (6n * USD) / 10n);
    a.reserve(r1);
    expect(a.reserve(reserveReq('b2', (6n * USD) / 10n))).toMatchObject({ ok: false, code: 'budget_exceeded', inFlight: true });
    // …but not once 0.5 is spent: then it is refused for good.
    a.settle(settleReq(r1, '0.5'), NOW);
    const refused = a.reserve(reserveReq('b3', (6n * USD) / 10n));
    expect(refused).toMatchObject({ ok: false, code: 'budget_exceeded' });
    expect(refused).not.toHaveProperty('inFlight');
    expect((refused as { message: string }).message).toContain("tenant's daily budget");
    // Concurrency: a held slot.
    const limits = [{ scope: 'tenant', limits: { concurrent: 1 } }];
    a.reserve(reserveReq('c1', 1n, { limits, budgets: [] }));
    expect(a.reserve(reserveReq('c2', 1n, { limits, budgets: [] }))).toMatchObject({ ok: false, code: 'concurrency_limit_exceeded', inFlight: true });
    // Tokens per minute: reserved tokens in the way, or tokens already used.
    const tpm = [{ scope: 'key:key_a', limits: { tokensPerMinute: 250 } }];
    const t1 = reserveReq('t1', 1n, { limits: tpm, worstTokens: 200, budgets: [] });
    a.reserve(t1);
    expect(a.reserve(reserveReq('t2', 1n, { limits: tpm, worstTokens: 100, budgets: [] }))).toMatchObject({ ok: false, code: 'rate_limit_exceeded', inFlight: true });
    a.settle(settleReq(t1, '0', 200), NOW);
    const used = a.reserve(reserveReq('t3', 1n, { limits: tpm, worstTokens: 100, budgets: [] }));
    expect(used).toMatchObject({ ok: false, code: 'rate_limit_exceeded' });
    expect(used).not.toHaveProperty('inFlight');
  });

  it('revoked, disabled and rotated-out keys are refused by the ledger itself', () => {
    const s = store();
    const a = new Accounts(s);
    s.keyStates.set('key_a', { status: 'revoked' });
    expect(a.reserve(reserveReq('1', 1n))).toMatchObject({ ok: false, status: 401, code: 'key_revoked' });
    s.keyStates.set('key_a', { status: 'disabled' });
    expect(a.reserve(reserveReq('2', 1n))).toMatchObject({ ok: false, status: 403 });
    s.keyStates.set('key_a', { status: 'active', graceUntil: NOW + 1 });
    expect(a.reserve(reserveReq('3', 1n)).ok).toBe(true);
    expect(a.reserve(reserveReq('4', 1n, { now: NOW + 2 }))).toMatchObject({ ok: false, status: 401 });
  });
});

describe('periods', () => {
  it('calendar windows in a time zone, across a DST change', () => {
    // Europe/Berlin leaves summer time on 2026-10-25: that day has 25 hours.
    const day = calendarWindow('day', 'Europe/Berlin', Date.UTC(2026, 9, 25, 12));
    expect(new Date(day.start).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(day.end).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    const week = calendarWindow('week', 'UTC', Date.UTC(2026, 11, 2)); // a Wednesday
    expect(new Date(week.start).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    const month = calendarWindow('month', 'Asia/Kolkata', Date.UTC(2026, 11, 31, 20)); // Jan 1 01:30 in India
    expect(new Date(month.start).toISOString()).toBe('2026-12-31T18:30:00.000Z');
    const hour = calendarWindow('hour', 'Asia/Kolkata', Date.UTC(2026, 11, 2, 10, 10));
    expect(new Date(hour.start).toISOString()).toBe('2026-12-02T09:30:00.000Z');
    expect(localToUtc(2026, 3, 29, 2, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1)); // 02:00 does not exist: the later side
  });

  it('rolling windows include the whole oldest bucket', () => {
    const b = rollingBuckets('hour', Date.UTC(2026, 0, 1, 12, 0, 30));
    expect(b.length).toBe(61);
    expect(new Date(b[0]!).toISOString()).toBe('2026-01-01T11:00:00.000Z');
  });
});
