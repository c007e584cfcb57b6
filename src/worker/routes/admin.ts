/**
 * The admin API (`/admin/*`): configuration, tenants, keys, provider cooldowns, usage and
 * counters, and the audit log. Protected by admin tokens (the Worker secret
 * TOLLGATE_ADMIN_TOKENS: `id:token` pairs, comma-separated), never by a tenant key. Every write
 * goes through the ControlPlane object, which validates it whole and audits it.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AdminOp, AdminResult, ControlPlane, KeyChanges, KeyView as KeyViewType } from '../../admin/control-plane.js';
import { adoptKeyChanges } from '../../tenants/key-states.js';
import type { GatewayConfigInput } from '../../proxy/config/schema.js';
import { invalidateConfigCache, loadConfig } from '../../proxy/config/load.js';
import { configJsonSchema, Defaults, Provider, Route } from '../../proxy/config/schema.js';
import type { HealthSnapshot } from '../../proxy/health/events.js';
import { healthView, keyFingerprint } from '../../proxy/health/health-view.js';
import type { ProviderHealth } from '../../proxy/health/health-object.js';
import { resolveSecret } from '../../proxy/config/secrets.js';
import { invalidateKeyCache } from '../../tenants/auth.js';
import { secretEquals } from '../../tenants/keys.js';
import type { TenantLedger } from '../../tenants/ledger/tenant-ledger.js';
import { Budget, Limits, TenantPolicy } from '../../tenants/policy-schema.js';
import { parseUsageParams, UsageParams, usageQuery, usageResponse } from '../../tenants/usage/report.js';
import { toCsv } from '../../tenants/usage/csv.js';
import type { Env } from '../env.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas/responses.js';

type AdminEnv = { Bindings: Env; Variables: { adminId: string } };

/** Admin tokens: `id:token` (or a bare token, id `admin`), comma-separated. */
function adminTokens(env: Env): { id: string; token: string }[] {
  return (env.TOLLGATE_ADMIN_TOKENS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const i = s.indexOf(':');
      return i > 0 ? { id: s.slice(0, i), token: s.slice(i + 1) } : { id: 'admin', token: s };
    })
    .filter((t) => t.token.length > 0);
}

const requireAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const tokens = adminTokens(c.env);
  if (tokens.length === 0) throw new ApiError(503, 'The admin API is disabled: set the Worker secret TOLLGATE_ADMIN_TOKENS.', 'server_error', null, 'admin_disabled');
  const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  let id: string | undefined;
  // Every token is compared (in constant time), so the time taken does not say which matched.
  for (const t of tokens) if (m && (await secretEquals(m[1]!.trim(), t.token))) id ??= t.id;
  if (!id) throw new ApiError(401, 'Admin routes need `Authorization: Bearer <admin token>`.', 'authentication_error', null, 'invalid_admin_token');
  c.set('adminId', id);
  await next();
};

function control(env: Env): DurableObjectStub<ControlPlane> {
  const ns = env.CONTROL as DurableObjectNamespace<ControlPlane> | undefined;
  if (!ns || !env.TOLLGATE_KV) throw new ApiError(501, 'The admin API needs the CONTROL Durable Object and TOLLGATE_KV bindings.', 'server_error', null, 'not_configured');
  return ns.get(ns.idFromName('control'));
}

function tenantLedger(env: Env, tenant: string): DurableObjectStub<TenantLedger> {
  const ns = env.TENANTS as DurableObjectNamespace<TenantLedger> | undefined;
  if (!ns) throw new ApiError(501, 'The TENANTS Durable Object binding is missing.', 'server_error', null, 'not_configured');
  return ns.get(ns.idFromName(tenant));
}

/** Runs an admin operation in the ControlPlane object; its errors come back as data. */
async function run<T>(env: Env, actor: string, op: AdminOp): Promise<T> {
  const r = (await control(env).exec(op, actor)) as AdminResult;
  if (r.ok) return r.value as T;
  const e = r.error;
  throw new ApiError(e.status as never, e.message, e.type as never, e.param, e.code);
}

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const TenantParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 'acme' }) });
const KeyParams = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'key_x8Jq2vLmN0aB' }) });
const ProviderParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 'openai' }) });

const ConfigDoc = z
  .looseObject({ providers: z.record(z.string(), Provider).optional(), routes: z.record(z.string(), Route).optional(), defaults: Defaults.partial().optional(), tenants: z.record(z.string(), TenantPolicy).optional() })
  .openapi('GatewayConfig', { description: 'The whole configuration; see GET /admin/config/schema for the JSON Schema.' });

const NewKey = z
  .strictObject({
    name: z.string().min(1).max(200),
    models: z.array(z.string().min(1).max(256)).max(256).optional(),
    limits: Limits.optional(),
    budgets: z.array(Budget).max(16).optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi('NewKey');

const KeyView = z.looseObject({ id: z.string(), tenant: z.string(), name: z.string(), hint: z.string(), status: z.string(), createdAt: z.string() }).openapi('Key');
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const auth = [{ admin: [] as string[] }];

const routes = {
  getConfig: createRoute({ method: 'get', path: '/admin/config', tags: ['Admin'], security: auth, summary: 'Read the configuration (secrets sealed)', responses: { 200: json(z.looseObject({}), 'The configuration'), ...errorResponses(401) } }),
  putConfig: createRoute({ method: 'put', path: '/admin/config', tags: ['Admin'], security: auth, summary: 'Replace the configuration', description: 'Validated whole; a bad document changes nothing. Literal provider keys are encrypted before storage.', request: body(ConfigDoc), responses: { 200: json(z.looseObject({}), 'The stored configuration'), ...errorResponses(400, 401) } }),
  schema: createRoute({ method: 'get', path: '/admin/config/schema', tags: ['Admin'], security: auth, summary: 'JSON Schema of the configuration', responses: { 200: json(z.looseObject({}), 'JSON Schema (2020-12)') } }),
  listTenants: createRoute({ method: 'get', path: '/admin/tenants', tags: ['Admin'], security: auth, summary: 'List tenants', responses: { 200: json(z.looseObject({ data: z.array(z.looseObject({})) }), 'Tenants'), ...errorResponses(401) } }),
  getTenant: createRoute({ method: 'get', path: '/admin/tenants/{id}', tags: ['Admin'], security: auth, summary: 'Read a tenant', request: { params: TenantParams }, responses: { 200: json(TenantPolicy, 'The tenant policy'), ...errorResponses(401, 404) } }),
  putTenant: createRoute({ method: 'put', path: '/admin/tenants/{id}', tags: ['Admin'], security: auth, summary: 'Create or replace a tenant', request: { params: TenantParams, ...body(TenantPolicy) }, responses: { 200: json(TenantPolicy, 'The tenant policy'), ...errorResponses(400, 401) } }),
  deleteTenant: createRoute({ method: 'delete', path: '/admin/tenants/{id}', tags: ['Admin'], security: auth, summary: 'Delete a tenant', request: { params: TenantParams }, responses: { 200: json(z.looseObject({ deleted: z.string() }), 'Deleted'), ...errorResponses(401, 404) } }),
  counters: createRoute({ method: 'get', path: '/admin/tenants/{id}/counters', tags: ['Admin'], security: auth, summary: "A tenant's live counters and reservations", request: { params: TenantParams }, responses: { 200: json(z.looseObject({}), 'Counters'), ...errorResponses(401) } }),
  createKey: createRoute({ method: 'post', path: '/admin/tenants/{id}/keys', tags: ['Admin'], security: auth, summary: 'Issue a key (shown once)', request: { params: TenantParams, ...body(NewKey) }, responses: { 201: json(z.looseObject({ key: z.string(), record: KeyView }), 'The key, in plaintext, once'), ...errorResponses(400, 401, 404) } }),
  listKeys: createRoute({ method: 'get', path: '/admin/keys', tags: ['Admin'], security: auth, summary: 'List keys', request: { query: z.object({ tenant: Id.optional() }) }, responses: { 200: json(z.looseObject({ data: z.array(KeyView) }), 'Keys'), ...errorResponses(401) } }),
  getKey: createRoute({ method: 'get', path: '/admin/keys/{id}', tags: ['Admin'], security: auth, summary: 'Read a key', request: { params: KeyParams }, responses: { 200: json(KeyView, 'The key (never its secret)'), ...errorResponses(401, 404) } }),
  revokeKey: createRoute({ method: 'post', path: '/admin/keys/{id}/revoke', tags: ['Admin'], security: auth, summary: 'Revoke a key (immediate, everywhere)', request: { params: KeyParams }, responses: { 200: json(KeyView, 'The revoked key'), ...errorResponses(401, 404) } }),
  rotateKey: createRoute({
    method: 'post',
    path: '/admin/keys/{id}/rotate',
    tags: ['Admin'],
    security: auth,
    summary: 'Rotate a key',
    description: 'Issues a new key with the same settings; the old one stays valid for grace_seconds (default 86400).',
    request: { params: KeyParams, body: { required: false, content: { 'application/json': { schema: z.strictObject({ grace_seconds: z.number().int().min(0).max(30 * 86400).optional() }) } } } },
    responses: { 201: json(z.looseObject({ key: z.string(), record: KeyView, previous: KeyView }), 'The new key, once'), ...errorResponses(400, 401, 404) },
  }),
  keyStatus: createRoute({ method: 'post', path: '/admin/keys/{id}/status', tags: ['Admin'], security: auth, summary: 'Enable or disable a key', request: { params: KeyParams, ...body(z.strictObject({ status: z.enum(['active', 'disabled']) })) }, responses: { 200: json(KeyView, 'The key'), ...errorResponses(400, 401, 404) } }),
  cooldown: createRoute({
    method: 'post',
    path: '/admin/providers/{id}/cooldown',
    tags: ['Admin'],
    security: auth,
    summary: 'Force a provider key into cooldown',
    description: 'The key (by its index in the provider’s keys) is skipped by every isolate for `seconds` (0 clears it).',
    request: { params: ProviderParams, ...body(z.strictObject({ key_index: z.number().int().min(0).max(63), seconds: z.number().int().min(0).max(7 * 86400) })) },
    responses: { 200: json(z.looseObject({ provider: z.string(), key_index: z.number(), until: z.string() }), 'Cooldown set'), ...errorResponses(400, 401, 404) },
  }),
  health: createRoute({ method: 'get', path: '/admin/health', tags: ['Admin'], security: auth, summary: 'Provider health shared by every isolate', description: 'Circuit breakers and latency per target, cooldowns per provider key (by fingerprint: `provider:<16 hex of SHA-256>`, never the key).', responses: { 200: json(z.looseObject({}), 'The health snapshot'), ...errorResponses(401) } }),
  usage: createRoute({ method: 'get', path: '/admin/usage', tags: ['Admin'], security: auth, summary: 'Usage of one tenant (tenant=) or all', description: 'Parameters as GET /v1/usage, plus tenant; `tag=name=value` may repeat.', request: { query: z.looseObject(UsageParams.omit({ tag: true }).partial().shape) }, responses: { 200: json(z.looseObject({}), 'JSON, CSV or FOCUS'), ...errorResponses(400, 401) } }),
  audit: createRoute({
    method: 'get',
    path: '/admin/audit',
    tags: ['Admin'],
    security: auth,
    summary: 'The audit log',
    request: { query: z.object({ after: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(10_000).optional(), format: z.enum(['json', 'csv']).optional() }) },
    responses: { 200: json(z.looseObject({ data: z.array(z.looseObject({})) }), 'Audit entries, oldest first'), ...errorResponses(401) },
  }),
};

export function admin(): OpenAPIHono<AdminEnv> {
  const app = new OpenAPIHono<AdminEnv>();
  app.use('/admin/*', requireAdmin);
  // A write in this isolate is visible to its next request at once.
  app.use('/admin/*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET') {
      invalidateConfigCache();
      invalidateKeyCache();
      if (c.req.path.startsWith('/admin/keys/')) adoptKeyChanges((await control(c.env).keyChanges()) as KeyChanges);
    }
  });

  app.openapi(routes.getConfig, async (c) => c.json((await run<{ config: GatewayConfigInput }>(c.env, c.get('adminId'), { op: 'getConfig' })).config as Record<string, unknown>, 200));
  app.openapi(routes.putConfig, async (c) => c.json(await run<Record<string, unknown>>(c.env, c.get('adminId'), { op: 'putConfig', doc: c.req.valid('json') }), 200));
  app.openapi(routes.schema, (c) => c.json(configJsonSchema() as Record<string, unknown>, 200));

  app.openapi(routes.listTenants, async (c) => {
    const cfg = (await run<{ config: GatewayConfigInput }>(c.env, c.get('adminId'), { op: 'getConfig' })).config;
    return c.json({ data: Object.entries(cfg.tenants ?? {}).map(([id, t]) => ({ id, ...t })) }, 200);
  });
  app.openapi(routes.getTenant, async (c) => {
    const { id } = c.req.valid('param');
    const t = (await run<{ config: GatewayConfigInput }>(c.env, c.get('adminId'), { op: 'getConfig' })).config.tenants?.[id];
    if (!t) throw new ApiError(404, `No tenant '${id}'.`, 'not_found_error', 'id', 'tenant_not_found');
    return c.json(TenantPolicy.parse(t), 200);
  });
  app.openapi(routes.putTenant, async (c) => {
    const { id } = c.req.valid('param');
    const cfg = await run<GatewayConfigInput>(c.env, c.get('adminId'), { op: 'putTenant', id, policy: await c.req.json() });
    return c.json(TenantPolicy.parse(cfg.tenants![id]), 200);
  });
  app.openapi(routes.deleteTenant, async (c) => {
    const { id } = c.req.valid('param');
    await run(c.env, c.get('adminId'), { op: 'deleteTenant', id });
    return c.json({ deleted: id }, 200);
  });
  app.openapi(routes.counters, async (c) => c.json((await tenantLedger(c.env, c.req.valid('param').id).counters()) as unknown as Record<string, unknown>, 200));

  app.openapi(routes.createKey, async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const opts = { name: b.name, ...(b.models ? { models: b.models } : {}), ...(b.limits ? { limits: b.limits } : {}), ...(b.budgets ? { budgets: b.budgets } : {}), ...(b.expires_at ? { expiresAt: new Date(b.expires_at).toISOString() } : {}) };
    const issued = await run<{ key: string; record: KeyViewType }>(c.env, c.get('adminId'), { op: 'createKey', tenant: id, opts });
    return c.json(issued as never, 201);
  });
  app.openapi(routes.listKeys, async (c) => c.json({ data: await run<never[]>(c.env, c.get('adminId'), { op: 'listKeys', ...(c.req.valid('query').tenant ? { tenant: c.req.valid('query').tenant } : {}) }) }, 200));
  app.openapi(routes.getKey, async (c) => c.json(await run<never>(c.env, c.get('adminId'), { op: 'getKey', id: c.req.valid('param').id }), 200));
  app.openapi(routes.revokeKey, async (c) => c.json(await run<never>(c.env, c.get('adminId'), { op: 'setKeyStatus', id: c.req.valid('param').id, status: 'revoked' }), 200));
  app.openapi(routes.keyStatus, async (c) => c.json(await run<never>(c.env, c.get('adminId'), { op: 'setKeyStatus', id: c.req.valid('param').id, status: c.req.valid('json').status }), 200));
  app.openapi(routes.rotateKey, async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as { grace_seconds?: number };
    const grace = typeof b.grace_seconds === 'number' && b.grace_seconds >= 0 ? b.grace_seconds : 86_400;
    return c.json(await run<never>(c.env, c.get('adminId'), { op: 'rotateKey', id: c.req.valid('param').id, graceSeconds: grace }), 201);
  });

  app.openapi(routes.cooldown, async (c) => {
    const { id } = c.req.valid('param');
    const { key_index, seconds } = c.req.valid('json');
    const provider = (await loadConfig(c.env)).config.providers[id];
    if (!provider) throw new ApiError(404, `No provider '${id}'.`, 'not_found_error', 'id', 'provider_not_found');
    const ref = provider.keys[key_index];
    if (ref === undefined) throw new ApiError(400, `Provider '${id}' has ${provider.keys.length} key(s); key_index ${key_index} does not exist.`, 'invalid_request_error', 'key_index', 'invalid_value');
    const key = await resolveSecret(ref, { env: c.env, encryptionKey: c.env.TOLLGATE_ENCRYPTION_KEY }, `providers.${id}.keys[${key_index}]`);
    const ns = c.env.HEALTH as DurableObjectNamespace<ProviderHealth> | undefined;
    if (!ns) throw new ApiError(501, 'The HEALTH Durable Object binding is missing.', 'server_error', null, 'not_configured');
    const until = seconds > 0 ? Date.now() + seconds * 1000 : 0;
    // This isolate sees the change at once; the others with their next health refresh (≤ 2 s).
    healthView(c.env).adopt((await ns.get(ns.idFromName('global')).setCooldown(await keyFingerprint(id, key), until)) as HealthSnapshot);
    await run(c.env, c.get('adminId'), { op: 'note', action: 'provider.cooldown', target: `provider:${id}`, detail: { key_index, seconds } });
    return c.json({ provider: id, key_index, until: new Date(until).toISOString() }, 200);
  });

  app.openapi(routes.health, async (c) => {
    const ns = c.env.HEALTH as DurableObjectNamespace<ProviderHealth> | undefined;
    if (!ns) throw new ApiError(501, 'The HEALTH Durable Object binding is missing.', 'server_error', null, 'not_configured');
    return c.json((await ns.get(ns.idFromName('global')).snapshot()) as never, 200);
  });

  app.openapi(routes.usage, async (c) => {
    const p = parseUsageParams(new URL(c.req.url));
    const cfg = (await run<{ config: GatewayConfigInput }>(c.env, c.get('adminId'), { op: 'getConfig' })).config;
    const all = Object.entries(cfg.tenants ?? {}).map(([id, t]) => ({ id, ...(t.name ? { name: t.name } : {}) }));
    const tenants = p.tenant ? [{ id: p.tenant, ...(cfg.tenants?.[p.tenant]?.name ? { name: cfg.tenants[p.tenant]!.name! } : {}) }] : all;
    return (await usageResponse(c.env, tenants, p, usageQuery(p, Date.now()))) as never;
  });

  app.openapi(routes.audit, async (c) => {
    const q = c.req.valid('query');
    const entries = await run<unknown[]>(c.env, c.get('adminId'), { op: 'auditLog', after: q.after ?? 0, limit: q.limit ?? 1000 });
    if (q.format === 'csv') {
      return c.body(toCsv(['seq', 'at', 'actor', 'action', 'target', 'beforeHash', 'afterHash', 'detail'], entries as unknown as Record<string, unknown>[]), 200, { 'content-type': 'text/csv; charset=utf-8' }) as never;
    }
    return c.json({ data: entries as never[] }, 200);
  });
  return app;
}
