/**
 * The gateway configuration: providers, routes, defaults and tenants. One JSON document,
 * validated by these zod schemas (the admin API rejects a bad one whole, naming the field) and
 * published as JSON Schema (`GET /admin/config/schema`).
 *
 * Provider keys are written as `env:NAME` (a Worker secret) or as literal strings, which the
 * admin API encrypts before storing (`enc:v1:…`, AES-GCM, see ../secrets.ts).
 */
import { z } from 'zod';
import { TenantPolicy } from '../../tenants/policy-schema.js';

const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

const Millis = z.number().int().min(0).max(3_600_000);

/** `env:NAME`, `enc:v1:…` or a literal key (encrypted when stored). */
export const KeyRef = z.string().min(1).max(8192).describe('`env:NAME` (a Worker secret), `enc:v1:…` (stored encrypted), or a literal key (encrypted by the admin API on write)');

export const ProviderType = z.enum(['openai', 'anthropic', 'gemini', 'demo']);
export type ProviderType = z.infer<typeof ProviderType>;

export const DemoOptions = z
  .strictObject({
    latencyMs: Millis.default(0).describe('Delay before the first byte'),
    chunkDelayMs: Millis.default(0).describe('Delay between streamed chunks'),
    failureRate: z.number().min(0).max(1).default(0).describe('Fraction of requests answered with a 503 (to try fallbacks)'),
  })
  .describe('Options of the built-in demo provider (deterministic text, no network)');

export const Provider = z
  .strictObject({
    type: ProviderType.describe('Wire format: openai (and every OpenAI-compatible API), anthropic, gemini, or the built-in demo'),
    baseUrl: z.url({ protocol: /^https?$/ }).max(2048).optional().describe('API base URL, e.g. https://api.openai.com/v1, https://api.anthropic.com, https://generativelanguage.googleapis.com'),
    keys: z.array(KeyRef).max(64).default([]).describe('API keys, rotated; a key that gets 429 cools down'),
    headers: z.record(z.string().min(1).max(256), z.string().max(4096)).optional().describe('Extra headers sent upstream (e.g. OpenRouter attribution)'),
    pricing: Id.optional().describe('Pricing provider whose prices apply (default: this provider id when it is one, else the model decides)'),
    timeoutMs: Millis.optional().describe('Per-attempt time to the first byte (overrides defaults.timeoutMs)'),
    cooldownMs: Millis.optional().describe('How long a key rests after a 429 without retry-after'),
    demo: DemoOptions.optional(),
    countTokens: z
      .boolean()
      .optional()
      .describe("anthropic only: let POST /v1/count ask this provider's token-counting endpoint when a caller with a gateway key sends `count_with: \"provider\"` (default false)"),
  })
  .superRefine((p, ctx) => {
    if (p.countTokens && p.type !== 'anthropic') ctx.addIssue({ code: 'custom', path: ['countTokens'], message: "only providers of type 'anthropic' have a token-counting endpoint Tollgate can ask" });
    if (p.type !== 'demo' && !p.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'required for this provider type' });
    if (p.type !== 'demo' && p.keys.length === 0) ctx.addIssue({ code: 'custom', path: ['keys'], message: 'at least one key is required' });
  });
export type Provider = z.infer<typeof Provider>;

export const Target = z.strictObject({
  provider: Id,
  model: z.string().min(1).max(256).describe("The provider's model name"),
  pricingModel: z.string().min(1).max(256).optional().describe('Pricing id when the provider names the model differently (e.g. a vLLM deployment)'),
  weight: z.number().positive().max(1_000_000).optional().describe('weighted strategy: relative share of traffic (default 1)'),
  quality: z.number().min(0).max(1).optional().describe('score strategy: quality of this target, 0..1 (default 0.5)'),
});
export type Target = z.infer<typeof Target>;

export const Strategy = z.enum(['fallback', 'weighted', 'cheapest', 'latency', 'score']);
export type Strategy = z.infer<typeof Strategy>;

export const CachePolicy = z.strictObject({
  ttl: z.number().int().min(1).max(30 * 86400).describe('Seconds a cached response is served'),
  maxBytes: z.number().int().min(1).max(25 * 1024 * 1024).optional().describe('Largest response stored (default 1 MiB)'),
  onlyDeterministic: z.boolean().optional().describe('Cache only requests with temperature 0 or a seed'),
});
export type CachePolicy = z.infer<typeof CachePolicy>;

export const Route = z.strictObject({
  strategy: Strategy.default('fallback'),
  targets: z.array(Target).min(1).max(32),
  weights: z
    .strictObject({ cost: z.number().min(0).max(1000).default(1), latency: z.number().min(0).max(1000).default(1), quality: z.number().min(0).max(1000).default(1) })
    .optional()
    .describe('score strategy: how much cost, latency and quality count'),
  retries: z.number().int().min(0).max(10).optional().describe('Retries per target on 429, 5xx, timeouts (default defaults.retries)'),
  timeoutMs: Millis.optional(),
  totalTimeoutMs: Millis.optional(),
  contextWindowFallback: z.boolean().default(true).describe('Skip targets whose context window the counted prompt exceeds'),
  cache: CachePolicy.optional(),
});
export type Route = z.infer<typeof Route>;

export const Defaults = z.strictObject({
  retries: z.number().int().min(0).max(10).default(2),
  timeoutMs: Millis.default(60_000).describe('Per attempt, to the first byte'),
  totalTimeoutMs: Millis.default(120_000).describe('Whole request, all attempts, to the first byte'),
  streamIdleTimeoutMs: Millis.default(120_000).describe('A stream silent this long is treated as dead'),
  backoff: z.strictObject({ baseMs: Millis.default(200), maxMs: Millis.default(4000) }).default({ baseMs: 200, maxMs: 4000 }),
  maxRetryAfterMs: Millis.default(10_000).describe('retry-after longer than this moves on to the next key/target instead of waiting'),
  cooldownMs: Millis.default(30_000),
  breaker: z
    .strictObject({ failures: z.number().int().min(1).max(1000).default(5), openMs: Millis.default(30_000) })
    .default({ failures: 5, openMs: 30_000 })
    .describe('Consecutive failures that open a target circuit, and how long it stays open before a probe'),
  fallbackProvider: Id.optional().describe('Provider that serves priced models whose own provider is not configured (e.g. demo)'),
  reservationTtlMs: Millis.default(900_000).describe('A reservation whose request never returns is released after this long'),
});
export type Defaults = z.infer<typeof Defaults>;

export const GatewayConfig = z
  .strictObject({
    $schema: z.string().optional(),
    providers: z.record(Id, Provider).default({}),
    routes: z.record(Id, Route).default({}),
    defaults: Defaults.default(Defaults.parse({})),
    tenants: z.record(Id, TenantPolicy).default({}),
  })
  .superRefine((cfg, ctx) => {
    for (const [name, route] of Object.entries(cfg.routes)) {
      route.targets.forEach((t, i) => {
        if (!cfg.providers[t.provider]) ctx.addIssue({ code: 'custom', path: ['routes', name, 'targets', i, 'provider'], message: `unknown provider '${t.provider}'` });
      });
    }
    const fb = cfg.defaults.fallbackProvider;
    if (fb && !cfg.providers[fb]) ctx.addIssue({ code: 'custom', path: ['defaults', 'fallbackProvider'], message: `unknown provider '${fb}'` });
    for (const [id, tenant] of Object.entries(cfg.tenants)) {
      tenant.budgets.forEach((b, i) => {
        if (b.action === 'downgrade' && !cfg.routes[b.downgradeTo!]) {
          ctx.addIssue({ code: 'custom', path: ['tenants', id, 'budgets', i, 'downgradeTo'], message: `unknown route '${b.downgradeTo}'` });
        }
      });
    }
  });
export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;

/** The configuration as JSON Schema (draft 2020-12), for editors and `GET /v1/config/schema`. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(GatewayConfig, { io: 'input', unrepresentable: 'any' });
}
