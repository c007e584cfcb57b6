/**
 * The model catalog as people browse it: grouped by provider, newest first (by the day the
 * model's first price applied), without retired models unless asked. Shared by /v1/models,
 * the playground's picker, the README's model table and `catalog()` in the library.
 */
import type { BundleModel } from './types.js';

/** Options of {@link catalogOrder}. */
export interface CatalogOptions {
  /** Only this provider's models. */
  provider?: string;
  /** Keep models retired on or before `date` (default false). */
  includeRetired?: boolean;
  /** Day whose retirements apply, YYYY-MM-DD (default today, UTC). */
  date?: string;
}

/** True when `m` is retired on `day`. */
export function isRetired(m: BundleModel, day: string): boolean {
  return m.retired !== undefined && m.retired <= day;
}

/** `models` in catalog order: providers alphabetically, each newest first, retired ones dropped unless asked. */
export function catalogOrder(models: readonly BundleModel[], opts: CatalogOptions = {}): BundleModel[] {
  const day = opts.date ?? new Date().toISOString().slice(0, 10);
  const provider = opts.provider?.toLowerCase();
  return models
    .filter((m) => (provider === undefined || m.provider === provider) && (opts.includeRetired || !isRetired(m, day)))
    .sort((a, b) => {
      if (a.provider !== b.provider) return a.provider < b.provider ? -1 : 1;
      const sa = a.prices[0]!.since;
      const sb = b.prices[0]!.since;
      if (sa !== sb) return sa < sb ? 1 : -1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
}
