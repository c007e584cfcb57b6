/** npm run pricing:check as a test: every disagreement with @pydantic/genai-prices is fixed or explained. */
import { describe, expect, it } from 'vitest';
import { checkPricing, diffPrices, loadAllowlist } from '../../scripts/pricing/check-pricing.js';

// The comparison is pinned to the day the table was last reviewed, so the test does not start
// failing when genai-prices or the calendar moves on; `npm run pricing:check` uses today.
const REVIEWED = '2026-12-02';

describe('pricing:check against @pydantic/genai-prices', () => {
  const res = checkPricing({ date: REVIEWED, maxAgeDays: 90 });

  it('compares a real share of the table', () => {
    expect(res.compared).toBeGreaterThan(100);
  });

  it('has no unexplained disagreement', () => {
    expect(res.unexplained.map((d) => `${d.provider}/${d.model} ${d.field}: ours ${d.ours}, theirs ${d.theirs}`)).toEqual([]);
  });

  it('every allow-list entry still explains a live disagreement and carries a reason', () => {
    expect(res.unusedAllowances).toEqual([]);
    for (const a of loadAllowlist()) {
      expect(a.reason.length, `${a.model}`).toBeGreaterThan(40);
      expect(a.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('no current entry is older than 90 days at review time', () => {
    expect(res.stale).toEqual([]);
  });

  it('an unexplained change fails: a planted price difference is reported', () => {
    const d = diffPrices({ since: '2026-01-01', input: '5', output: '30', cached_input: '0.5' }, { input_mtok: 5, output_mtok: 25, cache_read_mtok: 0.5 });
    expect(d).toEqual([{ field: 'output', ours: '30', theirs: '25' }]);
    const planted = checkPricing({ date: REVIEWED, maxAgeDays: 90, allowlist: [] });
    expect(planted.unexplained.length).toBe(res.explained.length);
  });

  it('tier boundaries are compared by where they start (inclusive ≥ n is genai-prices\' > n-1)', () => {
    const ours = { since: '2026-01-01', input: '5', output: '30', tiers: [{ threshold: 272000, inclusive: true, input: '10', output: '45' }] };
    expect(diffPrices(ours, { input_mtok: { base: 5, tiers: [{ start: 271999, price: 10 }] }, output_mtok: { base: 30, tiers: [{ start: 271999, price: 45 }] } } as never)).toEqual([]);
    expect(diffPrices(ours, { input_mtok: { base: 5, tiers: [{ start: 272000, price: 10 }] }, output_mtok: 30 } as never).map((x) => x.field)).toEqual(['input tier start']);
  });
});
