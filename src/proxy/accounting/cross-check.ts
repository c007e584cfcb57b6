/**
 * The provider's prompt count checked against ours, for models we count exactly: a difference
 * beyond 2% (at least 8 tokens) is logged as `prompt_count_mismatch` — a tokenizer, chat
 * template or image rule that no longer matches the provider's, which would make reservations
 * and counted bills wrong. Where the prompt was counted anyway (a reservation, a window check
 * the length bound could not settle, a cheapest/score route), every answer is checked. Where
 * nothing else needed the count, the first answer in an isolate and one in CROSS_CHECK_SAMPLE
 * after it are counted for the check, after the response: a drift shows within a few dozen
 * requests, for a sixteenth of a count per request instead of a count.
 */
import type { PlannedTarget } from '../routing/plan.js';
import type { ChatUsage } from '../translate/openai-types.js';
import type { PromptCount } from './prompt.js';

export const CROSS_CHECK_SAMPLE = 16;

let uncounted = 0;

function compare(ours: PromptCount, planned: PlannedTarget, reported: number): void {
  if (!ours.exact) return;
  if (Math.abs(reported - ours.tokens) > Math.max(8, ours.tokens * 0.02)) {
    console.warn(JSON.stringify({ tollgate: 'prompt_count_mismatch', provider: planned.target.provider, model: planned.target.priced.id, reported, counted: ours.tokens }));
  }
}

/** Checks `reported` (the provider's usage) against our count; returns the background count to wait for, if one was started. */
export function crossCheck(planned: PlannedTarget, reported: ChatUsage | undefined): Promise<void> | undefined {
  if (!reported || !planned.target.priced.tokenizer?.exact) return undefined;
  const counted = planned.promptIfCounted();
  if (counted) {
    compare(counted, planned, reported.prompt_tokens);
    return undefined;
  }
  if (uncounted++ % CROSS_CHECK_SAMPLE !== 0) return undefined;
  return planned.prompt().then((ours) => compare(ours, planned, reported.prompt_tokens));
}
