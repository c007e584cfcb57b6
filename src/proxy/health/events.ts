/** What isolates tell the ProviderHealth Durable Object, and what it answers. */
import type { BreakerSettings, TargetHealth } from './breaker.js';

export type HealthEvent =
  | { kind: 'success'; target: string; latencyMs?: number }
  | { kind: 'failure'; target: string; breaker: BreakerSettings }
  /** A key answered 429 (or was rejected): skipped until `until`. `key` is a fingerprint, never the key. */
  | { kind: 'cooldown'; key: string; until: number };

export interface HealthSnapshot {
  at: number;
  targets: Record<string, TargetHealth>;
  /** Key fingerprint → cooled down until (ms). */
  cooldowns: Record<string, number>;
}
