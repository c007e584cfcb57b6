/**
 * `count_with: "provider"` on POST /v1/count: for a model without a public tokenizer, the
 * provider's own count, where the operator enabled it (`countTokens: true` on an `anthropic`
 * provider) — Claude through Anthropic's token-counting endpoint.
 *
 * It spends the gateway's provider key and rate limit, so it needs a gateway key (like the
 * proxy) and follows the key's and tenant's model allow-lists. Whatever stops it — an exact
 * count already, no key, a model no Anthropic provider serves, the option off, the provider
 * failing or slow — the answer is Tollgate's estimate, with `provider_count` saying why. Never
 * an error: the estimate is always worth having.
 */
import type { ProviderCountInfo } from './schemas/count.js';
import type { Env } from './env.js';
import type { LearnedCount } from './learned.js';
import { ApiError } from './errors.js';
import { loadConfig, type CompiledTarget, type LoadedConfig } from '../proxy/config/load.js';
import { resolveRoute } from '../proxy/routing/resolve.js';
import { healthView } from '../proxy/health/health-view.js';
import { keysToTry, redactKeys } from '../proxy/upstream/keys.js';
import { anthropicCountTokens } from '../proxy/providers/anthropic-count.js';
import { countTokensBody, type CountInput } from '../proxy/translate/anthropic-count.js';
import { authenticate, checkModelAllowed } from '../tenants/auth.js';

/** Longest wait for the provider's count: a count is a quick question, not a generation. */
export const PROVIDER_COUNT_TIMEOUT_MS = 10_000;

export const PROVIDER_METHOD = 'provider:anthropic';

export interface CountAnswer extends LearnedCount {
  provider_count?: ProviderCountInfo;
}

type Skip = Required<Pick<ProviderCountInfo, 'code' | 'reason'>> & { provider?: string };

export interface ProviderCountContext {
  env: Env;
  headers: Headers;
  defer: (p: Promise<unknown>) => void;
}

const TEXT_NOTE = 'Anthropic counted the text as one user message: the count includes that message’s framing (a few tokens), as a request with only this text would be billed.';

/** The configured Anthropic provider serving `model`, or why there is none. */
function anthropicTarget(loaded: LoadedConfig, model: string): { target: CompiledTarget } | { skip: Skip } {
  let targets: CompiledTarget[];
  try {
    targets = resolveRoute(loaded, model).targets;
  } catch {
    return { skip: { code: 'not_served', reason: `No provider of this gateway serves '${model}', so there is none to ask for its count.` } };
  }
  const target = targets.find((t) => t.config.type === 'anthropic');
  if (!target) {
    const t = targets[0]!;
    return { skip: { code: 'not_served', provider: t.provider, reason: `'${model}' is served by provider '${t.provider}' (type ${t.config.type}); only Anthropic's token-counting endpoint can be asked.` } };
  }
  if (!target.config.countTokens) {
    return { skip: { code: 'not_configured', provider: target.provider, reason: `Provider '${target.provider}' does not have countTokens enabled in the gateway configuration, so this is Tollgate's estimate.` } };
  }
  return { target };
}

/** Why the provider did not count, thrown from deep inside and answered with the estimate. */
class NotCounted extends Error {
  constructor(readonly skip: Skip) {
    super(skip.reason);
  }
}

/** `work`, with a refusal from the gateway's own checks (an ApiError) turned into a NotCounted. */
async function refusedAs<T>(work: () => T | Promise<T>, skip: (message: string) => Skip): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof ApiError ? new NotCounted(skip(err.message)) : err;
  }
}

async function providerCount(result: LearnedCount, input: CountInput & { model?: string }, ctx: ProviderCountContext): Promise<CountAnswer> {
  if (result.exact) {
    throw new NotCounted({ code: 'exact_already', reason: input.model ? `'${result.model}' has a public tokenizer: Tollgate's count is already exact.` : "An encoding's count is exact; there is no provider to ask." });
  }
  const model = input.model!;
  const loaded = await loadConfig(ctx.env);
  const caller = await refusedAs(
    () => authenticate(ctx.headers, ctx.env, loaded, Date.now(), ctx.defer),
    (m) => ({ code: 'unauthorized', reason: `Counting with the provider uses the gateway's provider key, so it needs your gateway key: ${m}` }),
  );
  const found = anthropicTarget(loaded, model);
  if ('skip' in found) throw new NotCounted(found.skip);
  const target = found.target;
  const provider = target.provider;
  await refusedAs(() => checkModelAllowed(caller, model, [target.priced.id]), (m) => ({ code: 'unauthorized', provider, reason: m }));
  const body = await refusedAs(() => countTokensBody(input, target.upstreamModel), (m) => ({ code: 'unsupported_input', provider, reason: `This input cannot be sent to Anthropic: ${m}` }));
  const keys = await refusedAs(() => keysToTry(target, ctx.env, healthView(ctx.env), Date.now()), (m) => ({ code: 'key_unavailable', provider, reason: m }));
  // A key resting after a 429 on messages may still count: Anthropic limits counting separately.
  const key = (keys.ready[0] ?? keys.cooling[0]?.key)?.value;
  if (!key) throw new NotCounted({ code: 'key_unavailable', provider, reason: `Provider '${provider}' has no key.` });

  const timeoutMs = Math.min(target.config.timeoutMs ?? loaded.config.defaults.timeoutMs, PROVIDER_COUNT_TIMEOUT_MS);
  const out = await anthropicCountTokens(target, key, body, timeoutMs, (text) => redactKeys(text, target, ctx.env));
  if (!out.ok) throw new NotCounted({ code: out.code, provider, reason: out.reason });

  const { learned: _learned, ...counted } = result;
  const info: ProviderCountInfo = { used: true, provider, estimate: { tokens: result.tokens, method: result.method ?? 'estimate' } };
  if (input.messages === undefined) info.note = TEXT_NOTE;
  return { ...counted, tokens: out.tokens, encoding: PROVIDER_METHOD, exact: true, method: PROVIDER_METHOD, provider_count: info };
}

/** The provider's count of `input`, or `result` (the estimate) with the reason it is not. */
export async function withProviderCount(result: LearnedCount, input: CountInput & { model?: string }, ctx: ProviderCountContext): Promise<CountAnswer> {
  try {
    return await providerCount(result, input, ctx);
  } catch (err) {
    if (err instanceof NotCounted) return { ...result, provider_count: { used: false, ...err.skip } };
    // Not the client's fault and not worth a 500: the estimate stands. The error names no key.
    console.error('tollgate: provider count failed', err instanceof Error ? err.name : 'error');
    return { ...result, provider_count: { used: false, code: 'provider_error', reason: "The provider count failed inside the gateway; this is Tollgate's estimate." } };
  }
}
