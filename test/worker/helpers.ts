/**
 * Starts the real Tollgate worker (wrangler.toml, bundled by `wrangler deploy --dry-run`)
 * inside workerd with local bindings: a KV namespace, MAX_BODY_BYTES and the playground's
 * static assets routed like production (API paths run the worker first).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Miniflare } from 'miniflare';
import { bundleWorker, root, startWorker } from '../helpers/workerd.js';

export const ORIGIN = 'http://tollgate.test';

export interface Api {
  mf: Miniflare;
  /** dispatchFetch against the worker; `path` is relative to ORIGIN. */
  fetch(path: string, init?: RequestInit & { duplex?: 'half' }): Promise<Response>;
  /** POST a JSON body (as application/json) and parse the JSON answer. */
  post<T = any>(path: string, body: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  get<T = any>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
}

/** Bundle once per name (each test file uses its own output directory: files run in parallel). */
export async function startApi(name: string, bindings: Record<string, string> = {}): Promise<Api> {
  // wrangler requires the [assets] directory; `npm run build:demo` normally creates it.
  const demo = resolve(root, 'dist/demo');
  if (!existsSync(demo)) {
    mkdirSync(demo, { recursive: true });
    writeFileSync(resolve(demo, 'index.html'), '<!doctype html><title>Tollgate</title>');
  }
  const out = bundleWorker('wrangler.toml', `dist/test-workers/api-${name}`);
  const mf = await startWorker(out, {
    kvNamespaces: ['TOLLGATE_KV'],
    bindings: { MAX_BODY_BYTES: '1048576', ...bindings },
    assets: {
      directory: demo,
      binding: 'ASSETS',
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: false, static_routing: { user_worker: ['/v1/*', '/healthz', '/openapi.json', '/docs'] } },
    },
  } as never);
  const api: Api = {
    mf,
    fetch: (path, init) => mf.dispatchFetch(ORIGIN + path, init as never) as unknown as Promise<Response>,
    async post(path, body) {
      const res = await api.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
    async get(path) {
      const res = await api.fetch(path);
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
  };
  return api;
}

/** Asserts the OpenAI error envelope and returns its fields. */
export function errorFields(body: unknown): { message: string; type: string; param: string | null; code: string | null } {
  const e = (body as { error?: Record<string, unknown> })?.error;
  if (!e || typeof e !== 'object') throw new Error(`not an error body: ${JSON.stringify(body)}`);
  const keys = Object.keys(e).sort();
  if (keys.join(',') !== 'code,message,param,type') throw new Error(`error keys ${keys.join(',')}`);
  if (typeof e.message !== 'string' || typeof e.type !== 'string') throw new Error('message/type must be strings');
  if (e.param !== null && typeof e.param !== 'string') throw new Error('param must be string|null');
  if (e.code !== null && typeof e.code !== 'string') throw new Error('code must be string|null');
  return e as never;
}
