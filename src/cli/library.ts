/**
 * The CLI's one way into Tollgate: the package's public Node API (the bundle marks it external,
 * so the CLI runs the same dist/runtime/node.js that `import 'tollgate'` loads), with the
 * installed pricing update, if any, in force. No command tokenizes or prices on its own.
 */
import * as lib from '../runtime/node.js';
import { activatePricing, type TableInfo } from './pricing-store.js';

export type Lib = typeof lib;
export { lib };

/** The library with the pricing table for this run in force, and which table that is. */
export async function pricedLibrary(): Promise<{ lib: Lib; table: TableInfo }> {
  return { lib, table: await activatePricing(lib) };
}
