/** What isolates tell the ProviderHealth Durable Object, and what it answers. */
import type { BreakerSettings, TargetHealth } from './breaker.js';
import type { RatioState } from './token-ratio.js';

export type HealthEvent =
  | { kind: 'success'; target: string; latencyMs?: number }
  | { kind: 'failure'; target: string; breaker: BreakerSettings }
  /** A key answered 429 (or was rejected): skipped until `until`. `key` is a fingerprint, never the key. */
  | { kind: 'cooldown'; key: string; until: number }
  /** A model without a public tokenizer reported `reported` prompt tokens where our o200k count was `counted`. */
  | { kind: 'ratio'; model: string; reported: number; counted: number };

export interface HealthSnapshot {
  at: number;
  targets: Record<string, TargetHealth>;
  /** Key fingerprint → cooled down until (ms). */
  cooldowns: Record<string, number>;
  /** Model id → learned ratio of provider prompt tokens to our o200k count. */
  ratios?: Record<string, RatioState>;
}
