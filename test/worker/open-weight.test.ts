/**
 * The worker counts and prices Llama 3, Qwen, DeepSeek V3 and Gemini 2.x models exactly: the pricing
 * table maps them to the open-weight encodings, whose vocabularies the worker loads from its
 * static assets on first use (never bundled), with Hugging Face's counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './helpers.js';
import { hfOracle } from '../helpers/hf-oracle.js';
import { SAMPLE_TEXTS } from '../helpers/samples.js';

let api: Api;
beforeAll(async () => {
  api = await startApi('open-weight');
});
afterAll(async () => {
  await api?.mf.dispose();
});

const text = SAMPLE_TEXTS.join('\n');

describe.each([
  ['groq/llama-3.3-70b-versatile', 'llama3'],
  ['together/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', 'llama3'],
  ['groq/qwen/qwen3-32b', 'qwen2'],
  ['deepseek-chat', 'deepseek_v3'],
  ['gemini-2.5-flash', 'gemma3'],
] as const)('%s', (model, encoding) => {
  it(`/v1/count is exact with ${encoding}`, async () => {
    const [ids] = await hfOracle(encoding).ordinary([text]);
    const r = await api.post('/v1/count', { model, text });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tokens: ids!.length, exact: true });
  });

  it('/v1/estimate prices that count, marked exact', async () => {
    const [ids] = await hfOracle(encoding).ordinary([text]);
    const r = await api.post('/v1/estimate', { model, input: text, output_tokens: 10 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ input_tokens: ids!.length, exact: true, method: encoding });
  });
});

it('/v1/count and /v1/tokenize take the open-weight encodings by name', async () => {
  const [ids] = await hfOracle('qwen2').ordinary([text]);
  const c = await api.post('/v1/count', { encoding: 'qwen2', text });
  expect(c.body).toMatchObject({ tokens: ids!.length, encoding: 'qwen2', exact: true });
  const t = await api.post('/v1/tokenize', { encoding: 'deepseek_v3', text: 'Hello, 世界 12345' });
  const [dids] = await hfOracle('deepseek_v3').ordinary(['Hello, 世界 12345']);
  expect(t.body.ids).toEqual(dids);
});

it('Llama 4 and Gemini 3.1+ stay labelled estimates', async () => {
  for (const model of ['groq/meta-llama/llama-4-scout-17b-16e-instruct', 'gemini-3-flash-preview', 'gemini-3.1-pro-preview']) {
    const r = await api.post('/v1/count', { model, text: 'hello world' });
    expect(r.status).toBe(200);
    expect(r.body.exact).toBe(false);
  }
});
