/**
 * The admin API and the response cache, in workerd: bad writes rejected whole with the field
 * named (nothing half-applied), secrets sealed on read, the audit log, configuration changes
 * taking effect without a deploy, and cached answers replayed at $0 per tenant.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGateway, type Gateway } from './harness.js';

let gw: Gateway;
let key: string;

beforeAll(async () => {
  gw = await startGateway('admin', { TOLLGATE_GATEWAY_KEY: 'tg_single_tenant_key' });
  await gw.configure({ routes: { cached: { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }], cache: { ttl: 600 } } } });
  ({ key } = await gw.tenantKey('acme', { name: 'Acme Inc.' }));
});
afterAll(async () => {
  await gw?.stop();
});

describe('admin API', () => {
  it('needs an admin token; a tenant key is not one', async () => {
    expect((await gw.fetch('/admin/config')).status).toBe(401);
    const withTenantKey = await gw.fetch('/admin/config', { headers: { authorization: `Bearer ${key}` } });
    expect(withTenantKey.status).toBe(401);
    expect(((await withTenantKey.json()) as { error: { code: string } }).error.code).toBe('invalid_admin_token');
  });

  it('rejects a bad configuration whole, naming the field; nothing changes and nothing is audited', async () => {
    const before = (await gw.admin('GET', '/admin/config')).body;
    const auditBefore = (await gw.admin('GET', '/admin/audit')).body.data.length;
    const cases: [unknown, string][] = [
      [{ ...before, routes: { x: { targets: [{ provider: 'nope', model: 'gpt-4o' }] } } }, 'routes.x.targets[0].provider'],
      [{ ...before, routes: { x: { strategy: 'fastest', targets: [{ provider: 'openai', model: 'gpt-4o' }] } } }, 'routes.x.strategy'],
      [{ ...before, routes: { x: { targets: [{ provider: 'openai', model: 'no-such-model' }] } } }, 'routes.x.targets[0]'],
      [{ ...before, providers: { ...before.providers, bad: { type: 'openai', keys: [] } } }, 'providers.bad.baseUrl'],
      [{ ...before, tenants: { t: { budgets: [{ amount: '-1', period: 'day' }] } } }, 'tenants.t.budgets[0].amount'],
      [{ ...before, tenants: { t: { budgets: [{ amount: '1e3', period: 'day' }] } } }, 'tenants.t.budgets[0].amount'],
      [{ ...before, tenants: { t: { budgets: [{ amount: '1.00', period: 'fortnight' }] } } }, 'tenants.t.budgets[0].period'],
      [{ ...before, tenants: { t: { timezone: 'Mars/Olympus' } } }, 'tenants.t.timezone'],
      [{ ...before, tenants: { t: { budgets: [{ amount: '1.00', period: 'day', action: 'downgrade', downgradeTo: 'missing' }] } } }, 'tenants.t.budgets[0].downgradeTo'],
    ];
    for (const [doc, param] of cases) {
      const r = await gw.admin('PUT', '/admin/config', doc);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.param).toBe(param);
    }
    const bad = await gw.admin('PUT', '/admin/tenants/acme', { budgets: [{ amount: 'ten dollars', period: 'day' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('budgets[0].amount');
    expect((await gw.admin('GET', '/admin/config')).body).toEqual(before);
    expect((await gw.admin('GET', '/admin/audit')).body.data.length).toBe(auditBefore);
    const noTenant = await gw.admin('POST', '/admin/tenants/ghost/keys', { name: 'x' });
    expect(noTenant.status).toBe(404);
  });

  it('audits every change with actor and before/after hashes, as JSON and CSV', async () => {
    await gw.admin('PUT', '/admin/tenants/audited', { name: 'A' });
    const log = (await gw.admin('GET', '/admin/audit')).body.data as { actor: string; action: string; target: string; beforeHash: string | null; afterHash: string }[];
    const last = log.at(-1)!;
    expect(last).toMatchObject({ actor: 'tester', action: 'tenant.put', target: 'tenant:audited' });
    expect(last.afterHash).toMatch(/^[0-9a-f]{64}$/);
    // The state before is the state the previous configuration change left.
    const previous = log.slice(0, -1).reverse().find((e) => /^(config|tenant)\./.test(e.action))!;
    expect(last.beforeHash).toBe(previous.afterHash);
    const csv = String((await gw.admin('GET', '/admin/audit?format=csv')).body);
    expect(csv.split('\r\n')[0]).toBe('seq,at,actor,action,target,beforeHash,afterHash,detail');
    expect(csv).toContain('tenant:audited');
  });

  it('a route change takes effect without a deploy', async () => {
    await gw.configure({ routes: { switchy: { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] } } });
    const a = await gw.openai(key).chat.completions.create({ model: 'switchy', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }).withResponse();
    expect(a.response.headers.get('x-tollgate-provider')).toBe('openai');
    await gw.configure({ routes: { switchy: { targets: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }] } } });
    const b = await gw.openai(key).chat.completions.create({ model: 'switchy', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }).withResponse();
    expect(b.response.headers.get('x-tollgate-provider')).toBe('anthropic');
  });

  it('a single-tenant deployment can use one gateway key from a Worker secret (tenant `default`)', async () => {
    const r = await gw.openai('tg_single_tenant_key').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }).withResponse();
    expect(r.response.status).toBe(200);
    const rows = await eventually(async () => {
      const u = await gw.admin('GET', '/admin/usage?tenant=default&group_by=key&start=2020-01-01&end=2100-01-01');
      return u.body.data.length ? u.body.data : undefined;
    });
    expect(rows[0].group).toBe('gateway');
    expect(await gw.openai('tg_single_tenant_kez').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: { status: number }) => e.status)).toBe(401);
  });

  it('the configuration JSON Schema and the admin routes are published', async () => {
    const schema = (await gw.admin('GET', '/admin/config/schema')).body;
    expect(schema.properties.providers).toBeTruthy();
    const doc = (await (await gw.fetch('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/v1/chat/completions', '/v1/messages', '/v1/embeddings', '/v1/usage', '/admin/config', '/admin/tenants/{id}/keys', '/admin/keys/{id}/revoke', '/admin/audit']) expect(doc.paths[p], p).toBeTruthy();
  });
});

describe('response cache', () => {
  it('replays an identical request at $0, as JSON or as a stream, and records what it saved', async () => {
    await gw.configure({ routes: { cached: { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }], cache: { ttl: 600 } } } });
    const client = gw.openai(key);
    const body = { model: 'cached', messages: [{ role: 'user' as const, content: 'What is a token?' }], max_tokens: 30 };
    const first = await client.chat.completions.create(body).withResponse();
    expect(first.response.headers.get('x-tollgate-cache')).toBe('miss');
    const cost = first.response.headers.get('x-tollgate-cost')!;
    const second = await eventually(async () => {
      const r = await client.chat.completions.create(body).withResponse();
      return r.response.headers.get('x-tollgate-cache') === 'hit' ? r : undefined;
    });
    expect(second.response.headers.get('x-tollgate-saved')).toBe(cost);
    expect(second.response.headers.get('x-tollgate-cost')).toBe('0');
    expect(second.data.choices[0]!.message.content).toBe(first.data.choices[0]!.message.content);
    expect((second.data.usage as unknown as { cost: string }).cost).toBe('0');
    const upstreamCalls = gw.fakes.openai.requests.length;
    // The same request as a stream is served from the cache too.
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: any;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe(first.data.choices[0]!.message.content);
    expect(usage.cost).toBe('0');
    expect(gw.fakes.openai.requests.length).toBe(upstreamCalls);
    // Another tenant never sees it; no-store bypasses it.
    const other = await gw.tenantKey('other');
    const theirs = await gw.openai(other.key).chat.completions.create(body).withResponse();
    expect(theirs.response.headers.get('x-tollgate-cache')).toBe('miss');
    const bypass = await client.chat.completions.create(body, { headers: { 'x-tollgate-cache': 'no-store' } }).withResponse();
    expect(bypass.response.headers.get('x-tollgate-cache')).toBeNull();
    const bad = await client.chat.completions.create(body, { headers: { 'x-tollgate-cache': 'forever' } }).catch((e: unknown) => e);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    const saved = await eventually(async () => {
      const r = await gw.admin('GET', '/admin/usage?tenant=acme&group_by=status&start=2020-01-01&end=2100-01-01');
      return r.body.data.find((d: { group: string }) => d.group === 'cache_hit');
    });
    expect(saved.cost).toBe('0');
    expect(saved.saved).not.toBe('0');
  });

  it('errors are never cached', async () => {
    gw.fakes.openai.enqueue({ status: 400, error: { message: 'bad' } });
    const body = { model: 'cached', messages: [{ role: 'user' as const, content: 'cache my error?' }], max_tokens: 10 };
    expect(await gw.openai(key).chat.completions.create(body).catch((e: { status: number }) => e.status)).toBe(400);
    const ok = await gw.openai(key).chat.completions.create(body).withResponse();
    expect(ok.response.headers.get('x-tollgate-cache')).toBe('miss');
  });
});
