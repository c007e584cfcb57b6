/**
 * CPU profile of the proxy inside workerd (`npx tsx bench/profile-proxy.ts [budget] [stream] [split]`;
 * split: the ledger objects in their own workerd, as deployed):
 * the proxy benchmark's Tollgate target with workerd's V8 inspector open, a few seconds of load
 * at concurrency 16 against the fake upstream, then the functions with the most self time and
 * the inclusive time of Tollgate's own modules. Writes the raw profile to
 * dist/profile-proxy.cpuprofile (open it in Chrome DevTools). Where the proxy's CPU goes is
 * a question a benchmark cannot answer; this script can.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WebSocket } from 'undici';
import { root } from './lib/corpus.js';
import { bodies } from './lib/proxy-bodies.js';
import { startFakeOpenAIProcess } from './lib/fake-upstream.js';
import { runLoad } from './lib/load.js';
import { startTollgate } from './lib/tollgate-target.js';

const PORT = 9331;
const budget = process.argv.includes('budget');
const stream = process.argv.includes('stream');
const seconds = Number(process.env.PROFILE_SECONDS ?? 5);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspector(port: number): Promise<{ send<T = unknown>(method: string, params?: object): Promise<T>; close(): void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string; title?: string }[];
  const target = targets.find((t) => !/proxy|miniflare|entry/i.test(t.title ?? '')) ?? targets[0];
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = fail;
  });
  let id = 0;
  const pending = new Map<number, (v: unknown) => void>();
  ws.onmessage = (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  };
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((ok) => {
        pending.set(++id, ok as (v: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

function report(p: Profile): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  const selfBy = new Map<string, number>();
  for (const [id, t] of self) {
    const k = label(byId.get(id)!);
    selfBy.set(k, (selfBy.get(k) ?? 0) + t);
  }
  const lines = [`sampled ${(total / 1000).toFixed(0)} ms`, 'self time:'];
  for (const [k, t] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 45)) lines.push(`  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
  // Inclusive time per function (counted once per sample even under recursion).
  const incl = new Map<string, number>();
  p.samples.forEach((s, i) => {
    const seen = new Set<string>();
    for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
      const k = label(byId.get(id)!);
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
      }
    }
  });
  lines.push('inclusive time:');
  for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 60)) lines.push(`  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
  return lines;
}

const upstream = await startFakeOpenAIProcess();
const target = await startTollgate(upstream.baseUrl, budget, { inspectorPort: PORT, ...(process.argv.includes('split') ? { ledgerProcess: true } : {}) });
try {
  const req = { url: `${target.url}/chat/completions`, headers: target.headers ?? {}, bodies: bodies(stream) };
  await runLoad(req, { concurrency: 16, requests: 2000, warmup: 500 });
  const cdp = await inspector(PORT);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const load = await runLoad(req, { concurrency: 16, durationMs: seconds * 1000 });
  const { profile } = await cdp.send<{ profile: Profile }>('Profiler.stop');
  cdp.close();
  writeFileSync(resolve(root, 'dist/profile-proxy.cpuprofile'), JSON.stringify(profile));
  console.log(`${load.requests} requests, ${load.rps.toFixed(0)} req/s, ${load.errors} errors${load.firstError ? ` (${load.firstError})` : ''}`);
  for (const l of report(profile)) console.log(l);
} finally {
  await target.stop();
  await upstream.stop();
}
