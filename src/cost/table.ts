/**
 * The pricing table in force: the bundle built into the package (delivered by the runtime's
 * asset loader and parsed on first use, so importing the package costs nothing for it) until
 * a signed update replaces it. Lookups resolve ids and aliases and fail with the closest
 * known names. Engine records for a table are compiled separately (compiled-table.ts), when
 * something is first priced.
 */
import { getAssetLoader } from '../core/assets.js';
import { UnknownNameError } from '../core/errors.js';
import { catalogOrder, type CatalogOptions } from '../pricing/catalog.js';
import { dayOf, PricingTable } from '../pricing/registry.js';
import type { BundleModel, PricePeriod, PricingBundle } from '../pricing/types.js';
import { CostInputError } from './errors.js';

let current: PricingTable | undefined;

/** The table in force (the built-in bundle until a signed update replaces it). */
export function pricingTable(): PricingTable {
  if (!current) {
    const loader = getAssetLoader();
    if (!loader.pricing) throw new Error('tollgate: the installed asset loader provides no pricing bundle');
    current = new PricingTable(JSON.parse(loader.pricing()) as PricingBundle);
  }
  return current;
}

/** Put `table` in force (after a signed update was verified and compiled). */
export function replacePricingTable(table: PricingTable): void {
  current = table;
}

/**
 * A model by id or alias (case-insensitive).
 * @throws UnknownNameError with the closest known ids
 */
export function getModel(id: string): BundleModel {
  if (typeof id !== 'string') throw new CostInputError('model', `must be a string, got ${id === null ? 'null' : typeof id}`);
  const t = pricingTable();
  const m = t.get(id);
  if (!m) throw new UnknownNameError('model', id, t.closestMatches(id));
  return m;
}

/** Every priced model (canonical entries; aliases resolve through {@link getModel}), optionally of one provider. */
export function listModels(provider?: string): BundleModel[] {
  const t = pricingTable();
  return provider === undefined ? [...t.models] : t.byProvider(provider);
}

/**
 * The models people pick from: grouped by provider, newest first, without retired models
 * unless `includeRetired` (see {@link listModels} for every entry in bundle order).
 */
export function catalog(opts: CatalogOptions = {}): BundleModel[] {
  return catalogOrder(pricingTable().models, opts);
}

/** Version of the table in force (`<date>+<hash>`). */
export function pricingVersion(): string {
  return pricingTable().version;
}

/**
 * The price period of `model` in force on `date` (a day, a timestamp or a Date; default today,
 * UTC). Periods scheduled for a later day are not in force yet.
 * @throws CostInputError naming `date` when the model had no recorded price on that day
 */
export function periodAt(model: BundleModel, date?: string | Date): PricePeriod {
  const day = dayOf(date);
  const period = pricingTable().priceAt(model, day);
  if (!period) throw new CostInputError('date', `${model.id} has no recorded price on ${day}; its first price period starts ${model.prices[0]!.since}`);
  return period;
}
