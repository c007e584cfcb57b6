/**
 * Routing and resilience, asserted by what the fake upstreams received (which key, how often,
 * when): key rotation and cooldown after 429, retry-after, backoff, circuit breakers, timeouts,
 * resets, context-window fallback, strategies; and streams that fail: cut mid-way, an error
 * event, a client that goes away — each billed for what was delivered.
 */
import { createHash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encoding_for_model } from 'tiktoken';
import { bundle } from '../cost/helpers.js';
import { dec, eventually, PROVIDER_KEYS, startGateway, tokenCost, type Gateway } from './harness.js';

let gw: Gateway;
let key: string;

function price(id: string): Record<string, string> {
  const m = bundle.models.find((x) => x.id === id)!;
  return m.prices[m.prices.length - 1] as never;
}

async function ledgerRow(requestId: string): Promise<Record<string, string>> {
  return eventually(async () => {
    const r = await gw.admin('GET', '/admin/usage?tenant=acme&format=csv&rows=request&start=2020-01-01&end=2100-01-01');
    const [head, ...lines] = String(r.body).trim().split('\r\n');
    const cols = head!.split(',');
    const line = lines.find((l) => l.includes(requestId));
    if (!line) return undefined;
    // Plain values only (no quoted commas in the columns we read).
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]!])) as Record<string, string>;
  });
}

beforeAll(async () => {
  gw = await startGateway('resilience');
  await gw.configure({
    defaults: { retries: 2, backoff: { baseMs: 20, maxMs: 100 }, breaker: { failures: 2, openMs: 1500 }, cooldownMs: 60_000, streamIdleTimeoutMs: 1000 },
    routes: {
      breaker: { strategy: 'fallback', retries: 0, targets: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }, { provider: 'openai', model: 'gpt-4o-mini' }] },
      quick: { strategy: 'fallback', retries: 0, timeoutMs: 400, targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'anthropic', model: 'claude-haiku-4-5' }] },
      window: { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-3.5-turbo' }, { provider: 'openai', model: 'gpt-4.1' }] },
      tiny: { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-3.5-turbo' }] },
      cheap: { strategy: 'cheapest', targets: [{ provider: 'openai', model: 'gpt-4o' }, { provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'anthropic', model: 'claude-opus-4-1' }] },
      weighted: { strategy: 'weighted', targets: [{ provider: 'openai', model: 'gpt-4o', weight: 0.000001 }, { provider: 'openai', model: 'gpt-4o-mini', weight: 1000 }] },
      fast: { strategy: 'latency', targets: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }, { provider: 'openai', model: 'gpt-4o-mini' }] },
      scored: {
        strategy: 'score',
        weights: { cost: 0, latency: 0, quality: 1 },
        targets: [
          { provider: 'openai', model: 'gpt-4o-mini', quality: 0.2 },
          { provider: 'anthropic', model: 'claude-haiku-4-5', quality: 0.9 },
        ],
      },
      scoredCheap: {
        strategy: 'score',
        weights: { cost: 1, latency: 0, quality: 0 },
        targets: [
          { provider: 'anthropic', model: 'claude-opus-4-1', quality: 1 },
          { provider: 'openai', model: 'gpt-4o-mini', quality: 0 },
        ],
      },
    },
  });
  ({ key } = await gw.tenantKey('acme'));
});
afterAll(async () => {
  await gw?.stop();
});
beforeEach(() => gw.fakes.reset());

const ask = (model: string, extra: Record<string, unknown> = {}) => gw.openai(key).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 16, ...extra } as never).withResponse() as unknown as Promise<{ data: OpenAI.ChatCompletion; response: Response }>;

describe('keys and retries', () => {
  it('a key that gets 429 cools down: the next key serves at once, and later requests skip it (shared health)', async () => {
    gw.fakes.openai.always({ status: 429, retryAfter: 30 }, { key: PROVIDER_KEYS.OPENAI_KEY_1 });
    for (let i = 0; i < 4; i++) {
      const { response } = await ask('gpt-4o-mini');
      expect(response.status).toBe(200);
    }
    const keys = gw.fakes.openai.requests.map((r) => r.key);
    expect(keys.filter((k) => k === PROVIDER_KEYS.OPENAI_KEY_1)).toHaveLength(1);
    expect(keys.filter((k) => k === PROVIDER_KEYS.OPENAI_KEY_2)).toHaveLength(4);
    // The cooldown is in the shared health object, by fingerprint (never the key).
    const health = await eventually(async () => {
      const h = (await gw.admin('GET', '/admin/health')).body;
      return Object.keys(h.cooldowns).some((k) => k.startsWith('openai:')) ? h : undefined;
    });
    expect(JSON.stringify(health)).not.toContain(PROVIDER_KEYS.OPENAI_KEY_1);
    await gw.admin('POST', '/admin/providers/openai/cooldown', { key_index: 0, seconds: 0 });
  });

  it('every key rate-limited with a long retry-after: 429 to the client with retry-after, provider named', async () => {
    gw.fakes.openai.always({ status: 429, retryAfter: 45 });
    const err = (await ask('gpt-4o').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.message).toContain('openai:');
    expect(Number(err.headers?.get('retry-after'))).toBeGreaterThanOrEqual(30);
    expect(gw.fakes.openai.requests).toHaveLength(2);
    for (const i of [0, 1]) await gw.admin('POST', '/admin/providers/openai/cooldown', { key_index: i, seconds: 0 });
  });

  it('503 with retry-after is retried after at least that long; a 400 is returned at once', async () => {
    gw.fakes.anthropic.enqueue({ status: 503, retryAfter: 1 });
    const { response } = await ask('claude-haiku-4-5');
    expect(response.headers.get('x-tollgate-attempts')).toBe('2');
    const [a, b] = gw.fakes.anthropic.requests;
    expect(b!.time - a!.time).toBeGreaterThanOrEqual(950);
    gw.fakes.anthropic.reset();
    gw.fakes.anthropic.enqueue({ status: 400, error: { message: 'max_tokens: must be positive' } });
    const err = (await ask('claude-haiku-4-5').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.status).toBe(400);
    expect(err.message).toContain('anthropic: max_tokens: must be positive');
    expect(gw.fakes.anthropic.requests).toHaveLength(1);
  });

  it('health reports from any request reach the shared object, not only those of the request that opened the view', async () => {
    // Earlier requests opened this isolate's health view; a Durable Object stub kept from one of
    // them would fail every later report ("Cannot perform I/O on behalf of a different request").
    for (let i = 0; i < 3; i++) expect((await ask('gpt-4o-mini')).response.status).toBe(200);
    gw.fakes.openai.always({ status: 429, retryAfter: 30 }, { key: PROVIDER_KEYS.OPENAI_KEY_2 });
    for (let i = 0; i < 3; i++) expect((await ask('gpt-4o-mini')).response.status).toBe(200);
    expect(gw.fakes.openai.requests.some((r) => r.key === PROVIDER_KEYS.OPENAI_KEY_2)).toBe(true);
    const fingerprint = `openai:${createHash('sha256').update(PROVIDER_KEYS.OPENAI_KEY_2).digest('hex').slice(0, 16)}`;
    await eventually(async () => ((await gw.admin('GET', '/admin/health')).body.cooldowns[fingerprint] > Date.now() ? true : undefined));
    expect(gw.logs.filter((l) => l.includes('health report failed'))).toEqual([]);
    await gw.admin('POST', '/admin/providers/openai/cooldown', { key_index: 1, seconds: 0 });
  });

  it('connection resets are retried', async () => {
    gw.fakes.openai.enqueue({ reset: true });
    const { data, response } = await ask('gpt-4o-mini');
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(response.headers.get('x-tollgate-attempts')).toBe('2');
  });

  it('a hung upstream times out per attempt and the next target serves', async () => {
    gw.fakes.openai.enqueue({ hang: true });
    const t0 = Date.now();
    const { response } = await ask('quick');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
    await eventually(async () => gw.fakes.openai.requests[0]!.aborted || undefined);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures (target skipped), then lets a probe through after openMs', async () => {
    gw.fakes.anthropic.always({ status: 500 });
    for (let i = 0; i < 5; i++) {
      const { response } = await ask('breaker');
      expect(response.headers.get('x-tollgate-provider')).toBe('openai');
    }
    expect(gw.fakes.anthropic.requests).toHaveLength(2); // then open: not tried
    await new Promise((ok) => setTimeout(ok, 1600));
    gw.fakes.anthropic.reset(); // healthy again
    const { response } = await ask('breaker');
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic'); // the half-open probe succeeded
    expect((await ask('breaker')).response.headers.get('x-tollgate-provider')).toBe('anthropic');
  });
});

describe('planning', () => {
  const long = 'All work and no play makes Jack a dull boy. '.repeat(2000); // ≈ 22k tokens

  it('skips a target whose context window the counted prompt exceeds (never sent)', async () => {
    const { response } = await ask('window', { messages: [{ role: 'user', content: long }] });
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4.1');
    expect(gw.fakes.openai.requests.map((r) => r.model)).toEqual(['gpt-4.1']);
  });

  it('counts a prompt whose length alone cannot clear the window, and sends it when it fits', async () => {
    // 6.6k characters: up to ~20k tokens by length, more than gpt-3.5-turbo's 16k window; counted, ~1.5k.
    const medium = 'All work and no play makes Jack a dull boy. '.repeat(150);
    const { response } = await ask('tiny', { messages: [{ role: 'user', content: medium }] });
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-3.5-turbo');
    expect(gw.fakes.openai.requests.map((r) => r.model)).toEqual(['gpt-3.5-turbo']);
  });

  it('400 context_length_exceeded when no target fits', async () => {
    const err = (await ask('tiny', { messages: [{ role: 'user', content: long }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.status).toBe(400);
    expect(err.code).toBe('context_length_exceeded');
    expect(gw.fakes.openai.requests).toHaveLength(0);
  });

  it('cheapest picks the lowest worst-case cost for this request; weighted follows the weights', async () => {
    expect((await ask('cheap')).response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    for (let i = 0; i < 5; i++) expect((await ask('weighted')).response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
  });

  it('score weighs quality and cost as the route says', async () => {
    expect((await ask('scored')).response.headers.get('x-tollgate-model')).toBe('claude-haiku-4-5');
    expect((await ask('scoredCheap')).response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
  });

  it('latency learns time to first byte from traffic', async () => {
    gw.fakes.anthropic.always({ delayMs: 300 });
    // First requests measure both targets (untried targets go first).
    await ask('fast');
    await ask('fast');
    const picks = [];
    for (let i = 0; i < 3; i++) picks.push((await ask('fast')).response.headers.get('x-tollgate-provider'));
    expect(picks).toEqual(['openai', 'openai', 'openai']);
  });
});

describe('streams that fail are still billed', () => {
  it('an upstream cut mid-stream: the OpenAI SDK raises an error (no clean end); the delivered part is billed', async () => {
    gw.fakes.openai.enqueue({ cutAfterEvents: 4 });
    const stream = await gw.openai(key).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Write a long answer.' }], stream: true }, { headers: { 'x-request-id': 'req_cut_1' } });
    let text = '';
    const err = await (async () => {
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as Error).message).toContain('openai: the stream failed before it finished');
    const row = await ledgerRow('req_cut_1');
    expect(row.status).toBe('upstream_error');
    const enc = encoding_for_model('gpt-4o');
    const out = enc.encode(text).length;
    enc.free();
    expect(Number(row.outputTokens)).toBe(out);
    const p = price('gpt-4o');
    expect(row.cost).toBe(dec(tokenCost(p.input!, Number(row.promptTokens)) + tokenCost(p.output!, out)));
  });

  it('an Anthropic error event mid-stream reaches the Anthropic SDK as an error', async () => {
    gw.fakes.anthropic.enqueue({ streamError: { afterEvents: 4, type: 'overloaded_error', message: 'Overloaded' } });
    const stream = gw.anthropic(key).messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] }, { headers: { 'x-request-id': 'req_cut_2' } });
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as Error).message).toContain('Overloaded');
    expect((await ledgerRow('req_cut_2')).status).toBe('upstream_error');
  });

  it('a stream that goes silent longer than streamIdleTimeoutMs ends with an error and is billed', async () => {
    gw.fakes.openai.enqueue({ eventDelayMs: 1500 });
    const stream = await gw.openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow' }], stream: true }, { headers: { 'x-request-id': 'req_idle_1' } });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    expect((err as Error).message).toContain('openai: the stream failed before it finished (no data for 1000 ms)');
    const row = await ledgerRow('req_idle_1');
    expect(row.status).toBe('upstream_error');
    await eventually(async () => gw.fakes.openai.requests[0]?.aborted || undefined);
  });

  it('a client that disconnects: the upstream call is aborted and what was generated is billed as client_closed', async () => {
    gw.fakes.openai.enqueue({ eventDelayMs: 150 });
    const controller = new AbortController();
    const res = await gw.fetch('/v1/chat/completions', {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': 'req_gone_1' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'A long story please.' }] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    await eventually(async () => gw.fakes.openai.requests[0]?.aborted || undefined);
    const row = await ledgerRow('req_gone_1');
    expect(row.status).toBe('client_closed');
    expect(row.usageSource).toBe('counted');
    expect(Number(row.outputTokens)).toBeGreaterThan(0);
    expect(Number(row.cost)).toBeGreaterThan(0);
    // Failed, cut and abandoned requests all released their reservations.
    const counters = await eventually(async () => {
      const c = (await gw.admin('GET', '/admin/tenants/acme/counters')).body;
      return c.reservations.length === 0 ? c : undefined;
    });
    expect(counters.inFlight).toBe(0);
  });
});
