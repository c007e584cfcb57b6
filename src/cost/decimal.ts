/**
 * Exact decimal ↔ integer conversions. Prices arrive as decimal strings and leave as decimal
 * strings; in between they are integers (bigint here, u64/u128 in the engine). No floats.
 */

const DECIMAL_RE = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * `text` × 10^scale as an exact bigint: `parseScaled("2.50", 6)` → 2500000n.
 * @throws RangeError when `text` is not a plain non-negative decimal or has more than `scale` fraction digits
 */
export function parseScaled(text: string, scale: number, what = 'value'): bigint {
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new RangeError(`${what}: "${text}" is not a non-negative decimal string`);
  const frac = m[2] ?? '';
  if (frac.length > scale) throw new RangeError(`${what}: "${text}" has more than ${scale} fraction digits`);
  return BigInt(m[1]! + frac.padEnd(scale, '0'));
}

/**
 * The decimal string of `value` × 10^-scale, without trailing zeros: `formatScaled(75000000000n, 18)`
 * → "0.000000075".
 */
export function formatScaled(value: bigint, scale: number): string {
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  // Trailing zeros of the fraction trimmed by hand: every price and cost is formatted, and a regex costs more.
  let end = digits.length;
  while (end > point && digits.charCodeAt(end - 1) === 48) end--;
  const int = digits.slice(0, point);
  return `${neg ? '-' : ''}${int}${end > point ? `.${digits.slice(point, end)}` : ''}`;
}

/** Money in the engine's unit (1e-24 USD) as a decimal string of USD. */
export function formatYoctoUsd(value: bigint): string {
  return formatScaled(value, 24);
}

/** An unsigned 128-bit integer from its two 64-bit limbs given as four u32 words (little-endian). */
export function u128FromWords(w0: number, w1: number, w2: number, w3: number): bigint {
  if (w2 === 0 && w3 === 0 && w1 < 0x200000) return BigInt(w1 * 0x100000000 + w0);
  return (BigInt(w3) << 96n) | (BigInt(w2) << 64n) | (BigInt(w1) << 32n) | BigInt(w0);
}
