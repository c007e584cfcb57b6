/** Properties over random requests and every model (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/runtime/node.js';
import { atto, bundle, sumLines } from './helpers.js';

const tokenModels = bundle.models.filter((m) => m.prices.at(-1)!.input !== undefined && m.prices.at(-1)!.output !== undefined).map((m) => m.id);
const model = fc.constantFrom(...tokenModels);
const count = fc.integer({ min: 0, max: 2_000_000 });

describe('cost properties', () => {
  it('never decreases with more input or output tokens (tiers included)', async () => {
    await fc.assert(
      fc.asyncProperty(model, count, count, count, count, async (m, a, b, o1, o2) => {
        const [i1, i2] = a <= b ? [a, b] : [b, a];
        const [x, y] = o1 <= o2 ? [o1, o2] : [o2, o1];
        const lo = await estimateCost({ model: m, inputTokens: i1, outputTokens: x });
        const hi = await estimateCost({ model: m, inputTokens: i2, outputTokens: y });
        expect(atto(hi.total) >= atto(lo.total)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('cached reads never cost more than uncached input', async () => {
    await fc.assert(
      fc.asyncProperty(model, count, fc.double({ min: 0, max: 1, noNaN: true }), async (m, n, r) => {
        const cached = await estimateCost({ model: m, inputTokens: n, cacheHitRatio: r });
        const plain = await estimateCost({ model: m, inputTokens: n });
        expect(atto(cached.total) <= atto(plain.total)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('batch is exactly half where the provider says 50%', async () => {
    const half = bundle.models.filter((m) => {
      const b = m.prices.at(-1)!.batch;
      return b && 'multiplier' in b && b.multiplier === '0.5' && m.prices.at(-1)!.output !== undefined;
    });
    expect(half.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...half.map((m) => m.id)), count, count, async (m, i, o) => {
        const full = await estimateCost({ model: m, inputTokens: i, outputTokens: o });
        const batch = await estimateCost({ model: m, inputTokens: i, outputTokens: o, batch: true });
        expect(atto(batch.total) * 2n).toBe(atto(full.total));
      }),
      { numRuns: 200 },
    );
  });

  it('total = sum of lines, and totalUsd is the total as a number', async () => {
    await fc.assert(
      fc.asyncProperty(model, count, count, fc.nat(1000), fc.nat(1000), fc.boolean(), async (m, i, o, r, w, h) => {
        const read = Math.min(r, i);
        const write = Math.min(w, i - read);
        const est = await estimateCost({ model: m, inputTokens: i, outputTokens: o, cache: { readTokens: read, writeTokens: write, ttl: h ? '1h' : '5m' } });
        expect(sumLines(est.lines)).toBe(atto(est.total));
        expect(est.totalUsd).toBe(Number(est.total));
      }),
      { numRuns: 300 },
    );
  });
});
