/**
 * TenantLedger: one Durable Object per tenant (SQLite storage) holding its budget and rate
 * counters, its reservations, the status of its keys, its alert outbox and its ledger. Strongly
 * consistent and single-threaded, so budgets are checked and recorded in one step.
 *
 * The hot path is two calls: `reserve` before the upstream call, `settle` after it. Counters
 * live in memory and are written through to SQLite; an alarm expires reservations whose
 * request never returned, prunes old counters and delivers alert webhooks (with retries).
 */
import { DurableObject } from 'cloudflare:workers';
import { fromUnits, toUnits } from '../../proxy/accounting/money.js';
import type { UsageRecord } from '../../proxy/accounting/record.js';
import { retryDelayMs, signWebhook, type BudgetAlert } from '../alerts/webhook.js';
import { Accounts, budgetApplies, budgetState, type AccountsStore, type Counter, type Reservation } from './accounts.js';
import { GroupCommit } from './group-commit.js';
import { insertRecords, LEDGER_DDL, migrateLedger, queryCharges, queryRecords, queryUsage, type ChargeRow, type LedgerRow, type UsageQuery, type UsageRow } from './ledger-sql.js';
import type { KeyStatus, ReserveRequest, ReserveResult, SettleRequest } from './protocol.js';

const DDL = `
${LEDGER_DDL}
CREATE TABLE IF NOT EXISTS counters (k TEXT PRIMARY KEY, spent TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reservations (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS key_status (key_id TEXT PRIMARY KEY, status TEXT NOT NULL, grace_until INTEGER);
CREATE TABLE IF NOT EXISTS alerts_sent (k TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, body TEXT NOT NULL, signature TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, last_error TEXT);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
`;

const ALARM_EVERY_MS = 60_000;
/**
 * How long a reserve that only requests in flight stand in the way of waits for them to settle
 * before it is refused. A response reaches its client before its settle reaches this object
 * (settles leave after the response, in batches of up to 16 ms), so a client that sends its
 * next request at once would otherwise be refused for the reservation or the in-flight slot
 * of the request it has already received. Any settle or release wakes the waiters to re-check.
 */
const SETTLE_GRACE_MS = 250;
/** How long writes wait to be committed together. */
const COMMIT_DELAY_MS = 10;

/**
 * Counters kept in SQLite: money (budgets) and daily tokens. Per-minute and in-flight counters
 * live in memory only: after a restart they start from zero, which costs at most one minute's
 * rate-limit accuracy and never a cent of budget.
 */
const durable = (k: string) => k.startsWith('b|') || k.startsWith('rb|') || k.startsWith('td|');

export interface TenantCounters {
  tenant: string;
  inFlight: number;
  reservations: { id: string; at: string; expires: string; worst: string }[];
  counters: { key: string; spent: string; reserved: string }[];
}

export class TenantLedger extends DurableObject {
  private readonly sql: SqlStorage;
  private readonly store: AccountsStore;
  private readonly accounts: Accounts;
  /** When the alarm is set (undefined: not read yet), so the hot path makes no storage call for it. */
  private alarmAt: number | null | undefined;
  private named = false;
  private readonly commit = new GroupCommit(COMMIT_DELAY_MS);
  /** Ledger rows queued for the next commit, by request id (for idempotency before they land). */
  private readonly queuedRows = new Set<string>();
  /** Reservations written to SQLite (one made and released within a commit never is). */
  private readonly storedReservations = new Set<string>();
  /** Alerts already sent (`<period>|<threshold>`), so checking a threshold is not a write. */
  private readonly alertsSent = new Set<string>();
  /** Reserves waiting for requests in flight to settle (SETTLE_GRACE_MS), woken by every settle or release. */
  private waiting: (() => void)[] = [];

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.sql = ctx.storage.sql;
    this.sql.exec(DDL);
    migrateLedger(this.sql);
    const sql = this.sql;
    const store: AccountsStore = {
      counters: new Map(),
      reservations: new Map(),
      keyStates: new Map(),
      // Writes go to the next group commit (memory is the truth in between), the last write of each row only.
      saveCounter: (k, c) => {
        if (durable(k)) this.commit.queueKeyed(`c|${k}`, () => sql.exec('INSERT OR REPLACE INTO counters (k, spent, expires) VALUES (?, ?, ?)', k, c.spent.toString(), c.expires));
      },
      deleteCounter: (k) => {
        if (durable(k)) this.commit.queueKeyed(`c|${k}`, () => sql.exec('DELETE FROM counters WHERE k = ?', k));
      },
      saveReservation: (r) =>
        this.commit.queueKeyed(`r|${r.id}`, () => {
          sql.exec('INSERT OR REPLACE INTO reservations (id, data) VALUES (?, ?)', r.id, JSON.stringify({ ...r, worst: r.worst.toString() }));
          this.storedReservations.add(r.id);
        }),
      // A reservation released before its commit was never written: nothing to delete.
      deleteReservation: (id) =>
        this.commit.queueKeyed(`r|${id}`, () => {
          if (this.storedReservations.delete(id)) sql.exec('DELETE FROM reservations WHERE id = ?', id);
        }),
    };
    for (const r of sql.exec('SELECT k, spent, expires FROM counters')) {
      store.counters.set(String(r.k), { spent: BigInt(String(r.spent)), reserved: 0n, expires: Number(r.expires) } satisfies Counter);
    }
    for (const r of sql.exec('SELECT key_id, status, grace_until FROM key_status')) {
      store.keyStates.set(String(r.key_id), { status: r.status as KeyStatus, ...(r.grace_until !== null ? { graceUntil: Number(r.grace_until) } : {}) });
    }
    for (const r of sql.exec('SELECT k FROM alerts_sent')) this.alertsSent.add(String(r.k));
    for (const r of sql.exec('SELECT data FROM reservations')) {
      const d = JSON.parse(String(r.data)) as Reservation & { worst: string };
      store.reservations.set(d.id, { ...d, worst: BigInt(d.worst) });
      this.storedReservations.add(d.id);
    }
    this.store = store;
    this.accounts = new Accounts(store);
    this.accounts.restoreReserved();
  }

  private async ensureAlarm(at = Date.now() + ALARM_EVERY_MS): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt === null || this.alarmAt > at) {
      this.alarmAt = at;
      await this.ctx.storage.setAlarm(at);
    }
  }

  private tenantName(name: string): void {
    if (this.named) return;
    this.sql.exec('INSERT OR IGNORE INTO meta (k, v) VALUES (?, ?)', 'tenant', name);
    this.named = true;
  }

  /** Admits a request against every limit and budget, reserving its worst case; or refuses it. */
  async reserve(request: ReserveRequest | string, tenant: string): Promise<ReserveResult> {
    // As a JSON string from current workers (one copy instead of Workers RPC walking every field); as an object from older ones.
    const req = typeof request === 'string' ? (JSON.parse(request) as ReserveRequest) : request;
    this.tenantName(tenant);
    let result = this.accounts.reserve(req);
    const deadline = Date.now() + SETTLE_GRACE_MS;
    while (!result.ok && result.inFlight && Date.now() < deadline) {
      await this.settled(deadline - Date.now());
      result = this.accounts.reserve(req);
    }
    if (result.ok) await this.ensureAlarm(Math.min(Date.now() + ALARM_EVERY_MS, Date.now() + req.ttlMs));
    return result;
  }

  /** Resolves at the next settle or release, or after `ms`. */
  private settled(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(wake, ms);
      function wake(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiting.push(wake);
    });
  }

  /** Lets waiting reserves re-check (something in flight settled or was released). */
  private wakeWaiting(): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /**
   * Records finished requests in the ledger and settles their reservations (idempotent per
   * request id), in order. Isolates send their settles in batches (../settle-batch.ts), so one
   * call and one commit serve many requests. The batch is a JSON array of SettleRequest.
   * Answers once the rows are committed, so a lost answer means a retry, not a loss.
   *
   * `firstAttempt`: the sender has not sent this batch before. Request ids are the gateway's own
   * and unique, so only a resent batch can hold rows already committed, and only then does each
   * row cost a lookup. (A sender that does not say is treated as resending.)
   */
  async settleMany(batch: string, firstAttempt?: boolean): Promise<{ recorded: number; alerts: number }> {
    const reqs = JSON.parse(batch) as SettleRequest[];
    const rows: UsageRecord[] = [];
    let alerts = 0;
    for (const req of reqs) {
      const at = Date.parse(req.record.at) || Date.now();
      if (!this.record(req, at, firstAttempt !== true)) continue;
      rows.push(req.record);
      if (req.alerts) alerts += await this.checkAlerts(req, at);
    }
    this.wakeWaiting();
    if (rows.length) {
      // The batch's rows go to the next commit together, as one write.
      this.commit.queue(() => {
        insertRecords(this.sql, rows);
        for (const r of rows) this.queuedRows.delete(r.requestId);
      });
    }
    await this.commit.flushed();
    return { recorded: rows.length, alerts };
  }

  /** One request's counters at time `at`; false when its row was already recorded (a retried settle). The caller queues its row. */
  private record(req: SettleRequest, at: number, mayBeRecorded: boolean): boolean {
    const id = req.record.requestId;
    if (this.queuedRows.has(id) || (mayBeRecorded && this.sql.exec('SELECT 1 FROM ledger WHERE request_id = ?', id).toArray().length > 0)) {
      this.accounts.release(req.reservationId);
      return false;
    }
    this.queuedRows.add(id);
    this.accounts.settle(req, at);
    return true;
  }

  /** Releases a reservation without a ledger row (the request was refused after reserving, e.g. to downgrade). */
  async release(reservationId: string): Promise<void> {
    this.accounts.release(reservationId);
    this.wakeWaiting();
  }

  private async checkAlerts(req: SettleRequest, now: number): Promise<number> {
    let queued = 0;
    const tenant = this.tenant();
    for (const sb of req.budgets) {
      const b = sb.budget;
      if (!b.alerts.length || !budgetApplies(b, req.record.route, req.record.model ? [req.record.model] : [])) continue;
      const state = budgetState(sb, req.timezone, now);
      const { spent } = this.accounts.used(state);
      const amount = toUnits(b.amount);
      for (const t of [...b.alerts].sort((x, y) => x - y)) {
        if (spent * 100n < amount * BigInt(t)) break;
        const k = `${state.period}|${t}`;
        if (this.alertsSent.has(k)) continue;
        this.alertsSent.add(k);
        this.sql.exec('INSERT OR IGNORE INTO alerts_sent (k, at) VALUES (?, ?)', k, now);
        const alert: BudgetAlert = {
          type: 'budget.threshold',
          tenant,
          scope: sb.scope,
          budget: { amount: b.amount, period: b.period, rolling: b.rolling, action: b.action, ...(b.model ? { model: b.model } : {}), ...(b.route ? { route: b.route } : {}) },
          threshold: t,
          spent: fromUnits(spent),
          periodEnd: new Date(state.resetAt).toISOString(),
          at: new Date(now).toISOString(),
        };
        const body = JSON.stringify(alert);
        const signature = await signWebhook(req.alerts!.secret, body, Math.floor(Date.now() / 1000));
        this.sql.exec('INSERT INTO outbox (url, body, signature, next_at) VALUES (?, ?, ?, ?)', req.alerts!.url, body, signature, Date.now());
        queued++;
      }
    }
    if (queued) await this.ensureAlarm(Date.now());
    return queued;
  }

  private tenant(): string {
    const row = this.sql.exec('SELECT v FROM meta WHERE k = ?', 'tenant').toArray()[0];
    return row ? String(row.v) : '';
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    for (const r of this.accounts.expire(now)) console.warn(JSON.stringify({ tollgate: 'reservation_expired', tenant: this.tenant(), requestId: r.id, worst: fromUnits(r.worst) }));
    this.wakeWaiting();
    this.accounts.prune(now);
    await this.deliverAlerts(now);
    const pending = this.store.reservations.size > 0 || this.sql.exec('SELECT 1 FROM outbox LIMIT 1').toArray().length > 0;
    if (pending) {
      const next = this.sql.exec('SELECT MIN(next_at) AS n FROM outbox').toArray()[0]?.n as number | null;
      this.alarmAt = Math.min(now + ALARM_EVERY_MS, next ?? Infinity);
      await this.ctx.storage.setAlarm(this.alarmAt);
    }
  }

  private async deliverAlerts(now: number): Promise<void> {
    const due = this.sql.exec('SELECT id, url, body, signature, attempts FROM outbox WHERE next_at <= ? ORDER BY id LIMIT 20', now).toArray();
    for (const row of due) {
      let error: string | undefined;
      try {
        const res = await fetch(String(row.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tollgate-signature': String(row.signature), 'user-agent': 'tollgate-alerts/1' },
          body: String(row.body),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) error = `HTTP ${res.status}`;
        await res.body?.cancel();
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      if (!error) {
        this.sql.exec('DELETE FROM outbox WHERE id = ?', row.id);
        continue;
      }
      const attempts = Number(row.attempts) + 1;
      const delay = retryDelayMs(attempts);
      if (delay === undefined) {
        console.error(JSON.stringify({ tollgate: 'alert_dropped', tenant: this.tenant(), url: String(row.url), attempts, error }));
        this.sql.exec('DELETE FROM outbox WHERE id = ?', row.id);
      } else {
        this.sql.exec('UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?', attempts, now + delay, error, row.id);
      }
    }
  }

  /** Sets a key's status as the authority every request checks (revocation is immediate). */
  async setKeyStatus(keyId: string, status: KeyStatus, graceUntil?: number): Promise<void> {
    this.store.keyStates.set(keyId, { status, ...(graceUntil !== undefined ? { graceUntil } : {}) });
    this.sql.exec('INSERT OR REPLACE INTO key_status (key_id, status, grace_until) VALUES (?, ?, ?)', keyId, status, graceUntil ?? null);
  }

  async usage(q: UsageQuery): Promise<UsageRow[]> {
    this.commit.flushNow();
    return queryUsage(this.sql, q);
  }

  async records(q: UsageQuery, limit: number): Promise<LedgerRow[]> {
    this.commit.flushNow();
    return queryRecords(this.sql, q, limit);
  }

  async charges(q: UsageQuery): Promise<ChargeRow[]> {
    this.commit.flushNow();
    return queryCharges(this.sql, q);
  }

  /** The live counters (admin view). */
  async counters(): Promise<TenantCounters> {
    let inFlight = 0;
    for (const [k, c] of this.store.counters) if (k.startsWith('if|tenant')) inFlight = Number(c.spent);
    return {
      tenant: this.tenant(),
      inFlight,
      reservations: [...this.store.reservations.values()].map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), expires: new Date(r.expires).toISOString(), worst: fromUnits(r.worst) })),
      counters: [...this.store.counters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, c]) => ({ key, spent: c.spent.toString(), reserved: c.reserved.toString() })),
    };
  }

  /** Alerts waiting for delivery (admin and tests). */
  async outbox(): Promise<{ url: string; body: string; signature: string; attempts: number; lastError: string | null }[]> {
    return this.sql.exec('SELECT url, body, signature, attempts, last_error FROM outbox ORDER BY id').toArray().map((r) => ({ url: String(r.url), body: String(r.body), signature: String(r.signature), attempts: Number(r.attempts), lastError: r.last_error === null ? null : String(r.last_error) }));
  }

  /** Runs the periodic work now (tests; the alarm does it in production). */
  async tick(): Promise<void> {
    await this.alarm();
  }
}
