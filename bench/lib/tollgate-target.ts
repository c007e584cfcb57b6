/**
 * Slot for Tollgate in the proxy benchmark (bench/suites/proxy.ts), filled in with the edge
 * proxy (issue 10). It must start the worker (workerd via Miniflare, and/or `wrangler dev`)
 * configured with one OpenAI provider whose baseUrl is `upstreamUrl`, counting, pricing and
 * accounting on, and return:
 *  - url: the OpenAI-compatible base URL (`http://127.0.0.1:<port>/v1`),
 *  - headers: what each request needs (e.g. `authorization: Bearer <gateway key>`),
 *  - pid: the process doing the work (workerd), for CPU per request (descendants included),
 *  - stop(): stops everything it started.
 * Until then it throws, and the suite prints the other targets.
 */
import type { ProxyTarget } from './proxy-target.js';

export async function startTollgate(upstreamUrl: string): Promise<ProxyTarget> {
  throw new Error(`Tollgate proxy target not implemented yet (upstream would be ${upstreamUrl})`);
}
