/**
 * The usage record: one per finished request (served, failed, client-closed or answered from
 * the cache), with exact decimal costs. The proxy hands it to the ledger (the tenant's Durable
 * Object) and logs it as one JSON line, so `wrangler tail` shows it too.
 */

export type RecordStatus = 'ok' | 'client_closed' | 'upstream_error' | 'error' | 'cache_hit';

export interface UsageRecord {
  /** The gateway's id for the request: unique, so it keys the ledger (a retried settle is recognised by it). */
  requestId: string;
  /**
   * The client's own `x-request-id`, when it sent a valid one. Kept for correlation only: a
   * client's id is not unique (clients reuse them), so it never keys the ledger.
   */
  clientRequestId?: string;
  /** ISO time the request arrived. */
  at: string;
  endpoint: 'chat' | 'messages' | 'embeddings';
  tenant: string;
  keyId: string;
  user?: string;
  tags: Record<string, string>;
  /** Route or model name as requested. */
  route: string;
  provider?: string;
  /** Canonical pricing id of the model that served. */
  model?: string;
  /** The provider's name for it. */
  upstreamModel?: string;
  promptTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Exact decimal USD. */
  cost: string;
  /** Cost avoided by a cache hit, exact decimal USD. */
  saved?: string;
  /** Counts are the provider's own (reported, or our exact tokenizer). */
  exact: boolean;
  usageSource: 'reported' | 'counted' | 'cache' | 'none';
  latencyMs: number;
  ttftMs?: number;
  status: RecordStatus;
  httpStatus: number;
  attempts: number;
  stream: boolean;
  error?: string;
}

/** Tokens of a bill's usage, in the record's terms. */
export function tokensOf(usage: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number }; completion_tokens_details?: { reasoning_tokens?: number } } | undefined, cacheWrite = 0) {
  return {
    promptTokens: usage?.prompt_tokens ?? 0,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: cacheWrite,
    outputTokens: usage?.completion_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
