/**
 * The asynchronous cost functions of the public API. Each loads async-api.ts (chat counting,
 * the cost engine, usage parsing, signed updates: most of the package's JS) on its first call,
 * so importing the package stays cheap for cold starts and tokenizer-only callers. They are
 * async anyway; the first call pays the load once.
 */
import type { ChatCount, CountChatOptions } from './chat.js';
import type { CostEstimate, EstimateOptions } from './types.js';
import type { UsageOptions } from './usage.js';

type AsyncApi = typeof import('./async-api.js');
let api: Promise<AsyncApi> | undefined;

function load(): Promise<AsyncApi> {
  api ??= import('./async-api.js');
  // A failed load (e.g. a chunk fetch in a browser) must not poison later calls.
  api.catch(() => (api = undefined));
  return api;
}

/**
 * The exact cost of a request before it is sent.
 *
 * Input is `input` text, chat `messages` (+ `tools`), or `inputTokens` (the whole prompt, as
 * OpenAI's prompt_tokens counts it, cached tokens included). Cache reads/writes are part of
 * the input; reasoning tokens are part of `outputTokens`. Long-context tiers apply to the
 * whole request once the prompt (text + image + audio tokens) exceeds the threshold. Money is
 * integer arithmetic throughout; `total` is the exact decimal, `totalUsd` that decimal as a number.
 *
 * `exact` is false when the text was counted with an estimation method (models without a
 * public tokenizer); `method` says which. With `inputTokens` given, method is `given`.
 *
 * @throws CostInputError naming the bad field; UnknownNameError for an unknown model
 */
export async function estimateCost(opts: EstimateOptions): Promise<CostEstimate> {
  return (await load()).estimateCost(opts);
}

/**
 * Prompt tokens of a chat request for `model`, by the openai-cookbook formula (messages,
 * names, reply priming, tool definitions), with image parts counted by the model's image rule.
 * Exact for OpenAI models; an estimate (see `estimateCost(...).exact`) for the others.
 * @throws CostInputError naming the bad message / part / tool; UnknownNameError for unknown models
 */
export async function countChat(messages: unknown[], opts: CountChatOptions): Promise<number> {
  return (await load()).countChat(messages, opts);
}

/** {@link countChat} with provenance: exact or estimated, and how many tokens are images. */
export async function countChatDetailed(messages: unknown, opts: CountChatOptions): Promise<ChatCount> {
  return (await load()).countChatDetailed(messages, opts);
}

/**
 * The actual cost of a completed request from its provider-reported `usage` (OpenAI Chat
 * Completions / Responses / Realtime, Anthropic Messages, Gemini usageMetadata), so a proxy
 * bills exactly what happened: cached reads, cache writes by lifetime, reasoning, audio.
 * Counts come from the provider, so `exact` is true and `method` is `usage:<shape>`.
 * @throws CostInputError naming the bad usage field; UnknownNameError for an unknown model
 */
export async function costFromUsage(model: string, usage: unknown, options: UsageOptions = {}): Promise<CostEstimate> {
  return (await load()).costFromUsage(model, usage, options);
}

/**
 * Installs a signed pricing update at run time (Ed25519 over the exact bytes, verified with
 * WebCrypto), without rebuilding. On any failure this throws and the old table stays in force.
 *
 * @param bytes the bundle (`pricing.json`) exactly as signed
 * @param signatureB64 base64 Ed25519 signature of `bytes`
 * @param publicKeyB64 base64 raw 32-byte Ed25519 public key you trust
 * @returns the new table's version and model count
 * @throws PricingSignatureError | PricingValidationError | RangeError (a price the engine cannot hold)
 */
export async function loadPricing(bytes: Uint8Array, signatureB64: string, publicKeyB64: string): Promise<{ version: string; models: number }> {
  return (await load()).installSignedPricing(bytes, signatureB64, publicKeyB64);
}
