/**
 * The proxied endpoints: OpenAI Chat Completions, Anthropic Messages and OpenAI Embeddings.
 * Each runs the whole gateway pipeline (src/proxy/pipeline.ts); the request and response
 * bodies are the providers' own wire formats, documented by them, so the OpenAPI entries here
 * describe the gateway's additions (headers, usage.cost, errors).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { handleProxy } from '../../proxy/pipeline.js';
import type { Env } from '../env.js';
import { ErrorSchema } from '../schemas/common.js';

const HEADERS = {
  'x-tollgate-cost': { description: 'Exact cost in USD (decimal string). Streams carry it as usage.cost in the final usage chunk / message_delta instead.', schema: { type: 'string' as const } },
  'x-tollgate-provider': { description: 'Provider that served the request', schema: { type: 'string' as const } },
  'x-tollgate-model': { description: 'Canonical id of the model that served', schema: { type: 'string' as const } },
  'x-tollgate-attempts': { description: 'Upstream attempts made', schema: { type: 'string' as const } },
  'x-tollgate-request-id': { description: 'Request id (also in the ledger)', schema: { type: 'string' as const } },
  'x-tollgate-budget-remaining': { description: 'Smallest remaining budget (USD) after this request’s reservation', schema: { type: 'string' as const } },
  'x-ratelimit-remaining-requests': { description: 'As OpenAI’s', schema: { type: 'string' as const } },
};

const Body = z.looseObject({ model: z.string() }).openapi({ description: "The provider's own request format (see its API reference); `model` may be a model id, `provider/model`, or a route name." });

function describe(app: OpenAPIHono<{ Bindings: Env }>, path: string, summary: string, description: string): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path,
    tags: ['Proxy'],
    summary,
    description,
    security: [{ bearer: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: Body } } } },
    responses: {
      200: { description: 'The provider’s answer in this endpoint’s wire format (JSON, or text/event-stream when streaming), with `usage.cost`.', headers: HEADERS },
      400: { description: 'Invalid request (param names the field); context_length_exceeded', content: { 'application/json': { schema: ErrorSchema } } },
      401: { description: 'Missing, wrong, revoked or expired gateway key', content: { 'application/json': { schema: ErrorSchema } } },
      403: { description: 'Key or tenant disabled; model not allowed', content: { 'application/json': { schema: ErrorSchema } } },
      404: { description: 'Unknown model or route', content: { 'application/json': { schema: ErrorSchema } } },
      429: { description: 'budget_exceeded or rate_limit_exceeded (ours, with retry-after), or the provider’s own 429 after retries', content: { 'application/json': { schema: ErrorSchema } } },
      502: { description: 'The provider failed (message names it)', content: { 'application/json': { schema: ErrorSchema } } },
      503: { description: 'No provider configured, or every target’s circuit is open', content: { 'application/json': { schema: ErrorSchema } } },
      504: { description: 'The provider did not answer in time', content: { 'application/json': { schema: ErrorSchema } } },
    },
  });
}

export function proxy(): OpenAPIHono<{ Bindings: Env }> {
  const app = new OpenAPIHono<{ Bindings: Env }>();
  app.post('/v1/chat/completions', (c) => handleProxy(c, 'chat'));
  app.post('/v1/messages', (c) => handleProxy(c, 'messages'));
  app.post('/v1/embeddings', (c) => handleProxy(c, 'embeddings'));
  describe(app, '/v1/chat/completions', 'Chat completions (proxy)', 'OpenAI Chat Completions through the gateway: routing, fallbacks, budgets, exact cost. Errors in OpenAI’s shape.');
  describe(app, '/v1/messages', 'Messages (proxy, Anthropic format)', 'Anthropic Messages through the same pipeline (use `x-api-key` or a Bearer token). Errors in Anthropic’s shape.');
  describe(app, '/v1/embeddings', 'Embeddings (proxy)', 'OpenAI Embeddings, priced per input token.');
  return app;
}
