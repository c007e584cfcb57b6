/** Numbers for people: counts with separators, unit prices in the units price lists use. */
import { displayUsd, fromDecimal } from '../money.js';

/**
 * 1234567 → "1,234,567"; means keep one decimal ("1,234.5"). Not toLocaleString: its first
 * call loads ICU's locale data, ~110M instructions, as much as the rest of `tollgate count`.
 */
export function num(n: number): string {
  const [int, frac] = (Math.round(n * 10) / 10).toString().split('.') as [string, string?];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

/** A unit price as price lists show it: per 1M tokens or characters, else per unit. */
export function unitPrice(unit: string, unitPriceUsd: string): string {
  const units = fromDecimal(unitPriceUsd);
  if (unit === 'token' || unit === 'character') return `${displayUsd(units * 1_000_000n)}/1M ${unit === 'token' ? 'tok' : 'chars'}`;
  return `${displayUsd(units)}/${unit}`;
}

/** A singular unit with the right plural: "12 tokens", "1 image". */
export function quantity(n: number, unit: string): string {
  return `${num(n)} ${n === 1 ? unit : `${unit}s`}`;
}
