/**
 * Authenticate: the gateway key of a request (`Authorization: Bearer …`, or `x-api-key` as
 * Anthropic's SDK sends it) → its tenant, policy and limits, plus the end user
 * (`x-tollgate-user`) and cost-allocation tags (`x-tollgate-tags: app=search,team=platform`).
 *
 * Key records are read from KV and cached in the isolate for CONFIG_CACHE_SECONDS. Revocation
 * does not wait for those caches: the tenant's Durable Object holds every key's status and
 * refuses a revoked key at the reservation every request makes (see ledger/accounts.ts).
 * A single-tenant deployment can instead set the Worker secret TOLLGATE_GATEWAY_KEY: requests
 * bearing it belong to the tenant `default`.
 */
import type { LoadedConfig } from '../proxy/config/load.js';
import { cacheSeconds } from '../proxy/config/load.js';
import { ApiError } from '../worker/errors.js';
import type { Env } from '../worker/env.js';
import { recentKeyStatus } from './key-states.js';
import { hashKey, KeyRecord, keyHint, KV_KEY_PREFIX, secretEquals } from './keys.js';
import { TenantPolicy } from './policy-schema.js';

export interface Caller {
  tenant: string;
  policy: TenantPolicy;
  keyId: string;
  /** The key's record (absent for TOLLGATE_GATEWAY_KEY). */
  key?: KeyRecord;
  user?: string;
  tags: Record<string, string>;
}

export const DEFAULT_TENANT = 'default';
const MAX_TAGS = 16;
const TAG = /^[A-Za-z0-9_.-]{1,64}$/;
const TAG_VALUE = /^[^,=\s][^,=]{0,127}$/;
const USER = /^[\x21-\x7e]{1,128}$/;

function unauthorized(message: string, code = 'invalid_api_key'): ApiError {
  return new ApiError(401, message, 'authentication_error', null, code);
}

/** The key a request presents, if any. */
export function presentedKey(headers: Headers): string | undefined {
  const auth = headers.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return m ? m[1]!.trim() : undefined;
  }
  return headers.get('x-api-key')?.trim() || undefined;
}

/** `x-tollgate-tags: k=v,k2=v2` → tags (validated, at most 16). */
export function parseTags(header: string | null): Record<string, string> {
  const tags: Record<string, string> = {};
  if (header === null || header.trim() === '') return tags;
  const items = header.split(',');
  if (items.length > MAX_TAGS) throw new ApiError(400, `x-tollgate-tags: at most ${MAX_TAGS} tags`, 'invalid_request_error', 'x-tollgate-tags', 'invalid_tags');
  for (const item of items) {
    const eq = item.indexOf('=');
    const k = item.slice(0, eq).trim();
    const v = item.slice(eq + 1).trim();
    if (eq < 0 || !TAG.test(k) || !TAG_VALUE.test(v)) {
      throw new ApiError(400, `x-tollgate-tags: '${item.trim().slice(0, 80)}' is not name=value (names: letters, digits, _ . -, up to 64; values up to 128 characters without , or =)`, 'invalid_request_error', 'x-tollgate-tags', 'invalid_tags');
    }
    tags[k] = v;
  }
  return tags;
}

function parseUser(header: string | null): string | undefined {
  if (header === null) return undefined;
  if (!USER.test(header)) throw new ApiError(400, 'x-tollgate-user: 1 to 128 printable ASCII characters without spaces', 'invalid_request_error', 'x-tollgate-user', 'invalid_user');
  return header;
}

const records = new Map<string, { value: KeyRecord | null; expires: number }>();
/** Presented key → its hash, so a busy key is hashed once per isolate, not once per request. */
const hashes = new Map<string, string>();

async function hashOf(presented: string, secret: string): Promise<string> {
  let h = hashes.get(presented);
  if (h === undefined) {
    h = await hashKey(presented, secret);
    if (hashes.size >= 10_000) hashes.clear();
    hashes.set(presented, h);
  }
  return h;
}

async function lookup(env: Env, hash: string): Promise<KeyRecord | null> {
  const now = Date.now();
  const hit = records.get(hash);
  if (hit && hit.expires > now) return hit.value;
  const raw = env.TOLLGATE_KV ? await env.TOLLGATE_KV.get(KV_KEY_PREFIX + hash) : null;
  const value = raw === null ? null : KeyRecord.parse(JSON.parse(raw));
  if (records.size > 50_000) records.clear();
  // Unknown keys are remembered briefly, so a flood of bad keys does not become a flood of KV reads.
  records.set(hash, { value, expires: now + (value ? cacheSeconds(env) * 1000 : 1000) });
  return value;
}

/** Forgets cached key records (after an admin change in this isolate). */
export function invalidateKeyCache(): void {
  records.clear();
  hashes.clear();
}

export async function authenticate(headers: Headers, env: Env, loaded: LoadedConfig, now: number, defer: (p: Promise<unknown>) => void): Promise<Caller> {
  const presented = presentedKey(headers);
  if (!presented) throw unauthorized('You did not provide an API key: send your Tollgate key as `Authorization: Bearer <key>` (or `x-api-key`).', 'missing_api_key');
  const user = parseUser(headers.get('x-tollgate-user'));
  const tags = parseTags(headers.get('x-tollgate-tags'));
  const tenants = loaded.config.tenants;

  if (env.TOLLGATE_GATEWAY_KEY && typeof env.TOLLGATE_GATEWAY_KEY === 'string' && (await secretEquals(presented, env.TOLLGATE_GATEWAY_KEY))) {
    return { tenant: DEFAULT_TENANT, policy: tenants[DEFAULT_TENANT] ?? TenantPolicy.parse({}), keyId: 'gateway', key: undefined, user, tags };
  }
  if (!env.TOLLGATE_KEY_SECRET) throw new ApiError(500, 'The gateway has no key secret configured (TOLLGATE_KEY_SECRET).', 'server_error', null, 'not_configured');
  const record = await lookup(env, await hashOf(presented, env.TOLLGATE_KEY_SECRET));
  const hint = keyHint(presented);
  if (!record) throw unauthorized(`Incorrect API key provided: ${hint}. Keys are issued by the gateway's admin API.`);
  if (record.status === 'revoked') throw unauthorized(`The API key ${hint} has been revoked.`, 'key_revoked');
  if (record.status === 'disabled') throw new ApiError(403, `The API key ${hint} is disabled.`, 'permission_error', null, 'key_disabled');
  if (record.expiresAt && Date.parse(record.expiresAt) <= now) throw unauthorized(`The API key ${hint} expired at ${record.expiresAt}.`, 'key_expired');
  if (record.graceUntil && Date.parse(record.graceUntil) <= now) throw unauthorized(`The API key ${hint} was rotated and its grace period ended at ${record.graceUntil}.`, 'key_revoked');
  // KV may still hold an older record here: recent changes are authoritative.
  const recent = await recentKeyStatus(env, record.id, now, defer);
  if (recent === 'revoked' || recent === 'expired') throw unauthorized(`The API key ${hint} has been ${recent === 'expired' ? 'rotated and its grace period has ended' : 'revoked'}.`, 'key_revoked');
  if (recent === 'disabled') throw new ApiError(403, `The API key ${hint} is disabled.`, 'permission_error', null, 'key_disabled');
  const policy = tenants[record.tenant];
  if (!policy) throw unauthorized(`The tenant of the API key ${hint} no longer exists.`, 'unknown_tenant');
  if (policy.status === 'disabled') throw new ApiError(403, `The tenant '${record.tenant}' is disabled.`, 'permission_error', null, 'tenant_disabled');
  return { tenant: record.tenant, policy, keyId: record.id, key: record, user, tags };
}

/** 403 unless the caller's key and tenant may use `names` (the requested name, or what it resolved to). */
export function checkModelAllowed(caller: Caller, requested: string, resolved: string[]): void {
  for (const list of [caller.key?.models, caller.policy.models]) {
    if (!list) continue;
    if (list.includes(requested) || resolved.some((r) => list.includes(r))) continue;
    throw new ApiError(403, `This key may not use '${requested}'. Allowed: ${list.join(', ')}.`, 'permission_error', 'model', 'model_not_allowed');
  }
}
