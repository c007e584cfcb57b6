/** Helpers for route definitions: the JSON request body and the documented error responses. */
import type { z } from '@hono/zod-openapi';
import { ErrorSchema } from './common.js';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or an invalid field (`param` names it).',
  404: 'Unknown model or encoding; the message lists the closest matches.',
  405: 'Method not allowed on this path.',
  413: 'Request body larger than MAX_BODY_BYTES.',
  415: 'Body is not JSON.',
  500: 'Unexpected server error.',
};

/** Error responses for the given statuses, all with the OpenAI error envelope. */
export function errorResponses<S extends number>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }>;
  for (const s of statuses) out[s] = { description: ERROR_DESCRIPTIONS[s] ?? 'Error', content: { 'application/json': { schema: ErrorSchema } } };
  return out;
}

/** A required JSON request body validated by `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } } as const;
}
