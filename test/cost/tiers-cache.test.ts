/** Long-context tiers (cliffs at threshold ±1), cache reads and writes, batch, exact decimals. */
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/runtime/node.js';
import { atto, latest, sumLines, times, tokenCost, usd } from './helpers.js';

describe('long-context tiers bill the whole request at the tier rate once input > threshold', () => {
  for (const id of ['claude-sonnet-4', 'gemini-2.5-pro', 'gemini-3-pro-preview']) {
    const p = latest(id);
    const tier = p.tiers![0]!;
    for (const n of [tier.threshold - 1, tier.threshold, tier.threshold + 1]) {
      it(`${id} at ${n} input tokens`, async () => {
        const over = n > tier.threshold;
        const est = await estimateCost({ model: id, inputTokens: n, outputTokens: 1000, cache: { readTokens: 10_000 } });
        const pin = over ? tier.input : p.input!;
        const pout = over ? (tier.output ?? p.output!) : p.output!;
        const pread = over ? (tier.cached_input ?? p.cached_input!) : p.cached_input!;
        const want = tokenCost(pin, n - 10_000) + tokenCost(pout, 1000) + tokenCost(pread, 10_000);
        expect(est.total).toBe(usd(want));
      });
    }
  }

  it('image and audio tokens count toward the threshold', async () => {
    const p = latest('gemini-2.5-pro');
    // 199 900 text tokens + one 1000×1000 image (4 tiles × 258 = 1032) crosses 200 000.
    const est = await estimateCost({ model: 'gemini-2.5-pro', inputTokens: 199_900, images: [{ width: 1000, height: 1000 }] });
    expect(est.total).toBe(usd(tokenCost(p.tiers![0]!.input, 199_900 + 1032)));
  });

  it('cache writes follow the tier too (Claude Sonnet 4.5 > 200k, before the 1M beta was retired)', async () => {
    const est = await estimateCost({ model: 'claude-sonnet-4-5', inputTokens: 300_000, cache: { writeTokens: 100_000, ttl: '1h' }, date: '2026-01-01' });
    expect(est.total).toBe(usd(tokenCost('6', 200_000) + tokenCost('12', 100_000)));
  });
});

describe('prompt caching', () => {
  it('Anthropic: read 0.1×, write 1.25× (5 min) and 2× (1 h)', async () => {
    const est = await estimateCost({ model: 'claude-sonnet-4-5', inputTokens: 12_000, outputTokens: 500, cache: { readTokens: 4000, writeTokens: 2000, ttl: '5m' } });
    expect(est.total).toBe(usd(tokenCost('3', 6000) + tokenCost('0.3', 4000) + tokenCost('3.75', 2000) + tokenCost('15', 500)));
    expect(est.lines.map((l) => l.component)).toEqual(['input', 'cache_read', 'cache_write_5m', 'output']);
    const h = await estimateCost({ model: 'claude-sonnet-4-5', inputTokens: 12_000, cache: { writeTokens: 2000, ttl: '1h' } });
    expect(h.lines.find((l) => l.component === 'cache_write_1h')).toMatchObject({ quantity: 2000, unitPrice: '0.000006', cost: '0.012' });
  });

  it('OpenAI: cached input at its own price; writes cost the plain input price', async () => {
    const est = await estimateCost({ model: 'gpt-4.1', inputTokens: 10_000, cache: { readTokens: 8000, writeTokens: 2000 } });
    expect(est.total).toBe(usd(tokenCost('0.5', 8000) + tokenCost('2', 2000)));
  });

  it('cacheHitRatio reads that fraction of the input (rounded down)', async () => {
    const a = await estimateCost({ model: 'gpt-5', inputTokens: 10_001, cacheHitRatio: 0.8 });
    expect(a.total).toBe(usd(tokenCost('0.125', 8000) + tokenCost('1.25', 2001)));
  });

  it('DeepSeek cache hits at their own price', async () => {
    const p = latest('deepseek-chat');
    const est = await estimateCost({ model: 'deepseek-chat', inputTokens: 1000, cache: { readTokens: 1000 } });
    expect(est.total).toBe(usd(tokenCost(p.cached_input!, 1000)));
  });
});

describe('batch', () => {
  it('is half price on every token line, caching included (Anthropic)', async () => {
    const opts = { model: 'claude-opus-4-1', inputTokens: 50_000, outputTokens: 3000, cache: { readTokens: 20_000, writeTokens: 5000 } };
    const full = await estimateCost(opts);
    const half = await estimateCost({ ...opts, batch: true });
    expect(atto(half.total) * 2n).toBe(atto(full.total));
  });
});

describe('exact decimals', () => {
  it('1 token at $0.075/M is "0.000000075"', async () => {
    const est = await estimateCost({ model: 'gemini-2.0-flash-lite', inputTokens: 1 });
    expect(est.total).toBe('0.000000075');
    expect(est.totalUsd).toBe(0.000000075);
    expect(est.lines).toEqual([{ component: 'input', quantity: 1, unit: 'token', unitPrice: '0.000000075', cost: '0.000000075' }]);
  });

  it('stays exact at 1e12 tokens and totals above $1e12 (no float, no overflow)', async () => {
    const est = await estimateCost({ model: 'gpt-5-pro', inputTokens: 1e12, outputTokens: 1e12 });
    expect(est.total).toBe(usd(tokenCost('15', 1e12) + tokenCost('120', 1e12)));
    expect(est.total).toBe('135000000');
    // Sum of many odd lines: float addition would drift, integers do not.
    const odd = await estimateCost({ model: 'command-r7b-12-2024', inputTokens: 999_999_999_999, outputTokens: 333_333_333_333 });
    expect(odd.total).toBe(usd(tokenCost('0.0375', 999_999_999_999n) + tokenCost('0.15', 333_333_333_333n)));
    expect(sumLines(odd.lines)).toBe(atto(odd.total));
  });

  it('zero tokens cost "0"', async () => {
    const est = await estimateCost({ model: 'gpt-4o', inputTokens: 0 });
    expect(est.total).toBe('0');
    expect(est.totalUsd).toBe(0);
  });

  it('price history: the period in force on the date', async () => {
    const old = await estimateCost({ model: 'o3', inputTokens: 1_000_000, date: '2025-05-01' });
    const now = await estimateCost({ model: 'o3', inputTokens: 1_000_000, date: new Date('2025-07-01T00:00:00Z') });
    expect(old.total).toBe('10');
    expect(now.total).toBe('2');
    expect(times(atto(now.total), '5')).toBe(atto(old.total));
  });
});
