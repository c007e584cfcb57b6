/**
 * The playground's cost rows count each encoding once and reuse the count for every model
 * priced with it (demo/src/rows.ts). They must be exactly what estimateCost({ input }) says
 * for every model the playground offers: tokens, money, and the exact/method labels.
 */
import { describe, expect, it } from 'vitest';
import { loadModels } from '../../demo/src/catalog.js';
import { textRow, type Terms } from '../../demo/src/rows.js';
import { DEFAULT_COMPARE, DEFAULT_STATE } from '../../demo/src/state.js';
// The package by name, as demo/src/rows.ts imports it: one instance of the library for both sides.
import { estimateCost, getEncoding, type EncodingName } from 'tollgate';

const TEXT = 'Prices per token, counted once per encoding. Ünïcödé, 東京都, emoji 👩‍💻 and code: for (i = 0; i < 10; i++) {}\n'.repeat(40);

describe('playground cost rows', () => {
  const models = loadModels().filter((m) => m.priced);

  it('offers every model of the default comparison (a retired or renamed one would silently drop its row)', () => {
    const offered = new Set(models.map((m) => m.id));
    expect(DEFAULT_COMPARE.filter((id) => !offered.has(id))).toEqual([]);
    expect(offered.has(DEFAULT_STATE.model)).toBe(true);
  });

  it('offers priced models of several encodings and estimation methods', () => {
    expect(models.length).toBeGreaterThan(20);
    expect(new Set(models.map((m) => m.encoding)).size).toBeGreaterThan(1);
    expect(models.some((m) => !m.exact)).toBe(true);
  });

  for (const terms of [{ outputTokens: 500 }, { outputTokens: 1234, cacheHitRatio: 0.35, batch: true, images: [{ width: 1024, height: 768, detail: 'high' as const }] }] satisfies Terms[]) {
    it(`equal estimateCost({ input }) for every priced model (${JSON.stringify(terms).slice(0, 60)})`, async () => {
      const counted: EncodingName[] = [];
      const countIn = async (name: EncodingName) => {
        counted.push(name);
        return (await getEncoding(name)).count(TEXT);
      };
      for (const m of models) {
        const row = await textRow(m.id, m, TEXT, terms, countIn);
        let want: Awaited<ReturnType<typeof estimateCost>> | undefined;
        let error: string | undefined;
        try {
          want = await estimateCost({ model: m.id, input: TEXT, ...terms });
        } catch (e) {
          error = (e as Error).message;
        }
        if (error !== undefined) {
          expect(row.error, m.id).toBe(error);
          continue;
        }
        expect(row.error, m.id).toBeUndefined();
        const got = row.estimate!;
        expect({ model: got.model, inputTokens: got.inputTokens, total: got.total, exact: got.exact, method: got.method, lines: got.lines }, m.id).toEqual({
          model: want!.model,
          inputTokens: want!.inputTokens,
          total: want!.total,
          exact: want!.exact,
          method: want!.method,
          lines: want!.lines,
        });
      }
      expect(counted.length).toBe(models.length);
    });
  }
});
