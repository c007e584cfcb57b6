/**
 * What a served request cost. With the provider's usage, its exact cost (`costFromUsage` on
 * the provider's own usage object, so cache writes by lifetime, cached reads and reasoning are
 * priced as billed). Without it — a stream without usage, a client that went away, an upstream
 * that died mid-stream — our own count: the prompt as the planner counted it, and the output
 * that passed through counted with the model's tokenizer (exact for OpenAI models, a labelled
 * estimate for the others). Never $0 for tokens that were generated.
 */
import { costFromUsage, estimateCost, type CostEstimate } from '../../core/index.js';
import type { PlannedTarget } from '../routing/plan.js';
import type { ChatUsage } from '../translate/openai-types.js';
import type { FinalUsage } from '../translate/stream-types.js';

export interface Bill {
  /** Usage in the client-facing (OpenAI) shape, with our `cost`. */
  usage: FinalUsage;
  estimate: CostEstimate;
  /** True when the usage was counted by us, not reported by the provider. */
  counted: boolean;
  /** The counts are the provider's own (reported, or counted with its exact tokenizer). */
  exact: boolean;
}

/** Bills the provider's reported usage (`providerUsage`: its own usage object or whole response). */
export async function billReported(planned: PlannedTarget, providerUsage: unknown, clientUsage: ChatUsage): Promise<Bill> {
  const estimate = await costFromUsage(planned.target.priced.id, providerUsage);
  return { usage: { ...clientUsage, cost: estimate.total }, estimate, counted: false, exact: true };
}

/** Bills what we counted: the planned prompt and `outputText` (and `outputTokens` already known, e.g. embeddings). */
export async function billCounted(planned: PlannedTarget, outputText: string): Promise<Bill> {
  const model = planned.target.priced.id;
  let output = 0;
  let outputExact = true;
  if (outputText) {
    const e = await estimateCost({ model, input: outputText });
    output = e.inputTokens;
    outputExact = e.exact;
  }
  const counted = await planned.prompt();
  const prompt = counted.tokens;
  const usage: ChatUsage = { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output };
  // The tier the plan priced (a worst case that cannot be priced leaves standard prices).
  const serviceTier = await planned.worst().then((w) => w.serviceTier, () => undefined);
  const estimate = await costFromUsage(model, usage, serviceTier ? { serviceTier: serviceTier as never } : {});
  const exact = counted.exact && outputExact;
  return { usage: { ...usage, cost: estimate.total, counted: true }, estimate: { ...estimate, exact, method: exact ? counted.method : `counted:${counted.method}` }, counted: true, exact };
}

/**
 * Bills reported usage when there is some, else what we counted; a malformed usage falls back to counting.
 * `outputText` is only read when counting (a function, so an answer with usage never builds it).
 */
export async function bill(planned: PlannedTarget, providerUsage: unknown, clientUsage: ChatUsage | undefined, outputText: () => string): Promise<Bill> {
  if (providerUsage !== undefined && clientUsage) {
    try {
      return await billReported(planned, providerUsage, clientUsage);
    } catch (err) {
      console.warn(JSON.stringify({ tollgate: 'usage_unreadable', provider: planned.target.provider, model: planned.target.priced.id, error: String(err) }));
    }
  }
  return billCounted(planned, outputText());
}
