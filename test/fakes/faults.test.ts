/**
 * Scripted faults, request matching, recording and cleanup of the shared server core, each
 * exercised once through an official SDK (so the fault looks to a client as it would in
 * production) or raw fetch where the SDK would hide it.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, startFakeUpstreams, type FakeUpstream } from './index.js';

let fake: FakeUpstream;
let client: OpenAI;
const messages = [{ role: 'user' as const, content: 'Tell me about faults.' }];
const body = { model: 'gpt-4o-mini', messages };

beforeAll(async () => {
  fake = await startFakeOpenAI({ keys: ['key-a', 'key-b'] });
  client = new OpenAI({ apiKey: 'key-a', baseURL: fake.baseUrl, maxRetries: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const post = (path: string, payload: unknown, key = 'key-a', signal?: AbortSignal) =>
  fetch(`${fake.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(payload), signal });

describe('timing faults', () => {
  it('delayMs holds back the first byte', async () => {
    fake.enqueue({ delayMs: 250 });
    const t0 = performance.now();
    await client.chat.completions.create(body);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    const rec = fake.lastRequest;
    expect(rec.firstByteAt! - rec.time).toBeGreaterThanOrEqual(240);
  });

  it('firstEventDelayMs sends headers at once and the first event later; eventDelayMs paces the rest', async () => {
    fake.enqueue({ firstEventDelayMs: 200, eventDelayMs: 5 });
    const t0 = performance.now();
    const res = await post('/chat/completions', { ...body, stream: true });
    const headersAt = performance.now() - t0;
    const reader = res.body!.getReader();
    await reader.read();
    const firstEventAt = performance.now() - t0;
    while (!(await reader.read()).done);
    const total = performance.now() - t0;
    // Lower bounds only (the server imposes them; a loaded machine can only add to them).
    expect(headersAt).toBeLessThan(firstEventAt);
    expect(firstEventAt).toBeGreaterThanOrEqual(195);
    expect(total).toBeGreaterThanOrEqual(195 + 4 * (fake.lastRequest.events - 1));
    expect(fake.lastRequest.firstByteAt! - fake.lastRequest.time).toBeLessThan(firstEventAt);
  });

  it('hang: the SDK times out, the fake records the client going away', async () => {
    fake.enqueue({ hang: true });
    const impatient = new OpenAI({ apiKey: 'key-a', baseURL: fake.baseUrl, maxRetries: 0, timeout: 200 });
    const err = await impatient.chat.completions.create(body).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await fake.waitFor((r) => r[0]?.aborted === true);
    expect(fake.lastRequest).toMatchObject({ outcome: 'aborted', status: undefined });
  });
});

describe('connection faults', () => {
  it('reset: the connection is destroyed, the SDK reports a connection error', async () => {
    fake.enqueue({ reset: true });
    const err = await client.chat.completions.create(body).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(fake.lastRequest.outcome).toBe('reset');
  });

  it('cutAfterEvents: a stream dies after N events with no terminator, and the client sees an error', async () => {
    fake.enqueue({ cutAfterEvents: 4 });
    const res = await post('/chat/completions', { ...body, stream: true, stream_options: { include_usage: true } });
    let text = '';
    const reader = res.body!.getReader();
    const err = await (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += Buffer.from(r.value).toString();
    })().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(4);
    expect(text).not.toContain('[DONE]');
    expect(fake.lastRequest).toMatchObject({ outcome: 'cut', events: 4, aborted: false });
  });

  it('cutAfterEvents through the Anthropic SDK: the MessageStream rejects', async () => {
    const fakes = await startFakeUpstreams();
    try {
      fakes.anthropic.enqueue({ cutAfterEvents: 5 });
      const anthropic = new Anthropic({ apiKey: 'k', baseURL: fakes.anthropic.baseUrl, maxRetries: 0 });
      const err = await anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages }).finalMessage().catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(fakes.anthropic.lastRequest.outcome).toBe('cut');
    } finally {
      await fakes.close();
    }
  });

  it('a client that disconnects mid-stream is recorded as aborted', async () => {
    fake.enqueue({ eventDelayMs: 50 });
    const stream = await client.chat.completions.create({ ...body, stream: true });
    let n = 0;
    for await (const _ of stream) if (++n === 3) stream.controller.abort();
    await fake.waitFor((r) => r[0]?.outcome !== 'pending');
    const rec = fake.lastRequest;
    expect(rec).toMatchObject({ outcome: 'aborted', aborted: true, status: 200 });
    expect(rec.events).toBeLessThan(20); // of ~35: the fake stopped writing when the client left
  });

  it('close() ends hanging requests at once and stops listening', async () => {
    const own = await startFakeOpenAI();
    own.enqueue({ hang: true });
    const pending = fetch(`${own.baseUrl}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(body) }).catch((e) => e);
    await own.waitFor((r) => r.length === 1);
    const t0 = performance.now();
    await own.close();
    expect(performance.now() - t0).toBeLessThan(2_000); // not waiting for the hanging request
    expect(await pending).toBeInstanceOf(Error);
    expect(own.requests[0].outcome).toBe('closed');
    expect(await fetch(own.url).catch((e) => e)).toBeInstanceOf(Error);
  });
});

describe('usage faults', () => {
  it('usage: false drops the usage chunk even when include_usage is set', async () => {
    fake.enqueue({ usage: false });
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.some((c) => c.usage)).toBe(false);
  });

  it("streamUsage option: hosts that never send usage, and hosts that always do", async () => {
    const never = await startFakeOpenAI({ streamUsage: 'never' });
    const always = await startFakeOpenAI({ streamUsage: 'always' });
    try {
      const collect = async (f: FakeUpstream, opts: object) => {
        const c = new OpenAI({ apiKey: 'k', baseURL: f.baseUrl, maxRetries: 0 });
        const out: OpenAI.ChatCompletionChunk[] = [];
        for await (const ch of await c.chat.completions.create({ ...body, stream: true, ...opts })) out.push(ch);
        return out;
      };
      expect((await collect(never, { stream_options: { include_usage: true } })).some((c) => c.usage)).toBe(false);
      expect((await collect(always, {})).at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    } finally {
      await Promise.all([never.close(), always.close()]);
    }
  });
});

describe('matching, rate limits and recording', () => {
  it('steps match by key and model, `times` and `always`', async () => {
    fake.enqueue({ status: 500 }, { key: 'key-b' });
    fake.enqueue({ status: 503 }, { model: 'gpt-4o', times: 2 });
    fake.always({ reply: { text: 'scripted' } }, { model: 'gpt-4.1' });
    expect((await post('/chat/completions', body, 'key-a')).status).toBe(200);
    expect((await post('/chat/completions', body, 'key-b')).status).toBe(500);
    expect((await post('/chat/completions', { ...body, model: 'gpt-4o' })).status).toBe(503);
    expect((await post('/chat/completions', { ...body, model: 'gpt-4o' })).status).toBe(503);
    expect((await post('/chat/completions', { ...body, model: 'gpt-4o' })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const r = (await (await post('/chat/completions', { ...body, model: 'gpt-4.1' })).json()) as OpenAI.ChatCompletion;
      expect(r.choices[0].message.content).toBe('scripted');
    }
    expect(fake.requests.map((r) => [r.key, r.model, r.status])).toEqual([
      ['key-a', 'gpt-4o-mini', 200],
      ['key-b', 'gpt-4o-mini', 500],
      ['key-a', 'gpt-4o', 503],
      ['key-a', 'gpt-4o', 503],
      ['key-a', 'gpt-4o', 200],
      ['key-a', 'gpt-4.1', 200],
      ['key-a', 'gpt-4.1', 200],
      ['key-a', 'gpt-4.1', 200],
    ]);
    expect(fake.requests.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rateLimit enforces requests per minute per key, with retry-after and remaining headers', async () => {
    const limited = await startFakeOpenAI({ rateLimit: { requestsPerMinute: 2 } });
    try {
      const call = (key: string) =>
        fetch(`${limited.baseUrl}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
      const [a1, a2, a3, b1] = [await call('a'), await call('a'), await call('a'), await call('b')];
      expect([a1.status, a2.status, a3.status, b1.status]).toEqual([200, 200, 429, 200]);
      expect([a1, a2].map((r) => r.headers.get('x-ratelimit-remaining-requests'))).toEqual(['1', '0']);
      expect(Number(a3.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await a3.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    } finally {
      await limited.close();
    }
  });

  it('records query, headers and the raw body; unknown paths and bad JSON get provider-shaped errors', async () => {
    const notFound = await post('/nope', {});
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const bad = await fetch(`${fake.baseUrl}/chat/completions?x=1`, { method: 'POST', headers: { authorization: 'Bearer key-a', 'x-trace': 't1' }, body: '{not json' });
    expect(bad.status).toBe(400);
    const rec = fake.lastRequest;
    expect(rec).toMatchObject({ query: { x: '1' }, rawBody: '{not json', body: undefined, key: 'key-a' });
    expect(rec.headers['x-trace']).toBe('t1');
  });

  it('recordLimit keeps only the most recent requests, numbered in arrival order', async () => {
    const capped = await startFakeOpenAI({ recordLimit: 2 });
    try {
      for (const m of ['m1', 'm2', 'm3']) await fetch(`${capped.baseUrl}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify({ ...body, model: m }) });
      expect(capped.requests.map((r) => [r.seq, r.model])).toEqual([
        [2, 'm2'],
        [3, 'm3'],
      ]);
    } finally {
      await capped.close();
    }
  });

  it('startFakeUpstreams starts all three on distinct ports and closes them', async () => {
    const fakes = await startFakeUpstreams();
    const ports = new Set([fakes.openai.port, fakes.anthropic.port, fakes.gemini.port]);
    expect(ports.size).toBe(3);
    expect([fakes.openai.baseUrl, fakes.anthropic.baseUrl, fakes.gemini.baseUrl].every((u) => u.startsWith('http://127.0.0.1:'))).toBe(true);
    await fakes.close();
    expect(await fetch(fakes.gemini.url).catch((e) => e)).toBeInstanceOf(Error);
  });
});
