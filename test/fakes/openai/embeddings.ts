/**
 * `POST /v1/embeddings` as OpenAI answers it (API reference "Create embeddings", "The embedding
 * object"): `{object: "list", data: [{object: "embedding", index, embedding}], model, usage:
 * {prompt_tokens, total_tokens}}`. `encoding_format: "base64"` (what the official Node SDK asks
 * for by default) sends each vector as base64 of little-endian float32s; `float` as numbers.
 * Vectors are deterministic, unit-length, seeded by the input; `dimensions` is honoured for the
 * text-embedding-3 models and refused for ada-002, as the API does.
 */
import { fnv1a, prng } from '../core/ids.js';
import { FakeHttpError, type Answer, type Route, type RouteContext } from '../core/provider.js';
import { openaiPath } from './paths.js';
import { countEmbeddingInput } from './tiktoken.js';

const DEFAULT_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** A unit vector seeded by `seed`, as float32 (what the API computes and base64-encodes). */
export function fakeEmbedding(seed: string, dims: number): Float32Array {
  const rand = prng(fnv1a(seed));
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = rand() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) v[i] = v[i] / norm;
  return v;
}

function handle(ctx: RouteContext): Answer {
  const body = ctx.body ?? {};
  const model = ctx.rec.model;
  if (typeof model !== 'string' || !model) throw new FakeHttpError(400, 'invalid_request', 'you must provide a model parameter', null);
  const input = body.input;
  const valid =
    typeof input === 'string' ||
    (Array.isArray(input) && input.length > 0 && (input.every((x) => typeof x === 'string') || input.every((x) => typeof x === 'number') || input.every((x) => Array.isArray(x))));
  if (!valid) throw new FakeHttpError(400, 'invalid_request', "'input' : input must be a string, an array of strings, or an array of token arrays", 'input');
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') throw new FakeHttpError(400, 'invalid_request', `'${format}' is not one of ['float', 'base64'] - 'encoding_format'`, 'encoding_format');
  if (body.dimensions !== undefined && !model.startsWith('text-embedding-3'))
    throw new FakeHttpError(400, 'invalid_request', 'This model does not support specifying dimensions.', 'dimensions');
  const dims = body.dimensions ?? DEFAULT_DIMENSIONS[model] ?? 1536;
  const items: unknown[] = typeof input === 'string' ? [input] : typeof input[0] === 'number' ? [input] : input;
  const tokens = countEmbeddingInput(model, input).reduce((a, b) => a + b, 0);
  return {
    kind: 'json',
    body: {
      object: 'list',
      data: items.map((item, index) => {
        const v = fakeEmbedding(`${model}\0${typeof item === 'string' ? item : JSON.stringify(item)}`, dims);
        return {
          object: 'embedding',
          index,
          embedding: format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v),
        };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

export const embeddingsRoute: Route = {
  method: 'POST',
  pattern: openaiPath('embeddings'),
  model: (_p, body) => (typeof body?.model === 'string' ? body.model : undefined),
  handle,
};
