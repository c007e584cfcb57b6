/** POST /v1/count and /v1/tokenize inside workerd, checked against the tiktoken oracle. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ENCODINGS, oracle } from '../helpers/oracle.js';
import { startApi, type Api } from './helpers.js';
import { SAMPLE_TEXTS } from '../helpers/samples.js';

let api: Api;
beforeAll(async () => {
  api = await startApi('count');
});
afterAll(async () => {
  await api?.mf.dispose();
});

const texts = [...SAMPLE_TEXTS, ''];

describe.each(ALL_ENCODINGS)('encoding %s', (encoding) => {
  it('counts like tiktoken', async () => {
    for (const text of texts) {
      const r = await api.post('/v1/count', { encoding, text });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ tokens: oracle(encoding).encode_ordinary(text).length, encoding, exact: true });
    }
  });

  it('tokenizes like tiktoken, with offsets covering the text', async () => {
    for (const text of texts) {
      const r = await api.post('/v1/tokenize', { encoding, text });
      expect(r.status).toBe(200);
      const expected = Array.from(oracle(encoding).encode_ordinary(text));
      expect(r.body.ids).toEqual(expected);
      expect(r.body.count).toBe(expected.length);
      expect(r.body.encoding).toBe(encoding);
      expect(r.body.offsets).toHaveLength(expected.length);
      let pos = 0;
      for (const [s, e] of r.body.offsets as [number, number][]) {
        expect(s).toBe(pos);
        expect(e).toBeGreaterThanOrEqual(s);
        pos = e;
      }
      expect(pos).toBe(text.length);
    }
  });
});

it('offsets slice the text into the decoded tokens', async () => {
  const text = 'Tokens, highlighted: naïve café 東京 🎉';
  const r = await api.post('/v1/tokenize', { model: 'gpt-4o', text });
  const enc = oracle('o200k_base');
  const dec = new TextDecoder();
  // Tokens that end inside a multi-byte character have partial bytes, so compare the
  // concatenation of each character-aligned run instead of each token.
  const joined = (r.body.offsets as [number, number][]).map(([s, e]) => text.slice(s, e)).join('');
  expect(joined).toBe(text);
  expect(dec.decode(enc.decode(Uint32Array.from(r.body.ids)))).toBe(text);
});

it.each([
  ['gpt-4o', 'o200k_base'],
  ['gpt-4o-2024-08-06', 'o200k_base'],
  ['gpt-5', 'o200k_base'],
  ['gpt-4', 'cl100k_base'],
  ['gpt-3.5-turbo-0125', 'cl100k_base'],
  ['text-embedding-3-small', 'cl100k_base'],
  ['text-davinci-003', 'p50k_base'],
  ['davinci', 'r50k_base'],
  ['gpt-oss-120b', 'o200k_harmony'],
] as const)('model %s counts with %s', async (model, encoding) => {
  const text = texts.slice(0, 4).join('\n');
  const r = await api.post('/v1/count', { model, text });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ tokens: oracle(encoding).encode_ordinary(text).length, encoding, exact: true });
});

it('counts long runs without split points exactly (tiktoken is quadratic there, so kept oracle-sized)', async () => {
  const text = 'a'.repeat(20_000) + '^'.repeat(20_000) + ' word'.repeat(40_000);
  const r = await api.post('/v1/count', { encoding: 'cl100k_base', text });
  expect(r.status).toBe(200);
  expect(r.body.tokens).toBe(oracle('cl100k_base').encode_ordinary(text).length);
});

it('a ~1 MB pathological body is answered in linear time', async () => {
  const t0 = performance.now();
  const r = await api.post('/v1/count', { encoding: 'o200k_base', text: '^'.repeat(1_000_000) });
  expect(r.status).toBe(200);
  expect(r.body.tokens).toBeGreaterThan(1000);
  expect(performance.now() - t0).toBeLessThan(5000);
});

it('accepts JSON sent as text/plain or without a content type (CORS-simple requests)', async () => {
  for (const headers of [{ 'content-type': 'text/plain;charset=UTF-8' }, {}] as Record<string, string>[]) {
    const res = await api.fetch('/v1/count', { method: 'POST', headers, body: JSON.stringify({ encoding: 'o200k_base', text: 'Hello, world!' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ tokens: 4, encoding: 'o200k_base', exact: true });
  }
});
