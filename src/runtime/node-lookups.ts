/**
 * Node bundle's stand-in for src/cost/lookups.ts (swapped in by scripts/lib/bundle-entries.ts):
 * the same synchronous functions, whose implementation (the pricing table, image rules,
 * decimal money) loads on first call, so importing the package does not parse it: a quarter
 * of the entry's JS, ~1M instructions (7%) of a cold start.
 *
 * It is loaded with require(): Node ≥ 20.19 and ≥ 22.12 (package.json's engines) require an
 * ES module synchronously. The module is the chunk the async cost API imports, so both halves
 * share one pricing table (and one table installed by loadPricing).
 */
import type * as Lookups from '../cost/lookups.js';
import { nodeBuiltin } from './node-builtin.js';

type CostApi = typeof import('../cost/async-api.js');

/** The async-api chunk's file name next to the bundled entry (the bundle script checks it exists). */
const COST_CHUNK = './async-api-node.js';
let api: CostApi | undefined;

function costApi(): CostApi {
  if (!api) {
    const { createRequire } = nodeBuiltin<typeof import('node:module')>('node:module');
    try {
      api = createRequire(import.meta.url)(COST_CHUNK) as CostApi;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw err;
      throw new Error('tollgate: the cost lookups need require() of ES modules (Node 20.19+, 22.12+)', { cause: err });
    }
  }
  return api;
}

export const getModel: typeof Lookups.getModel = (id) => costApi().getModel(id);
export const listModels: typeof Lookups.listModels = (provider) => costApi().listModels(provider);
export const catalog: typeof Lookups.catalog = (opts) => costApi().catalog(opts);
export const pricingVersion: typeof Lookups.pricingVersion = () => costApi().pricingVersion();
export const imageTokens: typeof Lookups.imageTokens = (opts) => costApi().imageTokens(opts);
