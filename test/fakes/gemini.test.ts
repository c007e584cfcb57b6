/**
 * The fake Gemini against the official `@google/genai` SDK (pointed at it with
 * `httpOptions.baseUrl`): generateContent, streamGenerateContent (alt=sse), function calls,
 * countTokens, usage with thoughts and implicit caching, and Google error bodies.
 */
import { ApiError, FunctionCallingConfigMode, GoogleGenAI } from '@google/genai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultReplyText, startFakeGemini, type FakeUpstream } from './index.js';

let fake: FakeUpstream;
let ai: GoogleGenAI;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: ['g-key-a', 'g-key-b'], models: ['gemini-2.5-flash', 'gemini-2.0-flash', 'gemini-2.5-pro'] });
  ai = new GoogleGenAI({ apiKey: 'g-key-a', httpOptions: { baseUrl: fake.url } });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const user = 'Explain photosynthesis in one sentence.';

describe('generateContent', () => {
  it('answers with candidates, finishReason and usageMetadata incl. thoughts; records the key header', async () => {
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: user });
    expect(res.text).toBe(defaultReplyText(user));
    expect(res.candidates?.[0]).toMatchObject({ content: { role: 'model', parts: [{ text: defaultReplyText(user) }] }, finishReason: 'STOP', index: 0 });
    const u = res.usageMetadata!;
    expect(u.thoughtsTokenCount).toBe(96);
    expect(u.totalTokenCount).toBe(u.promptTokenCount! + u.candidatesTokenCount! + u.thoughtsTokenCount!);
    expect(u.promptTokensDetails).toEqual([{ modality: 'TEXT', tokenCount: u.promptTokenCount }]);
    expect(u.cachedContentTokenCount).toBeUndefined();
    expect(res.modelVersion).toBe('gemini-2.5-flash');
    expect(res.responseId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const rec = fake.lastRequest;
    expect(rec).toMatchObject({ path: '/v1beta/models/gemini-2.5-flash:generateContent', key: 'g-key-a', model: 'gemini-2.5-flash', stream: false });
    expect(rec.headers['x-goog-api-key']).toBe('g-key-a');
    expect(rec.body.contents).toEqual([{ role: 'user', parts: [{ text: user }] }]);
  });

  it('takes the key as ?key= too, and non-thinking models report no thoughts', async () => {
    const res = await fetch(`${fake.url}/v1beta/models/gemini-2.0-flash:generateContent?key=g-key-b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: user }] }] }),
    });
    const body = (await res.json()) as { usageMetadata: Record<string, number> };
    expect(res.status).toBe(200);
    expect(body.usageMetadata.thoughtsTokenCount).toBeUndefined();
    expect(fake.lastRequest.key).toBe('g-key-b');
  });

  it('maxOutputTokens (which includes thinking) ends with MAX_TOKENS', async () => {
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: user, config: { maxOutputTokens: 100, thinkingConfig: { thinkingBudget: 90 } } });
    expect(res.candidates?.[0].finishReason).toBe('MAX_TOKENS');
    expect(res.usageMetadata?.thoughtsTokenCount).toBe(90);
    expect(res.usageMetadata?.candidatesTokenCount).toBe(10);
    const off = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: user, config: { thinkingConfig: { thinkingBudget: 0 } } });
    expect(off.usageMetadata?.thoughtsTokenCount).toBeUndefined();
  });

  it('function calling with mode ANY answers a functionCall part the SDK exposes', async () => {
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'What is the weather in Rome?',
      config: {
        tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
    });
    expect(res.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'example city' } }]);
    expect(res.candidates?.[0].finishReason).toBe('STOP');
  });

  it('implicit caching reports cachedContentTokenCount for a repeated long prefix', async () => {
    const long = Array.from({ length: 500 }, (_, i) => `Line ${i} of the shared context.`).join(' ');
    const first = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: long });
    expect(first.usageMetadata?.cachedContentTokenCount).toBeUndefined();
    const second = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: long }] }, { role: 'model', parts: [{ text: 'ok' }] }, { role: 'user', parts: [{ text: 'and?' }] }] });
    expect(second.usageMetadata?.cachedContentTokenCount).toBe(first.usageMetadata?.promptTokenCount);
    expect(second.usageMetadata?.promptTokenCount).toBeGreaterThan(second.usageMetadata!.cachedContentTokenCount!);
  });

  it('countTokens matches the prompt tokens of generateContent', async () => {
    const counted = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: user });
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: user });
    expect(counted.totalTokens).toBe(res.usageMetadata?.promptTokenCount);
    expect(fake.requests[0].path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
  });
});

describe('streamGenerateContent', () => {
  it('alt=sse: several chunks, prompt usage early, finishReason and full usage last', async () => {
    const chunks = [];
    for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: user })) chunks.push(c);
    expect(fake.lastRequest.query).toEqual({ alt: 'sse' });
    expect(fake.lastRequest.stream).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.text ?? '').join('')).toBe(defaultReplyText(user));
    expect(chunks.slice(0, -1).every((c) => c.candidates?.[0].finishReason === undefined && c.usageMetadata?.candidatesTokenCount === undefined)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.candidates?.[0].finishReason).toBe('STOP');
    expect(last.usageMetadata?.candidatesTokenCount).toBeGreaterThan(0);
    expect(last.usageMetadata?.totalTokenCount).toBe(last.usageMetadata!.promptTokenCount! + last.usageMetadata!.candidatesTokenCount! + last.usageMetadata!.thoughtsTokenCount!);
    expect(new Set(chunks.map((c) => c.responseId)).size).toBe(1);
  });

  it('the raw transcript is `data: {json}\\r\\n\\r\\n` per chunk; without alt=sse it is one JSON array', async () => {
    const init = { method: 'POST', headers: { 'x-goog-api-key': 'g-key-a', 'content-type': 'application/json' }, body: JSON.stringify({ contents: [{ parts: [{ text: user }] }] }) };
    const sse = await (await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, init)).text();
    expect(sse.startsWith('data: {"candidates"')).toBe(true);
    expect(sse.endsWith('}\r\n\r\n')).toBe(true);
    const arr = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, init);
    expect(arr.headers.get('content-type')).toContain('application/json');
    const parsed = (await arr.json()) as { candidates: { content: { parts: { text: string }[] } }[] }[];
    expect(parsed.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe(defaultReplyText(user));
  });

  it('usage: false leaves usageMetadata out of every chunk', async () => {
    fake.enqueue({ usage: false });
    const chunks = [];
    for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: user })) chunks.push(c);
    expect(chunks.every((c) => c.usageMetadata === undefined)).toBe(true);
  });

  it('an in-stream error chunk → the SDK throws ApiError with its code', async () => {
    fake.enqueue({ streamError: { afterEvents: 2, status: 503 } });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: user })) seen.push(c.text ?? '');
    })().catch((e) => e);
    expect(seen).toHaveLength(2);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(503);
    expect(err.message).toContain('UNAVAILABLE');
  });
});

describe('errors, as the SDK maps them', () => {
  it('wrong key → 400 INVALID_ARGUMENT API_KEY_INVALID; no key → 403 PERMISSION_DENIED', async () => {
    const bad = new GoogleGenAI({ apiKey: 'g-wrong', httpOptions: { baseUrl: fake.url } });
    const err = await bad.models.generateContent({ model: 'gemini-2.5-flash', contents: user }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    const body = JSON.parse(err.message);
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' });
    expect(body.error.details[0].reason).toBe('API_KEY_INVALID');
    const none = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`, { method: 'POST', body: '{"contents":[]}' });
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: { status: string } }).error.status).toBe('PERMISSION_DENIED');
  });

  it('unknown model → 404 NOT_FOUND; scripted 429 → RESOURCE_EXHAUSTED with RetryInfo', async () => {
    const nf = await ai.models.generateContent({ model: 'gemini-9', contents: user }).catch((e) => e);
    expect(nf.status).toBe(404);
    expect(JSON.parse(nf.message).error.message).toContain('models/gemini-9 is not found');
    fake.enqueue({ status: 429, retryAfter: 12 });
    const rl = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: user }).catch((e) => e);
    expect(rl).toBeInstanceOf(ApiError);
    expect(rl.status).toBe(429);
    const body = JSON.parse(rl.message);
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' });
  });
});
