/**
 * Tollgate in the proxy benchmark: the real worker in workerd via Miniflare (the same setup as
 * the proxy tests, no `wrangler dev` Node proxy in front), with one OpenAI provider pointed at
 * the benchmark's upstream and a tenant key. Every request is authenticated, counted, priced,
 * planned, relayed, billed and settled into the tenant's ledger; with `budget`, the tenant also
 * has a day budget and rate limits, so each request first reserves its worst case in the
 * tenant's Durable Object. CPU is charged to the workerd process. With `ledgerProcess`, the
 * tenants' ledger objects run in a second workerd (as deployed, where a Durable Object does not
 * share the worker's thread); that process's CPU is reported apart.
 */
import { startGatewayWorker, type GatewayOptions } from '../../test/helpers/gateway.js';
import type { ProxyTarget } from './proxy-target.js';

export async function startTollgate(upstreamUrl: string, budget = true, options: GatewayOptions = {}): Promise<ProxyTarget> {
  // Production cache setting: configuration and key records cached in the isolate for 5 s.
  const gw = await startGatewayWorker(`${budget ? 'bench-proxy' : 'bench-proxy-ledger'}${options.ledgerProcess ? '-split' : ''}`, { BENCH_UPSTREAM_KEY: 'sk-bench', CONFIG_CACHE_SECONDS: '5', LOG_USAGE: 'off' }, options);
  try {
    const r = await gw.admin('PUT', '/admin/config', {
      providers: { openai: { type: 'openai', baseUrl: upstreamUrl, keys: ['env:BENCH_UPSTREAM_KEY'] } },
      tenants: { bench: budget ? { budgets: [{ amount: '1000000', period: 'day' }], limits: { requestsPerMinute: 10_000_000, tokensPerMinute: 1_000_000_000 } } : {} },
    });
    if (r.status !== 200) throw new Error(`configuration refused: ${JSON.stringify(r.body)}`);
    const k = await gw.admin('POST', '/admin/tenants/bench/keys', { name: 'bench' });
    const pid = gw.pid();
    const sidePid = gw.ledgerPid();
    return { url: `${gw.url}/v1`, headers: { authorization: `Bearer ${k.body.key}` }, ...(pid ? { pid } : {}), ...(sidePid ? { sidePid } : {}), stop: () => gw.stop() };
  } catch (e) {
    await gw.stop();
    throw e;
  }
}
