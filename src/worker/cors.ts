/**
 * CORS for every route (browsers call the API and the proxy directly), and the Server-Timing
 * header. Preflights go to Hono's `cors`; other requests get their two CORS headers set on the
 * response after the handler. (Hono's `cors` sets them before the handler, on a placeholder
 * response, which makes Hono build every response twice to merge the headers: measurable on
 * the proxy's hot path.)
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

const EXPOSE = [
  'Server-Timing',
  'x-tollgate-cost',
  'x-tollgate-provider',
  'x-tollgate-model',
  'x-tollgate-attempts',
  'x-tollgate-request-id',
  'x-tollgate-usage',
  'x-tollgate-cache',
  'x-tollgate-saved',
  'x-tollgate-downgraded',
  'x-tollgate-budget-remaining',
  'x-tollgate-budget-warning',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'retry-after',
];

const preflight = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Content-Type', 'Authorization', 'x-api-key', 'anthropic-version', 'anthropic-beta', 'x-tollgate-user', 'x-tollgate-tags', 'x-tollgate-cache', 'x-request-id'],
  exposeHeaders: EXPOSE,
  maxAge: 86400,
});

const EXPOSED = EXPOSE.join(',');

/** Sets headers on the response, copying it first when its headers are immutable (a response from fetch). */
function setHeaders(c: Context, headers: [string, string][]): void {
  try {
    for (const [k, v] of headers) c.res.headers.set(k, v);
  } catch {
    c.res = new Response(c.res.body, c.res);
    for (const [k, v] of headers) c.res.headers.set(k, v);
  }
}

/** CORS on every response, Server-Timing with the handler's time (as workerd's clock sees it). */
export function corsAndTiming(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const t0 = performance.now();
    await next();
    setHeaders(c, [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Expose-Headers', EXPOSED],
      ['Server-Timing', `app;dur=${(performance.now() - t0).toFixed(3)}`],
    ]);
  };
}
