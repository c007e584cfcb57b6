/**
 * The isolate's view of provider health: the last snapshot of the ProviderHealth Durable
 * Object plus this isolate's own observations, applied at once. Reading it never waits: a
 * snapshot older than REFRESH_MS is refreshed in the background (waitUntil). Failures and
 * cooldowns are reported immediately, successes at most once per FLUSH_MS — all in the
 * background, so a healthy request makes no extra round trip.
 */
import type { Env } from '../../worker/env.js';
import { circuitState, emptyTarget, recordFailure, recordSuccess, type BreakerSettings, type CircuitState, type TargetHealth } from './breaker.js';
import type { HealthEvent, HealthSnapshot } from './events.js';
import type { ProviderHealth } from './health-object.js';
import { addSample, emptyRatio, estimateRatio, type RatioEstimate } from './token-ratio.js';

const REFRESH_MS = 2000;
const FLUSH_MS = 1000;

type Defer = (p: Promise<unknown>) => void;

export class HealthView {
  private snap: HealthSnapshot = { at: 0, targets: {}, cooldowns: {} };
  private pending: HealthEvent[] = [];
  private lastFlush = 0;
  private refreshing = false;
  private readonly probing = new Set<string>();

  /**
   * `object` gives a stub for the current request: a stub is an I/O object bound to the request
   * that made it, so one kept across requests fails every call after the first request ends.
   */
  constructor(private readonly object: (() => DurableObjectStub<ProviderHealth>) | undefined) {}

  /** Circuit state of a target; a half-open circuit lets one probe through per isolate. */
  circuit(target: string, now: number): CircuitState {
    const s = circuitState(this.snap.targets[target], now);
    if (s === 'half-open' && this.probing.has(target)) return 'open';
    return s;
  }

  /** Marks a half-open target as being probed by this isolate. */
  probe(target: string): void {
    this.probing.add(target);
  }

  latency(target: string): number | undefined {
    return this.snap.targets[target]?.latencyMs;
  }

  /** The learned token ratio of a model without a public tokenizer, once enough traffic taught it. */
  ratio(model: string): RatioEstimate | undefined {
    return estimateRatio(this.snap.ratios?.[model]);
  }

  /** Reports a provider's prompt count against our o200k count (batched like successes). */
  sampleRatio(model: string, reported: number, counted: number, defer: Defer): void {
    addSample(((this.snap.ratios ??= {})[model] ??= emptyRatio()), reported, counted);
    this.pending.push({ kind: 'ratio', model, reported, counted });
    if (Date.now() - this.lastFlush >= FLUSH_MS) this.flush(defer);
  }

  cooledUntil(keyFingerprint: string): number {
    return this.snap.cooldowns[keyFingerprint] ?? 0;
  }

  private target(label: string): TargetHealth {
    return (this.snap.targets[label] ??= emptyTarget());
  }

  success(target: string, latencyMs: number | undefined, defer: Defer): void {
    this.probing.delete(target);
    const h = this.target(target);
    const wasFailing = h.failures > 0;
    recordSuccess(h, latencyMs);
    this.pending.push({ kind: 'success', target, ...(latencyMs !== undefined ? { latencyMs } : {}) });
    if (wasFailing || Date.now() - this.lastFlush >= FLUSH_MS) this.flush(defer);
  }

  failure(target: string, breaker: BreakerSettings, defer: Defer): void {
    this.probing.delete(target);
    recordFailure(this.target(target), Date.now(), breaker);
    this.pending.push({ kind: 'failure', target, breaker });
    this.flush(defer);
  }

  cooldown(keyFingerprint: string, until: number, defer: Defer): void {
    this.snap.cooldowns[keyFingerprint] = Math.max(this.snap.cooldowns[keyFingerprint] ?? 0, until);
    this.pending.push({ kind: 'cooldown', key: keyFingerprint, until });
    this.flush(defer);
  }

  /** Starts a background refresh when the snapshot is stale. */
  refresh(defer: Defer): void {
    if (this.refreshing || Date.now() - this.snap.at < REFRESH_MS || !this.object) return;
    if (this.pending.length) return this.flush(defer);
    this.refreshing = true;
    defer(
      this.object()
        .snapshot()
        .then((s) => this.adopt(s as HealthSnapshot))
        .catch((e: unknown) => console.error('tollgate: health snapshot failed', String(e)))
        .finally(() => (this.refreshing = false)),
    );
  }

  private flush(defer: Defer): void {
    if (!this.object || this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.lastFlush = Date.now();
    defer(
      this.object()
        .report(events)
        .then((s) => this.adopt(s as HealthSnapshot))
        .catch((e: unknown) => console.error('tollgate: health report failed', String(e))),
    );
  }

  /** Takes a snapshot from the health object, re-applying this isolate's events it has not seen yet. */
  adopt(s: HealthSnapshot): void {
    const now = Date.now();
    for (const e of this.pending) {
      if (e.kind === 'cooldown') s.cooldowns[e.key] = Math.max(s.cooldowns[e.key] ?? 0, e.until);
      else if (e.kind === 'ratio') addSample(((s.ratios ??= {})[e.model] ??= emptyRatio()), e.reported, e.counted);
      else {
        const h = (s.targets[e.target] ??= emptyTarget());
        if (e.kind === 'success') recordSuccess(h, e.latencyMs);
        else recordFailure(h, now, e.breaker);
      }
    }
    this.snap = s;
  }
}

let view: HealthView | undefined;

/** This isolate's health view. */
export function healthView(env: Env): HealthView {
  if (!view) {
    const ns = env.HEALTH as DurableObjectNamespace<ProviderHealth> | undefined;
    const id = ns?.idFromName('global');
    view = new HealthView(ns && id ? () => ns.get(id) : undefined);
  }
  return view;
}

/** For tests of one isolate: forget the view (and its snapshot). */
export function resetHealthView(): void {
  view = undefined;
}

const fingerprints = new Map<string, Promise<string>>();

/** A key's identity for health state: 16 hex of SHA-256, never the key itself. */
export function keyFingerprint(provider: string, key: string): Promise<string> {
  const id = `${provider}\0${key}`;
  let f = fingerprints.get(id);
  if (!f) {
    f = crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)).then((d) => {
      let hex = '';
      for (const b of new Uint8Array(d).subarray(0, 8)) hex += b.toString(16).padStart(2, '0');
      return `${provider}:${hex}`;
    });
    if (fingerprints.size > 10_000) fingerprints.clear();
    fingerprints.set(id, f);
  }
  return f;
}
