/**
 * Budgets benchmark (`npm run bench -- budgets`): what tenants, keys and budgets add to a
 * proxied request inside workerd. Two gateways in front of the same fake OpenAI upstream:
 * - baseline: no ledger (no TENANTS binding) and the single TOLLGATE_GATEWAY_KEY (no key lookup);
 * - all checks: a tenant key (HMAC + KV record), a day budget, rate limits (requests and tokens
 *   per minute, concurrency) — every request reserves its worst case in the tenant's Durable
 *   Object before the upstream call and settles into the ledger after it.
 * The difference at concurrency 1 is the added latency of auth + reserve + settle (p50, p99);
 * requests/s at concurrency 16 is what one tenant sustains with every check on.
 */
import { startGatewayWorker, type GatewayWorker } from '../../test/helpers/gateway.js';
import { docs4k } from '../lib/corpus.js';
import { startFakeOpenAIProcess } from '../lib/fake-upstream.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { table } from '../lib/measure.js';

const SEQUENTIAL = Number(process.env.BENCH_BUDGET_REQUESTS ?? 400);
const THROUGHPUT_MS = Number(process.env.BENCH_BUDGET_SECONDS ?? 5) * 1000;

async function gateway(name: string, upstream: string, ledger: boolean): Promise<{ gw: GatewayWorker; auth: string }> {
  const gw = await startGatewayWorker(name, { UPSTREAM_KEY: 'sk-bench', CONFIG_CACHE_SECONDS: '5', LOG_USAGE: 'off', TOLLGATE_GATEWAY_KEY: 'tg_baseline_key' }, { ledger });
  const policy = { budgets: [{ amount: '100000', period: 'day' }], limits: { requestsPerMinute: 10_000_000, tokensPerMinute: 1_000_000_000, concurrent: 1000 } };
  const r = await gw.admin('PUT', '/admin/config', { providers: { openai: { type: 'openai', baseUrl: upstream, keys: ['env:UPSTREAM_KEY'] } }, tenants: { bench: policy, default: {} } });
  if (r.status !== 200) throw new Error(`configuration refused: ${JSON.stringify(r.body)}`);
  if (!ledger) return { gw, auth: 'tg_baseline_key' };
  const k = await gw.admin('POST', '/admin/tenants/bench/keys', { name: 'bench' });
  return { gw, auth: k.body.key as string };
}

export async function runBudgetsBench(): Promise<string[]> {
  const upstream = await startFakeOpenAIProcess();
  const prompt = docs4k().find((d) => Buffer.byteLength(d) >= 3900 && Buffer.byteLength(d) <= 4300)!;
  const bodies = [JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], max_tokens: 64 })];
  const results: [string, LoadResult, LoadResult][] = [];
  try {
    for (const [name, ledger] of [
      ['baseline (no ledger, gateway key)', false],
      ['all checks (tenant key, budget, limits, ledger)', true],
    ] as const) {
      const { gw, auth } = await gateway(ledger ? 'budgets-on' : 'budgets-off', upstream.baseUrl, ledger);
      try {
        const req = { url: `${gw.url}/v1/chat/completions`, headers: { authorization: `Bearer ${auth}` }, bodies };
        const one = await runLoad(req, { concurrency: 1, requests: SEQUENTIAL, warmup: 100 });
        const many = await runLoad(req, { concurrency: 16, durationMs: THROUGHPUT_MS, warmup: 200 });
        if (one.errors || many.errors) throw new Error(`${name}: ${one.errors + many.errors} errors (${one.firstError ?? many.firstError})`);
        results.push([name, one, many]);
      } finally {
        await gw.stop();
      }
    }
  } finally {
    await upstream.stop();
  }
  const base = results[0]![1];
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  return [
    `one tenant, ~4 KB prompts to a fake OpenAI upstream in its own process; latency at concurrency 1 (${SEQUENTIAL} requests), throughput at concurrency 16 for ${THROUGHPUT_MS / 1000} s`,
    ...table([
      ['gateway', 'p50', 'added', 'p99', 'added', 'req/s @16'],
      ...results.map(([name, one, many]) => [name, ms(one.latency.p50), one === base ? '' : `+${ms(one.latency.p50 - base.latency.p50)}`, ms(one.latency.p99), one === base ? '' : `+${ms(one.latency.p99 - base.latency.p99)}`, many.rps.toFixed(0)]),
    ]),
    'added = auth (HMAC + KV record, cached) + reserve (tenant Durable Object) + settle (after the response, in waitUntil).',
  ];
}
