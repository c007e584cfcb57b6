/**
 * The gateway under test: the real worker bundle (wrangler.toml) in workerd via Miniflare,
 * listening on 127.0.0.1 so the official SDKs can call it, with real local KV and Durable
 * Objects (SQLite), test secrets, and provider base URLs pointed at the fake upstreams.
 * `startGateway` returns helpers for the admin API; `stop` closes everything it started.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import { startFakeUpstreams, type FakeUpstreams } from '../fakes/index.js';
import { startGatewayWorker, type GatewayWorker } from '../helpers/gateway.js';

export const PROVIDER_KEYS = { OPENAI_KEY_1: 'sk-test-openai-1', OPENAI_KEY_2: 'sk-test-openai-2', ANTHROPIC_KEY: 'sk-ant-test-1', GEMINI_KEY: 'gm-test-1' };

export interface Gateway extends GatewayWorker {
  fakes: FakeUpstreams;
  /** Stores a configuration whose providers point at the fakes (routes and tenants merged in). */
  configure(extra?: { routes?: Record<string, unknown>; tenants?: Record<string, unknown>; defaults?: Record<string, unknown>; providers?: Record<string, unknown> }): Promise<void>;
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

/**
 * The SDKs' fetch: connections are not kept for reuse, so a test never sends a request on a
 * socket the server is closing at that moment (a keep-alive race that made one CI run flaky;
 * real clients retry it, these tests run with retries off).
 */
const agent = new Agent({ keepAliveTimeout: 1, keepAliveMaxTimeout: 1 });
const sdkFetch = ((url: string, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;

export async function startGateway(name: string, bindings: Record<string, string> = {}): Promise<Gateway> {
  const fakes = await startFakeUpstreams({
    openai: { keys: [PROVIDER_KEYS.OPENAI_KEY_1, PROVIDER_KEYS.OPENAI_KEY_2, 'gsk-literal-groq-key'] },
    anthropic: { keys: [PROVIDER_KEYS.ANTHROPIC_KEY] },
    gemini: { keys: [PROVIDER_KEYS.GEMINI_KEY] },
  });
  let worker: GatewayWorker | undefined;
  try {
    worker = await startGatewayWorker(`proxy-${name}`, { ...PROVIDER_KEYS, ...bindings });
    const w = worker;
    const gw: Gateway = {
      ...w,
      fakes,
      async configure(extra = {}) {
        const cur = await w.admin('GET', '/admin/config');
        const doc = { providers: { ...fakeProviders(fakes), ...(extra.providers ?? {}) }, routes: extra.routes ?? {}, defaults: { retries: 2, backoff: { baseMs: 10, maxMs: 50 }, ...(extra.defaults ?? {}) }, tenants: { ...(cur.body.tenants ?? {}), ...(extra.tenants ?? {}) } };
        const r = await w.admin('PUT', '/admin/config', doc);
        if (r.status !== 200) throw new Error(`configure failed: ${r.status} ${JSON.stringify(r.body)}`);
      },
      openai: (key, opts = {}) => new OpenAI({ baseURL: `${w.url}/v1`, apiKey: key, maxRetries: 0, fetch: sdkFetch, ...opts }),
      anthropic: (key, opts = {}) => new Anthropic({ baseURL: w.url, apiKey: key, maxRetries: 0, fetch: sdkFetch, ...opts }),
      fetch: (path, init) => fetch(w.url + path, init),
      async stop() {
        await Promise.allSettled([w.stop(), fakes.close()]);
      },
    };
    return gw;
  } catch (err) {
    await Promise.allSettled([worker?.stop(), fakes.close()]);
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
