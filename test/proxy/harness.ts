/**
 * The gateway under test: the real worker bundle (wrangler.toml) in workerd via Miniflare,
 * listening on 127.0.0.1 so the official SDKs can call it, with real local KV and Durable
 * Objects (SQLite), test secrets, and provider base URLs pointed at the fake upstreams.
 * `startGateway` returns helpers for the admin API; `stop` closes everything it started.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { Miniflare } from 'miniflare';
import OpenAI from 'openai';
import { startFakeUpstreams, type FakeUpstreams } from '../fakes/index.js';
import { bundleWorker, root, startWorker } from '../helpers/workerd.js';

export const ADMIN_TOKEN = 'test-admin-token';
export const PROVIDER_KEYS = { OPENAI_KEY_1: 'sk-test-openai-1', OPENAI_KEY_2: 'sk-test-openai-2', ANTHROPIC_KEY: 'sk-ant-test-1', GEMINI_KEY: 'gm-test-1' };

export interface Gateway {
  url: string;
  mf: Miniflare;
  fakes: FakeUpstreams;
  /** Lines the worker logged (console.log / warn / error), for assertions that nothing secret leaks. */
  logs: string[];
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  /** Stores a configuration whose providers point at the fakes (routes and tenants merged in). */
  configure(extra?: { routes?: Record<string, unknown>; tenants?: Record<string, unknown>; defaults?: Record<string, unknown>; providers?: Record<string, unknown> }): Promise<void>;
  /** Creates (or replaces) a tenant and returns a fresh key for it. */
  tenantKey(tenant: string, policy?: Record<string, unknown>, key?: Record<string, unknown>): Promise<{ key: string; id: string }>;
  openai(key: string, opts?: ConstructorParameters<typeof OpenAI>[0]): OpenAI;
  anthropic(key: string, opts?: ConstructorParameters<typeof Anthropic>[0]): Anthropic;
  /** Raw fetch against the gateway. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** Default providers: every fake, with the keys the fakes accept. */
export function fakeProviders(f: FakeUpstreams): Record<string, unknown> {
  return {
    openai: { type: 'openai', baseUrl: `${f.openai.url}/v1`, keys: ['env:OPENAI_KEY_1', 'env:OPENAI_KEY_2'] },
    anthropic: { type: 'anthropic', baseUrl: f.anthropic.url, keys: ['env:ANTHROPIC_KEY'] },
    google: { type: 'gemini', baseUrl: f.gemini.url, keys: ['env:GEMINI_KEY'] },
    groq: { type: 'openai', baseUrl: `${f.openai.url}/openai/v1`, keys: ['gsk-literal-groq-key'] },
  };
}

export async function startGateway(name: string, bindings: Record<string, string> = {}): Promise<Gateway> {
  const fakes = await startFakeUpstreams({
    openai: { keys: [PROVIDER_KEYS.OPENAI_KEY_1, PROVIDER_KEYS.OPENAI_KEY_2, 'gsk-literal-groq-key'] },
    anthropic: { keys: [PROVIDER_KEYS.ANTHROPIC_KEY] },
    gemini: { keys: [PROVIDER_KEYS.GEMINI_KEY] },
  });
  let mf: Miniflare | undefined;
  const logs: string[] = [];
  try {
    const demo = resolve(root, 'dist/demo');
    if (!existsSync(demo)) {
      mkdirSync(demo, { recursive: true });
      writeFileSync(resolve(demo, 'index.html'), '<!doctype html><title>Tollgate</title>');
    }
    const out = bundleWorker('wrangler.toml', `dist/test-workers/proxy-${name}`);
    mf = await startWorker(out, {
      host: '127.0.0.1',
      port: 0,
      kvNamespaces: ['TOLLGATE_KV'],
      durableObjects: {
        TENANTS: { className: 'TenantLedger', useSQLite: true },
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
        ...PROVIDER_KEYS,
        ...bindings,
      },
      handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
        for (const s of [stdout, stderr]) s.on('data', (d: Buffer) => logs.push(...d.toString().split('\n').filter(Boolean)));
      },
    } as never);
    const url = (await mf.ready).toString().replace(/\/$/, '');
    const started = mf;
    const gw: Gateway = {
      url,
      mf: started,
      fakes,
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
      async configure(extra = {}) {
        const cur = await gw.admin('GET', '/admin/config');
        const doc = { providers: { ...fakeProviders(fakes), ...(extra.providers ?? {}) }, routes: extra.routes ?? {}, defaults: { retries: 2, backoff: { baseMs: 10, maxMs: 50 }, ...(extra.defaults ?? {}) }, tenants: { ...(cur.body.tenants ?? {}), ...(extra.tenants ?? {}) } };
        const r = await gw.admin('PUT', '/admin/config', doc);
        if (r.status !== 200) throw new Error(`configure failed: ${r.status} ${JSON.stringify(r.body)}`);
      },
      async tenantKey(tenant, policy = {}, key = {}) {
        const t = await gw.admin('PUT', `/admin/tenants/${tenant}`, policy);
        if (t.status !== 200) throw new Error(`tenant failed: ${t.status} ${JSON.stringify(t.body)}`);
        const k = await gw.admin('POST', `/admin/tenants/${tenant}/keys`, { name: 'test', ...key });
        if (k.status !== 201) throw new Error(`key failed: ${k.status} ${JSON.stringify(k.body)}`);
        return { key: k.body.key, id: k.body.record.id };
      },
      openai: (key, opts = {}) => new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0, ...opts }),
      anthropic: (key, opts = {}) => new Anthropic({ baseURL: url, apiKey: key, maxRetries: 0, ...opts }),
      fetch: (path, init) => fetch(url + path, init),
      async stop() {
        await Promise.allSettled([started.dispose(), fakes.close()]);
      },
    };
    return gw;
  } catch (err) {
    await Promise.allSettled([mf?.dispose(), fakes.close()]);
    throw err;
  }
}

/** Polls `check` until it returns a value (Durable Object settles run after the response). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Exact decimal helpers for expected costs (independent of src/): USD as bigint units of 1e-24. */
export const units = (dec: string): bigint => {
  const [i, f = ''] = dec.split('.');
  return BigInt(i!) * 10n ** 24n + BigInt(f.padEnd(24, '0'));
};
export const dec = (a: bigint): string => {
  const s = a.toString().padStart(25, '0');
  const f = s.slice(-24).replace(/0+$/, '');
  return `${s.slice(0, -24)}${f ? `.${f}` : ''}`;
};
/** USD for `tokens` at `perMillion` USD per million tokens. */
export const tokenCost = (perMillion: string, tokens: number): bigint => (units(perMillion) * BigInt(tokens)) / 1_000_000n;
