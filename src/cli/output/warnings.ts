/**
 * Warnings the library attaches to estimates (e.g. a deprecated model, a price that is about
 * to change), shown on stderr so they never mix with a command's output. Feature-detected: an
 * estimate without a `warnings` list has none.
 */
import { styleFor } from './style.js';

/** The warnings of an estimate-like value, if it carries any. */
export function warningsOf(value: unknown): string[] {
  const w = (value as { warnings?: unknown } | null)?.warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

/** Writes `warning: <who>: <text>` lines to stderr. */
export function printWarnings(items: Array<[who: string, text: string]>): void {
  if (items.length === 0) return;
  const style = styleFor(process.stderr);
  for (const [who, text] of items) process.stderr.write(`${style('yellow', 'warning:')} ${who}: ${text}\n`);
}
