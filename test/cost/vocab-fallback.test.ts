/**
 * A build without an open-weight vocabulary (TOLLGATE_EXTRA_VOCABS, or its package missing)
 * still prices the models mapped to it, as labelled estimates: Gemini's ratio for gemma3, the
 * o200k count for the others. The vocabulary manifest is replaced by an empty one here.
 */
import { describe, expect, it, vi } from 'vitest';
import type { BundleModel } from '../../src/pricing/types.js';

vi.mock('../../dist/assets/vocab-manifest.js', () => ({ BUILT_OPEN_WEIGHT_VOCABS: [] }));

const { counterFor } = await import('../../src/cost/tokens.js');

const model = (tokenizer: BundleModel['tokenizer']) => ({ id: 'm', tokenizer }) as BundleModel;

describe('models mapped to an open-weight vocabulary this build lacks', () => {
  it('gemma3 (Gemini 2.x): the labelled gemini-o200k-ratio estimate', () => {
    const c = counterFor(model({ encoding: 'gemma3', exact: true }))!;
    expect(c).toMatchObject({ encoding: 'o200k_base', exact: false, method: 'gemini-o200k-ratio' });
    expect(c.scale(100)).toBe(105);
  });

  it('the others: the o200k count, labelled o200k-approx', () => {
    for (const encoding of ['llama3', 'qwen2', 'deepseek_v3'] as const) {
      const c = counterFor(model({ encoding, exact: true }))!;
      expect(c).toMatchObject({ encoding: 'o200k_base', exact: false, method: 'o200k-approx' });
      expect(c.scale(100)).toBe(100);
    }
  });

  it("tiktoken's encodings stay exact", () => {
    expect(counterFor(model({ encoding: 'o200k_base', exact: true }))).toMatchObject({ encoding: 'o200k_base', exact: true });
  });
});
