/**
 * The floor of any Workers-based proxy in this benchmark: a ten-line worker in the same workerd
 * (Miniflare, direct socket) that forwards the request body to the upstream and returns its
 * response as it comes — no auth, counting, pricing, routing or accounting. What it costs is
 * workerd's own HTTP in and out; Tollgate's added cost is what it spends above this floor.
 */
import { Miniflare } from 'miniflare';
import { workerdChildren } from '../../test/helpers/gateway.js';
import type { ProxyTarget } from './proxy-target.js';

const SCRIPT = `export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    return fetch(env.UPSTREAM + url.pathname.replace(/^\\/v1/, ''), { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' }, body: req.body });
  },
};`;

export async function startWorkerdFloor(upstreamUrl: string): Promise<ProxyTarget> {
  const before = new Set(workerdChildren());
  const mf = new Miniflare({ modules: true, script: SCRIPT, compatibilityDate: '2026-04-20', bindings: { UPSTREAM: upstreamUrl }, unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }] });
  await mf.ready;
  const url = (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, '');
  const pid = workerdChildren().find((p) => !before.has(p));
  return { url: `${url}/v1`, ...(pid ? { pid } : {}), stop: () => mf.dispose() };
}
