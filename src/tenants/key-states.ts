/**
 * The isolate's view of recent key status changes (revoked, disabled, rotated), read from the
 * ControlPlane object: awaited once when an isolate starts, then refreshed in the background
 * every REFRESH_MS. KV key records can be up to a minute stale in a location; this view is at
 * most a few seconds stale everywhere, with no round trip on the request path. (Tenants with
 * budgets or limits are also checked by their ledger object on every request.)
 */
import type { ControlPlane, KeyChanges } from '../admin/control-plane.js';
import type { Env } from '../worker/env.js';
import type { KeyStatus } from './ledger/protocol.js';

const REFRESH_MS = 2000;

type Defer = (p: Promise<unknown>) => void;

let snap: KeyChanges | undefined;
let first: Promise<void> | undefined;
let refreshing = false;

function stub(env: Env): DurableObjectStub<ControlPlane> | undefined {
  const ns = env.CONTROL as DurableObjectNamespace<ControlPlane> | undefined;
  return ns ? ns.get(ns.idFromName('control')) : undefined;
}

async function load(env: Env): Promise<void> {
  const s = stub(env);
  if (s) snap = (await s.keyChanges()) as KeyChanges;
}

/** The status a key has now, as far as recent changes say (`active` when none). */
export async function recentKeyStatus(env: Env, keyId: string, now: number, defer: Defer): Promise<KeyStatus | 'expired'> {
  if (!snap) {
    first ??= load(env).finally(() => (first = undefined));
    await first.catch((e: unknown) => console.error('tollgate: key changes unavailable', String(e)));
  } else if (!refreshing && Date.now() - snap.at > REFRESH_MS) {
    refreshing = true;
    defer(
      load(env)
        .catch((e: unknown) => console.error('tollgate: key changes refresh failed', String(e)))
        .finally(() => (refreshing = false)),
    );
  }
  const k = snap?.keys[keyId];
  if (!k) return 'active';
  if (k.status !== 'active') return k.status;
  return k.graceUntil !== undefined && now > k.graceUntil ? 'expired' : 'active';
}

/** Takes a fresh view (after an admin change in this isolate). */
export function adoptKeyChanges(s: KeyChanges): void {
  snap = s;
}
