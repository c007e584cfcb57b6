/**
 * Which targets may serve a `model` value:
 * 1. a route of the configuration (`smart`, `cheap`, any operator-defined name);
 * 2. a model id or alias of the pricing table (`gpt-4o`, `claude-sonnet-4-5-20250929`), served
 *    by the configured provider of its pricing provider (or `defaults.fallbackProvider`);
 * 3. `provider/model` for a configured provider (`anthropic/claude-sonnet-4-5`,
 *    `groq/llama-3.3-70b-versatile`).
 * Anything else is a 404 naming the closest routes and models.
 */
import { closestMatches, getModel, listModels, type ModelInfo } from '../../core/index.js';
import { ApiError } from '../../worker/errors.js';
import { pricedModelFor, type CompiledRoute, type CompiledTarget, type LoadedConfig } from '../config/load.js';
import { Route, type Provider } from '../config/schema.js';

const adhoc = new WeakMap<LoadedConfig, Map<string, CompiledRoute>>();

function single(loaded: LoadedConfig, name: string, target: CompiledTarget): CompiledRoute {
  const route = Route.parse({ targets: [{ provider: target.provider, model: target.upstreamModel }] });
  return { name, logical: false, route, targets: [target] };
}

/** The configured provider serving a pricing provider's models. */
function providerFor(loaded: LoadedConfig, pricingProvider: string): [string, Provider] | undefined {
  const { providers, defaults } = loaded.config;
  if (providers[pricingProvider]) return [pricingProvider, providers[pricingProvider]!];
  for (const [id, p] of Object.entries(providers)) if (p.pricing === pricingProvider) return [id, p];
  const fb = defaults.fallbackProvider;
  return fb && providers[fb] ? [fb, providers[fb]!] : undefined;
}

function lookup(name: string): ModelInfo | undefined {
  try {
    return getModel(name);
  } catch {
    return undefined;
  }
}

function notFound(loaded: LoadedConfig, name: string): ApiError {
  const known = [...loaded.routes.keys(), ...listModels().map((m) => m.id)];
  const hint = closestMatches(name, known);
  const routes = [...loaded.routes.keys()];
  return new ApiError(
    404,
    `The model '${name}' does not exist or you do not have access to it.${hint.length ? ` Did you mean ${hint.map((h) => `'${h}'`).join(', ')}?` : ''}${routes.length ? ` Routes: ${routes.join(', ')}.` : ''} GET /v1/models lists the priced models.`,
    'invalid_request_error',
    'model',
    'model_not_found',
  );
}

function compile(loaded: LoadedConfig, name: string): CompiledRoute {
  const route = loaded.routes.get(name);
  if (route) return route;
  const priced = lookup(name);
  if (priced) {
    const found = providerFor(loaded, priced.provider);
    if (!found) {
      throw new ApiError(
        503,
        `No provider is configured for '${priced.id}' (${priced.provider}). Add a '${priced.provider}' provider to the configuration (PUT /admin/config).`,
        'server_error',
        'model',
        'provider_not_configured',
      );
    }
    const [id, p] = found;
    // The provider's own name: an alias the client chose (a dated snapshot) or the host's model id.
    const isQualified = priced.id.startsWith(`${priced.provider}/`);
    const upstream = priced.api_model ?? (isQualified ? priced.id.slice(priced.provider.length + 1) : name);
    return single(loaded, name, { provider: id, config: p, upstreamModel: upstream, priced, weight: 1, quality: 0.5, label: `${id}/${upstream}` });
  }
  const slash = name.indexOf('/');
  if (slash > 0) {
    const id = name.slice(0, slash);
    const model = name.slice(slash + 1);
    const p = loaded.config.providers[id];
    if (p) {
      const pricedModel = pricedModelFor(id, p, model);
      if (!pricedModel) {
        throw new ApiError(404, `The model '${model}' of provider '${id}' is not in the pricing table, so its cost cannot be known. Add a route with pricingModel set, or see GET /v1/models.`, 'invalid_request_error', 'model', 'model_not_priced');
      }
      return single(loaded, name, { provider: id, config: p, upstreamModel: model, priced: pricedModel, weight: 1, quality: 0.5, label: `${id}/${model}` });
    }
  }
  throw notFound(loaded, name);
}

/** The route for a request's `model` (cached per configuration). */
export function resolveRoute(loaded: LoadedConfig, name: string): CompiledRoute {
  let cache = adhoc.get(loaded);
  if (!cache) adhoc.set(loaded, (cache = new Map()));
  let r = cache.get(name);
  if (!r) {
    r = compile(loaded, name);
    if (cache.size < 10_000) cache.set(name, r);
  }
  return r;
}
