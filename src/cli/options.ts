/**
 * Parsers for option values: commander calls them while parsing, and a bad value becomes a
 * one-line usage error naming the option (exit 2) before any command runs.
 */
import { InvalidArgumentError } from 'commander';
import { isCalendarDate } from '../pricing/checks.js';

/** A whole number of tokens / requests (0 … 1e12). */
export function count(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 1e12) throw new InvalidArgumentError('expected a whole number (0 or more)');
  return Number(value);
}

/** A fraction between 0 and 1. */
export function ratio(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

/** A non-negative number (percentages, seconds). */
export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number, 0 or more');
  return n;
}

/** A calendar day, YYYY-MM-DD. */
export function day(value: string): string {
  if (!isCalendarDate(value)) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return value;
}

/** A calendar day, or a moment (2026-12-02T14:30Z) for models priced by time of day. */
export function dayOrTime(value: string): string {
  if (isCalendarDate(value)) return value;
  const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m || !isCalendarDate(m[1]!) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected a date YYYY-MM-DD or a time like 2026-12-02T14:30Z');
  return value;
}

/** A month, YYYY-MM. */
export function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('expected a month YYYY-MM');
  return value;
}

/** One of `allowed`. */
export function oneOf<T extends string>(...allowed: T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return value as T;
  };
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Comma-separated names. */
export function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** `key=value` tags, repeatable. */
export function tag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
