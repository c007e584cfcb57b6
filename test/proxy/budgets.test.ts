/**
 * Tenants, keys, quotas and budgets in workerd with real KV and Durable Objects: no overspend
 * under 200 concurrent requests, exact ledger sums, period rollover (injected clock), block /
 * warn / downgrade, signed alerts once per threshold, key revocation through the ledger, key
 * expiry and rotation, and nothing secret stored or logged in plaintext.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/tenants/alerts/webhook.js';
import { dec, units, eventually, PROVIDER_KEYS, startGateway, type Gateway } from './harness.js';

let gw: Gateway;
const DAY = Date.UTC(2026, 11, 2);

beforeAll(async () => {
  gw = await startGateway('budgets');
  await gw.configure({
    routes: {
      smart: { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o' }] },
      cheap: { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] },
    },
  });
});
afterAll(async () => {
  await gw?.stop();
});

function chat(key: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return gw.fetch('/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ messages: [{ role: 'user', content: 'Tell me something.' }], max_tokens: 40, ...body }) });
}

/** The cost a response reports: the header, or usage.cost at the end of a stream. */
async function costOf(res: Response): Promise<string> {
  const header = res.headers.get('x-tollgate-cost');
  if (header) {
    await res.body?.cancel();
    return header;
  }
  const text = await res.text();
  const usage = text
    .split('\n')
    .filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)) as { usage?: { cost?: string } })
    .find((c) => c.usage?.cost);
  if (!usage) throw new Error(`no cost in stream: ${text.slice(-300)}`);
  return usage.usage!.cost!;
}

async function usageTotal(tenant: string, query = ''): Promise<{ requests: number; cost: string }> {
  const r = await gw.admin('GET', `/admin/usage?tenant=${tenant}&group_by=none&start=2020-01-01&end=2100-01-01${query}`);
  return r.body.total;
}

describe('zero overspend', () => {
  it('200 concurrent requests (streams and JSON) never exceed the budget; every one is served or refused with 429; the ledger equals the responses', async () => {
    const { key } = await gw.tenantKey('burst', { budgets: [{ amount: '0.004', period: 'day' }] });
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const stream = i % 2 === 0;
        const res = await chat(key, { model: 'gpt-4o', ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });
        if (res.status === 200) return { status: 200, cost: await costOf(res) };
        const body = (await res.json()) as { error: { code: string } };
        return { status: res.status, code: body.error.code, retryAfter: res.headers.get('retry-after') };
      }),
    );
    const served = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    expect(served.length + refused.length).toBe(200);
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r).toMatchObject({ code: 'budget_exceeded' });
      expect(Number((r as { retryAfter: string }).retryAfter)).toBeGreaterThan(0);
    }
    const sum = served.reduce((s, r) => s + units((r as { cost: string }).cost), 0n);
    expect(sum).toBeLessThanOrEqual(units('0.004'));
    const total = await eventually(async () => {
      const t = await usageTotal('burst');
      return t.requests === served.length ? t : undefined;
    });
    expect(total.cost).toBe(dec(sum));
    // Every reservation was settled and released.
    const counters = await eventually(async () => {
      const c = (await gw.admin('GET', '/admin/tenants/burst/counters')).body;
      return c.reservations.length === 0 ? c : undefined;
    });
    expect(counters.inFlight).toBe(0);
    // FOCUS and CSV exports sum to the same exact total.
    const focus = String((await gw.admin('GET', '/admin/usage?tenant=burst&format=focus&start=2020-01-01&end=2100-01-01')).body).trim().split('\r\n');
    const col = focus[0]!.split(',').indexOf('BilledCost');
    expect(dec(focus.slice(1).reduce((s, l) => s + units(l.split(',')[col]!), 0n))).toBe(dec(sum));
  });
});

describe('sequential clients', () => {
  // A response leaves before its settle reaches the tenant's object (settles go in batches, after
  // the response): a client that sends its next request at once must not be refused for the
  // reservation or the in-flight slot of the request it has already received.
  it('are not refused for the reservation of the request they just received', async () => {
    // Worst case ~$0.012 (1200 output tokens of gpt-4o), 60% of the budget; each answer costs far less.
    const { key } = await gw.tenantKey('sequential-budget', { budgets: [{ amount: '0.02', period: 'day' }] });
    for (let i = 0; i < 6; i++) {
      const res = await chat(key, { model: 'gpt-4o', max_tokens: 1200 });
      expect(res.status, await res.clone().text()).toBe(200);
      await res.body?.cancel();
    }
  });

  it('are not refused for the in-flight slot of the request they just received', async () => {
    const { key } = await gw.tenantKey('sequential-concurrency', { limits: { concurrent: 1 } });
    for (let i = 0; i < 6; i++) {
      const res = await chat(key, { model: 'gpt-4o-mini', ...(i % 2 ? { stream: true, stream_options: { include_usage: true } } : {}) });
      expect(res.status, await res.clone().text()).toBe(200);
      await res.text();
    }
  });

  it('are still refused once what was spent leaves no room', async () => {
    // Room for one worst case (~$0.012) and a little: refused as soon as what was spent plus a worst case exceeds it.
    const { key } = await gw.tenantKey('sequential-spent', { budgets: [{ amount: '0.0125', period: 'day' }] });
    let spent = 0n;
    let refusal: { error: { code: string; message: string } } | undefined;
    for (let i = 0; i < 60 && !refusal; i++) {
      const res = await chat(key, { model: 'gpt-4o', max_tokens: 1200 });
      if (res.status === 200) spent += units(await costOf(res));
      else refusal = (await res.json()) as typeof refusal;
    }
    expect(refusal?.error.code).toBe('budget_exceeded');
    expect(refusal?.error.message).toContain("daily budget of $0.0125 is reached");
    expect(spent).toBeGreaterThan(0n);
    expect(spent).toBeLessThanOrEqual(units('0.0125'));
  });
});

describe('ledger batches', () => {
  it('a batch of 64 settles lands whole and exact (any field content); resending it records nothing twice', async () => {
    await gw.tenantKey('bulk');
    const ns = await gw.mf.getDurableObjectNamespace('TENANTS');
    const stub = ns.get(ns.idFromName('bulk')) as unknown as { settleMany(batch: string, firstAttempt?: boolean): Promise<{ recorded: number }> };
    const at = new Date(DAY + 3_600_000).toISOString();
    const reqs = Array.from({ length: 64 }, (_, i) => ({
      reservationId: `bulk_${i}`,
      tokens: 10 + i,
      budgets: [],
      timezone: 'UTC',
      record: {
        requestId: `bulk_${String(i).padStart(3, '0')}`,
        ...(i % 3 === 0 ? { clientRequestId: `client-${i}` } : {}),
        at,
        endpoint: i % 2 ? 'chat' : 'messages',
        tenant: 'bulk',
        keyId: 'key_bulk',
        ...(i % 4 === 0 ? { user: `user-${i}` } : {}),
        tags: i % 5 === 0 ? { app: 'say "hi", 世界', team: 'a,b' } : {},
        route: 'smart',
        provider: 'openai',
        model: 'gpt-4o',
        upstreamModel: 'gpt-4o-2024-08-06',
        promptTokens: 1000 + i,
        cachedTokens: i,
        cacheWriteTokens: 0,
        outputTokens: 2 * i,
        reasoningTokens: 0,
        cost: `0.000${i + 1}23456789012345678`,
        ...(i === 7 ? { saved: '1.5' } : {}),
        exact: i % 2 === 0,
        usageSource: 'reported',
        latencyMs: 12.6,
        ...(i % 2 ? { ttftMs: 3.4 } : {}),
        status: i === 9 ? 'upstream_error' : 'ok',
        httpStatus: i === 9 ? 502 : 200,
        attempts: 1 + (i % 3),
        stream: i % 2 === 1,
        ...(i === 9 ? { error: "openai: it's down; \"quoted\" — ∅" } : {}),
      },
    }));
    expect((await stub.settleMany(JSON.stringify(reqs), true)).recorded).toBe(64);
    expect((await stub.settleMany(JSON.stringify(reqs), false)).recorded).toBe(0);
    const csv = String((await gw.admin('GET', '/admin/usage?tenant=bulk&format=csv&rows=request&start=2020-01-01&end=2100-01-01')).body).trim().split('\r\n');
    expect(csv).toHaveLength(65);
    const total = await usageTotal('bulk');
    expect(total.requests).toBe(64);
    expect(total.cost).toBe(dec(reqs.reduce((sum, r) => sum + units(r.record.cost), 0n)));
    const json = await gw.admin('GET', '/admin/usage?tenant=bulk&group_by=user&start=2020-01-01&end=2100-01-01');
    expect(json.body.data.map((d: { group: string | null }) => d.group)).toContain('user-8');
    expect(csv.some((l) => l.includes('client-63') && l.includes('bulk_063'))).toBe(true);
    expect(csv.some((l) => l.includes('bulk_009') && l.includes('upstream_error') && l.includes('502'))).toBe(true);
    expect(gw.logs.filter((l) => l.includes('ledger_row_failed') || l.includes('storage_write_failed'))).toEqual([]);
  });
});

describe('periods and actions', () => {
  it('a day budget resets at the next day (injected clock)', async () => {
    const { key } = await gw.tenantKey('daily', { budgets: [{ amount: '0.0006', period: 'day' }] });
    const late = DAY + 86_400_000 - 60_000; // 23:59 UTC
    const first = await chat(key, { model: 'gpt-4o' }, { 'x-tollgate-test-now': String(late) });
    expect(first.status).toBe(200);
    await first.body?.cancel();
    const refused = await chat(key, { model: 'gpt-4o' }, { 'x-tollgate-test-now': String(late + 1000) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(59);
    await refused.body?.cancel();
    const next = await chat(key, { model: 'gpt-4o' }, { 'x-tollgate-test-now': String(late + 61_000) });
    expect(next.status).toBe(200);
    await next.body?.cancel();
  });

  it('warn serves with a warning header; downgrade serves from the cheaper route and says so', async () => {
    const w = await gw.tenantKey('warned', { budgets: [{ amount: '0.000001', period: 'day', action: 'warn' }] });
    const res = await chat(w.key, { model: 'gpt-4o' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-tollgate-budget-warning')).toContain('is reached');
    await res.body?.cancel();
    const d = await gw.tenantKey('downgraded', { budgets: [{ amount: '0.000001', period: 'day', action: 'downgrade', downgradeTo: 'cheap', route: 'smart' }] });
    const res2 = await chat(d.key, { model: 'smart' });
    expect(res2.status).toBe(200);
    expect(res2.headers.get('x-tollgate-downgraded')).toBe('smart->cheap');
    expect(res2.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    await res2.body?.cancel();
  });

  it('rate limits answer 429 rate_limit_exceeded with OpenAI-style headers', async () => {
    const { key } = await gw.tenantKey('limited', { limits: { requestsPerMinute: 2, tokensPerMinute: 10_000 } });
    const now = String(DAY + 3_600_000);
    const a = await chat(key, { model: 'gpt-4o-mini' }, { 'x-tollgate-test-now': now });
    expect(a.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(a.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(a.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(a.headers.get('x-ratelimit-limit-tokens')).toBe('10000');
    await a.body?.cancel();
    await (await chat(key, { model: 'gpt-4o-mini' }, { 'x-tollgate-test-now': now })).body?.cancel();
    const c = await chat(key, { model: 'gpt-4o-mini' }, { 'x-tollgate-test-now': now });
    expect(c.status).toBe(429);
    expect(((await c.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    expect(c.headers.get('retry-after')).toBe('60');
  });
});

describe('alerts', () => {
  let server: Server;
  const received: { body: string; signature: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-tollgate-signature']) });
        res.end('ok');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('fire once per threshold per period, signed with the tenant secret', async () => {
    const port = (server.address() as { port: number }).port;
    const { key } = await gw.tenantKey('alerted', { alerts: { webhook: `http://127.0.0.1:${port}/hook`, secret: 'whsec-test' }, budgets: [{ amount: '0.00003', period: 'day', action: 'warn', alerts: [50, 100] }] });
    for (let i = 0; i < 3; i++) await (await chat(key, { model: 'gpt-4o-mini', max_tokens: 200 })).body?.cancel();
    const two = await eventually(async () => (received.length >= 2 ? received : undefined), 15_000);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(two).toHaveLength(2);
    const alerts = two.map((r) => JSON.parse(r.body) as { threshold: number; tenant: string; spent: string });
    expect(alerts.map((a) => a.threshold)).toEqual([50, 100]);
    expect(alerts[0]!.tenant).toBe('alerted');
    for (const r of two) expect(await verifyWebhook('whsec-test', r.body, r.signature)).toBe(true);
    expect(await verifyWebhook('wrong-secret', two[0]!.body, two[0]!.signature)).toBe(false);
    // The stored configuration holds the alert secret encrypted, never as written.
    expect(JSON.stringify((await gw.admin('GET', '/admin/config')).body)).not.toContain('whsec-test');
  });
});

describe('keys', () => {
  it('a revoked key is refused at once, even where a stale record still says active (the ledger decides)', async () => {
    const { key, id } = await gw.tenantKey('revoker');
    expect((await chat(key, { model: 'gpt-4o-mini' })).status).toBe(200);
    const kv = await gw.mf.getKVNamespace('TOLLGATE_KV');
    const { keys } = await kv.list({ prefix: 'key:' });
    let stale: { name: string; value: string } | undefined;
    for (const k of keys) {
      const v = (await kv.get(k.name)) as string;
      if (v.includes(id)) stale = { name: k.name, value: v };
    }
    expect((await gw.admin('POST', `/admin/keys/${id}/revoke`)).body.status).toBe('revoked');
    // Simulate a location whose KV cache has not caught up: put the active record back.
    await kv.put(stale!.name, stale!.value);
    const res = await chat(key, { model: 'gpt-4o-mini' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('key_revoked');
  });

  it('a key revoked elsewhere (another isolate, a stale KV) stops here within seconds, with no round trip per request', async () => {
    const { key, id } = await gw.tenantKey('elsewhere');
    expect((await chat(key, { model: 'gpt-4o-mini' })).status).toBe(200);
    const kv = await gw.mf.getKVNamespace('TOLLGATE_KV');
    const stale: [string, string][] = [];
    for (const k of (await kv.list({ prefix: 'key:' })).keys) {
      const v = (await kv.get(k.name)) as string;
      if (v.includes(id)) stale.push([k.name, v]);
    }
    // Revoke through the control object directly, as another isolate's admin request would.
    const control = await gw.mf.getDurableObjectNamespace('CONTROL');
    const stub = control.get(control.idFromName('control')) as unknown as { exec(op: unknown, actor: string): Promise<{ ok: boolean }> };
    expect((await stub.exec({ op: 'setKeyStatus', id, status: 'revoked' }, 'elsewhere')).ok).toBe(true);
    for (const [k, v] of stale) await kv.put(k, v);
    const t0 = Date.now();
    const refusedAfter = await eventually(async () => {
      const r = await chat(key, { model: 'gpt-4o-mini' });
      await r.body?.cancel();
      return r.status === 401 ? Date.now() - t0 : undefined;
    }, 10_000);
    expect(refusedAfter).toBeLessThan(5000);
  });

  it('expired keys get 401; rotated keys overlap for the grace period, then only the new one works', async () => {
    await gw.admin('PUT', '/admin/tenants/rotator', {});
    const created = await gw.admin('POST', '/admin/tenants/rotator/keys', { name: 'ci', expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    const old = created.body.key as string;
    expect((await chat(old, { model: 'gpt-4o-mini' }, { 'x-tollgate-test-now': String(Date.now() + 7_200_000) })).status).toBe(401);
    const rotated = await gw.admin('POST', `/admin/keys/${created.body.record.id}/rotate`, { grace_seconds: 600 });
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.key as string;
    expect(fresh).not.toBe(old);
    for (const k of [old, fresh]) expect((await chat(k, { model: 'gpt-4o-mini' })).status).toBe(200);
    const later = String(Date.now() + 1_200_000);
    expect((await chat(old, { model: 'gpt-4o-mini' }, { 'x-tollgate-test-now': later })).status).toBe(401);
    expect((await chat(fresh, { model: 'gpt-4o-mini' }, { 'x-tollgate-test-now': later })).status).toBe(200);
  });

  it('disabled keys get 403, keys limited to models get 403 for others, a missing key 401', async () => {
    const { key, id } = await gw.tenantKey('scoped', {}, { models: ['cheap'] });
    expect((await chat(key, { model: 'cheap' })).status).toBe(200);
    const other = await chat(key, { model: 'gpt-4o' });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('model_not_allowed');
    await gw.admin('POST', `/admin/keys/${id}/status`, { status: 'disabled' });
    expect((await chat(key, { model: 'cheap' })).status).toBe(403);
    const none = await gw.fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
  });

  it('keys and provider secrets are never stored or logged in plaintext', async () => {
    const { key } = await gw.tenantKey('secretive');
    await (await chat(key, { model: 'gpt-4o-mini' })).body?.cancel();
    await (await chat(key, { model: 'groq/llama-3.3-70b-versatile' })).body?.cancel();
    const kv = await gw.mf.getKVNamespace('TOLLGATE_KV');
    let dump = '';
    for (const k of (await kv.list()).keys) dump += k.name + ((await kv.get(k.name)) as string);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain('gsk-literal-groq-key'); // the literal provider key is stored encrypted
    expect(dump).toContain('enc:v1:');
    const logs = gw.logs.join('\n');
    expect(logs).toContain('"tollgate":"usage"');
    for (const secret of [key, ...Object.values(PROVIDER_KEYS), 'gsk-literal-groq-key']) expect(logs).not.toContain(secret);
    const config = JSON.stringify((await gw.admin('GET', '/admin/config')).body);
    expect(config).not.toContain('gsk-literal-groq-key');
    // The literal key still works upstream, decrypted only in the worker.
    expect(gw.fakes.openai.requests.some((r) => r.key === 'gsk-literal-groq-key')).toBe(true);
  });
});

describe('attribution and tags', () => {
  it('x-tollgate-user and x-tollgate-tags are kept on the ledger; usage groups by them; per-user limits apply per user', async () => {
    const { key } = await gw.tenantKey('tagged', { users: { limits: { requestsPerMinute: 1 } } });
    const now = String(DAY + 7_200_000);
    const h = (user: string) => ({ 'x-tollgate-user': user, 'x-tollgate-tags': 'app=search,team=platform', 'x-tollgate-test-now': now });
    expect((await chat(key, { model: 'gpt-4o-mini' }, h('alice'))).status).toBe(200);
    expect((await chat(key, { model: 'gpt-4o-mini' }, h('bob'))).status).toBe(200);
    expect((await chat(key, { model: 'gpt-4o-mini' }, h('alice'))).status).toBe(429);
    const byTag = await eventually(async () => {
      const r = await gw.admin('GET', '/admin/usage?tenant=tagged&group_by=tag:app&start=2020-01-01&end=2100-01-01');
      return r.body.total.requests === 2 ? r.body : undefined;
    });
    expect(byTag.data.map((d: { group: string }) => d.group)).toEqual(['search']);
    const byUser = await gw.admin('GET', '/admin/usage?tenant=tagged&group_by=user&start=2020-01-01&end=2100-01-01&tag=team=platform');
    expect(byUser.body.data.map((d: { group: string }) => d.group)).toEqual(['alice', 'bob']);
    const bad = await chat(key, { model: 'gpt-4o-mini' }, { 'x-tollgate-tags': 'no-equals-sign' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('x-tollgate-tags');
    const many = await chat(key, { model: 'gpt-4o-mini' }, { 'x-tollgate-tags': Array.from({ length: 17 }, (_, i) => `k${i}=v`).join(',') });
    expect(many.status).toBe(400);
  });

  it("a client's reused x-request-id cannot hide a request: each is recorded and charged under the gateway's own id", async () => {
    const { key } = await gw.tenantKey('reused-ids', { budgets: [{ amount: '100', period: 'day' }] });
    const costs: bigint[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await chat(key, { model: 'gpt-4o-mini' }, { 'x-request-id': 'client-req-1' });
      expect(res.status).toBe(200);
      ids.push(res.headers.get('x-tollgate-request-id')!);
      costs.push(units(await costOf(res)));
    }
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain('client-req-1');
    const total = await eventually(async () => {
      const t = await usageTotal('reused-ids');
      return t.requests === 3 ? t : undefined;
    });
    expect(total.cost).toBe(dec(costs.reduce((a, b) => a + b, 0n)));
    const csv = String((await gw.admin('GET', '/admin/usage?tenant=reused-ids&format=csv&rows=request&start=2020-01-01&end=2100-01-01')).body).trim().split('\r\n');
    const cols = csv[0]!.split(',');
    const rows = csv.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[cols.indexOf('requestId')]).sort()).toEqual([...ids].sort());
    expect(rows.map((r) => r[cols.indexOf('clientRequestId')])).toEqual(['client-req-1', 'client-req-1', 'client-req-1']);
  });
});
