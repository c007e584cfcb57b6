/**
 * The fake OpenAI against the official `openai` SDK: if the SDK parses, accumulates and maps
 * errors from the fake exactly as it does from the real API, the fake is faithful enough for
 * the proxy's tests. Token counts are checked against tiktoken directly (cookbook formula).
 */
import OpenAI from 'openai';
import { get_encoding } from 'tiktoken';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultReplyText, startFakeOpenAI, type FakeUpstream } from './index.js';

const o200k = get_encoding('o200k_base');
const cl100k = get_encoding('cl100k_base');
const tokens = (s: string) => o200k.encode_ordinary(s).length;

let fake: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ keys: ['sk-test-a', 'sk-test-b'], models: ['gpt-4o', 'gpt-4o-mini', 'o4-mini', 'text-embedding-3-small', 'text-embedding-ada-002'] });
  client = new OpenAI({ apiKey: 'sk-test-a', baseURL: fake.baseUrl, maxRetries: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const system = 'You are a terse assistant.';
const user = 'What is the capital of France? Answer in one word.';
const messages = [
  { role: 'system' as const, content: system },
  { role: 'user' as const, content: user },
];
/** The cookbook formula, written out for these two messages. */
const promptTokens = 3 + tokens('system') + tokens(system) + 3 + tokens('user') + tokens(user) + 3;

describe('chat completions, non-streaming', () => {
  it('answers with the derived reply, the served snapshot and tiktoken-exact usage', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(data.model).toBe('gpt-4o-2024-08-06');
    expect(data.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    const choice = data.choices[0];
    expect(choice.message).toMatchObject({ role: 'assistant', content: defaultReplyText(user), refusal: null });
    expect(choice.finish_reason).toBe('stop');
    expect(data.usage).toEqual({
      prompt_tokens: promptTokens,
      completion_tokens: tokens(defaultReplyText(user)),
      total_tokens: promptTokens + tokens(defaultReplyText(user)),
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('10000');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('9999');

    const rec = fake.lastRequest;
    expect(rec).toMatchObject({ method: 'POST', path: '/v1/chat/completions', key: 'sk-test-a', model: 'gpt-4o', stream: false, status: 200, outcome: 'completed', aborted: false });
    expect(rec.headers.authorization).toBe('Bearer sk-test-a');
    expect(rec.body.messages).toEqual(messages);
  });

  it('counts tools with the cookbook formula and answers a forced tool call', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the weather for a city.',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string', description: 'The city.' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
            required: ['city', 'unit'],
          },
        },
      },
    ];
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages, tools, tool_choice: 'required' });
    const toolTokens = 7 + tokens('get_weather:Get the weather for a city') + 3 + (3 + tokens('city:string:The city')) + (3 - 3 + 3 + tokens('celsius') + 3 + tokens('fahrenheit') + tokens('unit:string:')) + 12;
    expect(res.usage?.prompt_tokens).toBe(promptTokens + toolTokens);
    const call = res.choices[0].message.tool_calls?.[0];
    expect(res.choices[0].message.content).toBeNull();
    expect(res.choices[0].finish_reason).toBe('tool_calls');
    expect(call?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'example city', unit: 'celsius' });
  });

  it('a tool_choice naming a tool that is not offered → 400 on tool_choice', async () => {
    const err = await client.chat.completions
      .create({ model: 'gpt-4o', messages, tools: [{ type: 'function', function: { name: 'a' } }], tool_choice: { type: 'function', function: { name: 'b' } } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('tool_choice');
  });

  it('gives n choices and sums their completion tokens', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, n: 3 });
    expect(res.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(res.choices.map((c) => c.message.content)).size).toBe(3);
    expect(res.usage?.completion_tokens).toBe(res.choices.reduce((n, c) => n + tokens(c.message.content ?? ''), 0));
  });

  it('stops at max_tokens with finish_reason length and at a stop sequence', async () => {
    const cut = await client.chat.completions.create({ model: 'gpt-4o', messages, max_tokens: 5 });
    expect(cut.choices[0].finish_reason).toBe('length');
    expect(cut.usage?.completion_tokens).toBe(5);
    expect(tokens(cut.choices[0].message.content ?? '')).toBe(5);
    expect(defaultReplyText(user).startsWith(cut.choices[0].message.content ?? '-')).toBe(true);

    const stopped = await client.chat.completions.create({ model: 'gpt-4o', messages, stop: ['fake'] });
    expect(stopped.choices[0].finish_reason).toBe('stop');
    expect(stopped.choices[0].message.content).toBe('This is a deterministic reply from the ');
  });

  it('reports reasoning tokens for reasoning models and refuses max_tokens there, as OpenAI does', async () => {
    const res = await client.chat.completions.create({ model: 'o4-mini', messages, reasoning_effort: 'low' });
    const visible = tokens(res.choices[0].message.content ?? '');
    expect(res.model).toBe('o4-mini-2025-04-16');
    expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(32);
    expect(res.usage?.completion_tokens).toBe(visible + 32);
    const err = await client.chat.completions.create({ model: 'o4-mini', messages, max_tokens: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.param).toBe('max_tokens');
    expect(err.message).toContain("Use 'max_completion_tokens' instead");
  });

  it('reports cached_tokens when a prompt of 1024+ tokens repeats (in 128-token steps)', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `Fact ${i}: the sky is blue.`).join(' ');
    const msgs = [{ role: 'user' as const, content: long }];
    const first = await client.chat.completions.create({ model: 'gpt-4o', messages: msgs });
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const second = await client.chat.completions.create({ model: 'gpt-4o', messages: msgs });
    const prompt = second.usage!.prompt_tokens;
    const cached = second.usage!.prompt_tokens_details!.cached_tokens!;
    expect(prompt).toBeGreaterThan(1024);
    expect((cached - 1024) % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(prompt);
    expect(cached).toBeGreaterThan(prompt - 128);
  });

  it('merges a scripted usage override in OpenAI field names', async () => {
    fake.enqueue({ usage: { prompt_tokens_details: { cached_tokens: 7 }, prompt_tokens: 100 } });
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(res.usage?.prompt_tokens).toBe(100);
    expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(7);
    expect(res.usage?.total_tokens).toBe(100 + res.usage!.completion_tokens);
  });
});

describe('OpenAI-compatible hosts', () => {
  it('serves the endpoints under any prefix (Groq /openai/v1, OpenRouter /api/v1, DeepSeek none)', async () => {
    for (const prefix of ['/openai/v1', '/api/v1', '']) {
      const host = new OpenAI({ apiKey: 'sk-test-b', baseURL: `${fake.url}${prefix}`, maxRetries: 0 });
      const res = await host.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect(res.choices[0].message.content).toBe(defaultReplyText(user));
      expect(fake.lastRequest.path).toBe(`${prefix}/chat/completions`);
    }
  });
});

describe('chat completions, streaming', () => {
  it('streams one token per chunk, role first, finish_reason last, no usage unless asked', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const reply = defaultReplyText(user);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(reply);
    expect(chunks.length).toBe(tokens(reply) + 2);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id && c.model === 'gpt-4o-2024-08-06')).toBe(true);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(fake.lastRequest).toMatchObject({ stream: true, outcome: 'completed', events: chunks.length + 1 });
  });

  it('with include_usage: usage null on every chunk, then a choices: [] chunk with the usage', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const last = chunks.at(-1)!;
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: promptTokens, completion_tokens: tokens(text), total_tokens: promptTokens + tokens(text) });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('streams tool calls as index/id/name then argument fragments; the SDK accumulates them', async () => {
    fake.enqueue({ reply: { toolCalls: [{ name: 'lookup', arguments: { query: 'weather in Paris', limit: 3 } }, { name: 'notify', arguments: '{"to":"ops"}' }] } });
    const runner = client.chat.completions.stream({ model: 'gpt-4o', messages, tools: [{ type: 'function', function: { name: 'lookup' } }, { type: 'function', function: { name: 'notify' } }] });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    runner.on('chunk', (c) => chunks.push(c));
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0].message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : null))).toEqual([
      ['lookup', { query: 'weather in Paris', limit: 3 }],
      ['notify', { to: 'ops' }],
    ]);
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    const first = chunks[0].choices[0].delta;
    expect(first).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ index: 0, type: 'function', function: { name: 'lookup', arguments: '' } }] });
    expect(first.tool_calls?.[0].id).toMatch(/^call_/);
    const fragments = chunks.filter((c) => c.choices[0]?.delta.tool_calls?.[0].function?.arguments);
    expect(fragments.length).toBeGreaterThan(4);
  });

  it('interleaves n > 1 choices by index', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, n: 2, stream: true });
    const texts = ['', ''];
    const order: number[] = [];
    for await (const c of stream) for (const ch of c.choices) {
      texts[ch.index] += ch.delta.content ?? '';
      order.push(ch.index);
    }
    expect(texts[0]).toBe(defaultReplyText(user));
    expect(texts[1]).toBe(`${defaultReplyText(user)} (choice 2)`);
    expect(order.slice(0, 4)).toEqual([0, 1, 0, 1]);
  });

  it('refuses stream_options without stream, as OpenAI does', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-4o', messages, stream_options: { include_usage: true } }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('stream_options');
  });
});

describe('embeddings', () => {
  it('answers float and base64 with the same unit vectors and tiktoken usage', async () => {
    const input = ['first text to embed', 'second'];
    const float = await client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' });
    // The SDK asks for base64 by default and decodes it.
    const b64 = await client.embeddings.create({ model: 'text-embedding-3-small', input });
    expect(fake.lastRequest.body.encoding_format).toBe('base64');
    expect(b64.data.map((d) => d.embedding)).toEqual(float.data.map((d) => d.embedding));
    expect(float.object).toBe('list');
    expect(float.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
      ['embedding', 0, 1536],
      ['embedding', 1, 1536],
    ]);
    const norm = Math.hypot(...float.data[0].embedding);
    expect(norm).toBeCloseTo(1, 5);
    const n = cl100k.encode_ordinary(input[0]).length + cl100k.encode_ordinary(input[1]).length;
    expect(float.usage).toEqual({ prompt_tokens: n, total_tokens: n });
  });

  it('honours dimensions for text-embedding-3 and refuses it for ada-002', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x', dimensions: 256, encoding_format: 'float' });
    expect(res.data[0].embedding).toHaveLength(256);
    const err = await client.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 256 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('does not support specifying dimensions');
  });
});

describe('errors, as the SDK maps them', () => {
  it('wrong key → AuthenticationError 401 invalid_api_key, key masked', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong-key-0123456789', baseURL: fake.baseUrl, maxRetries: 0 });
    const err = await bad.chat.completions.create({ model: 'gpt-4o', messages }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_api_key');
    expect(err.message).toMatch(/^401 Incorrect API key provided: sk-wrong\*+6789\./);
    expect(err.requestID).toMatch(/^req_/);
  });

  it('missing key → 401 naming the Authorization header', async () => {
    const res = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o', messages }) });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string; type: string; param: null; code: null } };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
    expect(body.error.message).toContain('Authorization header');
  });

  it('unknown model → NotFoundError model_not_found', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-9', messages }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    expect(err.message).toContain('The model `gpt-9` does not exist');
  });

  it('scripted 429 → RateLimitError with retry-after; 500 → InternalServerError; 503 → overloaded', async () => {
    fake.enqueue({ status: 429, retryAfter: 7 }).enqueue({ status: 500 }).enqueue({ status: 503 });
    const rl = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e) => e);
    expect(rl).toBeInstanceOf(OpenAI.RateLimitError);
    expect(rl.headers.get('retry-after')).toBe('7');
    expect(rl.code).toBe('rate_limit_exceeded');
    expect(rl.message).toContain('Please try again in 7s');
    const ise = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e) => e);
    expect(ise).toBeInstanceOf(OpenAI.InternalServerError);
    expect(ise.status).toBe(500);
    expect(ise.type).toBe('server_error');
    const ov = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e) => e);
    expect(ov.status).toBe(503);
    expect(ov.message).toContain('overloaded');
    expect(fake.pendingSteps).toBe(0);
  });

  it('the SDK retries a 429 after retry-after-ms, as it does with OpenAI', async () => {
    const retrying = new OpenAI({ apiKey: 'sk-test-a', baseURL: fake.baseUrl, maxRetries: 1 });
    fake.enqueue({ status: 429, retryAfterMs: 300 });
    const res = await retrying.chat.completions.create({ model: 'gpt-4o', messages });
    expect(res.choices[0].message.content).toBe(defaultReplyText(user));
    const [first, second] = fake.requests;
    expect([first.status, second.status]).toEqual([429, 200]);
    expect(second.time - first.time).toBeGreaterThanOrEqual(290);
  });

  it('an in-stream error event → the SDK throws APIError mid-stream', async () => {
    fake.enqueue({ streamError: { afterEvents: 3, status: 500, message: 'The server had an error while processing your request.' } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? '');
    })().catch((e) => e);
    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain('The server had an error');
  });
});
