/**
 * Pricing tables compiled to engine records: every price period of a table written as one
 * fixed-layout i64 record (records.ts), compiled once per table when something is first
 * priced with it, and signed updates put in force only once they compile.
 */
import type { PricingTable } from '../pricing/registry.js';
import { loadSignedPricing } from '../pricing/signed-update.js';
import type { PricePeriod } from '../pricing/types.js';
import { RECORD_SLOTS } from './layout.js';
import { writeRecord } from './records.js';
import { pricingTable, replacePricingTable } from './table.js';

/** A pricing table with every price period compiled to an engine record. */
export interface CompiledTable {
  readonly table: PricingTable;
  /** All records back to back (RECORD_SLOTS i64 each). */
  readonly records: BigInt64Array;
  /** Record index of each period. */
  readonly index: ReadonlyMap<PricePeriod, number>;
  /** Distinguishes tables, so the engine re-registers records after an update. */
  readonly generation: number;
}

let generation = 0;
let compiled: CompiledTable | undefined;

/** Parses every period of `table` into engine records. Throws on a price the engine cannot hold. */
export function compileTable(table: PricingTable): CompiledTable {
  let n = 0;
  for (const m of table.models) n += m.prices.length;
  const records = new BigInt64Array(n * RECORD_SLOTS);
  const index = new Map<PricePeriod, number>();
  let i = 0;
  for (const m of table.models) {
    m.prices.forEach((p, k) => {
      writeRecord(p, records, i * RECORD_SLOTS, `${m.id}.prices[${k}]`);
      index.set(p, i++);
    });
  }
  return { table, records, index, generation: ++generation };
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
