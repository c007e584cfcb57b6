/**
 * ProviderHealth: the one Durable Object holding provider health for every isolate of the
 * worker — circuit breakers and latency estimates per target, cooldowns per provider key.
 * Isolates read it through a short cache (./health-view.ts) and report to it in the
 * background, so a healthy hot path makes no extra round trip. State survives restarts
 * (one storage value, written after each report).
 */
import { DurableObject } from 'cloudflare:workers';
import { emptyTarget, recordFailure, recordSuccess } from './breaker.js';
import { addSample, emptyRatio } from './token-ratio.js';
import type { HealthEvent, HealthSnapshot } from './events.js';

const STATE_KEY = 'health';

export class ProviderHealth extends DurableObject {
  private state: HealthSnapshot | undefined;

  private async load(): Promise<HealthSnapshot> {
    this.state ??= (await this.ctx.storage.get<HealthSnapshot>(STATE_KEY)) ?? { at: Date.now(), targets: {}, cooldowns: {} };
    return this.state;
  }

  /** The current health of every target and key. */
  async snapshot(): Promise<HealthSnapshot> {
    const s = await this.load();
    const now = Date.now();
    for (const [k, until] of Object.entries(s.cooldowns)) if (until <= now) delete s.cooldowns[k];
    s.at = now;
    return s;
  }

  /** Applies events from an isolate; answers with the resulting snapshot (saving a read). */
  async report(events: HealthEvent[], now = Date.now()): Promise<HealthSnapshot> {
    const s = await this.load();
    for (const e of events.slice(0, 1000)) {
      if (e.kind === 'cooldown') {
        s.cooldowns[e.key] = Math.max(s.cooldowns[e.key] ?? 0, e.until);
        continue;
      }
      if (e.kind === 'ratio') {
        addSample(((s.ratios ??= {})[e.model] ??= emptyRatio()), e.reported, e.counted);
        continue;
      }
      const h = (s.targets[e.target] ??= emptyTarget());
      if (e.kind === 'success') recordSuccess(h, e.latencyMs);
      else recordFailure(h, now, e.breaker);
    }
    await this.ctx.storage.put(STATE_KEY, s);
    return this.snapshot();
  }

  /** Admin: rest a key (by fingerprint) until `until`, or clear its cooldown with 0. */
  async setCooldown(key: string, until: number): Promise<HealthSnapshot> {
    const s = await this.load();
    if (until > Date.now()) s.cooldowns[key] = until;
    else delete s.cooldowns[key];
    await this.ctx.storage.put(STATE_KEY, s);
    return this.snapshot();
  }
}
