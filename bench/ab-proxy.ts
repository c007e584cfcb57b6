/**
 * A/B of two builds of the proxy: CPU per proxied request of the Tollgate benchmark target
 * (bench/lib/tollgate-target.ts) from two checkouts, against one fake upstream.
 *
 *   npx tsx bench/ab-proxy.ts <checkout A> [checkout B, default: this one] [--budget] [--split] [--stream]
 *                             [--rounds 11] [--seconds 3] [--sequential]
 *
 * Each checkout needs its node_modules and a built dist/ (`npm run build`). By default both
 * targets are loaded at the same time (concurrency 8 each) in every round, so a busy phase of
 * the shared machine hits both alike; `--sequential` alternates them at concurrency 16 instead.
 * Prints each round and the median of the per-round ratios B/A with how many rounds B won:
 * a change of a few percent shows as a ratio away from 1 with most rounds won, not as one run.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from './lib/corpus.js';
import { startFakeOpenAIProcess } from './lib/fake-upstream.js';
import { runLoad, type LoadRequest } from './lib/load.js';
import { treeCpuSeconds } from './lib/proc-cpu.js';
import { bodies } from './lib/proxy-bodies.js';
import type { ProxyTarget } from './lib/proxy-target.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    budget: { type: 'boolean', default: false },
    split: { type: 'boolean', default: false },
    stream: { type: 'boolean', default: false },
    sequential: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '11' },
    seconds: { type: 'string', default: '3' },
  },
});
if (positionals.length < 1) {
  console.error('usage: npx tsx bench/ab-proxy.ts <checkout A> [checkout B] [--budget] [--split] [--stream] [--rounds N] [--seconds S] [--sequential]');
  process.exit(2);
}
const dirs = [resolve(positionals[0]!), resolve(positionals[1] ?? root)];
const rounds = Number(values.rounds);
const ms = Number(values.seconds) * 1000;
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const upstream = await startFakeOpenAIProcess();
const targets: ProxyTarget[] = [];
try {
  for (const dir of dirs) {
    const { startTollgate } = (await import(resolve(dir, 'bench/lib/tollgate-target.ts'))) as typeof import('./lib/tollgate-target.js');
    targets.push(await startTollgate(upstream.baseUrl, values.budget, values.split ? { ledgerProcess: true } : {}));
  }
  const request = (t: ProxyTarget): LoadRequest => ({ url: `${t.url}/chat/completions`, headers: t.headers ?? {}, bodies: bodies(values.stream) });
  for (const t of targets) await runLoad(request(t), { concurrency: 16, requests: 2000 });
  const cpu: number[][] = [[], []];
  /** CPU ms per request of target k over one load run. */
  const measure = async (k: number, concurrency: number): Promise<void> => {
    const t = targets[k]!;
    const c0 = treeCpuSeconds(t.pid!);
    const load = await runLoad(request(t), { concurrency, durationMs: ms });
    if (load.errors) throw new Error(`${dirs[k]}: ${load.errors} errors (${load.firstError})`);
    cpu[k]!.push(((treeCpuSeconds(t.pid!) - c0) * 1000) / load.requests);
  };
  for (let r = 0; r < rounds; r++) {
    if (values.sequential) for (const k of r % 2 ? [1, 0] : [0, 1]) await measure(k, 16);
    else await Promise.all([measure(0, 8), measure(1, 8)]);
    console.log(`round ${r + 1}: A ${cpu[0]![r]!.toFixed(3)} ms, B ${cpu[1]![r]!.toFixed(3)} ms per request`);
  }
  const ratios = cpu[1]!.map((b, i) => b / cpu[0]![i]!);
  console.log(`A ${dirs[0]}: median ${med(cpu[0]!).toFixed(3)} ms per request`);
  console.log(`B ${dirs[1]}: median ${med(cpu[1]!).toFixed(3)} ms per request`);
  console.log(`B/A: median ratio ${med(ratios).toFixed(3)}, B lower in ${ratios.filter((x) => x < 1).length} of ${rounds} rounds`);
} finally {
  for (const t of targets) await t.stop();
  await upstream.stop();
}
