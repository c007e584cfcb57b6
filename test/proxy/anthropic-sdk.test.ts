/**
 * The official `@anthropic-ai/sdk` against the gateway's /v1/messages: passed through to an
 * Anthropic upstream, translated to OpenAI and Gemini, streams and tools, errors in
 * Anthropic's shape, and the cost in the final message_delta usage.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../cost/helpers.js';
import { dec, startGateway, tokenCost, type Gateway } from './harness.js';

let gw: Gateway;
let key: string;

function price(id: string): Record<string, string> {
  const m = bundle.models.find((x) => x.id === id)!;
  return m.prices[m.prices.length - 1] as never;
}

beforeAll(async () => {
  gw = await startGateway('anthropic-sdk');
  await gw.configure();
  ({ key } = await gw.tenantKey('acme'));
});
afterAll(async () => {
  await gw?.stop();
});

const tools = [{ name: 'get_weather', description: 'Get the weather', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } }, required: ['location'] } }];

describe('/v1/messages to Anthropic (events and bodies pass through)', () => {
  it('non-streaming: the message as Anthropic sent it, with usage.cost priced from its own usage (cache writes and reads)', async () => {
    const client = gw.anthropic(key);
    gw.fakes.anthropic.enqueue({ usage: { cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 0 } } });
    const { data, response } = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'Hello, Claude' }] }).withResponse();
    expect(data.type).toBe('message');
    expect(data.model).toBe('claude-sonnet-4-5-20250929');
    const u = data.usage;
    expect(u.cache_read_input_tokens).toBe(2000);
    const p = price('claude-sonnet-4-5');
    const expected = dec(tokenCost(p.input!, u.input_tokens) + tokenCost(p.cache_write_5m!, 1000) + tokenCost(p.cached_input!, 2000) + tokenCost(p.output!, u.output_tokens));
    expect((u as unknown as { cost: string }).cost).toBe(expected);
    expect(response.headers.get('x-tollgate-cost')).toBe(expected);
    // The client's body went upstream as it was, model included.
    const up = gw.fakes.anthropic.requests.at(-1)!;
    expect(up.body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'Hello, Claude' }] });
    // The SDK's own anthropic-version header is passed through.
    expect(up.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('streaming with a tool call: the SDK assembles the tool input; the final message_delta usage carries the cost', async () => {
    gw.fakes.anthropic.enqueue({ reply: { text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { location: 'San Francisco, CA' } }] } });
    const client = gw.anthropic(key);
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, tools, messages: [{ role: 'user', content: 'Weather in SF?' }] });
    const events: string[] = [];
    let deltaUsage: any;
    stream.on('streamEvent', (e) => {
      events.push(e.type);
      if (e.type === 'message_delta') deltaUsage = e.usage;
    });
    const msg = await stream.finalMessage();
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    const tool = msg.content.find((b) => b.type === 'tool_use');
    expect(tool).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { location: 'San Francisco, CA' } });
    expect(msg.stop_reason).toBe('tool_use');
    const p = price('claude-sonnet-4-5');
    expect(deltaUsage.cost).toBe(dec(tokenCost(p.input!, msg.usage.input_tokens) + tokenCost(p.output!, msg.usage.output_tokens)));
  });

  it('an upstream error keeps its status and Anthropic shape, naming the provider', async () => {
    gw.fakes.anthropic.enqueue({ status: 400, error: { type: 'invalid_request_error', message: 'messages: roles must alternate' } });
    const client = gw.anthropic(key);
    const err = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const e = err as InstanceType<typeof Anthropic.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.message).toContain('anthropic: messages: roles must alternate');
    expect((e.error as { type: string }).type).toBe('error');
  });

  it('gateway errors on /v1/messages use Anthropic’s shape too (401, 404, 400)', async () => {
    const bad = await gw.anthropic('tg_wrong').messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((bad as { error: unknown }).error).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.stringContaining('Incorrect API key') } });
    const unknown = await gw.anthropic(key).messages.create({ model: 'claude-sonet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((unknown as Error).message).toContain("Did you mean 'claude-sonnet-4-5'");
    const res = await gw.fetch('/v1/messages', { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: '{"model": "claude-sonnet-4-5", "messages": [' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('JSON') } });
    const missing = await gw.fetch('/v1/messages', { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] }) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('max_tokens');
  });
});

describe('/v1/messages to other providers (translated)', () => {
  it('to an OpenAI model: the SDK gets an Anthropic message, tools included, and the cost', async () => {
    gw.fakes.openai.enqueue({ reply: { toolCalls: [{ name: 'get_weather', arguments: { location: 'Paris' } }] } });
    const client = gw.anthropic(key);
    const { data, response } = await client.messages.create({ model: 'gpt-4o', max_tokens: 100, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] }).withResponse();
    const up = gw.fakes.openai.requests.at(-1)!.body;
    expect(up.tools[0]).toEqual({ type: 'function', function: { name: 'get_weather', description: 'Get the weather', parameters: tools[0]!.input_schema } });
    expect(up.max_completion_tokens).toBe(100);
    expect(data.stop_reason).toBe('tool_use');
    expect(data.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: 'get_weather', input: { location: 'Paris' } });
    const p = price('gpt-4o');
    expect(response.headers.get('x-tollgate-cost')).toBe(dec(tokenCost(p.input!, data.usage.input_tokens) + tokenCost(p.output!, data.usage.output_tokens)));
  });

  it('streaming from OpenAI and Gemini: Anthropic events the SDK accumulates, with usage and cost at the end', async () => {
    for (const model of ['gpt-4o-mini', 'gemini-2.5-flash']) {
      const client = gw.anthropic(key);
      const stream = client.messages.stream({ model, max_tokens: 3000, messages: [{ role: 'user', content: `Hello ${model}` }] });
      let deltaUsage: any;
      let startInput = 0;
      stream.on('streamEvent', (e) => {
        if (e.type === 'message_start') startInput = e.message.usage.input_tokens;
        if (e.type === 'message_delta') deltaUsage = e.usage;
      });
      const msg = await stream.finalMessage();
      const text = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      expect(text.length).toBeGreaterThan(0);
      expect(msg.stop_reason).toBe('end_turn');
      // message_start states the prompt before any upstream usage: our count (exact for OpenAI models).
      if (model === 'gpt-4o-mini') expect(startInput).toBe(msg.usage.input_tokens);
      else expect(startInput).toBeGreaterThan(0);
      const p = price(model);
      expect(deltaUsage.cost).toBe(dec(tokenCost(p.input!, msg.usage.input_tokens) + tokenCost(p.output!, msg.usage.output_tokens)));
    }
  });
});
