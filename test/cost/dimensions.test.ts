/**
 * The pricing dimensions of December 2026, each at its boundaries, priced from the source
 * price strings with test-side decimal arithmetic: inclusive and exclusive prompt-size tiers,
 * per-prompt-size tiers, service tiers (flex, priority, batch, fast), 30 m / 12 h cache writes,
 * cache storage per hour, time-of-day windows (and the range without a time), per-call tool
 * fees with free quotas, regional uplifts, and the warnings lifecycle data produces.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateCost, costFromUsage, getModel, loadPricing } from '../../src/runtime/node.js';
import { root } from '../helpers/workerd.js';
import { atto, sumLines, times, tokenCost, usd } from './helpers.js';

const runs = Number(process.env.TOLLGATE_PROPERTY_RUNS ?? 5000) / 25;

describe('prompt-size tiers: exclusive (> n) and inclusive (>= n), threshold ± 1', () => {
  // gpt-6-sol: "more than 272K" (exclusive); gpt-6-astra: from exactly 272K (inclusive).
  for (const [id, inclusive, base, tier] of [
    ['gpt-6-sol', false, ['2', '10'], ['4', '15']],
    ['gpt-6-astra', true, ['10', '50'], ['20', '75']],
  ] as const) {
    for (const n of [271_999, 272_000, 272_001]) {
      it(`${id} at ${n} prompt tokens`, async () => {
        const over = inclusive ? n >= 272_000 : n > 272_000;
        const [pin, pout] = over ? tier : base;
        const est = await estimateCost({ model: id, inputTokens: n, outputTokens: 1000 });
        expect(est.total).toBe(usd(tokenCost(pin, n) + tokenCost(pout, 1000)));
      });
    }
  }

  it('Grok 4.6: "≥ 200k" bills a prompt of exactly 200 000 at the higher rate', async () => {
    const at = await estimateCost({ model: 'grok-4.6', inputTokens: 200_000 });
    const below = await estimateCost({ model: 'grok-4.6', inputTokens: 199_999 });
    expect(at.total).toBe(usd(tokenCost('4', 200_000)));
    expect(below.total).toBe(usd(tokenCost('2', 199_999)));
  });

  it('Claude Haiku 5.5: prompts over 100 000 tokens (cache reads and writes included) pay the higher row on every token', async () => {
    const opts = { model: 'claude-haiku-5-5', outputTokens: 2000, cache: { readTokens: 40_000, writeTokens: 10_000 } };
    const at = await estimateCost({ ...opts, inputTokens: 100_000 });
    expect(at.total).toBe(usd(tokenCost('0.1', 50_000) + tokenCost('0.01', 40_000) + tokenCost('0.125', 10_000) + tokenCost('0.5', 2000)));
    const over = await estimateCost({ ...opts, inputTokens: 100_001 });
    expect(over.total).toBe(usd(tokenCost('0.5', 50_001) + tokenCost('0.05', 40_000) + tokenCost('0.625', 10_000) + tokenCost('2.5', 2000)));
  });
});

describe('service tiers', () => {
  it('OpenAI priority uses its own prices; flex and batch are half of standard', async () => {
    const o = { model: 'gpt-5.5', inputTokens: 10_000, outputTokens: 1000, cache: { readTokens: 4000 } };
    const std = await estimateCost(o);
    expect(std.serviceTier).toBe('standard');
    const pri = await estimateCost({ ...o, serviceTier: 'priority' });
    expect(pri.total).toBe(usd(tokenCost('12.5', 6000) + tokenCost('1.25', 4000) + tokenCost('75', 1000)));
    expect(pri.serviceTier).toBe('priority');
    for (const tier of ['flex', 'batch'] as const) expect(atto((await estimateCost({ ...o, serviceTier: tier })).total) * 2n).toBe(atto(std.total));
    expect((await estimateCost({ ...o, batch: true })).total).toBe((await estimateCost({ ...o, serviceTier: 'batch' })).total);
  });

  it('OpenAI request values map to tiers: default / auto → standard; scale is standard with a warning', async () => {
    const o = { model: 'gpt-5.5', inputTokens: 1000 };
    expect((await estimateCost({ ...o, serviceTier: 'default' })).total).toBe((await estimateCost(o)).total);
    expect((await estimateCost({ ...o, serviceTier: 'auto' })).serviceTier).toBe('standard');
    expect((await estimateCost({ ...o, serviceTier: 'scale' })).warnings.join(' ')).toMatch(/reserved capacity/);
  });

  it('priority excludes long context: crossing the tier is an error naming serviceTier', async () => {
    await expect(estimateCost({ model: 'gpt-5.5', inputTokens: 271_999, serviceTier: 'priority' })).resolves.toBeDefined();
    await expect(estimateCost({ model: 'gpt-5.5', inputTokens: 272_000, serviceTier: 'priority' })).rejects.toMatchObject({ name: 'CostInputError', field: 'serviceTier' });
  });

  it('flex keeps the long-context tier and halves it', async () => {
    const est = await estimateCost({ model: 'gpt-5.5', inputTokens: 300_000, outputTokens: 10, serviceTier: 'flex' });
    expect(est.total).toBe(usd(times(tokenCost('10', 300_000) + tokenCost('45', 10), '0.5')));
  });

  it('Anthropic fast mode: Opus 4.6 explicit prices with their own >200K row; Opus 5.5 at 2x', async () => {
    const a = await estimateCost({ model: 'claude-opus-4-6', inputTokens: 200_000, outputTokens: 100, serviceTier: 'fast' });
    expect(a.total).toBe(usd(tokenCost('30', 200_000) + tokenCost('150', 100)));
    const b = await estimateCost({ model: 'claude-opus-4-6', inputTokens: 200_001, outputTokens: 100, serviceTier: 'fast' });
    expect(b.total).toBe(usd(tokenCost('60', 200_001) + tokenCost('225', 100)));
    const c = await estimateCost({ model: 'claude-opus-5-5', inputTokens: 1000, outputTokens: 100, serviceTier: 'fast' });
    expect(c.total).toBe(usd(tokenCost('8', 1000) + tokenCost('40', 100)));
  });

  it('Google priority 1.8x and flex 50%', async () => {
    const o = { model: 'gemini-3.7-flash', inputTokens: 123_457, outputTokens: 999, date: '2026-12-02' };
    const std = atto((await estimateCost(o)).total);
    expect(atto((await estimateCost({ ...o, serviceTier: 'priority' })).total)).toBe(times(std, '1.8'));
    expect(atto((await estimateCost({ ...o, serviceTier: 'flex' })).total) * 2n).toBe(std);
  });

  it('a tier the model does not offer, or contradicting batch, is a clear error', async () => {
    await expect(estimateCost({ model: 'claude-sonnet-5', inputTokens: 1, serviceTier: 'fast' })).rejects.toMatchObject({ field: 'serviceTier', message: expect.stringMatching(/offers standard, batch/) });
    await expect(estimateCost({ model: 'gpt-5.5', inputTokens: 1, serviceTier: 'flex', batch: true })).rejects.toMatchObject({ field: 'batch' });
    await expect(estimateCost({ model: 'gpt-5.5', inputTokens: 1, serviceTier: 'turbo' as never })).rejects.toMatchObject({ field: 'serviceTier' });
  });

  it('costFromUsage takes serviceTier, and the response\'s own service_tier when none is given', async () => {
    const usage = { prompt_tokens: 10_000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 0 } };
    const pri = await costFromUsage('gpt-5.5', usage, { serviceTier: 'priority' });
    expect(pri.total).toBe(usd(tokenCost('12.5', 10_000) + tokenCost('75', 100)));
    const fromResponse = await costFromUsage('gpt-5.5', { service_tier: 'flex', usage });
    expect(atto(fromResponse.total) * 2n).toBe(atto((await costFromUsage('gpt-5.5', usage)).total));
    const unpriced = await costFromUsage('claude-sonnet-5', { input_tokens: 10, output_tokens: 1, service_tier: 'priority' });
    expect(unpriced.serviceTier).toBe('standard');
    expect(unpriced.warnings.join(' ')).toMatch(/no separate price/);
  });
});

describe('cache writes by lifetime and storage', () => {
  it('OpenAI GPT-6 bills 30 m and 12 h writes at the write price', async () => {
    for (const ttl of ['30m', '12h'] as const) {
      const est = await estimateCost({ model: 'gpt-6-sol', inputTokens: 10_000, cache: { writeTokens: 4000, ttl } });
      expect(est.total).toBe(usd(tokenCost('2', 6000) + tokenCost('2.5', 4000)));
      expect(est.lines.map((l) => l.component)).toEqual(['input', `cache_write_${ttl}`]);
    }
  });

  it('storage: tokens × hours at the per-hour price, exact to 1e-24 USD', async () => {
    const est = await estimateCost({ model: 'gemini-3.7-flash', inputTokens: 0, cache: { storage: { tokens: 1_000_001, hours: 1.5 } } });
    // $0.50 per 1M tokens per hour × 1 000 001 tokens × 1.5 h = $0.75000075
    expect(est.total).toBe('0.75000075');
    expect(est.lines[0]).toMatchObject({ component: 'cache_storage', unit: 'token_hour', quantity: 1_500_001.5 });
    // One token for one second: 0.5e-6 / 3600 USD, rounded half up at 1e-24.
    const tiny = await estimateCost({ model: 'gemini-3.7-flash', inputTokens: 0, cache: { storage: { tokens: 1, hours: 1 / 3600 } } });
    expect(tiny.total).toBe('0.000000000138888888888889');
    await expect(estimateCost({ model: 'gpt-5.5', inputTokens: 0, cache: { storage: { tokens: 1, hours: 1 } } })).rejects.toMatchObject({ field: 'cache.storage' });
  });
});

describe('time-of-day prices (DeepSeek peak 01:00–04:00 and 06:00–10:00 UTC, Monday to Friday)', () => {
  const o = { model: 'deepseek-flash', inputTokens: 1_000_000, outputTokens: 1_000_000 };
  const offPeak = usd(tokenCost('0.15', 1_000_000) + tokenCost('0.6', 1_000_000));
  const peak = usd(tokenCost('0.3', 1_000_000) + tokenCost('1.2', 1_000_000));
  // 2026-11-30 is a Monday, 2026-12-05 a Saturday.
  for (const [at, want, label] of [
    ['2026-11-30T00:59:00Z', offPeak, 'standard'],
    ['2026-11-30T01:00:00Z', peak, 'peak'],
    ['2026-11-30T03:59:00Z', peak, 'peak'],
    ['2026-11-30T04:00:00Z', offPeak, 'standard'],
    ['2026-11-30T09:59:59Z', peak, 'peak'],
    ['2026-11-30T10:00:00Z', offPeak, 'standard'],
    ['2026-12-05T02:00:00Z', offPeak, 'standard'],
  ] as const) {
    it(`${at}: ${label}`, async () => {
      const est = await estimateCost({ ...o, date: at });
      expect(est.total).toBe(want);
      expect(est.timeWindow).toBe(label);
      expect(est.range).toBeUndefined();
    });
  }

  it('a Date object picks the window too (+08:00 offsets are converted)', async () => {
    expect((await estimateCost({ ...o, date: new Date('2026-11-30T02:30:00Z') })).total).toBe(peak);
    expect((await estimateCost({ ...o, date: '2026-11-30T10:30:00+08:00' })).total).toBe(peak);
  });

  it('without a time: the range over the day, the highest as total, and a warning', async () => {
    for (const date of [undefined, '2026-12-02'] as const) {
      const est = await estimateCost(date ? { ...o, date } : o);
      expect(est.range).toEqual({ min: offPeak, max: peak });
      expect(est.total).toBe(peak);
      expect(est.warnings.join(' ')).toMatch(/priced by time of day/);
    }
  });
});

describe('lifecycle: warnings on every estimate', () => {
  it('a retired model still prices history, with a warning naming the replacement', async () => {
    const est = await estimateCost({ model: 'claude-opus-4', inputTokens: 1000 });
    expect(est.warnings.join(' ')).toMatch(/retired on 2026-06-15.*claude-opus-4-8/);
    const before = await estimateCost({ model: 'claude-opus-4', inputTokens: 1000, date: '2026-01-01' });
    expect(before.warnings).toEqual([]);
  });

  it('a deprecated name warns; an active model has none', async () => {
    expect((await estimateCost({ model: 'deepseek-v4-flash', inputTokens: 1, date: '2026-12-02T12:00:00Z' })).warnings.join(' ')).toMatch(/deprecated.*deepseek-flash/);
    expect((await estimateCost({ model: 'claude-sonnet-5', inputTokens: 1 })).warnings).toEqual([]);
  });

  it('dated aliases resolve by date and say what they resolved to', async () => {
    const old = await estimateCost({ model: 'mistral-medium-latest', inputTokens: 1_000_000, date: '2026-01-01' });
    expect(old.model).toBe('mistral-medium-3');
    expect(old.total).toBe('0.4');
    const now = await estimateCost({ model: 'mistral-medium-latest', inputTokens: 1_000_000 });
    expect(now.model).toBe('mistral-medium-3-5');
    expect(now.alias).toBe('mistral-medium-latest');
    expect(now.warnings[0]).toMatch(/'mistral-medium-latest' is an alias .* mistral-medium-3-5/);
    expect(getModel('ministral-8b-latest').id).toBe('ministral-8b-2512');
  });

  it('a scheduled price change is announced before it applies, and applies on its day', async () => {
    const before = await estimateCost({ model: 'gemini-3.8-flash', inputTokens: 1_000_000, date: '2026-12-31' });
    expect(before.total).toBe('0.75');
    expect(before.warnings.join(' ')).toMatch(/prices change on 2027-01-01/);
    expect((await estimateCost({ model: 'gemini-3.8-flash', inputTokens: 1_000_000, date: '2027-01-01' })).total).toBe('1.5');
  });
});

describe('tool fees with free quotas and regional uplifts (signed fixture table)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  const original = readFileSync(`${root}/dist/assets/pricing.json`, 'utf8');
  const load = (text: string) => loadPricing(new TextEncoder().encode(text), sign(null, Buffer.from(text), privateKey).toString('base64'), pub);
  afterAll(async () => {
    await load(original);
  });

  it('installs a table with a grounding quota and regions', async () => {
    const b = JSON.parse(original);
    const m = b.models.find((x: { id: string }) => x.id === 'gemini-3.5-flash');
    const p = m.prices.at(-1);
    p.tools = { google_search: { per_thousand: '14', free: 5000, free_per: 'month' }, web_search: { per_thousand: '10' } };
    p.regions = { eu: { multiplier: '1.1' } };
    b.version = '2026-12-02+0123456789ab';
    await load(JSON.stringify(b));
  });

  it('free calls left in the quota are not billed; the rest are, per call', async () => {
    const o = { model: 'gemini-3.5-flash', inputTokens: 0 };
    expect((await estimateCost({ ...o, toolCalls: { google_search: 3 } })).total).toBe('0');
    expect((await estimateCost({ ...o, toolCalls: { google_search: 3 }, toolQuotaUsed: { google_search: 4998 } })).total).toBe('0.014');
    expect((await estimateCost({ ...o, toolCalls: { google_search: 3 }, toolQuotaUsed: { google_search: 4999 } })).total).toBe('0.028');
    const used = await estimateCost({ ...o, toolCalls: { google_search: 3, web_search: 1 }, toolQuotaUsed: { google_search: 9999 } });
    expect(used.total).toBe('0.052');
    expect(used.lines).toEqual([
      { component: 'google_search', quantity: 3, unit: 'call', unitPrice: '0.014', cost: '0.042' },
      { component: 'web_search', quantity: 1, unit: 'call', unitPrice: '0.01', cost: '0.01' },
    ]);
    await expect(estimateCost({ ...o, toolCalls: { file_search: 1 } })).rejects.toMatchObject({ field: 'toolCalls.file_search' });
  });

  it('Gemini grounding counts come from the response (one call per search query)', async () => {
    const response = { candidates: [{ groundingMetadata: { webSearchQueries: ['a', 'b'] } }], usageMetadata: { promptTokenCount: 0, candidatesTokenCount: 0 } };
    expect((await costFromUsage('gemini-3.5-flash', response, { toolQuotaUsed: { google_search: 5000 } })).total).toBe('0.028');
  });

  it('a regional uplift multiplies every line exactly', async () => {
    const o = { model: 'gemini-3.5-flash', inputTokens: 1_234_567, outputTokens: 7, toolCalls: { web_search: 1 } };
    const plain = await estimateCost(o);
    const eu = await estimateCost({ ...o, region: 'EU' });
    expect(eu.region).toBe('eu');
    expect(atto(eu.total)).toBe(times(atto(plain.total), '1.1'));
    expect(sumLines(eu.lines)).toBe(atto(eu.total));
    await expect(estimateCost({ ...o, region: 'us' })).rejects.toMatchObject({ field: 'region', message: expect.stringMatching(/it has eu/) });
  });

  it('property: uplift × tier × cache stays exact and total = sum of lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(3_000_000), fc.nat(100_000), fc.nat(1000), fc.constantFrom('standard', 'flex', 'batch') as fc.Arbitrary<'standard' | 'flex' | 'batch'>, async (i, o, r, tier) => {
        const read = Math.min(r, i);
        const base = { model: 'gemini-3.5-flash', inputTokens: i, outputTokens: o, cache: { readTokens: read }, serviceTier: tier };
        const plain = await estimateCost(base);
        const eu = await estimateCost({ ...base, region: 'eu' });
        expect(atto(eu.total)).toBe(times(atto(plain.total), '1.1'));
        expect(sumLines(eu.lines)).toBe(atto(eu.total));
      }),
      { numRuns: runs },
    );
  });
});

describe('properties over every model and tier it offers', () => {
  it('priority ≥ standard ≥ flex/batch, time range min ≤ max, and total = sum of lines', async () => {
    const { listModels } = await import('../../src/runtime/node.js');
    const priced = listModels().filter((m) => !m.retired && m.prices.at(-1)!.input !== undefined && m.prices.at(-1)!.output !== undefined);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...priced.map((m) => m.id)), fc.nat(250_000), fc.nat(50_000), async (id, i, o) => {
        const std = await estimateCost({ model: id, inputTokens: i, outputTokens: o });
        expect(sumLines(std.lines)).toBe(atto(std.total));
        if (std.range) expect(atto(std.range.min) <= atto(std.range.max)).toBe(true);
        const p = getModel(id).prices.at(-1)!;
        if (p.service_tiers?.priority && i < 200_000) expect(atto((await estimateCost({ model: id, inputTokens: i, outputTokens: o, serviceTier: 'priority' })).total) >= atto(std.total)).toBe(true);
        for (const t of ['flex', 'batch'] as const) {
          if (t === 'flex' ? p.service_tiers?.flex : p.batch) expect(atto((await estimateCost({ model: id, inputTokens: i, outputTokens: o, serviceTier: t })).total) <= atto(std.total)).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });
});
