// Unsigned 128-bit integers as two u64 limbs (lo, hi), for exact money sums. Results go to
// the globals rLo/rHi (no tuples, no allocation); any overflow past 2^128 sets `overflow`,
// which the caller checks once per computation.

export let rLo: u64 = 0;
export let rHi: u64 = 0;
export let overflow: bool = false;

/** rLo/rHi = a × b (full 128-bit product, never overflows). */
export function mul64(a: u64, b: u64): void {
  const aL = a & 0xffffffff, aH = a >> 32;
  const bL = b & 0xffffffff, bH = b >> 32;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  rLo = (ll & 0xffffffff) | (mid << 32);
  rHi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/** rLo/rHi = (lo, hi) × b; sets `overflow` when the product needs more than 128 bits. */
export function mul128x64(lo: u64, hi: u64, b: u64): void {
  mul64(hi, b);
  const hLo = rLo;
  if (rHi != 0) overflow = true;
  mul64(lo, b);
  const top = rHi + hLo;
  if (top < hLo) overflow = true;
  rHi = top;
}

/** rLo/rHi = (aLo, aHi) + (bLo, bHi); sets `overflow` on a carry out of bit 127. */
export function add128(aLo: u64, aHi: u64, bLo: u64, bHi: u64): void {
  const lo = aLo + bLo;
  const c: u64 = lo < aLo ? 1 : 0;
  const hi = aHi + bHi;
  if (hi < aHi) overflow = true;
  const hi2 = hi + c;
  if (hi2 < hi) overflow = true;
  rLo = lo;
  rHi = hi2;
}

/** rLo/rHi = round_half_up((lo, hi) / d) for a divisor 0 < d < 2^32. */
export function divRound128(lo: u64, hi: u64, d: u64): void {
  let r: u64 = 0;
  let q3: u64, q2: u64, q1: u64, q0: u64, x: u64;
  x = hi >> 32; q3 = x / d; r = x % d;
  x = (r << 32) | (hi & 0xffffffff); q2 = x / d; r = x % d;
  x = (r << 32) | (lo >> 32); q1 = x / d; r = x % d;
  x = (r << 32) | (lo & 0xffffffff); q0 = x / d; r = x % d;
  let qLo = (q1 << 32) | q0;
  let qHi = (q3 << 32) | q2;
  if (r * 2 >= d) {
    qLo += 1;
    if (qLo == 0) qHi += 1;
  }
  rLo = qLo;
  rHi = qHi;
}

/** ceil(a × b / d) for token quantities (a, b small enough that a × b fits in 64 bits is NOT assumed). */
export function mulDivCeil(a: u64, b: u64, d: u64): u64 {
  mul64(a, b);
  // Bias by d - 1 then truncate: ceil(x / d) = floor((x + d - 1) / d).
  add128(rLo, rHi, d - 1, 0);
  let r: u64 = 0;
  let q3: u64, q2: u64, q1: u64, q0: u64, x: u64;
  const hi = rHi, lo = rLo;
  x = hi >> 32; q3 = x / d; r = x % d;
  x = (r << 32) | (hi & 0xffffffff); q2 = x / d; r = x % d;
  x = (r << 32) | (lo >> 32); q1 = x / d; r = x % d;
  x = (r << 32) | (lo & 0xffffffff); q0 = x / d;
  if (q3 != 0 || q2 != 0) overflow = true;
  return (q1 << 32) | q0;
}
