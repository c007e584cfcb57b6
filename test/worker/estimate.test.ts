/** POST /v1/estimate and GET /v1/models inside workerd, checked against tiktoken and the price files. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/workerd.js';
import { oracle } from '../helpers/oracle.js';
import { errorFields, startApi, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await startApi('estimate');
});
afterAll(async () => {
  await api?.mf.dispose();
});

interface Bundle {
  models: { id: string; provider: string; aliases?: string[]; tokenizer?: { exact: boolean; encoding?: string; method?: string }; prices: Array<Record<string, unknown> & { since: string }>; context_window?: number; retired?: string }[];
}
const bundle = JSON.parse(readFileSync(resolve(root, 'dist/assets/pricing.json'), 'utf8')) as Bundle;
const latest = (id: string) => {
  const m = bundle.models.find((x) => x.id === id)!;
  return m.prices[m.prices.length - 1] as Record<string, string>;
};

/** Exact USD of `tokens` at `perMillion` $/MTok, as a reduced decimal string. */
function usd(parts: [number, string][]): string {
  const SCALE = 18;
  let total = 0n;
  for (const [tokens, price] of parts) {
    const [i, f = ''] = price.split('.');
    const units = BigInt(i + f.padEnd(SCALE, '0')); // price × 1e18
    total += (BigInt(tokens) * units) / 1_000_000n;
  }
  const s = total.toString().padStart(SCALE + 1, '0');
  const out = `${s.slice(0, -SCALE)}.${s.slice(-SCALE)}`.replace(/\.?0+$/, '');
  return out === '' ? '0' : out;
}

const prompt = 'You are a careful assistant. Summarize the following text in three bullet points:\n\n' + 'Tollgate counts tokens exactly at the edge. '.repeat(40);

describe('one model', () => {
  it('counts the input with tiktoken and prices it exactly', async () => {
    const r = await api.post('/v1/estimate', { model: 'gpt-4o', input: prompt, output_tokens: 500 });
    expect(r.status).toBe(200);
    const n = oracle('o200k_base').encode_ordinary(prompt).length;
    const p = latest('gpt-4o');
    const total = usd([
      [n, p.input],
      [500, p.output],
    ]);
    expect(r.body).toMatchObject({ model: 'gpt-4o', provider: 'openai', input_tokens: n, output_tokens: 500, total, currency: 'USD', exact: true, method: 'o200k_base' });
    expect(r.body.total_usd).toBeCloseTo(Number(total), 15);
    expect(r.body.lines).toEqual([
      { component: 'input', quantity: n, unit: 'token', unit_price: expect.any(String), cost: usd([[n, p.input]]) },
      { component: 'output', quantity: 500, unit: 'token', unit_price: expect.any(String), cost: usd([[500, p.output]]) },
    ]);
  });

  it('max_tokens is an alias of output_tokens; aliases resolve to the canonical id', async () => {
    const a = await api.post('/v1/estimate', { model: 'gpt-4o-2024-08-06', input_tokens: 1000, max_tokens: 250 });
    const b = await api.post('/v1/estimate', { model: 'gpt-4o', input_tokens: 1000, output_tokens: 250 });
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    expect(a.body.method).toBe('given');
  });

  it('counts chat messages with the cookbook overhead', async () => {
    const messages = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', name: 'alice', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris.' },
    ];
    const enc = oracle('o200k_base');
    let n = 3;
    for (const m of messages) {
      n += 3;
      for (const v of Object.values(m)) n += enc.encode_ordinary(v).length;
      if ('name' in m) n += 1;
    }
    const est = await api.post('/v1/estimate', { model: 'gpt-4o', messages, output_tokens: 0 });
    expect(est.status).toBe(200);
    expect(est.body.input_tokens).toBe(n);
    const count = await api.post('/v1/count', { model: 'gpt-4o', messages });
    expect(count.body).toEqual({ tokens: n, encoding: 'o200k_base', exact: true, model: 'gpt-4o' });
  });

  it('prices cache reads, batch and images', async () => {
    const p = latest('gpt-4o');
    const cached = await api.post('/v1/estimate', { model: 'gpt-4o', input_tokens: 10_000, output_tokens: 0, cache: { read_tokens: 4000 } });
    expect(cached.body.total).toBe(usd([[6000, p.input], [4000, p.cached_input]]));
    const ratio = await api.post('/v1/estimate', { model: 'gpt-4o', input_tokens: 10_000, output_tokens: 0, cache_hit_ratio: 0.4 });
    expect(ratio.body.total).toBe(cached.body.total);
    const batch = await api.post('/v1/estimate', { model: 'gpt-4o', input_tokens: 10_000, output_tokens: 1000, batch: true });
    expect(batch.body.total).toBe(usd([[5000, p.input], [500, p.output]]));
    // 1024×1024 high detail on gpt-4o: 768×768 → 4 tiles → 85 + 4×170 = 765 tokens.
    const img = await api.post('/v1/estimate', { model: 'gpt-4o', input_tokens: 0, images: [{ width: 1024, height: 1024, detail: 'high' }] });
    expect(img.status).toBe(200);
    expect(img.body.input_tokens).toBe(765);
  });

  it('labels estimates for models without a public tokenizer', async () => {
    const r = await api.post('/v1/estimate', { model: 'claude-sonnet-4-5', input: prompt, output_tokens: 100 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model: 'claude-sonnet-4-5', provider: 'anthropic', exact: false, method: 'claude-o200k-ratio' });
    expect(r.body.input_tokens).toBe(Math.ceil((oracle('o200k_base').encode_ordinary(prompt).length * 120) / 100));
    const c = await api.post('/v1/count', { model: 'claude-sonnet-4-5', text: prompt });
    expect(c.body).toEqual({ tokens: r.body.input_tokens, encoding: 'o200k_base', exact: false, model: 'claude-sonnet-4-5', method: 'claude-o200k-ratio' });
  });
});

describe('several models', () => {
  const models = ['claude-sonnet-4-5', 'gpt-4o', 'gemini-2.5-pro', 'gpt-4o-mini', 'deepseek-chat', 'grok-4', 'gpt-4'];

  it('returns {estimates} cheapest first, each equal to its single-model estimate', async () => {
    const r = await api.post('/v1/estimate', { models, input: prompt, output_tokens: 300, cache_hit_ratio: 0.25 });
    expect(r.status).toBe(200);
    const list = r.body.estimates as { model: string; total: string; total_usd: number }[];
    expect(list.map((e) => e.model).sort()).toEqual([...models].sort());
    for (let i = 1; i < list.length; i++) expect(list[i - 1].total_usd).toBeLessThanOrEqual(list[i].total_usd);
    for (const e of list) {
      const single = await api.post('/v1/estimate', { model: e.model, input: prompt, output_tokens: 300, cache_hit_ratio: 0.25 });
      expect(e).toEqual(single.body);
    }
  });

  it('works with messages and images too', async () => {
    const r = await api.post('/v1/estimate', { models: ['gpt-4o', 'gpt-4o-mini'], messages: [{ role: 'user', content: 'Describe this.' }], images: [{ width: 512, height: 512 }], output_tokens: 50 });
    expect(r.status).toBe(200);
    expect(r.body.estimates).toHaveLength(2);
    expect(r.body.estimates[0].model).toBe('gpt-4o');
  });
});

describe('errors', () => {
  it.each([
    [{ model: 'gpt-4o', models: ['gpt-4o'], input: 'x' }, 400, 'models'],
    [{ input: 'x' }, 400, 'model'],
    [{ models: [], input: 'x' }, 400, 'models'],
    [{ models: Array.from({ length: 33 }, () => 'gpt-4o'), input: 'x' }, 400, 'models'],
    [{ model: 'gpt-4o', input: 'x', input_tokens: 3 }, 400, 'input_tokens'],
    [{ model: 'gpt-4o', input: 'x', output_tokens: 1, max_tokens: 2 }, 400, 'max_tokens'],
    [{ model: 'gpt-4o', input: 'x', output_tokens: 1.5 }, 400, 'output_tokens'],
    [{ model: 'gpt-4o', input: 'x', cache: { read_tokens: -1 } }, 400, 'cache.read_tokens'],
    [{ model: 'gpt-4o', input: 'x', cache: { ttl: '2h' } }, 400, 'cache.ttl'],
    [{ model: 'gpt-4o', input: 'x', cache_hit_ratio: 2 }, 400, 'cache_hit_ratio'],
    [{ model: 'gpt-4o', input: 'x', images: [{ width: 0, height: 10 }] }, 400, 'images[0].width'],
    [{ model: 'gpt-4o', input: 'x', date: '2025-13-45' }, 400, 'date'],
    [{ model: 'gpt-4o', input_tokens: 10, cache: { read_tokens: 20 } }, 400, 'cache.read_tokens'],
    [{ model: 'gpt-4o', input_tokens: 10, date: '2020-01-01' }, 400, 'date'],
    [{ model: 'deepseek-chat', input: 'x', images: [{ width: 10, height: 10 }] }, 400, 'images'],
    [{ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] }, 400, 'messages[0].content[0].type'],
    [{ model: 'gtp-4o', input: 'x' }, 404, 'model'],
    [{ models: ['gpt-4o', 'claude-sonet-4-5'], input: 'x' }, 404, 'models[1]'],
  ])('%j → %i param %s', async (body, status, param) => {
    const r = await api.post('/v1/estimate', body);
    expect(r.status).toBe(status);
    const e = errorFields(r.body);
    expect(e).toMatchObject({ type: 'invalid_request_error', param });
    if (status === 404) {
      expect(e.code).toBe('model_not_found');
      expect(e.message).toMatch(/Did you mean '(gpt-4o|claude-sonnet-4-5)'/);
    }
  });
});

describe('models', () => {
  it('GET /v1/models lists current models grouped by provider, newest first, OpenAI-style, with prices', async () => {
    const r = await api.get('/v1/models');
    expect(r.status).toBe(200);
    expect(r.body.object).toBe('list');
    const today = new Date().toISOString().slice(0, 10);
    const current = bundle.models.filter((m) => !(m.retired && m.retired <= today));
    const key = (m: (typeof current)[number]) => `${m.provider}\u0000${String(99999999 - Number(m.prices[0]!.since.replaceAll('-', ''))).padStart(8, '0')}\u0000${m.id}`;
    expect(r.body.data.map((m: { id: string }) => m.id)).toEqual([...current].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((m) => m.id));
    expect(r.body.data.some((m: { id: string }) => m.id === 'claude-opus-4')).toBe(false);
    const all = await api.get('/v1/models?include_retired=true');
    expect(all.body.data.length).toBe(bundle.models.length);
    expect(all.body.data.find((m: { id: string }) => m.id === 'claude-opus-4')).toMatchObject({ retired: '2026-06-15', replacement: 'claude-opus-4-8' });
    for (const m of r.body.data) {
      const src = bundle.models.find((x) => x.id === m.id)!;
      expect(m).toMatchObject({ object: 'model', owned_by: src.provider, exact: src.tokenizer?.exact ?? false, context_window: src.context_window ?? null });
      expect(m.tokenizer).toBe(src.tokenizer ? (src.tokenizer.exact ? src.tokenizer.encoding : src.tokenizer.method) : null);
      expect(Number.isInteger(m.created)).toBe(true);
      expect(m.pricing.currency).toBe('USD');
    }
    const gpt4o = r.body.data.find((m: { id: string }) => m.id === 'gpt-4o');
    expect(gpt4o).toMatchObject({ tokenizer: 'o200k_base', exact: true, context_window: 128000, pricing: { input: '2.5', output: '10', cached_input: '1.25', unit: 'per_million_tokens' } });
    const claude = r.body.data.find((m: { id: string }) => m.id === 'claude-opus-4-6');
    expect(claude).toMatchObject({ owned_by: 'anthropic', tokenizer: 'claude-o200k-ratio', exact: false, pricing: { input: '5', output: '25', service_tiers: { fast: { input: '30' } } } });
  });

  it('filters by provider', async () => {
    const r = await api.get('/v1/models?provider=anthropic');
    const today = new Date().toISOString().slice(0, 10);
    expect(r.body.data.length).toBe(bundle.models.filter((m) => m.provider === 'anthropic' && !(m.retired && m.retired <= today)).length);
    expect(r.body.data.every((m: { owned_by: string }) => m.owned_by === 'anthropic')).toBe(true);
  });

  it('GET /v1/models/{id} by id, alias and slashed id', async () => {
    const a = await api.get('/v1/models/gpt-4o-2024-11-20');
    expect(a.status).toBe(200);
    expect(a.body.id).toBe('gpt-4o');
    const b = await api.get('/v1/models/together/meta-llama/Llama-3.3-70B-Instruct-Turbo');
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ id: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo', owned_by: 'together', object: 'model' });
    const c = await api.get(`/v1/models/${encodeURIComponent('groq/openai/gpt-oss-120b')}`);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ tokenizer: 'o200k_harmony', exact: true });
  });

  it('unknown model id → 404 with suggestions', async () => {
    const r = await api.get('/v1/models/claude-sonet-4');
    expect(r.status).toBe(404);
    const e = errorFields(r.body);
    expect(e).toMatchObject({ param: 'id', code: 'model_not_found' });
    expect(e.message).toMatch(/Did you mean 'claude-sonnet-4'/);
  });
});

describe('service tiers, regions, time of day and warnings over HTTP', () => {
  it('service_tier prices the tier and warnings are always present', async () => {
    const std = await api.post('/v1/estimate', { model: 'gpt-5.5', input_tokens: 1000, output_tokens: 100 });
    expect(std.status).toBe(200);
    expect(std.body).toMatchObject({ service_tier: 'standard', warnings: [] });
    const flex = await api.post('/v1/estimate', { model: 'gpt-5.5', input_tokens: 1000, output_tokens: 100, service_tier: 'flex' });
    expect(flex.body.service_tier).toBe('flex');
    expect(Number(flex.body.total) * 2).toBeCloseTo(Number(std.body.total), 12);
    const bad = await api.post('/v1/estimate', { model: 'claude-sonnet-5', input_tokens: 1, service_tier: 'fast' });
    expect(bad.status).toBe(400);
    expect(errorFields(bad.body).param).toBe('service_tier');
  });

  it('a timestamp picks the DeepSeek window; without one the range and a warning come back', async () => {
    const peak = await api.post('/v1/estimate', { model: 'deepseek-flash', input_tokens: 1_000_000, date: '2026-11-30T02:00:00Z' });
    expect(peak.body).toMatchObject({ total: '0.3', time_window: 'peak' });
    const range = await api.post('/v1/estimate', { model: 'deepseek-flash', input_tokens: 1_000_000, date: '2026-11-30' });
    expect(range.body).toMatchObject({ total: '0.3', range: { min: '0.15', max: '0.3' } });
    expect(range.body.warnings[0]).toMatch(/time of day/);
  });

  it('retired models and dated aliases carry warnings', async () => {
    const r = await api.post('/v1/estimate', { model: 'claude-sonnet-4', input_tokens: 10 });
    expect(r.body.warnings.join(' ')).toMatch(/retired on 2026-06-15/);
    const a = await api.post('/v1/estimate', { model: 'mistral-medium-latest', input_tokens: 10 });
    expect(a.body).toMatchObject({ model: 'mistral-medium-3-5', alias: 'mistral-medium-latest' });
  });
});
