/**
 * The official `openai` SDK against the gateway in workerd, in front of fake OpenAI, Anthropic
 * and Gemini upstreams: chat (JSON and streams), tools, images, embeddings; the usage and cost
 * every response carries, checked against tiktoken and hand-computed decimals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encoding_for_model } from 'tiktoken';
import { bundle } from '../cost/helpers.js';
import { dec, eventually, startGateway, tokenCost, type Gateway } from './harness.js';

let gw: Gateway;
let key: string;

/** The current price period of a model, from the built pricing bundle. */
function price(id: string): { input: string; output: string; cached_input?: string } {
  const m = bundle.models.find((x) => x.id === id)!;
  return m.prices[m.prices.length - 1] as never;
}

beforeAll(async () => {
  gw = await startGateway('openai-sdk');
  await gw.configure({
    routes: {
      smart: { strategy: 'fallback', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { provider: 'openai', model: 'gpt-4.1' }] },
    },
  });
  ({ key } = await gw.tenantKey('acme'));
});
afterAll(async () => {
  await gw?.stop();
});

describe('OpenAI upstream', () => {
  it('non-streaming: the answer as OpenAI sent it, usage with our exact cost, and the gateway headers', async () => {
    const client = gw.openai(key);
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello to the gateway.' }], max_tokens: 40 }).withResponse();
    const usage = data.usage!;
    const p = price('gpt-4o-mini');
    const expected = dec(tokenCost(p.input, usage.prompt_tokens) + tokenCost(p.output, usage.completion_tokens));
    expect((usage as unknown as { cost: string }).cost).toBe(expected);
    expect(response.headers.get('x-tollgate-cost')).toBe(expected);
    expect(response.headers.get('x-tollgate-provider')).toBe('openai');
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('x-tollgate-attempts')).toBe('1');
    expect(response.headers.get('x-tollgate-request-id')).toMatch(/^req_/);
    expect(data.model).toBe('gpt-4o-mini-2024-07-18');
    // The fake reports what OpenAI would: the cookbook count, which is also ours.
    const enc = encoding_for_model('gpt-4o-mini');
    expect(usage.prompt_tokens).toBe(3 + enc.encode('user').length + enc.encode('Say hello to the gateway.').length + 3);
    expect(usage.completion_tokens).toBe(enc.encode(data.choices[0]!.message.content!).length);
    enc.free();
    const upstream = gw.fakes.openai.requests.at(-1)!;
    expect(upstream.key).toMatch(/^sk-test-openai-/);
    expect(upstream.body.model).toBe('gpt-4o-mini');
  });

  it('streaming with include_usage: chunks relayed, the usage chunk carries usage.cost', async () => {
    const client = gw.openai(key);
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Count to five.' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: any;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const p = price('gpt-4o');
    expect(text.length).toBeGreaterThan(0);
    expect(usage.cost).toBe(dec(tokenCost(p.input, usage.prompt_tokens) + tokenCost(p.output, usage.completion_tokens)));
    // We always ask upstream for usage, so we can bill even when the client did not.
    expect(gw.fakes.openai.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });
  });

  it('streaming without include_usage: no usage chunk reaches the client, the ledger still has the cost', async () => {
    const client = gw.openai(key);
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'no usage please' }], stream: true }, { headers: { 'x-request-id': 'req_no_usage_1' } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    const rows = await eventually(async () => {
      const r = await gw.admin('GET', '/admin/usage?tenant=acme&format=csv&rows=request');
      return String(r.body).includes('req_no_usage_1') ? String(r.body) : undefined;
    });
    expect(rows).toMatch(/req_no_usage_1,[^\n]*,reported,/);
  });

  it('a stream whose upstream sends no usage is billed by our count of the streamed text (= tiktoken)', async () => {
    gw.fakes.openai.enqueue({ usage: false });
    const client = gw.openai(key);
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Tell me about tokens.' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: any;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const enc = encoding_for_model('gpt-4o');
    expect(usage.counted).toBe(true);
    expect(usage.completion_tokens).toBe(enc.encode(text).length);
    expect(usage.prompt_tokens).toBe(3 + enc.encode('user').length + enc.encode('Tell me about tokens.').length + 3);
    enc.free();
    const p = price('gpt-4o');
    expect(usage.cost).toBe(dec(tokenCost(p.input, usage.prompt_tokens) + tokenCost(p.output, usage.completion_tokens)));
  });

  it('tools: tool_calls come back intact, streamed and not', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    gw.fakes.openai.enqueue({ reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] } });
    const client = gw.openai(key);
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools });
    expect(r.choices[0]!.finish_reason).toBe('tool_calls');
    expect(JSON.parse((r.choices[0]!.message.tool_calls![0] as { function: { arguments: string } }).function.arguments)).toEqual({ city: 'Paris' });
    gw.fakes.openai.enqueue({ reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] } });
    const s = client.chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools });
    const final = await s.finalChatCompletion();
    expect(JSON.parse((final.choices[0]!.message.tool_calls![0] as { function: { arguments: string } }).function.arguments)).toEqual({ city: 'Oslo' });
  });

  it('embeddings are priced per input token', async () => {
    const client = gw.openai(key);
    const { data, response } = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello world', 'tokens at the edge'] }).withResponse();
    const enc = encoding_for_model('text-embedding-3-small');
    const tokens = enc.encode('hello world').length + enc.encode('tokens at the edge').length;
    enc.free();
    expect(data.usage.prompt_tokens).toBe(tokens);
    expect(response.headers.get('x-tollgate-cost')).toBe(dec(tokenCost(price('text-embedding-3-small').input, tokens)));
    expect(data.data).toHaveLength(2);
  });
});

describe('other providers through the OpenAI SDK', () => {
  it('Anthropic: translated both ways, usage with cache reads priced as Anthropic bills them', async () => {
    const client = gw.openai(key);
    const { data, response } = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello Claude' }], max_tokens: 50 }).withResponse();
    const up = gw.fakes.anthropic.requests.at(-1)!;
    expect(up.body.system).toBe('Be brief.');
    expect(up.body.max_tokens).toBe(50);
    expect(up.headers['x-api-key']).toBe('sk-ant-test-1');
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
    expect(data.choices[0]!.message.content!.length).toBeGreaterThan(0);
    const p = price('claude-sonnet-4-5');
    expect(response.headers.get('x-tollgate-cost')).toBe(dec(tokenCost(p.input, data.usage!.prompt_tokens) + tokenCost(p.output, data.usage!.completion_tokens)));
  });

  it('Anthropic stream → OpenAI chunks, with the final usage and cost', async () => {
    const client = gw.openai(key);
    const stream = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Stream please' }], max_tokens: 60, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: any;
    let finish: string | null = null;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('stop');
    const p = price('claude-sonnet-4-5');
    expect(usage.cost).toBe(dec(tokenCost(p.input, usage.prompt_tokens) + tokenCost(p.output, usage.completion_tokens)));
  });

  it('Gemini: generateContent and streamGenerateContent, key in x-goog-api-key', async () => {
    const client = gw.openai(key);
    const { data: r, response } = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi Gemini' }], max_tokens: 2000 }).withResponse();
    expect(r.choices[0]!.message.content!.length).toBeGreaterThan(0);
    // Gemini 2.5 thinks: its thoughts are output tokens (reasoning_tokens), priced as output.
    const usage = r.usage!;
    expect(usage.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    const p = price('gemini-2.5-flash');
    expect(response.headers.get('x-tollgate-cost')).toBe(dec(tokenCost(p.input, usage.prompt_tokens) + tokenCost(p.output, usage.completion_tokens)));
    const up = gw.fakes.gemini.requests.at(-1)!;
    expect(up.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(up.key).toBe('gm-test-1');
    const s = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Stream it' }], stream: true, stream_options: { include_usage: true } });
    let streamed: any;
    for await (const c of s) if (c.usage) streamed = c.usage;
    expect(gw.fakes.gemini.requests.at(-1)!.query.alt).toBe('sse');
    expect(streamed.cost).toBe(dec(tokenCost(p.input, streamed.prompt_tokens) + tokenCost(p.output, streamed.completion_tokens)));
  });

  it('a route falls back from a failing Anthropic to OpenAI', async () => {
    gw.fakes.anthropic.enqueue({ status: 529 }, { times: 3 });
    const client = gw.openai(key);
    const { data, response } = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'fallback' }], max_tokens: 20 }).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('openai');
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4.1');
    expect(Number(response.headers.get('x-tollgate-attempts'))).toBe(4);
    expect(data.choices[0]!.message.content).toBeTruthy();
  });

  it('images: data URLs and remote URLs reach the upstream in its format', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const client = gw.openai(key);
    await client.chat.completions.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: png } }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] }] });
    const blocks = gw.fakes.anthropic.requests.at(-1)!.body.messages[0].content;
    expect(blocks[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.split(',')[1] } });
    expect(blocks[2]).toEqual({ type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } });
  });
});

describe('learned token ratio (Claude has no public tokenizer)', () => {
  it('after enough traffic, /v1/count and reservations use the ratio of Anthropic-reported to o200k counts', async () => {
    const texts = Array.from({ length: 24 }, (_, i) => `Request ${i}: ${'The gateway learns how many tokens Claude bills for what o200k counts. '.repeat(3 + (i % 5))}`);
    const samples: number[] = [];
    const enc = encoding_for_model('gpt-4o');
    for (const content of texts) {
      const r = await gw.openai(key).chat.completions.create({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content }], max_tokens: 5 });
      // Our raw count is the cookbook formula with o200k (3 per message + role + content + 3).
      samples.push(r.usage!.prompt_tokens / (3 + enc.encode('user').length + enc.encode(content).length + 3));
    }
    const probe = 'How many tokens will Claude bill for this sentence, exactly?';
    const r = await gw.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-haiku-4-5', text: probe }) });
    const count = (await r.json()) as { tokens: number; exact: boolean; method: string; learned: { ratio: number; p10: number; p90: number; samples: number } };
    expect(count.exact).toBe(false);
    expect(count.method).toBe('learned-ratio');
    expect(count.learned.samples).toBeGreaterThanOrEqual(20);
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    expect(Math.abs(count.learned.ratio - median) / median).toBeLessThan(0.05);
    expect(count.tokens).toBe(Math.ceil(enc.encode(probe).length * count.learned.ratio));
    enc.free();
  });
});
