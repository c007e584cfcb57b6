/**
 * The fake Anthropic against the official `@anthropic-ai/sdk`: messages, both streaming APIs
 * (`.stream()` and `stream: true`), tool_use with input_json_delta accumulation, prompt caching
 * usage, count_tokens and error mapping. The raw SSE transcript is checked too, since the SDK
 * hides `ping` and event names.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultReplyText, startFakeAnthropic, type FakeUpstream } from './index.js';

let fake: FakeUpstream;
let client: Anthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic({ keys: ['sk-ant-a', 'sk-ant-b'], models: ['claude-sonnet-4-5', 'claude-haiku-4-5'] });
  client = new Anthropic({ apiKey: 'sk-ant-a', baseURL: fake.baseUrl, maxRetries: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const model = 'claude-sonnet-4-5';
const user = 'Name three primary colours.';
const base = { model, max_tokens: 256, messages: [{ role: 'user' as const, content: user }] };
const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] },
};

/** Parses an SSE transcript into [event, data] pairs. */
function parseSSE(text: string): [string, any][] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const ev = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return [ev, JSON.parse(data)];
    });
}

describe('messages', () => {
  it('answers a Message with the served snapshot and full usage; records key and version', async () => {
    const { data, response } = await client.messages.create(base).withResponse();
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: defaultReplyText(user) }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(data.id).toMatch(/^msg_01[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(data.usage).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      service_tier: 'standard',
    });
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(10);
    expect(response.headers.get('request-id')).toMatch(/^req_011C/);
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('9999');
    const rec = fake.lastRequest;
    expect(rec).toMatchObject({ path: '/v1/messages', key: 'sk-ant-a', model, stream: false, outcome: 'completed' });
    expect(rec.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('stops at max_tokens and at stop_sequences, reporting which', async () => {
    const cut = await client.messages.create({ ...base, max_tokens: 4 });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(4);
    const stopped = await client.messages.create({ ...base, stop_sequences: ['upstream'] });
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'upstream' });
    expect((stopped.content[0] as Anthropic.TextBlock).text).toBe('This is a deterministic reply from the fake ');
  });

  it('merges a scripted usage override in Anthropic field names, in the stream too', async () => {
    fake.enqueue({ usage: { cache_read_input_tokens: 50, cache_creation: { ephemeral_1h_input_tokens: 7 } } }, { times: 2 });
    const res = await client.messages.create(base);
    expect(res.usage).toMatchObject({ cache_read_input_tokens: 50, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 7 } });
    const streamed = await client.messages.stream(base).finalMessage();
    expect(streamed.usage.cache_read_input_tokens).toBe(50);
  });

  it('count_tokens equals the input tokens of the same request', async () => {
    const tools = [weatherTool];
    const counted = await client.messages.countTokens({ model, messages: base.messages, tools, system: 'Be brief.' });
    const created = await client.messages.create({ ...base, tools, system: 'Be brief.' });
    expect(counted.input_tokens).toBe(created.usage.input_tokens);
    expect(fake.requests[0].path).toBe('/v1/messages/count_tokens');
  });

  it('prompt caching: writes at a cache_control breakpoint, then reads it; 1h writes are reported apart', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `Rule ${i}: answer politely.`).join(' ');
    const req = (ttl?: '1h') => ({
      ...base,
      system: [{ type: 'text' as const, text: long, cache_control: { type: 'ephemeral' as const, ...(ttl ? { ttl } : {}) } }],
    });
    const first = await client.messages.create(req());
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    const second = await client.messages.create(req());
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);

    fake.reset();
    const hour = await client.messages.create(req('1h'));
    expect(hour.usage.cache_creation?.ephemeral_1h_input_tokens).toBe(hour.usage.cache_creation_input_tokens);
    expect(hour.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(0);
  });
});

describe('streaming', () => {
  it('sends the documented event sequence (raw SSE)', async () => {
    const res = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-b', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ ...base, stream: true }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseSSE(await res.text());
    const names = events.map(([e]) => e);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(names.slice(3, -3).every((n) => n === 'content_block_delta')).toBe(true);
    for (const [name, data] of events) expect(data.type).toBe(name);
    const start = events[0][1].message;
    expect(start).toMatchObject({ content: [], stop_reason: null, stop_sequence: null, usage: { output_tokens: 1 } });
    const text = events.filter(([e]) => e === 'content_block_delta').map(([, d]) => d.delta.text).join('');
    expect(text).toBe(defaultReplyText(user));
    const delta = events.at(-2)![1];
    expect(delta.delta).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect(delta.usage).toMatchObject({ input_tokens: start.usage.input_tokens, output_tokens: expect.any(Number), cache_read_input_tokens: 0 });
  });

  it('.stream() accumulates the same Message as create()', async () => {
    const stream = client.messages.stream(base);
    let text = '';
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    const plain = await client.messages.create(base);
    expect(text).toBe(defaultReplyText(user));
    expect(final.content).toEqual(plain.content);
    expect(final.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('stream: true yields raw events to the SDK iterator', async () => {
    const stream = await client.messages.create({ ...base, stream: true });
    const types: string[] = [];
    for await (const ev of stream) types.push(ev.type);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types).not.toContain('ping'); // the SDK drops pings
  });

  it('tool_use: a forced tool streams input_json_delta fragments the SDK accumulates into input', async () => {
    const stream = client.messages.stream({ ...base, tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_weather' } });
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    const block = final.content[0] as Anthropic.ToolUseBlock;
    expect(block).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'example city', days: 1 } });
    expect(block.id).toMatch(/^toolu_01/);
    expect(partials.length).toBeGreaterThan(2);
    expect(partials.join('')).toBe(JSON.stringify(block.input));
  });

  it('scripted text + tool_use: two blocks, indexes 0 and 1', async () => {
    fake.enqueue({ reply: { text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo', days: 2 } }] } });
    const final = await client.messages.stream({ ...base, tools: [weatherTool] }).finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect((final.content[1] as Anthropic.ToolUseBlock).input).toEqual({ city: 'Oslo', days: 2 });
  });

  it('a mid-stream error event → the SDK throws with the error type', async () => {
    fake.enqueue({ streamError: { afterEvents: 4, type: 'overloaded_error', message: 'Overloaded' } });
    const stream = client.messages.stream(base);
    const err = await stream.finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.message).toContain('overloaded_error');
    expect(fake.lastRequest.events).toBe(4);
  });
});

describe('errors, as the SDK maps them', () => {
  it('wrong key → AuthenticationError with the Anthropic error body and request id', async () => {
    const bad = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.baseUrl, maxRetries: 0 });
    const err = await bad.messages.create(base).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    expect(err.requestID).toMatch(/^req_011C/);
    expect(err.error.request_id).toBe(err.requestID);
  });

  it('missing anthropic-version or max_tokens → 400 invalid_request_error', async () => {
    const noVersion = await fetch(`${fake.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'sk-ant-a', 'content-type': 'application/json' }, body: JSON.stringify(base) });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });
    const err = await client.messages.create({ model, messages: base.messages } as never).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(err.message).toContain('max_tokens: Field required');
  });

  it('unknown model → NotFoundError; scripted 429 → RateLimitError with retry-after; 529 → overloaded_error', async () => {
    const nf = await client.messages.create({ ...base, model: 'claude-9' }).catch((e) => e);
    expect(nf).toBeInstanceOf(Anthropic.NotFoundError);
    expect(nf.error.error).toEqual({ type: 'not_found_error', message: 'model: claude-9' });
    fake.enqueue({ status: 429, retryAfter: 3 }).enqueue({ status: 529 });
    const rl = await client.messages.create(base).catch((e) => e);
    expect(rl).toBeInstanceOf(Anthropic.RateLimitError);
    expect(rl.headers.get('retry-after')).toBe('3');
    expect(rl.error.error.type).toBe('rate_limit_error');
    const ov = await client.messages.create(base).catch((e) => e);
    expect(ov.status).toBe(529);
    expect(ov.error.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });

  it('the SDK retries a 529 (x-should-retry: true) and succeeds', async () => {
    const retrying = new Anthropic({ apiKey: 'sk-ant-a', baseURL: fake.baseUrl, maxRetries: 1 });
    fake.enqueue({ status: 529, retryAfter: 0 });
    const res = await retrying.messages.create(base);
    expect(res.stop_reason).toBe('end_turn');
    expect(fake.requests.map((r) => r.status)).toEqual([529, 200]);
  });
});
