/**
 * Tollgate in the proxy benchmark: the real worker in workerd via Miniflare (the same setup as
 * the proxy tests, no `wrangler dev` Node proxy in front), with one OpenAI provider pointed at
 * the benchmark's upstream and a tenant whose key carries a budget and rate limits — so every
 * request is authenticated, counted, priced, reserved, settled into the ledger and logged.
 * CPU is charged to the workerd process.
 */
import { startGatewayWorker } from '../../test/helpers/gateway.js';
import type { ProxyTarget } from './proxy-target.js';

export async function startTollgate(upstreamUrl: string): Promise<ProxyTarget> {
  // Production cache setting: configuration and key records cached in the isolate for 5 s.
  const gw = await startGatewayWorker('bench-proxy', { BENCH_UPSTREAM_KEY: 'sk-bench', CONFIG_CACHE_SECONDS: '5', LOG_USAGE: 'off' });
  try {
    const r = await gw.admin('PUT', '/admin/config', {
      providers: { openai: { type: 'openai', baseUrl: upstreamUrl, keys: ['env:BENCH_UPSTREAM_KEY'] } },
      tenants: { bench: { budgets: [{ amount: '1000000', period: 'day' }], limits: { requestsPerMinute: 10_000_000, tokensPerMinute: 1_000_000_000 } } },
    });
    if (r.status !== 200) throw new Error(`configuration refused: ${JSON.stringify(r.body)}`);
    const k = await gw.admin('POST', '/admin/tenants/bench/keys', { name: 'bench' });
    const pid = gw.pid();
    return { url: `${gw.url}/v1`, headers: { authorization: `Bearer ${k.body.key}` }, ...(pid ? { pid } : {}), stop: () => gw.mf.dispose() };
  } catch (e) {
    await gw.mf.dispose();
    throw e;
  }
}
