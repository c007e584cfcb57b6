/**
 * Gateway keys. A key is `tg_` + 32 random bytes (base64url), shown once when issued and
 * stored only as its HMAC-SHA-256 under the Worker secret TOLLGATE_KEY_SECRET: KV holds
 * `key:<hash hex>` → the key's record. Looking a key up means hashing it and reading that
 * entry, so no secret is ever compared byte by byte and the time taken does not depend on how
 * much of a guess was right.
 */
import { z } from 'zod';
import { Budget, Limits } from './policy-schema.js';

export const KEY_PREFIX = 'tg_';
export const KV_KEY_PREFIX = 'key:';

export const KeyStatusSchema = z.enum(['active', 'disabled', 'revoked']);

/** What KV (and the Control object) store for a key. Never the key itself. */
export const KeyRecord = z.strictObject({
  id: z.string(),
  tenant: z.string(),
  name: z.string().max(200),
  /** The first characters of the key, for recognising it in lists (`tg_Ab3x…`). */
  hint: z.string(),
  hash: z.string(),
  status: KeyStatusSchema,
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  /** A rotated key keeps working until then. */
  graceUntil: z.string().optional(),
  /** Models and routes this key may use (default: the tenant's). */
  models: z.array(z.string().min(1).max(256)).max(256).optional(),
  limits: Limits.optional(),
  budgets: z.array(Budget).max(16).optional(),
  rotatedFrom: z.string().optional(),
});
export type KeyRecord = z.infer<typeof KeyRecord>;

const te = new TextEncoder();
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new random key (plaintext, shown once) and id. */
export function newKey(): { key: string; id: string } {
  return { key: KEY_PREFIX + b64url(crypto.getRandomValues(new Uint8Array(32))), id: `key_${b64url(crypto.getRandomValues(new Uint8Array(9)))}` };
}

/** HMAC-SHA-256 of `key` under `secret`, hex. */
export async function hashKey(key: string, secret: string): Promise<string> {
  let k = hmacKeys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', te.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    hmacKeys.set(secret, k);
  }
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await k, te.encode(key)));
  let hex = '';
  for (const b of sig) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** How a key appears in lists and messages: `tg_Ab3x…`. */
export function keyHint(key: string): string {
  return `${key.slice(0, KEY_PREFIX.length + 4)}…`;
}

/** Constant-time equality of two strings (compares their HMACs, so lengths leak nothing either). */
export async function secretEquals(a: string, b: string): Promise<boolean> {
  const salt = 'tollgate-compare';
  const [x, y] = await Promise.all([hashKey(a, salt), hashKey(b, salt)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x.charCodeAt(i) ^ y.charCodeAt(i);
  return diff === 0;
}
