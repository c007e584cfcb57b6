/**
 * The real gateway worker (wrangler.toml) in workerd via Miniflare, listening on 127.0.0.1 with
 * local KV and Durable Objects (SQLite) and test secrets, plus a small admin client. Shared by
 * the proxy tests (test/proxy/harness.ts) and the proxy benchmark (bench/lib/tollgate-target.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Miniflare } from 'miniflare';
import { bundleWorker, root, startWorker } from './workerd.js';

export const ADMIN_TOKEN = 'test-admin-token';

export interface GatewayWorker {
  mf: Miniflare;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Lines the worker logged. */
  logs: string[];
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  /** Creates (or replaces) a tenant and returns a fresh key for it. */
  tenantKey(tenant: string, policy?: Record<string, unknown>, key?: Record<string, unknown>): Promise<{ key: string; id: string }>;
  /** The workerd process (for CPU measurements). */
  pid(): number | undefined;
  /** The ledger objects' own workerd (`ledgerProcess`). */
  ledgerPid(): number | undefined;
  /** Stops workerd (both processes with `ledgerProcess`). */
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** false: no TENANTS binding, so no reservations, settles or ledger (the budgets benchmark's baseline). */
  ledger?: boolean;
  /** Opens workerd's V8 inspector on this port (for CPU profiles, bench/profile-proxy.ts). */
  inspectorPort?: number;
  /**
   * Run the tenants' ledger objects in a second workerd process, reached through Miniflare's dev
   * registry, as deployed (where a Durable Object does not run on the worker's thread).
   */
  ledgerProcess?: boolean;
}

export async function startGatewayWorker(name: string, bindings: Record<string, string> = {}, options: GatewayOptions = {}): Promise<GatewayWorker> {
  const demo = resolve(root, 'dist/demo');
  if (!existsSync(demo)) {
    mkdirSync(demo, { recursive: true });
    writeFileSync(resolve(demo, 'index.html'), '<!doctype html><title>Tollgate</title>');
  }
  const out = bundleWorker('wrangler.toml', `dist/test-workers/gateway-${name}`);
  const logs: string[] = [];
  const before = new Set(workerdChildren());
  let ledgerHost: Miniflare | undefined;
  let registry: string | undefined;
  if (options.ledgerProcess) {
    registry = mkdtempSync(join(tmpdir(), 'tollgate-registry-'));
    ledgerHost = await startWorker(out, {
      name: 'tollgate-ledger',
      unsafeDevRegistryPath: registry,
      durableObjects: { TENANTS: { className: 'TenantLedger', useSQLite: true } },
      bindings: { TOLLGATE_TEST_CLOCK: 'on' },
    } as never).catch((err: unknown) => {
      rmSync(registry!, { recursive: true, force: true });
      throw err;
    });
  }
  const ledgerPid = ledgerHost ? workerdChildren().find((p) => !before.has(p)) : undefined;
  if (ledgerPid) before.add(ledgerPid);
  const stopLedger = async () => {
    await ledgerHost?.dispose();
    if (registry) rmSync(registry, { recursive: true, force: true });
  };
  const ledger = { TENANTS: { className: 'TenantLedger', useSQLite: true, ...(ledgerHost ? { scriptName: 'tollgate-ledger' } : {}) } };
  const mf = await startWorker(out, {
    ...(registry ? { name: 'tollgate-edge', unsafeDevRegistryPath: registry } : {}),
    host: '127.0.0.1',
    port: 0,
    // A socket straight to the worker, as in production: no Miniflare entry worker in front.
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
    kvNamespaces: ['TOLLGATE_KV'],
    durableObjects: {
      ...(options.ledger === false ? {} : ledger),
      HEALTH: { className: 'ProviderHealth', useSQLite: true },
      CONTROL: { className: 'ControlPlane', useSQLite: true },
    },
    bindings: {
      MAX_BODY_BYTES: '1048576',
      CONFIG_CACHE_SECONDS: '0',
      TOLLGATE_ADMIN_TOKENS: `tester:${ADMIN_TOKEN}`,
      TOLLGATE_KEY_SECRET: 'test-key-secret',
      TOLLGATE_ENCRYPTION_KEY: 'test-encryption-secret',
      TOLLGATE_TEST_CLOCK: 'on',
      LOG_USAGE: 'on',
      ...bindings,
    },
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      for (const s of [stdout, stderr]) s.on('data', (d: Buffer) => logs.push(...d.toString().split('\n').filter(Boolean)));
    },
  } as never).catch(async (err: unknown) => {
    await stopLedger();
    throw err;
  });
  try {
    await mf.ready;
    const url = (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, '');
    const gw: GatewayWorker = {
      mf,
      url,
      logs,
      async admin(method, path, body) {
        const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
        const text = await res.text();
        let parsed: any = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* CSV and other text */
        }
        return { status: res.status, body: parsed, headers: res.headers };
      },
      async tenantKey(tenant, policy = {}, key = {}) {
        const t = await gw.admin('PUT', `/admin/tenants/${tenant}`, policy);
        if (t.status !== 200) throw new Error(`tenant failed: ${t.status} ${JSON.stringify(t.body)}`);
        const k = await gw.admin('POST', `/admin/tenants/${tenant}/keys`, { name: 'test', ...key });
        if (k.status !== 201) throw new Error(`key failed: ${k.status} ${JSON.stringify(k.body)}`);
        return { key: k.body.key, id: k.body.record.id };
      },
      pid: () => workerdChildren().find((p) => !before.has(p)),
      ledgerPid: () => ledgerPid,
      async stop() {
        await mf.dispose();
        await stopLedger();
      },
    };
    return gw;
  } catch (err) {
    await mf.dispose();
    await stopLedger();
    throw err;
  }
}

/** The workerd processes Miniflare started for this Node process. */
export function workerdChildren(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('workerd')) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}
