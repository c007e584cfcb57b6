/**
 * Middleware: pick up a signed pricing update published to KV (see docs/pricing-updates.md)
 * before handling /v1 requests. Off unless PRICING_PUBLIC_KEY is set; at most one small KV
 * read per isolate per minute; a rejected update is logged and the table in force stays.
 */
import type { MiddlewareHandler } from 'hono';
import { loadPricing, pricingVersion } from '../core/index.js';
import { PricingRefresher } from '../pricing/kv-refresh.js';
import type { Env } from './env.js';

const refresher = new PricingRefresher(loadPricing, pricingVersion);

export const pricingRefresh: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const key = c.env?.PRICING_PUBLIC_KEY;
  const kv = c.env?.TOLLGATE_KV;
  if (key && kv) {
    const res = await refresher.refresh(kv, key);
    if (res.status === 'rejected') console.warn(`tollgate: pricing update in KV rejected, keeping ${pricingVersion()}: ${res.error}`);
  }
  await next();
};
