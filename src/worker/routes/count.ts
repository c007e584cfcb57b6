/** POST /v1/count: token count of text or a chat for a model or encoding. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from '../env.js';
import { errorResponses, jsonBody } from '../schemas/responses.js';
import { CountRequest, CountResponse } from '../schemas/count.js';
import { withLearnedRatio } from '../learned.js';
import { withProviderCount } from '../provider-count.js';
import { countMessages, countText } from '../tokens.js';

export const countRoute = createRoute({
  method: 'post',
  path: '/v1/count',
  tags: ['Tokens'],
  summary: 'Count tokens',
  description:
    'Counts the tokens of `text` (or of a chat in `messages`) for a model or a tiktoken encoding. Counts for OpenAI models are exact (identical to tiktoken); models without a public tokenizer (Claude, Gemini, …) get a labelled estimate (`exact: false`). With `count_with: "provider"` and a gateway key, a Claude count comes from Anthropic\'s token-counting endpoint where the operator enabled it (`exact: true`, `method: "provider:anthropic"`); otherwise `provider_count` says why not.',
  request: jsonBody(CountRequest),
  responses: {
    200: { description: 'Token count', content: { 'application/json': { schema: CountResponse } } },
    ...errorResponses(400, 404, 413, 415),
  },
});

export const count = new OpenAPIHono<{ Bindings: Env }>().openapi(countRoute, async (c) => {
  const body = c.req.valid('json');
  const result = body.messages !== undefined ? await countMessages(body.messages, body) : await countText(body.text ?? '', body);
  const defer = (p: Promise<unknown>) => c.executionCtx.waitUntil(p.catch(() => undefined));
  const estimate = await withLearnedRatio(result, body, c.env, defer);
  if (body.count_with !== 'provider') return c.json(estimate, 200);
  return c.json(await withProviderCount(estimate, body, { env: c.env, headers: c.req.raw.headers, defer }), 200);
});
