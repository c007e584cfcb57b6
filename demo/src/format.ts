const int = new Intl.NumberFormat('en-US');

export function formatInt(n: number): string {
  return int.format(n);
}

/** Dollars with three significant digits for tiny per-request costs: $0.0123, $0.000045, $12.50 (exact figures are in the breakdown). */
export function formatUsd(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n === 0) return '$0';
  if (n >= 1) return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const digits = Math.min(10, Math.max(2, 2 - Math.floor(Math.log10(n))));
  return `$${n.toFixed(digits).replace(/(\.\d*?[1-9])0+$/, '$1')}`;
}

/** Price per million tokens, e.g. $2.50 / M. */
export function formatRate(n: number): string {
  return formatUsd(n);
}

export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

/** A token's text as a readable label: whitespace made visible. */
export function visible(text: string): string {
  return text.replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '→').replace(/\r/g, '␍');
}
