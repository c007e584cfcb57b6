/**
 * The ledger table of a tenant's Durable Object, and the queries over it. Costs are stored
 * exactly: the decimal string, plus the amount in 1e-24 USD split into three integer columns —
 * nano-dollars, the rest in 1e-18 USD (< 10^9), the rest in 1e-24 USD (< 10^6) — so SQL can SUM
 * them per group without overflow or rounding, and the total is rebuilt exactly.
 */
import { fromUnits, toUnits } from '../../proxy/accounting/money.js';
import type { UsageRecord } from '../../proxy/accounting/record.js';

export const LEDGER_DDL = `
CREATE TABLE IF NOT EXISTS ledger (
  request_id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  endpoint TEXT NOT NULL,
  key_id TEXT NOT NULL,
  user_id TEXT,
  route TEXT NOT NULL,
  provider TEXT,
  model TEXT,
  upstream_model TEXT,
  status TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost TEXT NOT NULL,
  cost_nano INTEGER NOT NULL,
  cost_atto INTEGER NOT NULL,
  cost_yocto INTEGER NOT NULL,
  saved_nano INTEGER NOT NULL DEFAULT 0,
  saved_atto INTEGER NOT NULL DEFAULT 0,
  saved_yocto INTEGER NOT NULL DEFAULT 0,
  exact INTEGER NOT NULL,
  usage_source TEXT NOT NULL,
  latency_ms INTEGER NOT NULL,
  ttft_ms INTEGER,
  tags TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  client_request_id TEXT
);
CREATE INDEX IF NOT EXISTS ledger_at ON ledger(at);
`;

/** Brings a ledger created by an older version up to LEDGER_DDL's columns. */
export function migrateLedger(sql: SqlStorage): void {
  const columns = new Set(sql.exec('PRAGMA table_info(ledger)').toArray().map((r) => String(r.name)));
  if (!columns.has('client_request_id')) sql.exec('ALTER TABLE ledger ADD COLUMN client_request_id TEXT');
}

const NANO = 10n ** 15n; // 1e-9 USD in 1e-24 units
const ATTO = 10n ** 6n; // 1e-18 USD in 1e-24 units

function split(decimal: string | undefined): [number, number, number] {
  const u = decimal ? toUnits(decimal) : 0n;
  return [Number(u / NANO), Number((u % NANO) / ATTO), Number(u % ATTO)];
}

type Sum = number | bigint | null;

/** Exact decimal USD from the summed columns. */
export function joinCost(nano: Sum, atto: Sum, yocto: Sum): string {
  return fromUnits(BigInt(nano ?? 0) * NANO + BigInt(atto ?? 0) * ATTO + BigInt(yocto ?? 0));
}

const COLUMNS = `request_id, at, endpoint, key_id, user_id, route, provider, model, upstream_model, status, http_status, attempts, stream,
      prompt_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, cost_nano, cost_atto, cost_yocto, saved_nano, saved_atto, saved_yocto,
      exact, usage_source, latency_ms, ttft_ms, tags, error, client_request_id`;
const insertOne = `INSERT OR IGNORE INTO ledger (${COLUMNS}) VALUES (${new Array(32).fill('?').join(',')})`;

function rowValues(r: UsageRecord): (string | number | null)[] {
  const [cn, ca, cy] = split(r.cost);
  const [sn, sa, sy] = split(r.saved);
  return [
    r.requestId,
    Date.parse(r.at),
    r.endpoint,
    r.keyId,
    r.user ?? null,
    r.route,
    r.provider ?? null,
    r.model ?? null,
    r.upstreamModel ?? null,
    r.status,
    r.httpStatus,
    r.attempts,
    r.stream ? 1 : 0,
    r.promptTokens,
    r.cachedTokens,
    r.cacheWriteTokens,
    r.outputTokens,
    r.reasoningTokens,
    r.cost,
    cn,
    ca,
    cy,
    sn,
    sa,
    sy,
    r.exact ? 1 : 0,
    r.usageSource,
    Math.round(r.latencyMs),
    r.ttftMs === undefined ? null : Math.round(r.ttftMs),
    JSON.stringify(r.tags),
    r.error ?? null,
    r.clientRequestId ?? null,
  ];
}

/**
 * Inserts ledger rows (a row whose request id is already there is left as it is). A row that
 * cannot be written is logged with its cost (`ledger_row_failed`), never dropped without a
 * trace, and does not stop the rows after it. (One statement per row: a Durable Object binds
 * at most 100 parameters per statement, and packing rows into one JSON parameter measured no
 * faster — the rows' B-tree inserts are the cost, not the statements.)
 */
export function insertRecords(sql: SqlStorage, records: UsageRecord[]): void {
  for (const r of records) {
    try {
      sql.exec(insertOne, ...rowValues(r));
    } catch (err) {
      console.error(JSON.stringify({ tollgate: 'ledger_row_failed', requestId: r.requestId, cost: r.cost, error: String(err) }));
    }
  }
}

export const GROUPS = ['none', 'day', 'hour', 'model', 'key', 'user', 'provider', 'route', 'status'] as const;

/** Filters and grouping of a usage query. */
export interface UsageQuery {
  start: number;
  end: number;
  /** One of GROUPS, or `tag:<name>`. */
  groupBy: string;
  keyId?: string;
  user?: string;
  model?: string;
  provider?: string;
  route?: string;
  /** Tag filters: every `name=value` must match. */
  tags?: [string, string][];
}

export interface UsageRow {
  group: string | null;
  requests: number;
  input_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** Exact decimal USD. */
  cost: string;
  saved: string;
}

const TAG_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function groupExpr(g: string): string {
  switch (g) {
    case 'none':
      return 'NULL';
    case 'day':
      return "strftime('%Y-%m-%d', at / 1000, 'unixepoch')";
    case 'hour':
      return "strftime('%Y-%m-%dT%H:00:00Z', at / 1000, 'unixepoch')";
    case 'model':
      return 'model';
    case 'key':
      return 'key_id';
    case 'user':
      return 'user_id';
    case 'provider':
      return 'provider';
    case 'route':
      return 'route';
    case 'status':
      return 'status';
  }
  const name = g.slice(4);
  if (!g.startsWith('tag:') || !TAG_NAME.test(name)) throw new RangeError(`group_by: unknown grouping '${g}'`);
  return `json_extract(tags, '$."${name}"')`;
}

function where(q: UsageQuery): { clause: string; params: unknown[] } {
  const parts = ['at >= ?', 'at < ?'];
  const params: unknown[] = [q.start, q.end];
  for (const [col, v] of [
    ['key_id', q.keyId],
    ['user_id', q.user],
    ['model', q.model],
    ['provider', q.provider],
    ['route', q.route],
  ] as const) {
    if (v !== undefined) {
      parts.push(`${col} = ?`);
      params.push(v);
    }
  }
  for (const [k, v] of q.tags ?? []) {
    if (!TAG_NAME.test(k)) throw new RangeError(`tag: bad tag name '${k}'`);
    parts.push(`json_extract(tags, '$."${k}"') = ?`);
    params.push(v);
  }
  return { clause: parts.join(' AND '), params };
}

/** Usage summed per group. */
export function queryUsage(sql: SqlStorage, q: UsageQuery): UsageRow[] {
  const g = groupExpr(q.groupBy);
  const w = where(q);
  const rows = sql
    .exec(
      `SELECT ${g} AS grp, COUNT(*) AS requests, SUM(prompt_tokens) AS input_tokens, SUM(cached_tokens) AS cached_tokens, SUM(cache_write_tokens) AS cache_write_tokens,
        SUM(output_tokens) AS output_tokens, SUM(reasoning_tokens) AS reasoning_tokens,
        SUM(cost_nano) AS cn, SUM(cost_atto) AS ca, SUM(cost_yocto) AS cy, SUM(saved_nano) AS sn, SUM(saved_atto) AS sa, SUM(saved_yocto) AS sy
       FROM ledger WHERE ${w.clause} GROUP BY grp ORDER BY grp`,
      ...w.params,
    )
    .toArray();
  return rows.map((r) => ({
    group: r.grp === null ? null : String(r.grp),
    requests: Number(r.requests),
    input_tokens: Number(r.input_tokens ?? 0),
    cached_tokens: Number(r.cached_tokens ?? 0),
    cache_write_tokens: Number(r.cache_write_tokens ?? 0),
    output_tokens: Number(r.output_tokens ?? 0),
    reasoning_tokens: Number(r.reasoning_tokens ?? 0),
    cost: joinCost(r.cn as Sum, r.ca as Sum, r.cy as Sum),
    saved: joinCost(r.sn as Sum, r.sa as Sum, r.sy as Sum),
  }));
}

export interface LedgerRow extends Omit<UsageRecord, 'tenant'> {}

/** Per-request rows, oldest first (at most `limit`, from `after` request time). */
export function queryRecords(sql: SqlStorage, q: UsageQuery, limit: number): LedgerRow[] {
  const w = where(q);
  const rows = sql.exec(`SELECT * FROM ledger WHERE ${w.clause} ORDER BY at, request_id LIMIT ?`, ...w.params, limit).toArray();
  return rows.map((r) => ({
    requestId: String(r.request_id),
    ...(r.client_request_id != null ? { clientRequestId: String(r.client_request_id) } : {}),
    at: new Date(Number(r.at)).toISOString(),
    endpoint: r.endpoint as UsageRecord['endpoint'],
    keyId: String(r.key_id),
    ...(r.user_id !== null ? { user: String(r.user_id) } : {}),
    tags: JSON.parse(String(r.tags)) as Record<string, string>,
    route: String(r.route),
    ...(r.provider !== null ? { provider: String(r.provider) } : {}),
    ...(r.model !== null ? { model: String(r.model) } : {}),
    ...(r.upstream_model !== null ? { upstreamModel: String(r.upstream_model) } : {}),
    promptTokens: Number(r.prompt_tokens),
    cachedTokens: Number(r.cached_tokens),
    cacheWriteTokens: Number(r.cache_write_tokens),
    outputTokens: Number(r.output_tokens),
    reasoningTokens: Number(r.reasoning_tokens),
    cost: String(r.cost),
    ...(Number(r.saved_nano) || Number(r.saved_atto) || Number(r.saved_yocto) ? { saved: joinCost(r.saved_nano as Sum, r.saved_atto as Sum, r.saved_yocto as Sum) } : {}),
    exact: Number(r.exact) === 1,
    usageSource: r.usage_source as UsageRecord['usageSource'],
    latencyMs: Number(r.latency_ms),
    ...(r.ttft_ms !== null ? { ttftMs: Number(r.ttft_ms) } : {}),
    status: r.status as UsageRecord['status'],
    httpStatus: Number(r.http_status),
    attempts: Number(r.attempts),
    stream: Number(r.stream) === 1,
    ...(r.error !== null ? { error: String(r.error) } : {}),
  }));
}

/** One FOCUS charge row's source: usage of one day, model, key, user and tag set. */
export interface ChargeRow {
  day: string;
  provider: string | null;
  model: string | null;
  keyId: string;
  user: string | null;
  tags: Record<string, string>;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cost: string;
}

/** Usage per UTC day, provider, model, key, user and tag set (the rows of a FOCUS export). */
export function queryCharges(sql: SqlStorage, q: UsageQuery): ChargeRow[] {
  const w = where(q);
  return sql
    .exec(
      `SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, provider, model, key_id, user_id, tags, COUNT(*) AS requests,
        SUM(prompt_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, SUM(cost_nano) AS cn, SUM(cost_atto) AS ca, SUM(cost_yocto) AS cy
       FROM ledger WHERE ${w.clause} GROUP BY day, provider, model, key_id, user_id, tags ORDER BY day, provider, model, key_id, user_id, tags`,
      ...w.params,
    )
    .toArray()
    .map((r) => ({
      day: String(r.day),
      provider: r.provider === null ? null : String(r.provider),
      model: r.model === null ? null : String(r.model),
      keyId: String(r.key_id),
      user: r.user_id === null ? null : String(r.user_id),
      tags: JSON.parse(String(r.tags)) as Record<string, string>,
      requests: Number(r.requests),
      inputTokens: Number(r.input_tokens ?? 0),
      outputTokens: Number(r.output_tokens ?? 0),
      cost: joinCost(r.cn as Sum, r.ca as Sum, r.cy as Sum),
    }));
}
