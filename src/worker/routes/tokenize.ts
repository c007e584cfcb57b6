/** POST /v1/tokenize: token ids of text with each token's range in the input. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from '../env.js';
import { errorResponses, jsonBody } from '../schemas/responses.js';
import { TokenizeRequest, TokenizeResponse } from '../schemas/count.js';
import { exactEncoding } from '../tokens.js';

export const tokenizeRoute = createRoute({
  method: 'post',
  path: '/v1/tokenize',
  tags: ['Tokens'],
  summary: 'Tokenize text',
  description:
    "Token ids of `text` (special-token text is treated as ordinary text, like tiktoken's encode_ordinary) and each token's [start, end) range in UTF-16 code units, for highlighting. Only encodings and models with a public tokenizer can be tokenized.",
  request: jsonBody(TokenizeRequest),
  responses: {
    200: { description: 'Tokens', content: { 'application/json': { schema: TokenizeResponse } } },
    ...errorResponses(400, 404, 413, 415),
  },
});

export const tokenize = new OpenAPIHono<{ Bindings: Env }>().openapi(tokenizeRoute, async (c) => {
  const { text, ...target } = c.req.valid('json');
  const enc = await exactEncoding(target);
  const { ids, starts, ends } = enc.tokenize(text);
  const offsets = new Array<[number, number]>(ids.length);
  for (let i = 0; i < ids.length; i++) offsets[i] = [starts[i], ends[i]];
  return c.json({ ids: Array.from(ids), offsets, count: ids.length, encoding: enc.name }, 200);
});
