/**
 * Proxy benchmark (`npm run bench -- proxy`): the same fake OpenAI upstream (its own process,
 * answering at once) called directly, through the Portkey gateway on Node, and through
 * Tollgate, with a ~4 KB prompt. Per target:
 *  - non-streaming latency at concurrency 1 (p50, p99) and what the proxy adds to the direct p50;
 *  - streaming time to the first body byte (first SSE event) at concurrency 1;
 *  - CPU per request of the proxy's process (for "direct", the upstream's), from /proc, during
 *  - the throughput run: non-streaming requests/s at concurrency 16.
 * Methodology: bench/README.md.
 */
import { createRequire } from 'node:module';
import { docs4k } from '../lib/corpus.js';
import { startFakeOpenAIProcess, type UpstreamProcess } from '../lib/fake-upstream.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { table } from '../lib/measure.js';
import { startPortkey } from '../lib/portkey.js';
import { treeCpuSeconds } from '../lib/proc-cpu.js';
import type { ProxyTarget, StartProxy } from '../lib/proxy-target.js';
import { startTollgate } from '../lib/tollgate-target.js';

const require = createRequire(import.meta.url);
const SEQUENTIAL = Number(process.env.BENCH_PROXY_REQUESTS ?? 400);
const THROUGHPUT_MS = Number(process.env.BENCH_PROXY_SECONDS ?? 5) * 1000;
const CONCURRENCY = 16;
const MODEL = 'gpt-4o-mini';

/** ~4 KB user prompts (3.9–4.3 KB of UTF-8) from the benchmark corpus. */
function prompts(): string[] {
  return docs4k()
    .filter((d) => {
      const n = Buffer.byteLength(d);
      return n >= 3900 && n <= 4300;
    })
    .slice(0, 8);
}

function bodies(stream: boolean): string[] {
  return prompts().map((content) =>
    JSON.stringify({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content },
      ],
      max_tokens: 64,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  );
}

interface Figures {
  plain: LoadResult;
  stream: LoadResult;
  load: LoadResult;
  cpuMsPerRequest: number | undefined;
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
  await check(t);
  const req = (stream: boolean) => ({ url: `${t.url}/chat/completions`, headers: { authorization: 'Bearer sk-bench', ...t.headers }, bodies: bodies(stream) });
  const plain = await runLoad(req(false), { concurrency: 1, requests: SEQUENTIAL, warmup: 100 });
  const stream = await runLoad(req(true), { concurrency: 1, requests: SEQUENTIAL, warmup: 50 });
  let cpu0 = 0;
  const load = await runLoad(req(false), {
    concurrency: CONCURRENCY,
    durationMs: THROUGHPUT_MS,
    warmup: 400,
    onMeasureStart: () => (cpu0 = t.pid ? treeCpuSeconds(t.pid) : 0),
  });
  const cpuMsPerRequest = t.pid && load.requests ? ((treeCpuSeconds(t.pid) - cpu0) * 1000) / load.requests : undefined;
  return { plain, stream, load, cpuMsPerRequest };
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const plus = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)} ms`;

export async function runProxyBench(): Promise<string[]> {
  const lines: string[] = [];
  const upstream: UpstreamProcess = await startFakeOpenAIProcess();
  const portkeyVersion = (require('@portkey-ai/gateway/package.json') as { version: string }).version;
  const targets: [string, StartProxy][] = [
    ['direct (fake upstream)', async () => ({ url: upstream.baseUrl, pid: upstream.pid, stop: async () => {} })],
    [`Portkey ${portkeyVersion} (Node)`, startPortkey],
    ['Tollgate', startTollgate],
  ];
  const results: [string, Figures][] = [];
  try {
    for (const [name, start] of targets) {
      let target: ProxyTarget;
      try {
        target = await start(upstream.baseUrl);
      } catch (e) {
        lines.push(`${name}: not measured — ${(e as Error).message}`);
        continue;
      }
      try {
        results.push([name, await measure(target)]);
      } finally {
        await target.stop();
      }
    }
  } finally {
    await upstream.stop();
  }
  const direct = results.find(([n]) => n.startsWith('direct'))?.[1];
  const portkey = results.find(([n]) => n.startsWith('Portkey'))?.[1];
  const size = Math.round(prompts().reduce((n, p) => n + Buffer.byteLength(p), 0) / prompts().length);
  lines.unshift(
    `fake OpenAI upstream in its own process; ${size}-byte prompts (${prompts().length} rotating), ${MODEL}, max_tokens 64; ` +
      `latency and first byte at concurrency 1 (${SEQUENTIAL} requests each), throughput at concurrency ${CONCURRENCY} for ${THROUGHPUT_MS / 1000} s`,
  );
  lines.push(
    ...table([
      ['target', 'p50', 'added', 'p99', 'stream 1st byte p50', 'added', 'CPU/request', `req/s @${CONCURRENCY}`, 'vs Portkey', 'errors'],
      ...results.map(([name, f]) => [
        name,
        ms(f.plain.latency.p50),
        direct && f !== direct ? plus(f.plain.latency.p50 - direct.plain.latency.p50) : '',
        ms(f.plain.latency.p99),
        ms(f.stream.firstByte.p50),
        direct && f !== direct ? plus(f.stream.firstByte.p50 - direct.stream.firstByte.p50) : '',
        f.cpuMsPerRequest === undefined ? 'n/a' : ms(f.cpuMsPerRequest),
        f.load.rps.toFixed(0),
        portkey && f !== portkey && f !== direct ? `${(f.load.rps / portkey.load.rps).toFixed(2)}×` : '',
        String(f.plain.errors + f.stream.errors + f.load.errors) + (f.load.firstError ? ` (${f.load.firstError})` : ''),
      ]),
    ]),
  );
  lines.push('CPU/request: the target process and its descendants (for "direct", the upstream itself), over the throughput run.');
  return lines;
}
