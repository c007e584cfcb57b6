/**
 * POST /v1/count with `count_with: "provider"`: the gateway in workerd asks the fake Anthropic's
 * count_tokens endpoint when the operator enabled `countTokens`, with the provider's key, the
 * upstream model and an Anthropic body; otherwise (not configured, no gateway key, exact model,
 * provider failing, slow or unreachable) it answers with its estimate and says why.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicPromptCounter } from '../fakes/anthropic/prompt.js';
import { PROVIDER_KEYS, startGateway, type Gateway } from './harness.js';

let gw: Gateway;
let key: string;

const COUNTING = { anthropic: { type: 'anthropic', baseUrl: '', keys: ['env:ANTHROPIC_KEY'], countTokens: true } };

function counting(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { anthropic: { ...COUNTING.anthropic, baseUrl: gw.fakes.anthropic.url, ...extra } };
}

async function count(body: Record<string, unknown>, gatewayKey: string | null = key): Promise<{ status: number; body: any; raw: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (gatewayKey) headers.authorization = `Bearer ${gatewayKey}`;
  const res = await gw.fetch('/v1/count', { method: 'POST', headers, body: JSON.stringify(body) });
  const raw = await res.text();
  return { status: res.status, body: JSON.parse(raw), raw };
}

/** The answer without count_with: Tollgate's estimate. */
async function estimate(body: Record<string, unknown>): Promise<any> {
  const { count_with: _c, ...rest } = body;
  const r = await count(rest, null);
  expect(r.status).toBe(200);
  return r.body;
}

const countRequests = () => gw.fakes.anthropic.requests.filter((r) => r.path === '/v1/messages/count_tokens');
const fakeCount = (body: unknown) => new AnthropicPromptCounter().total(body as Record<string, unknown>);

beforeAll(async () => {
  gw = await startGateway('provider-count');
  await gw.configure({ providers: counting() });
  ({ key } = await gw.tenantKey('acme'));
});
afterAll(async () => {
  await gw?.stop();
});
beforeEach(() => gw.fakes.reset());

describe('configured (countTokens on the anthropic provider)', () => {
  it('text: the provider count, exact, labelled; the fake got the key, model and a one-message body', async () => {
    const text = 'How many tokens will Claude bill for this sentence, exactly?';
    const req = { model: 'claude-haiku-4-5', text, count_with: 'provider' };
    const est = await estimate(req);
    const r = await count(req);
    expect(r.status).toBe(200);
    const sent = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: text }] };
    expect(countRequests()).toHaveLength(1);
    const up = countRequests()[0]!;
    expect(up.key).toBe(PROVIDER_KEYS.ANTHROPIC_KEY);
    expect(up.headers['anthropic-version']).toBe('2023-06-01');
    expect(up.body).toEqual(sent);
    expect(r.body).toEqual({
      tokens: fakeCount(sent),
      encoding: 'provider:anthropic',
      exact: true,
      model: 'claude-haiku-4-5',
      method: 'provider:anthropic',
      provider_count: { used: true, provider: 'anthropic', note: expect.stringContaining('framing'), estimate: { tokens: est.tokens, method: est.method } },
    });
    // The fake counts differently from our estimate: the answer is the provider's number.
    expect(r.body.tokens).not.toBe(est.tokens);
    expect(r.raw).not.toContain(PROVIDER_KEYS.ANTHROPIC_KEY);
  });

  it('an OpenAI-shaped chat with tools is translated: system lifted, tools with input_schema, no max_tokens', async () => {
    const r = await count({
      model: 'claude-sonnet-4-5',
      count_with: 'provider',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny, 21 °C' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const sent = {
      model: 'claude-sonnet-4-5',
      system: 'You are terse.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny, 21 °C' }] },
      ],
      tools: [{ name: 'weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    };
    expect(countRequests().map((q) => q.body)).toEqual([sent]);
    expect(r.body).toMatchObject({ tokens: fakeCount(sent), exact: true, method: 'provider:anthropic', provider_count: { used: true, provider: 'anthropic' } });
    expect(r.body.provider_count.note).toBeUndefined();
  });

  it('an Anthropic-shaped chat goes as it is (system lifted, other fields dropped)', async () => {
    const messages = [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: [{ type: 'text', text: 'Look this up.', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'x' } }] },
      { role: 'user', name: 'dropped', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' }] },
    ];
    const tools = [{ name: 'search', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const r = await count({ model: 'claude-haiku-4-5', count_with: 'provider', messages, tools });
    const sent = { model: 'claude-haiku-4-5', system: 'Answer in French.', messages: messages.slice(1).map(({ role, content }) => ({ role, content })), tools };
    expect(countRequests().map((q) => q.body)).toEqual([sent]);
    expect(r.body).toMatchObject({ tokens: fakeCount(sent), exact: true });
  });

  it('without count_with nothing is asked and the answer is unchanged; an exact model says so', async () => {
    const plain = await count({ model: 'claude-haiku-4-5', text: 'hello' });
    expect(plain.body.exact).toBe(false);
    expect(plain.body.provider_count).toBeUndefined();
    const exact = await count({ model: 'gpt-4o', text: 'hello', count_with: 'provider' });
    expect(exact.body).toMatchObject({ tokens: 1, exact: true, encoding: 'o200k_base', provider_count: { used: false, code: 'exact_already' } });
    expect(countRequests()).toHaveLength(0);
  });

  it('no gateway key, or a key not allowed the model: the estimate, unauthorized', async () => {
    const req = { model: 'claude-haiku-4-5', text: 'hello there', count_with: 'provider' };
    const est = await estimate(req);
    const anon = await count(req, null);
    expect(anon.status).toBe(200);
    expect(anon.body).toEqual({ ...est, provider_count: { used: false, code: 'unauthorized', reason: expect.stringContaining('gateway key') } });
    const wrong = await count(req, 'tg-not-a-key');
    expect(wrong.body.provider_count).toMatchObject({ used: false, code: 'unauthorized' });
    const { key: narrow } = await gw.tenantKey('narrow', {}, { models: ['gpt-4o'] });
    const denied = await count(req, narrow);
    expect(denied.body).toEqual({ ...est, provider_count: { used: false, code: 'unauthorized', provider: 'anthropic', reason: expect.stringContaining("may not use 'claude-haiku-4-5'") } });
    expect(countRequests()).toHaveLength(0);
  });
});

describe('the provider fails: the estimate, with the reason', () => {
  const req = { model: 'claude-haiku-4-5', text: 'Count me if you can.', count_with: 'provider' };

  it('HTTP 500', async () => {
    const est = await estimate(req);
    gw.fakes.anthropic.enqueue({ status: 500, error: { message: 'Internal server error' } }, { path: 'count_tokens' });
    const r = await count(req);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ...est, provider_count: { used: false, code: 'provider_error', provider: 'anthropic', reason: expect.stringMatching(/HTTP 500: Internal server error$/) } });
    expect(countRequests()).toHaveLength(1);
  });

  it('a provider message echoing the key is masked', async () => {
    gw.fakes.anthropic.enqueue({ status: 401, error: { message: `invalid x-api-key ${PROVIDER_KEYS.ANTHROPIC_KEY}` } }, { path: 'count_tokens' });
    const r = await count(req);
    expect(r.body.provider_count).toMatchObject({ used: false, code: 'provider_error', reason: expect.stringContaining('HTTP 401') });
    expect(r.raw).not.toContain(PROVIDER_KEYS.ANTHROPIC_KEY);
    expect(gw.logs.join('\n')).not.toContain(PROVIDER_KEYS.ANTHROPIC_KEY);
  });

  it('no answer within the provider timeout', async () => {
    await gw.configure({ providers: counting({ timeoutMs: 300 }) });
    try {
      const est = await estimate(req);
      gw.fakes.anthropic.enqueue({ hang: true }, { path: 'count_tokens' });
      const t0 = Date.now();
      const r = await count(req);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.body).toEqual({ ...est, provider_count: { used: false, code: 'timeout', provider: 'anthropic', reason: expect.stringContaining('within 300 ms') } });
    } finally {
      await gw.configure({ providers: counting() });
    }
  });

  it('unreachable', async () => {
    await gw.configure({ providers: counting({ baseUrl: 'http://127.0.0.1:9' }) });
    try {
      const r = await count(req);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ exact: false, provider_count: { used: false, code: 'unreachable', provider: 'anthropic' } });
    } finally {
      await gw.configure({ providers: counting() });
    }
  });
});

describe('not configured', () => {
  it('countTokens off (the default): the estimate, not_configured, nothing asked', async () => {
    await gw.configure();
    try {
      const req = { model: 'claude-haiku-4-5', text: 'hello', count_with: 'provider' };
      const est = await estimate(req);
      const r = await count(req);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ...est, provider_count: { used: false, code: 'not_configured', provider: 'anthropic', reason: expect.stringContaining('countTokens') } });
      expect(countRequests()).toHaveLength(0);
    } finally {
      await gw.configure({ providers: counting() });
    }
  });

  it("the provider's key cannot be resolved: key_unavailable, naming the setting but no key", async () => {
    await gw.configure({ providers: counting({ keys: ['env:NOT_SET_ANYWHERE'] }) });
    try {
      const r = await count({ model: 'claude-haiku-4-5', text: 'hello', count_with: 'provider' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ exact: false, provider_count: { used: false, code: 'key_unavailable', provider: 'anthropic', reason: expect.stringContaining('NOT_SET_ANYWHERE is not set') } });
      expect(countRequests()).toHaveLength(0);
    } finally {
      await gw.configure({ providers: counting() });
    }
  });

  it('a model no Anthropic provider serves: not_served', async () => {
    const r = await count({ model: 'gemini-3.1-pro-preview', text: 'hello', count_with: 'provider' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ exact: false, provider_count: { used: false, code: 'not_served' } });
  });

  it('countTokens is refused on a provider that is not anthropic, and is in the JSON Schema', async () => {
    const cur = (await gw.admin('GET', '/admin/config')).body;
    const bad = await gw.admin('PUT', '/admin/config', { ...cur, providers: { ...cur.providers, openai: { ...cur.providers.openai, countTokens: true } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('providers.openai.countTokens');
    const schema = (await gw.admin('GET', '/admin/config/schema')).body;
    expect(JSON.stringify(schema)).toContain('countTokens');
  });
});
