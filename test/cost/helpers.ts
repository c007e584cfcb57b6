/**
 * Test-only decimal arithmetic, written independently of src/cost: USD amounts as bigint
 * attodollars (1e-18 USD), parsed from the pricing database's decimal strings by hand.
 */
import bundleJson from '../../dist/assets/pricing.json' with { type: 'json' };
import type { PricingBundle } from '../../src/pricing/types.js';

export const bundle = bundleJson as unknown as PricingBundle;

/** "2.50" → 2_500_000_000_000_000_000n (USD in 1e-18). */
export function atto(dec: string): bigint {
  const [i, f = ''] = dec.split('.');
  return BigInt(i!) * 10n ** 18n + BigInt(f.padEnd(18, '0'));
}

/** Cost in 1e-18 USD of `tokens` at `perMillion` USD per million tokens (exact: ≤ 6 fraction digits). */
export function tokenCost(perMillion: string, tokens: number | bigint): bigint {
  const p = atto(perMillion);
  if (p % 1_000_000n !== 0n) throw new Error('price with more than 12 fraction digits');
  return (p / 1_000_000n) * BigInt(tokens);
}

/** Applies a decimal multiplier ("0.5") exactly. */
export function times(v: bigint, mult: string): bigint {
  const m = atto(mult);
  const r = v * m;
  if (r % 10n ** 18n !== 0n) throw new Error('inexact');
  return r / 10n ** 18n;
}

/** 1e-18 USD → trimmed decimal string, the format estimateCost returns. */
export function usd(v: bigint): string {
  const s = v.toString().padStart(19, '0');
  const int = s.slice(0, -18);
  const frac = s.slice(-18).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

export function latest(id: string) {
  const m = bundle.models.find((x) => x.id === id);
  if (!m) throw new Error(`no ${id}`);
  return m.prices[m.prices.length - 1]!;
}

/** Sum of the line costs of an estimate, exactly. */
export function sumLines(lines: { cost: string }[]): bigint {
  return lines.reduce((s, l) => s + atto(l.cost), 0n);
}
