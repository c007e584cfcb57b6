/**
 * Provider keys for an attempt: resolved from the configuration (Worker secret or encrypted
 * literal, cached in the isolate), rotated round-robin, skipping keys that are cooling down
 * after a 429 (health state shared by every isolate).
 */
import type { Env } from '../../worker/env.js';
import type { CompiledTarget } from '../config/load.js';
import { resolveSecret } from '../config/secrets.js';
import { keyFingerprint, type HealthView } from '../health/health-view.js';

export interface ProviderKey {
  value: string;
  fingerprint: string;
}

const resolved = new Map<string, Promise<ProviderKey[]>>();
const cursor = new Map<string, number>();

async function keysOf(target: CompiledTarget, env: Env): Promise<ProviderKey[]> {
  const refs = target.config.keys;
  const id = `${target.provider}\0${refs.join('\0')}`;
  let keys = resolved.get(id);
  if (!keys) {
    keys = Promise.all(
      refs.map(async (ref, i) => {
        const value = await resolveSecret(ref, { env, encryptionKey: env.TOLLGATE_ENCRYPTION_KEY }, `providers.${target.provider}.keys[${i}]`);
        return { value, fingerprint: await keyFingerprint(target.provider, value) };
      }),
    );
    keys.catch(() => resolved.delete(id));
    if (resolved.size > 1000) resolved.clear();
    resolved.set(id, keys);
  }
  return keys;
}

/** Keys of the target's provider in the order to try them now: rotated, cooling ones left out. */
export async function keysToTry(target: CompiledTarget, env: Env, health: HealthView, now: number): Promise<{ ready: ProviderKey[]; cooling: { key: ProviderKey; until: number }[] }> {
  if (target.config.type === 'demo') return { ready: [{ value: '', fingerprint: `${target.provider}:demo` }], cooling: [] };
  const keys = await keysOf(target, env);
  const start = cursor.get(target.provider) ?? 0;
  cursor.set(target.provider, (start + 1) % Math.max(1, keys.length));
  const ready: ProviderKey[] = [];
  const cooling: { key: ProviderKey; until: number }[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[(start + i) % keys.length]!;
    const until = health.cooledUntil(k.fingerprint);
    if (until > now) cooling.push({ key: k, until });
    else ready.push(k);
  }
  return { ready, cooling };
}

/** Replaces any of the provider's keys inside `text` with a masked form (upstream messages may echo them). */
export async function redactKeys(text: string, target: CompiledTarget, env: Env): Promise<string> {
  let out = text;
  try {
    for (const k of await keysOf(target, env)) if (k.value.length >= 8 && out.includes(k.value)) out = out.split(k.value).join(`${k.value.slice(0, 3)}…`);
  } catch {
    /* keys unresolvable: nothing of them can be in the text */
  }
  return out;
}
