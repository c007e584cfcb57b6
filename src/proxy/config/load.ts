/**
 * The configuration in force for a request: read from KV (key `config`, written only by the
 * admin API through the Control Durable Object), validated, compiled into routes whose targets
 * know their pricing entry, and cached in the isolate for CONFIG_CACHE_SECONDS (default 5), so
 * a change takes effect within seconds without a deploy.
 */
import { getModel, type ModelInfo } from '../../core/index.js';
import type { Env } from '../../worker/env.js';
import { DEV_DEFAULT_CONFIG } from './dev-default.js';
import { ConfigError } from './errors.js';
import { GatewayConfig, type Provider, type Route } from './schema.js';

export const CONFIG_KV_KEY = 'config';

/** A route target with everything the pipeline needs resolved. */
export interface CompiledTarget {
  /** Configured provider id. */
  provider: string;
  config: Provider;
  /** Model name sent upstream. */
  upstreamModel: string;
  /** Pricing entry: prices, context window, tokenizer. */
  priced: ModelInfo;
  weight: number;
  quality: number;
  /** `provider/model`, for health state, headers and logs. */
  label: string;
}

/** A route ready to plan: the configured one, or one made for a model name. */
export interface CompiledRoute {
  name: string;
  /** True when the request named a route (not a model). */
  logical: boolean;
  route: Route;
  targets: CompiledTarget[];
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** Where it came from: `kv`, `demo` (built-in, TOLLGATE_DEMO=on) or `empty`. */
  source: 'kv' | 'demo' | 'empty';
  routes: Map<string, CompiledRoute>;
}

/** Priced entry for a target: `pricingModel`, the model, or `<pricing provider>/<model>`. */
export function pricedModelFor(provider: string, p: Provider, model: string, pricingModel?: string): ModelInfo | undefined {
  const candidates = pricingModel ? [pricingModel] : [model, `${p.pricing ?? provider}/${model}`];
  for (const c of candidates) {
    try {
      return getModel(c);
    } catch {
      /* try the next spelling */
    }
  }
  return undefined;
}

function compileTarget(cfg: GatewayConfig, t: Route['targets'][number], where: string): CompiledTarget {
  const p = cfg.providers[t.provider]!;
  const priced = pricedModelFor(t.provider, p, t.model, t.pricingModel);
  if (!priced) throw new ConfigError(`${where}: '${t.pricingModel ?? t.model}' is not in the pricing table; set pricingModel to the priced model it is`, where);
  return { provider: t.provider, config: p, upstreamModel: t.model, priced, weight: t.weight ?? 1, quality: t.quality ?? 0.5, label: `${t.provider}/${t.model}` };
}

/** Validates and compiles a configuration document. Throws ConfigError naming the field. */
export function compileConfig(raw: unknown, source: LoadedConfig['source']): LoadedConfig {
  const parsed = GatewayConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ConfigError(`Invalid configuration at '${path || '(root)'}': ${issue.message}`, path || null);
  }
  const config = parsed.data;
  const routes = new Map<string, CompiledRoute>();
  for (const [name, route] of Object.entries(config.routes)) {
    routes.set(name, { name, logical: true, route, targets: route.targets.map((t, i) => compileTarget(config, t, `routes.${name}.targets[${i}]`)) });
  }
  return { config, source, routes };
}

let cached: { value: LoadedConfig; expires: number; raw: string | null } | undefined;

/** Drops the isolate's cached configuration (after an admin write in this isolate). */
export function invalidateConfigCache(): void {
  cached = undefined;
}

export function cacheSeconds(env: Env): number {
  const n = Number(env.CONFIG_CACHE_SECONDS);
  return Number.isFinite(n) && n >= 0 ? n : 5;
}

/** The configuration in force (isolate cache, then KV, then the built-in default). */
export async function loadConfig(env: Env): Promise<LoadedConfig> {
  const now = Date.now();
  if (cached && cached.expires > now) return cached.value;
  const raw = env.TOLLGATE_KV ? await env.TOLLGATE_KV.get(CONFIG_KV_KEY) : null;
  // An unchanged document keeps its compiled form (and the isolate's caches keyed on it).
  if (cached && cached.raw === raw) {
    cached.expires = now + cacheSeconds(env) * 1000;
    return cached.value;
  }
  let value: LoadedConfig;
  if (raw !== null) value = compileConfig(JSON.parse(raw), 'kv');
  else if (env.TOLLGATE_DEMO === 'on') value = compileConfig(DEV_DEFAULT_CONFIG, 'demo');
  else value = compileConfig({}, 'empty');
  cached = { value, expires: now + cacheSeconds(env) * 1000, raw };
  return value;
}
