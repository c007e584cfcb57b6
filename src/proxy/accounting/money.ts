/**
 * Money in the gateway: exact decimal strings of USD at the edges, bigint units of 1e-24 USD
 * inside (the cost engine's precision: token prices × service-tier and regional multipliers
 * stay exact). Reservations, budgets, ledgers and report totals all add these units.
 */
import { formatScaled, parseScaled } from '../../cost/decimal.js';

export const MONEY_SCALE = 24;

/** "0.0012" → its bigint amount of 1e-24 USD. */
export function toUnits(usd: string): bigint {
  return parseScaled(usd, MONEY_SCALE);
}

/** 1e-24 USD units → the exact decimal string (negatives clamp to 0). */
export function fromUnits(units: bigint): string {
  return formatScaled(units < 0n ? 0n : units, MONEY_SCALE);
}
