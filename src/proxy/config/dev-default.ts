/**
 * The configuration used when none is stored and TOLLGATE_DEMO=on (set by `npm start` through
 * .dev.vars): the built-in demo provider behind the usual routes, so every feature can be tried
 * with no provider key. A deployed worker without a stored configuration has no providers.
 */
import type { GatewayConfigInput } from './schema.js';

export const DEV_DEFAULT_CONFIG: GatewayConfigInput = {
  providers: {
    demo: { type: 'demo', demo: { latencyMs: 120, chunkDelayMs: 25, failureRate: 0 } },
  },
  routes: {
    smart: {
      strategy: 'fallback',
      targets: [
        { provider: 'demo', model: 'claude-sonnet-4-5' },
        { provider: 'demo', model: 'gpt-4.1' },
      ],
    },
    fast: {
      strategy: 'latency',
      targets: [
        { provider: 'demo', model: 'gpt-4o-mini' },
        { provider: 'demo', model: 'gemini-2.5-flash' },
      ],
    },
    cheap: {
      strategy: 'cheapest',
      targets: [
        { provider: 'demo', model: 'gpt-4o-mini' },
        { provider: 'demo', model: 'gemini-2.5-flash-lite' },
        { provider: 'demo', model: 'claude-haiku-4-5' },
      ],
    },
    any: {
      strategy: 'weighted',
      targets: [
        { provider: 'demo', model: 'gpt-4o-mini', weight: 3 },
        { provider: 'demo', model: 'claude-haiku-4-5', weight: 1 },
      ],
    },
  },
  defaults: { fallbackProvider: 'demo' },
  tenants: {},
};
