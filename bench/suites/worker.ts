/**
 * Worker benchmark (inside workerd, via Miniflare):
 *  - time per POST /v1/count and /v1/estimate request for ~4 KB prompts, measured INSIDE the
 *    worker: performance.now() around the production app's fetch (JSON parse, validation,
 *    counting/pricing, serialization). workerd's clock ticks in 1 ms steps, so each sample is
 *    the mean of a batch of requests; there is no I/O in the loop, so this wall time is CPU
 *    time. (The Node→workerd round trip is reported separately for comparison.)
 *  - the production bundle (`wrangler deploy --dry-run` output) size, raw and gzipped;
 *  - time to the first response after the worker loads (new workerd isolate → first answer).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Miniflare } from 'miniflare';
import { bundleWorker, startWorker } from '../../test/helpers/workerd.js';
import { docs4k } from '../lib/corpus.js';
import { table } from '../lib/measure.js';

const ROUNDS = 40;
const BATCH = 25;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 3 : 1)} ms`;

async function inWorker(mf: Miniflare, path: string, bodies: unknown[]): Promise<number[]> {
  // Warm-up: loads vocabularies and tiers up the JIT.
  await mf.dispatchFetch('http://bench/__bench', { method: 'POST', body: JSON.stringify({ path, bodies, rounds: 2, batch: bodies.length }) });
  const res = await mf.dispatchFetch('http://bench/__bench', { method: 'POST', body: JSON.stringify({ path, bodies, rounds: ROUNDS, batch: BATCH }) });
  const { samples, status } = (await res.json()) as { samples: number[]; status: number };
  if (status !== 200) throw new Error(`${path} answered ${status} in the bench loop`);
  return samples;
}

async function roundTrip(mf: Miniflare, path: string, bodies: unknown[], n = 200): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const init = bodies.length ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies[i % bodies.length]) } : {};
    const t0 = performance.now();
    const res = await mf.dispatchFetch(`http://bench${path}`, init);
    await res.arrayBuffer();
    if (i >= 20) out.push(performance.now() - t0);
  }
  return out;
}

function bundleSize(dir: string): { raw: number; gz: number; files: [string, number, number][] } {
  const files: [string, number, number][] = [];
  for (const f of readdirSync(dir)) {
    if (!/\.(js|wasm|bin)$/.test(f)) continue;
    const p = join(dir, f);
    if (!statSync(p).isFile()) continue;
    const buf = readFileSync(p);
    files.push([f.replace(/^[0-9a-f]{40}-/, ''), buf.length, gzipSync(buf, { level: 9 }).length]);
  }
  return { raw: files.reduce((n, f) => n + f[1], 0), gz: files.reduce((n, f) => n + f[2], 0), files };
}

export async function runWorkerBench(): Promise<string[]> {
  const lines: string[] = [];
  const prompts = docs4k().slice(0, 24);
  const avg = Math.round(prompts.reduce((n, p) => n + Buffer.byteLength(p), 0) / prompts.length);

  // Bundle size of the production worker.
  const prod = bundleWorker('wrangler.toml', 'dist/bench-workers/main');
  const size = bundleSize(prod);
  lines.push(`bundle (wrangler deploy --dry-run, gzip -9 per module): ${(size.raw / 1048576).toFixed(2)} MiB raw, ${(size.gz / 1048576).toFixed(2)} MiB gzipped (target ≤ 3 MB)`);
  lines.push(...table([['  module', 'raw', 'gzipped'], ...size.files.sort((a, b) => b[2] - a[2]).map(([f, r, g]) => [`  ${f}`, `${(r / 1024).toFixed(0)} KiB`, `${(g / 1024).toFixed(0)} KiB`])]));

  // Time to first response: fresh workerd per sample, production bundle.
  const cold: { ready: number; health: number; count: number; estimate: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const mf = await startWorker(prod, { kvNamespaces: ['TOLLGATE_KV'], bindings: { MAX_BODY_BYTES: '1048576' } } as never);
    const ready = performance.now() - t0;
    const first = async (path: string, body?: unknown) => {
      const t = performance.now();
      const res = await mf.dispatchFetch(`http://bench${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return performance.now() - t;
    };
    const health = await first('/healthz');
    const count = await first('/v1/count', { model: 'gpt-4o', text: prompts[0] });
    const estimate = await first('/v1/estimate', { model: 'claude-sonnet-4-5', input: prompts[1], output_tokens: 500 });
    cold.push({ ready, health, count, estimate });
    await mf.dispose();
  }
  const med = (k: keyof (typeof cold)[0]) => pct(cold.map((c) => c[k]), 50);
  lines.push(
    `first response after load (median of 3 fresh workerd isolates): workerd ready ${ms(med('ready'))}; then first /healthz ${ms(med('health'))}, ` +
      `first /v1/count ${ms(med('count'))} (WASM + o200k vocab load), next /v1/estimate ${ms(med('estimate'))}`,
  );

  // Per-request time inside workerd.
  const out = bundleWorker('bench/workers/worker-bench/wrangler.toml', 'dist/bench-workers/worker-bench');
  const mf = await startWorker(out, { kvNamespaces: ['TOLLGATE_KV'], bindings: { MAX_BODY_BYTES: '1048576' } } as never);
  try {
    const cases: [string, string, unknown[]][] = [
      ['/v1/count gpt-4o (o200k)', '/v1/count', prompts.map((text) => ({ model: 'gpt-4o', text }))],
      ['/v1/count cl100k_base', '/v1/count', prompts.map((text) => ({ encoding: 'cl100k_base', text }))],
      ['/v1/count messages gpt-4o', '/v1/count', prompts.map((text) => ({ model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: text }] }))],
      ['/v1/estimate gpt-4o', '/v1/estimate', prompts.map((input) => ({ model: 'gpt-4o', input, output_tokens: 500 }))],
      ['/v1/estimate claude-sonnet-4-5 cached', '/v1/estimate', prompts.map((input) => ({ model: 'claude-sonnet-4-5', input, output_tokens: 500, cache_hit_ratio: 0.5 }))],
      ['/v1/estimate 8 models', '/v1/estimate', prompts.map((input) => ({ models: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'deepseek-chat', 'grok-4'], input, output_tokens: 500 }))],
    ];
    const rows = [['in-worker time per request (4 KB prompts)', 'p50', 'p95']];
    for (const [label, path, bodies] of cases) {
      const s = await inWorker(mf, path, bodies);
      rows.push([label, ms(pct(s, 50)), ms(pct(s, 95))]);
    }
    lines.push(`prompts: ${prompts.length} mixed ~4 KB documents (avg ${avg} bytes UTF-8), cycled; ${ROUNDS} samples × batches of ${BATCH} requests`);
    lines.push(...table(rows));
    lines.push('  measured: wall time inside workerd around app.fetch (performance.now(), 1 ms clock → batch means); no I/O in the loop, so ≈ CPU time. Target p50 ≤ 1 ms.');

    const rt = await roundTrip(mf, '/v1/count', prompts.map((text) => ({ model: 'gpt-4o', text })));
    const base = await roundTrip(mf, '/healthz', []);
    lines.push(`Node→workerd round trip (Miniflare dispatchFetch, includes the local HTTP hop): /v1/count p50 ${ms(pct(rt, 50))} p95 ${ms(pct(rt, 95))}; /healthz p50 ${ms(pct(base, 50))}`);
  } finally {
    await mf.dispose();
  }
  return lines;
}
