// The cost engine's WASM ABI (re-exported by assembly/index.ts). JS (src/cost/engine.ts) is the
// only caller: it registers price records once per pricing table, then for each estimate
// writes quantities, calls cost_compute and reads the integer lines and total.
import { tableReserve, compute, quantities, lines, total } from './engine';

/** Reserve room for `count` price records (48 i64 each); returns where to write them. */
export function cost_table(count: u32): usize {
  return tableReserve(count);
}

/** Where to write the 16 u64 quantities before cost_compute. */
export function cost_quantities(): usize {
  return quantities;
}

/** Price record `index` × the quantities: number of lines, or a negative error code. */
export function cost_compute(index: u32): i32 {
  return compute(index);
}

/** Lines of the last cost_compute (48 bytes each). */
export function cost_lines(): usize {
  return lines;
}

/** Total of the last cost_compute: u64 lo, u64 hi, in 1e-18 USD. */
export function cost_total(): usize {
  return total;
}
