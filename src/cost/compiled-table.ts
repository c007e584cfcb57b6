/**
 * Pricing tables compiled to engine records: every price period of a table written as
 * fixed-layout i64 records (records.ts), one per service tier and time-of-day window, compiled
 * once per table when something is first priced with it, and signed updates put in force only
 * once they compile.
 */
import type { PricingTable } from '../pricing/registry.js';
import { loadSignedPricing } from '../pricing/signed-update.js';
import type { PricePeriod } from '../pricing/types.js';
import { RECORD_SLOTS } from './layout.js';
import { serviceTiersOf, writeRecord, type ServiceTierName } from './records.js';
import { pricingTable, replacePricingTable } from './table.js';

/** A pricing table with every price period compiled to an engine record. */
export interface CompiledTable {
  readonly table: PricingTable;
  /** All records back to back (RECORD_SLOTS i64 each). */
  readonly records: BigInt64Array;
  /** Record index of each period's standard prices (outside any time window). */
  readonly index: ReadonlyMap<PricePeriod, number>;
  /** Record index of a period under a service tier and time window (-1: none), see {@link recordOf}. */
  readonly variants: ReadonlyMap<PricePeriod, ReadonlyMap<string, number>>;
  /** Distinguishes tables, so the engine re-registers records after an update. */
  readonly generation: number;
}

let generation = 0;
let compiled: CompiledTable | undefined;

/** Parses every period of `table` into engine records. Throws on a price the engine cannot hold. */
export function compileTable(table: PricingTable): CompiledTable {
  const plan: Array<{ p: PricePeriod; where: string; service: ServiceTierName; window: number }> = [];
  for (const m of table.models) {
    m.prices.forEach((p, k) => {
      for (const service of serviceTiersOf(p)) {
        for (let w = -1; w < (p.time_of_day?.length ?? 0); w++) plan.push({ p, where: `${m.id}.prices[${k}]`, service, window: w });
      }
    });
  }
  const records = new BigInt64Array(plan.length * RECORD_SLOTS);
  const index = new Map<PricePeriod, number>();
  const variants = new Map<PricePeriod, Map<string, number>>();
  plan.forEach(({ p, where, service, window }, i) => {
    writeRecord(p, records, i * RECORD_SLOTS, where, service, window);
    if (service === 'standard' && window === -1) index.set(p, i);
    let v = variants.get(p);
    if (!v) variants.set(p, (v = new Map()));
    v.set(variantKey(service, window), i);
  });
  return { table, records, index, variants, generation: ++generation };
}

function variantKey(service: ServiceTierName, window: number): string {
  return `${service}@${window}`;
}

/** The record of `period` under `service` and time window `window` (-1: none), if the period offers it. */
export function recordOf(t: CompiledTable, period: PricePeriod, service: ServiceTierName, window: number): number | undefined {
  return t.variants.get(period)?.get(variantKey(service, window));
}

/** The table in force, compiled. */
export function compiledTable(): CompiledTable {
  const table = pricingTable();
  if (compiled?.table !== table) compiled = compileTable(table);
  return compiled;
}

/**
 * Verifies, validates and compiles a signed pricing update, then puts it in force; on any
 * failure this throws and the old table stays in force. See `loadPricing` (lazy-api.ts).
 */
export async function installSignedPricing(
  bytes: Uint8Array,
  signatureB64: string,
  publicKeyB64: string,
): Promise<{ version: string; models: number }> {
  const table = await loadSignedPricing(bytes, signatureB64, publicKeyB64);
  const next = compileTable(table);
  replacePricingTable(table);
  compiled = next;
  return { version: table.version, models: table.size };
}
