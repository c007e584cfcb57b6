/**
 * Counts for models without a public tokenizer, improved by what proxied traffic taught: once
 * the health object holds enough samples of a model's provider-reported prompt counts against
 * our o200k counts, /v1/count answers with that learned ratio (its median) instead of the
 * documented constant — still `exact: false`, with `method: 'learned-ratio'` and the spread.
 */
import { countChatDetailed, getEncoding } from '../core/index.js';
import { RATIO_REFERENCE_MODEL } from '../proxy/accounting/prompt.js';
import { healthView } from '../proxy/health/health-view.js';
import type { Env } from './env.js';
import type { CountResult } from './tokens.js';

export interface LearnedCount extends CountResult {
  learned?: { ratio: number; p10: number; p90: number; samples: number };
}

export async function withLearnedRatio(result: CountResult, input: { text?: string; messages?: unknown[]; tools?: unknown[] }, env: Env, defer: (p: Promise<unknown>) => void): Promise<LearnedCount> {
  if (result.exact || !result.model) return result;
  const health = healthView(env);
  health.refresh(defer);
  const learned = health.ratio(result.model);
  if (!learned) return result;
  let raw: number;
  if (input.messages !== undefined) {
    const c = await countChatDetailed(input.messages, input.tools ? { model: RATIO_REFERENCE_MODEL, tools: input.tools } : { model: RATIO_REFERENCE_MODEL });
    if (c.imageTokens > 0) return result; // images follow the provider's image rule, not a text ratio
    raw = c.tokens;
  } else raw = (await getEncoding('o200k_base')).count(input.text ?? '');
  return { ...result, tokens: Math.ceil(raw * learned.ratio), encoding: 'o200k_base', method: 'learned-ratio', learned };
}
