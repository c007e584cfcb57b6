/**
 * Usage reports from the ledgers: `GET /v1/usage` (a tenant's key: its own usage) and
 * `GET /admin/usage` (any or every tenant). Filters by time, key, user, model, provider, route
 * and tags; grouping by day, hour, model, key, user, provider, route, status or a tag; JSON, CSV
 * or FOCUS 1.2. Totals are exact sums of the per-request costs.
 */
import { z } from 'zod';
import { fromUnits, toUnits } from '../../proxy/accounting/money.js';
import { ApiError, fromZodError } from '../../worker/errors.js';
import type { Env } from '../../worker/env.js';
import { GROUPS, type ChargeRow, type LedgerRow, type UsageQuery, type UsageRow } from '../ledger/ledger-sql.js';
import type { TenantLedger } from '../ledger/tenant-ledger.js';
import { toCsv } from './csv.js';
import { FOCUS_COLUMNS, focusFromCharge, focusFromRecord } from './focus.js';

const MAX_RECORDS = 100_000;

const Instant = z
  .string()
  .max(64)
  .refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO 8601 date or time');

export const UsageParams = z.strictObject({
  start: Instant.optional(),
  end: Instant.optional(),
  group_by: z
    .string()
    .max(70)
    .refine((g) => (GROUPS as readonly string[]).includes(g) || /^tag:[A-Za-z0-9_.-]{1,64}$/.test(g), `one of ${GROUPS.join(', ')} or tag:<name>`)
    .default('day'),
  key: z.string().max(64).optional(),
  user: z.string().max(128).optional(),
  model: z.string().max(256).optional(),
  provider: z.string().max(64).optional(),
  route: z.string().max(256).optional(),
  tag: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}=.{1,128}$/, 'name=value')).max(16).optional(),
  format: z.enum(['json', 'csv', 'focus']).default('json'),
  rows: z.enum(['group', 'request']).default('group').describe('csv and focus: one row per group (focus: per day × model × key × user × tags) or per request'),
  tenant: z.string().max(64).optional(),
});
export type UsageParams = z.infer<typeof UsageParams>;

/** URL query → validated parameters (repeated `tag` allowed). */
export function parseUsageParams(url: URL): UsageParams {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) {
    if (k === 'tag') ((raw.tag as string[] | undefined) ?? (raw.tag = [])).push(v);
    else raw[k] = v;
  }
  const r = UsageParams.safeParse(raw);
  if (!r.success) throw fromZodError(r.error, 'query', raw);
  return r.data;
}

export function usageQuery(p: UsageParams, now: number, keyId?: string): UsageQuery {
  const dayStart = Math.floor(now / 86_400_000) * 86_400_000;
  const start = p.start ? Date.parse(p.start) : dayStart;
  const end = p.end ? Date.parse(p.end) : dayStart + 86_400_000;
  if (end <= start) throw new ApiError(400, "Invalid query parameter 'end': must be after start.", 'invalid_request_error', 'end', 'invalid_value');
  return {
    start,
    end,
    groupBy: p.group_by,
    ...(keyId ?? p.key ? { keyId: keyId ?? p.key } : {}),
    ...(p.user ? { user: p.user } : {}),
    ...(p.model ? { model: p.model } : {}),
    ...(p.provider ? { provider: p.provider } : {}),
    ...(p.route ? { route: p.route } : {}),
    ...(p.tag ? { tags: p.tag.map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] as [string, string]) } : {}),
  };
}

function ledger(env: Env, tenant: string): DurableObjectStub<TenantLedger> {
  const ns = env.TENANTS as DurableObjectNamespace<TenantLedger> | undefined;
  if (!ns) throw new ApiError(501, 'This deployment has no ledger (the TENANTS Durable Object binding is missing).', 'server_error', null, 'not_configured');
  return ns.get(ns.idFromName(tenant));
}

type Totals = Omit<UsageRow, 'group'>;

function sum(rows: Totals[]): Totals {
  let cost = 0n;
  let saved = 0n;
  const t = { requests: 0, input_tokens: 0, cached_tokens: 0, cache_write_tokens: 0, output_tokens: 0, reasoning_tokens: 0 };
  for (const r of rows) {
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += r[k];
    cost += toUnits(r.cost);
    saved += toUnits(r.saved);
  }
  return { ...t, cost: fromUnits(cost), saved: fromUnits(saved) };
}

const CSV_GROUP_COLUMNS = ['tenant', 'group', 'requests', 'input_tokens', 'cached_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost', 'saved'];
const CSV_RECORD_COLUMNS = ['tenant', 'requestId', 'clientRequestId', 'at', 'endpoint', 'keyId', 'user', 'route', 'provider', 'model', 'upstreamModel', 'status', 'httpStatus', 'attempts', 'stream', 'promptTokens', 'cachedTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens', 'cost', 'saved', 'exact', 'usageSource', 'latencyMs', 'ttftMs', 'tags'];

/** The usage report of `tenants` as an HTTP response in the requested format. */
export async function usageResponse(env: Env, tenants: { id: string; name?: string }[], p: UsageParams, q: UsageQuery): Promise<Response> {
  const many = tenants.length !== 1;
  const tenantLabel = many ? null : tenants[0]!.id;
  if (p.format === 'focus') {
    const rows: Record<string, unknown>[] = [];
    for (const t of tenants) {
      if (p.rows === 'request') for (const r of (await ledger(env, t.id).records(q, MAX_RECORDS)) as LedgerRow[]) rows.push(focusFromRecord(t.id, r, t.name));
      else for (const r of (await ledger(env, t.id).charges(q)) as ChargeRow[]) rows.push(focusFromCharge(t.id, r, t.name));
    }
    return new Response(toCsv([...FOCUS_COLUMNS], rows), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="tollgate-focus.csv"' } });
  }
  if (p.format === 'csv' && p.rows === 'request') {
    const rows: Record<string, unknown>[] = [];
    for (const t of tenants) for (const r of (await ledger(env, t.id).records(q, MAX_RECORDS)) as LedgerRow[]) rows.push({ tenant: t.id, ...r });
    return new Response(toCsv(CSV_RECORD_COLUMNS, rows), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="tollgate-usage.csv"' } });
  }
  const data: (UsageRow & { tenant?: string })[] = [];
  for (const t of tenants) for (const r of (await ledger(env, t.id).usage(q)) as UsageRow[]) data.push(many ? { tenant: t.id, ...r } : r);
  if (p.format === 'csv') {
    return new Response(toCsv(CSV_GROUP_COLUMNS, data.map((r) => ({ tenant: r.tenant ?? tenantLabel, ...r }))), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="tollgate-usage.csv"' } });
  }
  return Response.json({ object: 'usage', tenant: tenantLabel, start: new Date(q.start).toISOString(), end: new Date(q.end).toISOString(), group_by: q.groupBy, data, total: sum(data) });
}
