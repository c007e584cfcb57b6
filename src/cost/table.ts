/**
 * The pricing table in force: the bundle built into the package (delivered by the runtime's
 * asset loader and parsed on first use, so importing the package costs nothing for it) until a signed update replaces it. Each
 * table is compiled once into engine records; lookups resolve ids and aliases and fail with
 * the closest known names.
 */
import { getAssetLoader } from '../core/assets.js';
import { UnknownNameError } from '../core/errors.js';
import { PricingTable } from '../pricing/registry.js';
import { loadSignedPricing } from '../pricing/signed-update.js';
import type { BundleModel, PricePeriod, PricingBundle } from '../pricing/types.js';
import { CostInputError } from './errors.js';
import { RECORD_SLOTS } from './layout.js';
import { writeRecord } from './records.js';

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

let current: CompiledTable | undefined;

/** The table in force (the built-in bundle until {@link loadPricing} succeeds). */
export function currentTable(): CompiledTable {
  if (!current) {
    const loader = getAssetLoader();
    if (!loader.pricing) throw new Error('tollgate: the installed asset loader provides no pricing bundle');
    current = compileTable(new PricingTable(JSON.parse(loader.pricing()) as PricingBundle));
  }
  return current;
}

/**
 * A model by id or alias (case-insensitive).
 * @throws UnknownNameError with the closest known ids
 */
export function getModel(id: string): BundleModel {
  if (typeof id !== 'string') throw new CostInputError('model', `must be a string, got ${id === null ? 'null' : typeof id}`);
  const t = currentTable().table;
  const m = t.get(id);
  if (!m) throw new UnknownNameError('model', id, t.closestMatches(id));
  return m;
}

/** Every priced model (canonical entries; aliases resolve through {@link getModel}), optionally of one provider. */
export function listModels(provider?: string): BundleModel[] {
  const t = currentTable().table;
  return provider === undefined ? [...t.models] : t.byProvider(provider);
}

/** Version of the table in force (`<date>+<hash>`). */
export function pricingVersion(): string {
  return currentTable().table.version;
}

/**
 * The price period of `model` in force on `date` (default: today, UTC) and its record index.
 * @throws CostInputError naming `date` when the model had no recorded price on that day
 */
export function periodAt(model: BundleModel, date?: string | Date): { period: PricePeriod; record: number } {
  const ct = currentTable();
  const period = date === undefined ? ct.table.latestPrice(model) : ct.table.priceAt(model, date);
  if (!period) {
    const day = typeof date === 'string' ? date : date!.toISOString().slice(0, 10);
    throw new CostInputError('date', `${model.id} has no recorded price on ${day}; its first price period starts ${model.prices[0]!.since}`);
  }
  return { period, record: ct.index.get(period)! };
}

/**
 * Installs a signed pricing update at run time (Ed25519 over the exact bytes, verified with
 * WebCrypto), without rebuilding. On any failure this throws and the old table stays in force.
 *
 * @param bytes the bundle (`pricing.json`) exactly as signed
 * @param signatureB64 base64 Ed25519 signature of `bytes`
 * @param publicKeyB64 base64 raw 32-byte Ed25519 public key you trust
 * @returns the new table's version and model count
 * @throws PricingSignatureError | PricingValidationError | RangeError (a price the engine cannot hold)
 */
export async function loadPricing(
  bytes: Uint8Array,
  signatureB64: string,
  publicKeyB64: string,
): Promise<{ version: string; models: number }> {
  const table = await loadSignedPricing(bytes, signatureB64, publicKeyB64);
  const compiled = compileTable(table);
  current = compiled;
  return { version: table.version, models: table.size };
}
