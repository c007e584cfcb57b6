/** Bindings, variables and secrets the worker receives (see wrangler.toml and .dev.vars.example). */
export interface Env {
  ASSETS?: Fetcher;
  /** Configuration (providers, routes, tenants) and gateway-key records, read-mostly, cached per isolate. */
  TOLLGATE_KV?: KVNamespace;
  /** One Durable Object per tenant: counters, reservations, the ledger. */
  TENANTS?: DurableObjectNamespace;
  /** Provider health: key cooldowns, circuit breakers, latencies, learned token ratios. */
  HEALTH?: DurableObjectNamespace;
  /** The single writer of the configuration and keys, and the admin audit log. */
  CONTROL?: DurableObjectNamespace;
  /** Base64 Ed25519 public key of signed pricing updates published to KV; unset = no updates. */
  PRICING_PUBLIC_KEY?: string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  MAX_BODY_BYTES?: string;
  /** Admin tokens (secret): `token` or `id:token`, comma-separated. */
  TOLLGATE_ADMIN_TOKENS?: string;
  /** HMAC-SHA-256 secret under which gateway keys are hashed (secret). */
  TOLLGATE_KEY_SECRET?: string;
  /** AES-GCM secret for literal provider keys stored in the configuration (secret). */
  TOLLGATE_ENCRYPTION_KEY?: string;
  /** A single gateway key (secret) for the tenant `default`, for single-tenant deployments. */
  TOLLGATE_GATEWAY_KEY?: string;
  /** `on`: use the built-in demo configuration when none is stored (local development). */
  TOLLGATE_DEMO?: string;
  /** `on`: also log every usage record as one JSON line (for `wrangler tail`); the ledger has them either way. */
  LOG_USAGE?: string;
  /** Seconds the isolate caches the configuration and key records (default 5). */
  CONFIG_CACHE_SECONDS?: string;
  /** `on` in tests only: `x-tollgate-test-now` (ms since the epoch) replaces the clock. */
  TOLLGATE_TEST_CLOCK?: string;
  [name: string]: unknown;
}
