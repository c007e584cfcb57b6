/**
 * Parse: a client's request body (OpenAI Chat Completions, Anthropic Messages or OpenAI
 * Embeddings) → one internal request. Validation is shallow on purpose: the fields the gateway
 * reads are checked (400 naming the field); everything else passes through to the provider,
 * so new provider parameters work without a gateway release.
 */
import { z } from 'zod';
import { fromZodError } from '../worker/errors.js';
import type { ClientFormat } from './errors.js';
import { fromAnthropic } from './translate/anthropic-request.js';
import type { ChatRequestBody, Json } from './translate/openai-types.js';
import { quickChatValid } from './validate/quick-chat.js';

export interface ParsedChat {
  kind: 'chat';
  clientFormat: ClientFormat;
  /** The internal (OpenAI Chat Completions) body. */
  body: ChatRequestBody;
  /** The body as the client sent it (OpenAI format only), forwarded as it is when nothing in it changes. */
  text?: string;
  /** The original /v1/messages body, sent as it is to an Anthropic upstream. */
  anthropicBody?: Json;
  /** Headers an Anthropic client sent that an Anthropic upstream needs (anthropic-version, anthropic-beta). */
  anthropicHeaders?: Record<string, string>;
  /** Model or route as requested. */
  model: string;
  stream: boolean;
  /** Streams: the client asked for a usage chunk (`stream_options.include_usage`; always on /v1/messages). */
  includeUsage: boolean;
  /** Output limit the client set, if any. */
  maxOutput?: number;
  /** Choices requested (`n`). */
  n: number;
  serviceTier?: string;
}

export interface ParsedEmbeddings {
  kind: 'embeddings';
  clientFormat: 'openai';
  body: Json;
  /** The body as the client sent it, forwarded as it is when nothing in it changes. */
  text?: string;
  model: string;
  /** Texts to embed (token-array inputs are counted by their length). */
  texts: string[];
  /** Inputs given as token arrays: their tokens, already counted. */
  givenTokens: number;
  stream: false;
  includeUsage: false;
  n: 1;
  maxOutput?: undefined;
}

export type ParsedRequest = ParsedChat | ParsedEmbeddings;

const Count = z.number().int().min(1).max(10_000_000);
const Messages = z.array(z.looseObject({ role: z.string().min(1).max(64) })).min(1).max(100_000);

/** The chat body's schema (exported for the test that holds quickChatValid to it). */
export const OpenAIChat = z.looseObject({
  model: z.string().min(1).max(256),
  messages: Messages,
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: Count.nullish(),
  max_completion_tokens: Count.nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  tools: z.array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string().min(1).max(256) }) })).max(4096).optional(),
  service_tier: z.string().max(64).nullish(),
});

const AnthropicMessages = z.looseObject({
  model: z.string().min(1).max(256),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']) })).min(1).max(100_000),
  max_tokens: Count,
  stream: z.boolean().optional(),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  tools: z.array(z.looseObject({ name: z.string().min(1).max(256) })).max(4096).optional(),
  service_tier: z.string().max(64).optional(),
});

const Embeddings = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048), z.array(z.number().int().min(0)).min(1), z.array(z.array(z.number().int().min(0)).min(1)).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).max(100_000).optional(),
});

function check<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw fromZodError(r.error, 'json', body);
  return r.data;
}

/** POST /v1/chat/completions (`text`: the body as sent, if the caller has it). */
export function parseChat(body: unknown, text?: string): ParsedChat {
  const b = quickChatValid(body) ? body : (check(OpenAIChat, body) as unknown as ChatRequestBody);
  const stream = b.stream === true;
  return {
    kind: 'chat',
    clientFormat: 'openai',
    body: b,
    text,
    model: b.model,
    stream,
    includeUsage: stream && b.stream_options?.include_usage === true,
    maxOutput: b.max_completion_tokens ?? b.max_tokens ?? undefined,
    n: b.n ?? 1,
    serviceTier: b.service_tier ?? undefined,
  };
}

/** POST /v1/messages (Anthropic's wire format). */
export function parseMessages(body: unknown, headers: Headers): ParsedChat {
  const b = check(AnthropicMessages, body) as Json;
  const anthropicHeaders: Record<string, string> = {};
  for (const h of ['anthropic-version', 'anthropic-beta']) {
    const v = headers.get(h);
    if (v) anthropicHeaders[h] = v;
  }
  const stream = b.stream === true;
  return {
    kind: 'chat',
    clientFormat: 'anthropic',
    body: fromAnthropic(b),
    anthropicBody: b,
    anthropicHeaders,
    model: String(b.model),
    stream,
    includeUsage: stream,
    maxOutput: Number(b.max_tokens),
    n: 1,
    serviceTier: typeof b.service_tier === 'string' ? b.service_tier : undefined,
  };
}

/** POST /v1/embeddings */
export function parseEmbeddings(body: unknown, text?: string): ParsedEmbeddings {
  const b = check(Embeddings, body);
  const input = b.input;
  const texts: string[] = [];
  let givenTokens = 0;
  if (typeof input === 'string') texts.push(input);
  else if (typeof input[0] === 'string') texts.push(...(input as string[]));
  else if (typeof input[0] === 'number') givenTokens = input.length;
  else for (const arr of input as number[][]) givenTokens += arr.length;
  return { kind: 'embeddings', clientFormat: 'openai', body: b as Json, text, model: b.model, texts, givenTokens, stream: false, includeUsage: false, n: 1 };
}
