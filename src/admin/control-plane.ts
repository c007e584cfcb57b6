/**
 * ControlPlane: the single writer of the gateway's configuration and keys, and its audit log
 * (one Durable Object, SQLite). Admin writes are serialized here, validated whole before
 * anything is stored (a bad write changes nothing), then published to KV, where the hot path
 * reads them (cached per isolate). Key status changes also go straight to the tenant's ledger
 * object, which every request consults, so a revoked key stops at once everywhere.
 *
 * Every change appends an audit row: when, which admin token id, what, and SHA-256 hashes of
 * the state before and after (secrets are sealed or hashed before anything is hashed or logged).
 */
import { DurableObject } from 'cloudflare:workers';
import { DEV_DEFAULT_CONFIG } from '../proxy/config/dev-default.js';
import { CONFIG_KV_KEY, compileConfig } from '../proxy/config/load.js';
import { GatewayConfig, type GatewayConfigInput } from '../proxy/config/schema.js';
import { sealSecret, type SecretSource } from '../proxy/config/secrets.js';
import { ConfigError } from '../proxy/config/errors.js';
import { hashKey, KeyRecord, keyHint, KV_KEY_PREFIX, newKey } from '../tenants/keys.js';
import type { KeyStatus } from '../tenants/ledger/protocol.js';
import type { TenantLedger } from '../tenants/ledger/tenant-ledger.js';
import { TenantPolicy } from '../tenants/policy-schema.js';
import { ApiError } from '../worker/errors.js';
import type { Env } from '../worker/env.js';

const DDL = `
CREATE TABLE IF NOT EXISTS state (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keys (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS keys_tenant ON keys(tenant);
CREATE TABLE IF NOT EXISTS key_changes (key_id TEXT PRIMARY KEY, status TEXT NOT NULL, grace_until INTEGER, changed_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS key_changes_at ON key_changes(changed_at);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, before_hash TEXT, after_hash TEXT, detail TEXT NOT NULL);
`;

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  beforeHash: string | null;
  afterHash: string | null;
  detail: Record<string, unknown>;
}

export interface NewKeyOptions {
  name: string;
  models?: string[];
  limits?: KeyRecord['limits'];
  budgets?: KeyRecord['budgets'];
  expiresAt?: string;
}

/** A key as the admin API shows it (never the hash or the key). */
export type KeyView = Omit<KeyRecord, 'hash'>;

const view = ({ hash: _h, ...rest }: KeyRecord): KeyView => rest;

async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const b of new Uint8Array(d)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** An admin operation, as the worker asks for it. */
export type AdminOp =
  | { op: 'getConfig' }
  | { op: 'putConfig'; doc: unknown }
  | { op: 'putTenant'; id: string; policy: unknown }
  | { op: 'deleteTenant'; id: string }
  | { op: 'createKey'; tenant: string; opts: NewKeyOptions }
  | { op: 'listKeys'; tenant?: string }
  | { op: 'getKey'; id: string }
  | { op: 'setKeyStatus'; id: string; status: KeyStatus }
  | { op: 'rotateKey'; id: string; graceSeconds: number }
  | { op: 'auditLog'; after: number; limit: number }
  | { op: 'note'; action: string; target: string; detail: Record<string, unknown> };

/** An operation's result; errors travel as data (RPC keeps only an error's message). */
/** KV propagates within a minute; key changes are kept for the isolates much longer than that. */
export const KEY_CHANGES_KEPT_MS = 15 * 60_000;

/** Recent key status changes, for every isolate's view. */
export interface KeyChanges {
  at: number;
  keys: Record<string, { status: KeyStatus; graceUntil?: number }>;
}

export type AdminResult = { ok: true; value: unknown } | { ok: false; error: { status: number; message: string; type: string; param: string | null; code: string | null } };

export class ControlPlane extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(DDL);
  }

  /**
   * Keys revoked, disabled or rotated recently — long enough for every location's KV to have
   * caught up (KEY_CHANGES_KEPT_MS) — which every isolate reads every few seconds, so a revoked
   * key stops everywhere within seconds without a round trip per request.
   */
  async keyChanges(): Promise<KeyChanges> {
    const since = Date.now() - KEY_CHANGES_KEPT_MS;
    this.sql.exec('DELETE FROM key_changes WHERE changed_at < ? AND (grace_until IS NULL OR grace_until < ?)', since, Date.now());
    const keys: KeyChanges['keys'] = {};
    for (const r of this.sql.exec('SELECT key_id, status, grace_until FROM key_changes')) {
      keys[String(r.key_id)] = { status: r.status as KeyStatus, ...(r.grace_until !== null ? { graceUntil: Number(r.grace_until) } : {}) };
    }
    return { at: Date.now(), keys };
  }

  /** Runs one admin operation as `actor` (the admin token id). */
  async exec(op: AdminOp, actor: string): Promise<AdminResult> {
    try {
      return { ok: true, value: await this.dispatch(op, actor) };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: { status: err.status, message: err.message, type: err.type, param: err.param, code: err.code } };
      throw err;
    }
  }

  private dispatch(op: AdminOp, actor: string): Promise<unknown> {
    switch (op.op) {
      case 'getConfig':
        return this.getConfig();
      case 'putConfig':
        return this.putConfig(op.doc, actor);
      case 'putTenant':
        return this.putTenant(op.id, op.policy, actor);
      case 'deleteTenant':
        return this.deleteTenant(op.id, actor);
      case 'createKey':
        return this.createKey(op.tenant, op.opts, actor);
      case 'listKeys':
        return this.listKeys(op.tenant);
      case 'getKey':
        return this.getKey(op.id);
      case 'setKeyStatus':
        return this.setKeyStatus(op.id, op.status, actor);
      case 'rotateKey':
        return this.rotateKey(op.id, op.graceSeconds, actor);
      case 'auditLog':
        return this.auditLog(op.after, op.limit);
      case 'note':
        return this.note(actor, op.action, op.target, op.detail);
    }
  }

  private secrets(): SecretSource {
    return { env: this.env as unknown as Record<string, unknown>, encryptionKey: this.env.TOLLGATE_ENCRYPTION_KEY };
  }

  /** The stored configuration; before the first write, the built-in one in force (demo in local development). */
  private rawConfig(): GatewayConfigInput | undefined {
    const row = this.sql.exec('SELECT v FROM state WHERE k = ?', 'config').toArray()[0];
    if (row) return JSON.parse(String(row.v)) as GatewayConfigInput;
    return this.env.TOLLGATE_DEMO === 'on' ? structuredClone(DEV_DEFAULT_CONFIG) : undefined;
  }

  private async audit(actor: string, action: string, target: string, before: unknown, after: unknown, detail: Record<string, unknown> = {}): Promise<void> {
    const bh = before === undefined ? null : await sha256(JSON.stringify(before));
    const ah = after === undefined ? null : await sha256(JSON.stringify(after));
    this.sql.exec('INSERT INTO audit (at, actor, action, target, before_hash, after_hash, detail) VALUES (?, ?, ?, ?, ?, ?, ?)', new Date().toISOString(), actor, action, target, bh, ah, JSON.stringify(detail));
  }

  /** Encrypts literal secrets of a configuration in place (provider keys, alert secrets). */
  private async seal(cfg: GatewayConfigInput): Promise<void> {
    const src = this.secrets();
    for (const [id, p] of Object.entries(cfg.providers ?? {})) {
      if (Array.isArray(p.keys)) p.keys = await Promise.all(p.keys.map((k, i) => sealSecret(k, src, `providers.${id}.keys[${i}]`)));
    }
    for (const [id, t] of Object.entries(cfg.tenants ?? {})) {
      if (t.alerts?.secret) t.alerts.secret = await sealSecret(t.alerts.secret, src, `tenants.${id}.alerts.secret`);
    }
  }

  /** The stored configuration (secrets sealed), or the one in force when none is stored. */
  private async getConfig(): Promise<{ config: GatewayConfigInput; stored: boolean }> {
    const stored = this.sql.exec('SELECT 1 FROM state WHERE k = ?', 'config').toArray().length > 0;
    return { config: this.rawConfig() ?? GatewayConfig.parse({}), stored };
  }

  /** Validates, seals and publishes a whole configuration. Nothing changes when it is invalid. */
  private async putConfig(input: unknown, actor: string): Promise<GatewayConfigInput> {
    const parsed = GatewayConfig.safeParse(input);
    if (!parsed.success) compileConfig(input, 'kv'); // throws a ConfigError naming the field
    const doc = structuredClone(input) as GatewayConfigInput;
    await this.seal(doc);
    compileConfig(doc, 'kv'); // targets resolve to priced models, routes to providers
    return this.publish(doc, actor, 'config.put', 'config');
  }

  private async publish(doc: GatewayConfigInput, actor: string, action: string, target: string, detail: Record<string, unknown> = {}): Promise<GatewayConfigInput> {
    const before = this.rawConfig();
    const text = JSON.stringify(doc);
    await this.env.TOLLGATE_KV!.put(CONFIG_KV_KEY, text);
    this.sql.exec('INSERT OR REPLACE INTO state (k, v) VALUES (?, ?)', 'config', text);
    await this.audit(actor, action, target, before, doc, detail);
    return doc;
  }

  private async putTenant(id: string, policy: unknown, actor: string): Promise<GatewayConfigInput> {
    const checked = TenantPolicy.safeParse(policy);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const path = ['tenant', ...issue.path].map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').slice(1);
      throw new ConfigError(`Invalid tenant policy at '${path}': ${issue.message}`, path);
    }
    const doc = structuredClone(this.rawConfig() ?? {}) as GatewayConfigInput;
    doc.tenants = { ...(doc.tenants ?? {}), [id]: structuredClone(policy) as never };
    await this.seal(doc);
    compileConfig(doc, 'kv');
    return this.publish(doc, actor, 'tenant.put', `tenant:${id}`);
  }

  private async deleteTenant(id: string, actor: string): Promise<void> {
    const doc = structuredClone(this.rawConfig() ?? {}) as GatewayConfigInput;
    if (!doc.tenants?.[id]) throw new ApiError(404, `No tenant '${id}'.`, 'not_found_error', 'tenant', 'tenant_not_found');
    delete doc.tenants[id];
    compileConfig(doc, 'kv');
    await this.publish(doc, actor, 'tenant.delete', `tenant:${id}`);
  }

  private tenantExists(id: string): boolean {
    return Boolean(this.rawConfig()?.tenants?.[id]);
  }

  private getRecord(id: string): KeyRecord {
    const row = this.sql.exec('SELECT record FROM keys WHERE id = ?', id).toArray()[0];
    if (!row) throw new ApiError(404, `No key '${id}'.`, 'not_found_error', 'id', 'key_not_found');
    return KeyRecord.parse(JSON.parse(String(row.record)));
  }

  private async saveRecord(r: KeyRecord): Promise<void> {
    this.sql.exec('INSERT OR REPLACE INTO keys (id, tenant, record) VALUES (?, ?, ?)', r.id, r.tenant, JSON.stringify(r));
    if (r.status !== 'active' || r.graceUntil) this.sql.exec('INSERT OR REPLACE INTO key_changes (key_id, status, grace_until, changed_at) VALUES (?, ?, ?, ?)', r.id, r.status, r.graceUntil ? Date.parse(r.graceUntil) : null, Date.now());
    await this.env.TOLLGATE_KV!.put(KV_KEY_PREFIX + r.hash, JSON.stringify(r));
  }

  private async tellLedger(r: KeyRecord): Promise<void> {
    const ns = this.env.TENANTS as DurableObjectNamespace<TenantLedger> | undefined;
    if (!ns) return;
    await ns.get(ns.idFromName(r.tenant)).setKeyStatus(r.id, r.status as KeyStatus, r.graceUntil ? Date.parse(r.graceUntil) : undefined);
  }

  /** Issues a key: the plaintext is returned once and never stored. */
  private async createKey(tenant: string, opts: NewKeyOptions, actor: string, rotatedFrom?: string): Promise<{ key: string; record: KeyView }> {
    if (!this.tenantExists(tenant)) throw new ApiError(404, `No tenant '${tenant}': create it first (PUT /admin/tenants/${tenant}).`, 'not_found_error', 'tenant', 'tenant_not_found');
    const secret = this.env.TOLLGATE_KEY_SECRET;
    if (!secret) throw new ApiError(500, 'TOLLGATE_KEY_SECRET is not set: keys cannot be hashed.', 'server_error', null, 'not_configured');
    const { key, id } = newKey();
    const record = KeyRecord.parse({
      id,
      tenant,
      name: opts.name,
      hint: keyHint(key),
      hash: await hashKey(key, secret),
      status: 'active',
      createdAt: new Date().toISOString(),
      ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
      ...(opts.models ? { models: opts.models } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.budgets ? { budgets: opts.budgets } : {}),
      ...(rotatedFrom ? { rotatedFrom } : {}),
    });
    await this.saveRecord(record);
    await this.tellLedger(record);
    await this.audit(actor, rotatedFrom ? 'key.rotate' : 'key.create', `key:${id}`, undefined, view(record), { tenant, name: opts.name });
    return { key, record: view(record) };
  }

  private async listKeys(tenant?: string): Promise<KeyView[]> {
    const rows = tenant ? this.sql.exec('SELECT record FROM keys WHERE tenant = ? ORDER BY id', tenant) : this.sql.exec('SELECT record FROM keys ORDER BY tenant, id');
    return rows.toArray().map((r) => view(KeyRecord.parse(JSON.parse(String(r.record)))));
  }

  private async getKey(id: string): Promise<KeyView> {
    return view(this.getRecord(id));
  }

  private async setKeyStatus(id: string, status: KeyStatus, actor: string): Promise<KeyView> {
    const before = this.getRecord(id);
    if (before.status === 'revoked') throw new ApiError(409, `Key '${id}' is revoked; a revoked key cannot be changed.`, 'invalid_request_error', 'status', 'key_revoked');
    const after = { ...before, status };
    await this.saveRecord(after);
    await this.tellLedger(after);
    await this.audit(actor, status === 'revoked' ? 'key.revoke' : `key.${status}`, `key:${id}`, view(before), view(after));
    return view(after);
  }

  /** A new key with the same settings; the old one keeps working for `graceSeconds`. */
  private async rotateKey(id: string, graceSeconds: number, actor: string): Promise<{ key: string; record: KeyView; previous: KeyView }> {
    const old = this.getRecord(id);
    if (old.status !== 'active') throw new ApiError(409, `Key '${id}' is ${old.status}; only active keys can be rotated.`, 'invalid_request_error', 'id', 'key_not_active');
    const issued = await this.createKey(old.tenant, { name: old.name, ...(old.models ? { models: old.models } : {}), ...(old.limits ? { limits: old.limits } : {}), ...(old.budgets ? { budgets: old.budgets } : {}), ...(old.expiresAt ? { expiresAt: old.expiresAt } : {}) }, actor, id);
    const graced = { ...old, graceUntil: new Date(Date.now() + graceSeconds * 1000).toISOString() };
    await this.saveRecord(graced);
    await this.tellLedger(graced);
    await this.audit(actor, 'key.grace', `key:${id}`, view(old), view(graced), { graceSeconds, replacedBy: issued.record.id });
    return { ...issued, previous: view(graced) };
  }

  /** The audit log, oldest first, from `afterSeq`. */
  private async auditLog(afterSeq = 0, limit = 1000): Promise<AuditEntry[]> {
    return this.sql
      .exec('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?', afterSeq, Math.min(limit, 10_000))
      .toArray()
      .map((r) => ({ seq: Number(r.seq), at: String(r.at), actor: String(r.actor), action: String(r.action), target: String(r.target), beforeHash: (r.before_hash as string | null) ?? null, afterHash: (r.after_hash as string | null) ?? null, detail: JSON.parse(String(r.detail)) as Record<string, unknown> }));
  }

  /** Records an admin action performed elsewhere (e.g. a provider key forced into cooldown). */
  private async note(actor: string, action: string, target: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit(actor, action, target, undefined, undefined, detail);
  }
}
