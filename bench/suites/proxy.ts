/**
 * Proxy benchmark (`npm run bench -- proxy`): the same fake OpenAI upstream (its own process,
 * answering at once) called directly, through the Portkey gateway on Node, and through
 * Tollgate, with a ~4 KB prompt. Per target:
 *  - non-streaming latency at concurrency 1 (p50, p99) and what the proxy adds to the direct p50;
 *  - streaming time to the first body byte (first SSE event) at concurrency 1;
 *  - CPU per request of the proxy's process (for "direct", the upstream's), from /proc, during
 *  - the throughput run: non-streaming requests/s at concurrency 16.
 * Targets run side by side; rounds interleave them and each figure is the median round.
 * Methodology: bench/README.md.
 */
import { createRequire } from 'node:module';
import { bodies, MODEL, prompts } from '../lib/proxy-bodies.js';
import { startFakeOpenAIProcess, type UpstreamProcess } from '../lib/fake-upstream.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { table } from '../lib/measure.js';
import { startPortkey } from '../lib/portkey.js';
import { treeCpuSeconds } from '../lib/proc-cpu.js';
import type { ProxyTarget, StartProxy } from '../lib/proxy-target.js';
import { startTollgate } from '../lib/tollgate-target.js';
import { startWorkerdFloor } from '../lib/workerd-floor.js';

const require = createRequire(import.meta.url);
const SEQUENTIAL = Number(process.env.BENCH_PROXY_REQUESTS ?? 300);
const THROUGHPUT_MS = Number(process.env.BENCH_PROXY_SECONDS ?? 5) * 1000;
const ROUNDS = Number(process.env.BENCH_PROXY_ROUNDS ?? 3);
const CONCURRENCY = 16;
interface Figures {
  plain: LoadResult;
  stream: LoadResult;
  load: LoadResult;
  cpuMsPerRequest: number | undefined;
  /** CPU per request of the target's side process (Tollgate's ledger objects in their own workerd). */
  sideCpuMsPerRequest?: number;
}

/** One request of each kind through the target, checked, so a broken proxy cannot pass as fast. */
async function check(t: ProxyTarget): Promise<void> {
  const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench', ...t.headers };
  const plain = await fetch(`${t.url}/chat/completions`, { method: 'POST', headers, body: bodies(false)[0] });
  const json = (await plain.json()) as { choices?: { message?: { content?: string } }[] };
  if (plain.status !== 200 || !json.choices?.[0]?.message?.content) throw new Error(`non-streaming check failed: ${plain.status} ${JSON.stringify(json).slice(0, 300)}`);
  const stream = await fetch(`${t.url}/chat/completions`, { method: 'POST', headers, body: bodies(true)[0] });
  const text = await stream.text();
  if (stream.status !== 200 || !text.includes('data: [DONE]') || !text.includes('"usage":{"prompt_tokens"')) throw new Error(`streaming check failed: ${stream.status} ${text.slice(0, 300)}`);
}

async function measure(t: ProxyTarget): Promise<Figures> {
  const req = (stream: boolean) => ({ url: `${t.url}/chat/completions`, headers: { authorization: 'Bearer sk-bench', ...t.headers }, bodies: bodies(stream) });
  const plain = await runLoad(req(false), { concurrency: 1, requests: SEQUENTIAL, warmup: 300 });
  const stream = await runLoad(req(true), { concurrency: 1, requests: SEQUENTIAL, warmup: 100 });
  let cpu0 = 0;
  let side0 = 0;
  const load = await runLoad(req(false), {
    concurrency: CONCURRENCY,
    durationMs: THROUGHPUT_MS,
    warmup: 400,
    onMeasureStart: () => {
      cpu0 = t.pid ? treeCpuSeconds(t.pid) : 0;
      side0 = t.sidePid ? treeCpuSeconds(t.sidePid) : 0;
    },
  });
  const perRequest = (pid: number | undefined, at0: number) => (pid && load.requests ? ((treeCpuSeconds(pid) - at0) * 1000) / load.requests : undefined);
  const sideCpuMsPerRequest = perRequest(t.sidePid, side0);
  return { plain, stream, load, cpuMsPerRequest: perRequest(t.pid, cpu0), ...(sideCpuMsPerRequest !== undefined ? { sideCpuMsPerRequest } : {}) };
}

/** The median round of each figure (rounds interleave the targets, so a noisy phase of the machine hits them all). */
interface Summary {
  p50: number;
  p99: number;
  firstByte: number;
  cpu: number | undefined;
  sideCpu: number | undefined;
  rps: number;
  rpsRange: [number, number];
  errors: number;
  firstError?: string;
}

function summarize(rounds: Figures[]): Summary {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const rps = rounds.map((r) => r.load.rps);
  const cpu = rounds.map((r) => r.cpuMsPerRequest).filter((x): x is number => x !== undefined);
  const side = rounds.map((r) => r.sideCpuMsPerRequest).filter((x): x is number => x !== undefined);
  return {
    p50: med(rounds.map((r) => r.plain.latency.p50)),
    p99: med(rounds.map((r) => r.plain.latency.p99)),
    firstByte: med(rounds.map((r) => r.stream.firstByte.p50)),
    cpu: cpu.length ? med(cpu) : undefined,
    sideCpu: side.length ? med(side) : undefined,
    rps: med(rps),
    rpsRange: [Math.min(...rps), Math.max(...rps)],
    errors: rounds.reduce((n, r) => n + r.plain.errors + r.stream.errors + r.load.errors, 0),
    firstError: rounds.map((r) => r.plain.firstError ?? r.stream.firstError ?? r.load.firstError).find(Boolean),
  };
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const plus = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)} ms`;

export async function runProxyBench(): Promise<string[]> {
  const lines: string[] = [];
  const upstream: UpstreamProcess = await startFakeOpenAIProcess();
  const portkeyVersion = (require('@portkey-ai/gateway/package.json') as { version: string }).version;
  const candidates: [string, StartProxy][] = [
    ['direct (fake upstream)', async () => ({ url: upstream.baseUrl, pid: upstream.pid, stop: async () => {} })],
    [`Portkey ${portkeyVersion} (Node)`, startPortkey],
    ['workerd floor (10-line forwarding Worker)', startWorkerdFloor],
    ['Tollgate (ledger, no budget)', (u) => startTollgate(u, false)],
    ['Tollgate (budget + rate limits)', (u) => startTollgate(u, true)],
    ['Tollgate (no budget), ledger objects in their own workerd', (u) => startTollgate(u, false, { ledgerProcess: true })],
  ];
  const running: [string, ProxyTarget, Figures[]][] = [];
  try {
    for (const [name, start] of candidates) {
      let target: ProxyTarget | undefined;
      try {
        target = await start(upstream.baseUrl);
        await check(target);
        running.push([name, target, []]);
      } catch (e) {
        lines.push(`${name}: not measured — ${(e as Error).message}`);
        await target?.stop();
      }
    }
    for (let round = 0; round < ROUNDS; round++) for (const [, target, figures] of running) figures.push(await measure(target));
  } finally {
    await Promise.all(running.map(([, t]) => t.stop()));
    await upstream.stop();
  }
  const results = running.map(([name, , figures]) => [name, summarize(figures)] as const);
  const direct = results.find(([n]) => n.startsWith('direct'))?.[1];
  const portkey = results.find(([n]) => n.startsWith('Portkey'))?.[1];
  const size = Math.round(prompts().reduce((n, p) => n + Buffer.byteLength(p), 0) / prompts().length);
  lines.unshift(
    `fake OpenAI upstream in its own process; ${size}-byte prompts (${prompts().length} rotating), ${MODEL}, max_tokens 64; ` +
      `latency and first byte at concurrency 1 (${SEQUENTIAL} requests), throughput at concurrency ${CONCURRENCY} for ${THROUGHPUT_MS / 1000} s; ` +
      `median of ${ROUNDS} rounds interleaving the targets`,
  );
  lines.push(
    ...table([
      ['target', 'p50', 'added', 'p99', 'stream 1st byte p50', 'added', 'CPU/request', `req/s @${CONCURRENCY} (range)`, 'vs Portkey', 'errors'],
      ...results.map(([name, f]) => [
        name,
        ms(f.p50),
        direct && f !== direct ? plus(f.p50 - direct.p50) : '',
        ms(f.p99),
        ms(f.firstByte),
        direct && f !== direct ? plus(f.firstByte - direct.firstByte) : '',
        f.cpu === undefined ? 'n/a' : ms(f.cpu),
        `${f.rps.toFixed(0)} (${f.rpsRange[0].toFixed(0)}–${f.rpsRange[1].toFixed(0)})`,
        portkey && f !== portkey && f !== direct ? `${(f.rps / portkey.rps).toFixed(2)}×` : '',
        String(f.errors) + (f.firstError ? ` (${f.firstError})` : ''),
      ]),
    ]),
  );
  lines.push('CPU/request: the target process and its descendants (for "direct", the upstream itself), over the throughput run.');
  for (const [name, f] of results) if (f.sideCpu !== undefined) lines.push(`${name}: the ledger objects' own workerd spent ${ms(f.sideCpu)} more per request.`);
  return lines;
}
