/** The learned token ratio: bounded, size-weighted, outlier-resistant, and honest about its samples. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSample, emptyRatio, estimateRatio, MAX_RATIO, MIN_RATIO, MIN_SAMPLES } from '../../src/proxy/health/token-ratio.js';

describe('learned token ratio', () => {
  it('needs MIN_SAMPLES samples before it answers', () => {
    const s = emptyRatio();
    for (let i = 0; i < MIN_SAMPLES - 1; i++) addSample(s, 120, 100);
    expect(estimateRatio(s)).toBeUndefined();
    addSample(s, 120, 100);
    expect(estimateRatio(s)).toMatchObject({ samples: MIN_SAMPLES });
    expect(estimateRatio(s)!.ratio).toBeCloseTo(1.2, 1);
  });

  it('finds the true ratio through noise and 10% wild outliers; large prompts weigh more', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.8, max: 1.6, noNaN: true }), fc.integer({ min: 1, max: 2 ** 31 }), (truth, seed) => {
        let x = seed;
        const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const s = emptyRatio();
        for (let i = 0; i < 300; i++) {
          const counted = 50 + Math.floor(rnd() * 5000);
          const outlier = rnd() < 0.1;
          const reported = outlier ? counted * (rnd() < 0.5 ? 0.2 : 9) : counted * truth * (0.97 + rnd() * 0.06);
          addSample(s, Math.round(reported), counted);
        }
        const e = estimateRatio(s)!;
        expect(Math.abs(e.ratio - truth) / truth).toBeLessThan(0.04);
        expect(e.p10).toBeLessThanOrEqual(e.ratio);
        expect(e.p90).toBeGreaterThanOrEqual(e.ratio);
      }),
      { numRuns: 100 },
    );
    // A tiny prompt dominated by fixed overheads barely moves an estimate built on real prompts.
    const s = emptyRatio();
    for (let i = 0; i < 30; i++) addSample(s, 1100, 1000);
    for (let i = 0; i < 30; i++) addSample(s, 30, 10);
    expect(estimateRatio(s)!.ratio).toBeCloseTo(1.1, 1);
  });

  it('is bounded, ignores nonsense, and follows a change of tokenizer', () => {
    const s = emptyRatio();
    for (let i = 0; i < 50; i++) addSample(s, 1_000_000, 10);
    expect(estimateRatio(s)!.ratio).toBeLessThanOrEqual(MAX_RATIO);
    for (const [r, c] of [[0, 10], [10, 0], [NaN, 5], [-3, 4], [Infinity, 2]]) addSample(s, r!, c!);
    expect(estimateRatio(s)!.samples).toBe(50);
    const t = emptyRatio();
    for (let i = 0; i < 50; i++) addSample(t, 1, 100);
    expect(estimateRatio(t)!.ratio).toBeGreaterThanOrEqual(MIN_RATIO);
    const u = emptyRatio();
    for (let i = 0; i < 500; i++) addSample(u, 1000, 1000);
    for (let i = 0; i < 2500; i++) addSample(u, 1300, 1000);
    expect(estimateRatio(u)!.ratio).toBeCloseTo(1.3, 1);
  });
});
