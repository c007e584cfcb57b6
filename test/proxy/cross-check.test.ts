/**
 * The prompt-count cross-check (src/proxy/accounting/cross-check.ts): a count made anyway is
 * always compared; otherwise one answer in CROSS_CHECK_SAMPLE is counted for the check, and
 * models without an exact tokenizer are never counted for it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crossCheck, CROSS_CHECK_SAMPLE } from '../../src/proxy/accounting/cross-check.js';
import type { PromptCount } from '../../src/proxy/accounting/prompt.js';
import type { PlannedTarget } from '../../src/proxy/routing/plan.js';

function planned(ours: PromptCount, opts: { counted: boolean; exact?: boolean }): PlannedTarget & { counts: number } {
  const p = {
    counts: 0,
    target: { provider: 'openai', priced: { id: 'gpt-4.1', tokenizer: opts.exact === false ? { method: 'claude-o200k-ratio', exact: false } : { encoding: 'o200k_base', exact: true } } },
    promptIfCounted: () => (opts.counted ? ours : undefined),
    prompt: async () => {
      p.counts++;
      return ours;
    },
  };
  return p as unknown as PlannedTarget & { counts: number };
}

const usage = (prompt: number) => ({ prompt_tokens: prompt, completion_tokens: 5, total_tokens: prompt + 5 });
const mismatches = (warn: { mock: { calls: unknown[][] } }) => warn.mock.calls.filter((c) => String(c[0]).includes('prompt_count_mismatch')).map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);

afterEach(() => vi.restoreAllMocks());

describe('crossCheck', () => {
  it('compares a count made anyway, on every answer, and logs a mismatch beyond 2% / 8 tokens', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const p = planned({ tokens: 1000, exact: true, method: 'o200k_base' }, { counted: true });
    expect(crossCheck(p, usage(1015))).toBeUndefined(); // within 2%
    expect(crossCheck(p, usage(1100))).toBeUndefined();
    expect(p.counts).toBe(0);
    expect(mismatches(warn)).toEqual([{ tollgate: 'prompt_count_mismatch', provider: 'openai', model: 'gpt-4.1', reported: 1100, counted: 1000 }]);
  });

  it('counts one uncounted answer in CROSS_CHECK_SAMPLE for the check, after the response', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const p = planned({ tokens: 50, exact: true, method: 'o200k_base' }, { counted: false });
    const checked: number[] = [];
    for (let i = 0; i < CROSS_CHECK_SAMPLE * 3; i++) {
      const pending = crossCheck(p, usage(80));
      if (pending) {
        checked.push(i);
        await pending;
      }
    }
    expect(checked).toHaveLength(3);
    expect(checked[1]! - checked[0]!).toBe(CROSS_CHECK_SAMPLE);
    expect(checked[2]! - checked[1]!).toBe(CROSS_CHECK_SAMPLE);
    expect(p.counts).toBe(3);
    expect(mismatches(warn)).toHaveLength(3); // 80 vs 50
  });

  it('never counts for a model we only estimate, nor without reported usage', () => {
    const p = planned({ tokens: 50, exact: false, method: 'claude-o200k-ratio' }, { counted: false, exact: false });
    for (let i = 0; i < CROSS_CHECK_SAMPLE * 2; i++) expect(crossCheck(p, usage(80))).toBeUndefined();
    const q = planned({ tokens: 50, exact: true, method: 'o200k_base' }, { counted: false });
    for (let i = 0; i < CROSS_CHECK_SAMPLE * 2; i++) expect(crossCheck(q, undefined)).toBeUndefined();
    expect(p.counts + q.counts).toBe(0);
  });
});
