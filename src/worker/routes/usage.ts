/** GET /v1/usage: the caller's tenant's usage and cost from its ledger (tenant key auth). */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { loadConfig } from '../../proxy/config/load.js';
import { authenticate } from '../../tenants/auth.js';
import { parseUsageParams, UsageParams, usageQuery, usageResponse } from '../../tenants/usage/report.js';
import type { Env } from '../env.js';
import { errorResponse } from '../errors.js';
import { ErrorSchema } from '../schemas/common.js';

export function usage(): OpenAPIHono<{ Bindings: Env }> {
  const app = new OpenAPIHono<{ Bindings: Env }>();
  app.get('/v1/usage', async (c) => {
    try {
      const loaded = await loadConfig(c.env);
      const caller = await authenticate(c.req.raw.headers, c.env, loaded, Date.now(), (p) => c.executionCtx.waitUntil(p));
      const p = parseUsageParams(new URL(c.req.url));
      return await usageResponse(c.env, [{ id: caller.tenant, ...(caller.policy.name ? { name: caller.policy.name } : {}) }], p, usageQuery(p, Date.now()));
    } catch (err) {
      return errorResponse(c, err);
    }
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/v1/usage',
    tags: ['Usage'],
    summary: 'Usage and cost',
    description: 'Your tenant’s usage from the ledger: filter by time (start/end, default today UTC), key, user, model, provider, route and tag=name=value; group by day, hour, model, key, user, provider, route, status or tag:<name>; JSON, CSV or FOCUS 1.2 (format=focus, rows=group|request). `cost` values are exact decimal USD; totals are exact sums.',
    security: [{ bearer: [] }],
    request: { query: z.looseObject(UsageParams.omit({ tag: true, tenant: true }).partial().shape) },
    responses: {
      200: { description: 'JSON `{object: "usage", data, total}` or CSV' },
      400: { description: 'Bad parameter', content: { 'application/json': { schema: ErrorSchema } } },
      401: { description: 'Bad key', content: { 'application/json': { schema: ErrorSchema } } },
    },
  });
  return app;
}
