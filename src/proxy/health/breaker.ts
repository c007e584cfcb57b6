/**
 * Health arithmetic, shared by the isolate's view and the ProviderHealth Durable Object:
 * a circuit breaker per target (closed → open after N consecutive failures → half-open once
 * the open period has passed, where one probe decides), and a latency estimate per target
 * (exponentially weighted moving average of time to first byte).
 */

export interface TargetHealth {
  /** Consecutive failures. */
  failures: number;
  /** While now < openUntil the circuit is open. */
  openUntil: number;
  /** EWMA of time to first byte, ms (undefined before the first success). */
  latencyMs?: number;
  samples: number;
}

export interface BreakerSettings {
  failures: number;
  openMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

const ALPHA = 0.2;

export function emptyTarget(): TargetHealth {
  return { failures: 0, openUntil: 0, samples: 0 };
}

export function circuitState(h: TargetHealth | undefined, now: number): CircuitState {
  if (!h || h.openUntil === 0) return 'closed';
  return now < h.openUntil ? 'open' : 'half-open';
}

export function recordFailure(h: TargetHealth, now: number, s: BreakerSettings): void {
  h.failures++;
  // A failed half-open probe re-opens at once; otherwise the threshold decides.
  if (h.failures >= s.failures) h.openUntil = now + s.openMs;
}

export function recordSuccess(h: TargetHealth, latencyMs: number | undefined): void {
  h.failures = 0;
  h.openUntil = 0;
  if (latencyMs !== undefined && Number.isFinite(latencyMs) && latencyMs >= 0) {
    h.latencyMs = h.latencyMs === undefined ? latencyMs : h.latencyMs + ALPHA * (latencyMs - h.latencyMs);
    h.samples++;
  }
}
