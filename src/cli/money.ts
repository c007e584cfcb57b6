/**
 * Exact money for the CLI: USD as bigint counts of 1e-24 USD, the engine's own unit, so costs
 * from estimateCost add, multiply by request counts and compare without ever passing through
 * a float. Display rounding happens only in `displayUsd`.
 */
import { formatScaled, parseScaled } from '../cost/decimal.js';
import { CliError } from './errors.js';

/** Fraction digits of the unit: 1 USD = 10^24 units (the cost engine's unit). */
export const SCALE = 24;
const ONE = 10n ** BigInt(SCALE);

/**
 * A decimal string or number of USD as units. Numbers (from YAML or JSON) are taken by their
 * shortest round-trip text, so `0.1` means exactly 0.1.
 * @throws CliError naming `what` for negative, non-finite or malformed amounts
 */
export function parseUsd(value: string | number, what: string): bigint {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  if (/^-/.test(text)) throw new CliError(`${what} must not be negative (got ${text})`);
  try {
    return parseScaled(text.replace(/^\$/, ''), SCALE, what);
  } catch {
    throw new CliError(`${what} must be a decimal amount of USD like 5 or 0.25 (got ${JSON.stringify(String(value))})`);
  }
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // Shortest round-trip text; expand exponents (1e-7) into plain digits.
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [mant, exp] = s.split(/e/i) as [string, string];
  const e = Number(exp);
  const neg = mant.startsWith('-');
  const [int, frac = ''] = mant.replace('-', '').split('.') as [string, string?];
  const digits = int + frac;
  const point = int.length + e;
  const out = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? '-' : '') + out;
}

/** Units as the exact decimal string of USD ("0.000375", "-12.5"). */
export function usd(units: bigint): string {
  return formatScaled(units, SCALE);
}

/** An exact decimal string of USD (from the library or an API) as units. */
export function fromDecimal(text: string, what = 'amount'): bigint {
  const neg = text.startsWith('-');
  const v = parseScaled(neg ? text.slice(1) : text, SCALE, what);
  return neg ? -v : v;
}

/** `num / den` rounded half away from zero to a whole number of units. */
export function divRound(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError('divRound: denominator must be positive');
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (a * 2n + den) / (2n * den);
  return neg ? -q : q;
}

/**
 * The change from `before` to `after` in percent as a decimal string with two fraction digits
 * ("18.24", "-3.5"), or null when there was nothing before.
 */
export function percentChange(before: bigint, after: bigint): string | null {
  if (before === 0n) return null;
  const hundredths = divRound((after - before) * 10000n, before);
  return formatScaled(hundredths, 2);
}

/** `part` as a percent of `whole` with one fraction digit ("12.5"); whole must be positive. */
export function percentOf(part: bigint, whole: bigint): string {
  const s = formatScaled(divRound(part * 1000n, whole), 1);
  return s.includes('.') ? s : `${s}.0`;
}

/** Options of {@link displayUsd}. */
export interface DisplayOptions {
  /** Prefix + for increases (and − for decreases, always shown). */
  signed?: boolean;
}

/**
 * Money for people: "$1,476.30" from $1 up (cents), otherwise four significant digits
 * ("$0.01235", "$0.000000075"); zero is "$0.00". Half-up rounding; the JSON outputs carry
 * the exact values.
 */
export function displayUsd(units: bigint, opts: DisplayOptions = {}): string {
  const neg = units < 0n;
  const a = neg ? -units : units;
  let digits: number;
  if (a === 0n || a >= ONE) digits = 2;
  else {
    // Fraction digits that keep four significant digits, at least two.
    const lead = SCALE - a.toString().length; // zeros after the point before the first digit
    digits = Math.max(2, Math.min(SCALE, lead + 4));
  }
  const step = 10n ** BigInt(SCALE - digits);
  const rounded = divRound(a, step);
  const text = formatScaled(rounded, digits);
  const [int, frac = ''] = text.split('.') as [string, string?];
  const body = `$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}`;
  if (neg) return `−${body}`;
  return opts.signed && a > 0n ? `+${body}` : body;
}

/** A percent string from {@link percentChange} for people: "+18.2%", "−3.5%". */
export function displayPercent(p: string | null): string {
  if (p === null) return 'new';
  const v = fromDecimal(p);
  const tenths = divRound(v, 10n ** BigInt(SCALE - 1));
  const text = formatScaled(tenths < 0n ? -tenths : tenths, 1);
  const shown = text.includes('.') ? text : `${text}.0`;
  return tenths < 0n ? `−${shown}%` : tenths > 0n ? `+${shown}%` : '0.0%';
}
