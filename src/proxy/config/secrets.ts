/**
 * Provider keys and other secrets in the configuration. A value is one of:
 * - `env:NAME` — a Worker secret, read from the environment at request time;
 * - `enc:v1:<iv>:<ciphertext>` — a literal encrypted at rest with AES-256-GCM under the Worker
 *   secret TOLLGATE_ENCRYPTION_KEY (the admin API encrypts literals before storing them);
 * - a literal — accepted on admin writes (and encrypted), never stored as such.
 * Reads of the configuration return `env:` and `enc:` values as they are: neither is the secret.
 */
import { ConfigError } from './errors.js';

const ENC_PREFIX = 'enc:v1:';
const te = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function b64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** AES-GCM key from the secret (SHA-256 of its text: the secret itself must be high-entropy). */
function aesKey(secret: string): Promise<CryptoKey> {
  let k = keyCache.get(secret);
  if (!k) {
    k = crypto.subtle.digest('SHA-256', te.encode(secret)).then((raw) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']));
    keyCache.set(secret, k);
  }
  return k;
}

export const isEnvRef = (v: string) => v.startsWith('env:');
export const isEncrypted = (v: string) => v.startsWith(ENC_PREFIX);

/** Encrypts a literal for storage. */
export async function encryptSecret(plain: string, secret: string | undefined, where: string): Promise<string> {
  if (!secret) throw new ConfigError(`${where}: a literal secret needs the Worker secret TOLLGATE_ENCRYPTION_KEY to be encrypted at rest; set it, or use env:NAME`, where);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await aesKey(secret), te.encode(plain)));
  return `${ENC_PREFIX}${b64(iv)}:${b64(ct)}`;
}

async function decrypt(value: string, secret: string | undefined, where: string): Promise<string> {
  if (!secret) throw new ConfigError(`${where}: the value is encrypted but TOLLGATE_ENCRYPTION_KEY is not set`, where);
  const [iv, ct] = value.slice(ENC_PREFIX.length).split(':');
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv ?? '') }, await aesKey(secret), unb64(ct ?? ''));
    return new TextDecoder().decode(plain);
  } catch {
    throw new ConfigError(`${where}: cannot be decrypted with the current TOLLGATE_ENCRYPTION_KEY`, where);
  }
}

/** Where secrets come from: the Worker environment (for env:NAME) and the encryption secret. */
export interface SecretSource {
  env: Record<string, unknown>;
  encryptionKey: string | undefined;
}

/** The plaintext of a configured secret. Throws ConfigError naming `where` when it cannot be had. */
export async function resolveSecret(value: string, src: SecretSource, where: string): Promise<string> {
  if (isEnvRef(value)) {
    const name = value.slice(4);
    const v = src.env[name];
    if (typeof v !== 'string' || v === '') throw new ConfigError(`${where}: the Worker secret ${name} is not set`, where);
    return v;
  }
  if (isEncrypted(value)) return decrypt(value, src.encryptionKey, where);
  return value;
}

/** Encrypts every literal (not env:/enc:) value; checks enc: values decrypt. For admin writes. */
export async function sealSecret(value: string, src: SecretSource, where: string): Promise<string> {
  if (isEnvRef(value)) return value;
  if (isEncrypted(value)) {
    await decrypt(value, src.encryptionKey, where);
    return value;
  }
  return encryptSecret(value, src.encryptionKey, where);
}

/** A form of a secret safe to show in a log or message: `sk-p…9f3a`. */
export function maskSecret(plain: string): string {
  if (plain.length <= 8) return '…';
  return `${plain.slice(0, 4)}…${plain.slice(-4)}`;
}
