/** Every model in the pricing table, priced from its source price strings with test-side decimal arithmetic. */
import { describe, expect, it } from 'vitest';
import { estimateCost as estimate, CostInputError } from '../../src/runtime/node.js';
import { atto, bundle, sumLines, times, tokenCost, usd } from './helpers.js';

const IN = 123_457;
const OUT = 6_543;
const READ = 1_000;
const WRITE = 500;

// Noon UTC: outside every time-of-day window in the table (DeepSeek's peak hours are 01-04 and 06-10).
const NOON = `${new Date().toISOString().slice(0, 10)}T12:00:00Z`;

describe.each(bundle.models.map((m) => [m.id, m] as const))('%s', (id, m) => {
  // The period in force today, and the prompt-size tier IN tokens fall in (if any).
  const today = NOON.slice(0, 10);
  const period = [...m.prices].reverse().find((x) => x.since <= today) ?? m.prices[0]!;
  const tier = [...(period.tiers ?? [])].reverse().find((t) => (t.inclusive ? IN >= t.threshold : IN > t.threshold));
  const p = { ...period, ...(tier ?? {}) };
  const estimateCost = (o: Parameters<typeof estimate>[0]) => estimate({ date: NOON, ...o });

  if (p.input !== undefined) {
    it('input + output + cache read + cache write (5m), from the source price strings', async () => {
      const opts: Parameters<typeof estimateCost>[0] = { model: id, inputTokens: IN, cache: { readTokens: READ, writeTokens: WRITE, ttl: '5m' } };
      if (p.output !== undefined) opts.outputTokens = OUT;
      const est = await estimateCost(opts);
      let want = tokenCost(p.input!, IN - READ - WRITE);
      want += tokenCost(p.cached_input ?? p.input!, READ);
      want += tokenCost(p.cache_write_5m ?? p.input!, WRITE);
      if (p.output !== undefined) want += tokenCost(p.output, OUT);
      if (p.per_request !== undefined) want += atto(p.per_request);
      expect(est.total).toBe(usd(want));
      expect(sumLines(est.lines)).toBe(want);
      expect(est.model).toBe(m.id);
      expect(est.provider).toBe(m.provider);
      expect(est.inputTokens).toBe(IN);
    });

    it('cache writes with a 1 h lifetime', async () => {
      const est = await estimateCost({ model: id, inputTokens: IN, cache: { writeTokens: WRITE, ttl: '1h' } });
      const want = tokenCost(p.input!, IN - WRITE) + tokenCost(p.cache_write_1h ?? p.input!, WRITE);
      expect(est.lines.find((l) => l.component === 'cache_write_1h')?.quantity).toBe(WRITE);
      expect(est.total).toBe(usd(want + (p.per_request ? atto(p.per_request) : 0n)));
    });

    it(period.batch ? 'batch prices' : 'batch is refused (no Batch API price)', async () => {
      const run = () => estimateCost({ model: id, inputTokens: IN, outputTokens: p.output ? OUT : 0, batch: true });
      if (!period.batch) {
        await expect(run()).rejects.toMatchObject({ name: 'CostInputError', field: 'batch' });
        return;
      }
      const base = tokenCost(p.input!, IN) + (p.output ? tokenCost(p.output, OUT) : 0n);
      const b = period.batch;
      const want = 'multiplier' in b ? times(base, b.multiplier) : tokenCost(b.input, IN) + (p.output ? tokenCost(b.output, OUT) : 0n);
      expect((await run()).total).toBe(usd(want));
    });
  }

  if (p.per_minute !== undefined) {
    it('per-minute audio (seconds rounded up)', async () => {
      const est = await estimateCost({ model: id, audio: { inputSeconds: 89.2 } });
      // 90 s = 1.5 min.
      expect(est.total).toBe(usd(times(atto(p.per_minute!), '1.5')));
      expect(est.lines[0]).toMatchObject({ component: 'audio_input', unit: 'minute', quantity: 1.5, unitPrice: p.per_minute });
    });
  }

  if (p.per_million_characters !== undefined) {
    it('per-character speech, counted from the input text', async () => {
      const text = 'Hello, world! ✓ 👋'.repeat(10); // code points, not UTF-16 units
      const chars = [...text].length;
      const est = await estimateCost({ model: id, input: text });
      expect(est.total).toBe(usd(tokenCost(p.per_million_characters!, chars)));
      expect(est.lines[0]).toMatchObject({ unit: 'character', quantity: chars });
    });
  }

  it('labels token counts: exact for shipped encodings, estimated otherwise', async () => {
    if (!m.tokenizer) {
      if (p.per_million_characters !== undefined) expect((await estimateCost({ model: id, input: 'x' })).method).toBe('characters');
      else await expect(estimateCost({ model: id, input: 'x' })).rejects.toMatchObject({ name: 'CostInputError', field: 'input' });
      return;
    }
    const est = await estimateCost({ model: id, input: 'The quick brown fox jumps over the lazy dog.' });
    expect(est.exact).toBe(m.tokenizer.exact);
    expect(est.method).toBe('encoding' in m.tokenizer ? m.tokenizer.encoding : m.tokenizer.method);
    expect(est.inputTokens).toBeGreaterThan(0);
  });
});

it('covers at least 130 models', () => {
  expect(bundle.models.length).toBeGreaterThanOrEqual(130);
  expect(CostInputError).toBeDefined();
});
