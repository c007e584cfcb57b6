/**
 * Tables for people (aligned columns, optional colour) and for pull requests (GitHub Markdown),
 * from one description, so every command shows the same numbers either way.
 */
import type { Style, StyleName } from './style.js';

/** A column: its header and which side its cells line up on. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A cell: text, optionally styled on a terminal (styles never change the Markdown). */
export type Cell = string | { text: string; style?: StyleName };

export interface Table {
  columns: Column[];
  rows: Cell[][];
  /** Rows after a rule, e.g. a total. */
  footer?: Cell[][];
}

const text = (c: Cell): string => (typeof c === 'string' ? c : c.text);
const styleOf = (c: Cell): StyleName | undefined => (typeof c === 'string' ? undefined : c.style);

/** Terminal columns a string takes: wide East Asian characters and emoji count two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x300 && cp < 0x370) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** The table as aligned plain-text columns (two spaces apart), header bold, footer under a rule. */
export function renderText(t: Table, style: Style): string {
  const all = [t.columns.map((c) => c.header), ...t.rows.map((r) => r.map(text)), ...(t.footer ?? []).map((r) => r.map(text))];
  const widths = t.columns.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: Cell[], bold = false): string =>
    t.columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        // The last column is not padded on the left-aligned side: no trailing spaces.
        const padded = i === t.columns.length - 1 && c.align !== 'right' ? text(cell) : pad(text(cell), widths[i]!, c.align ?? 'left');
        return style(bold ? 'bold' : styleOf(cell), padded);
      })
      .join('  ');
  const out = [line(t.columns.map((c) => c.header), true), ...t.rows.map((r) => line(r))];
  if (t.footer?.length) {
    out.push(style('dim', '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1))));
    out.push(...t.footer.map((r) => line(r)));
  }
  return out.join('\n');
}

/** Markdown cell text: pipes escaped, newlines as spaces. */
export function mdEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The table as GitHub-flavoured Markdown; footer rows are bold. */
export function renderMarkdown(t: Table): string {
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const out = [row(t.columns.map((c) => mdEscape(c.header))), row(t.columns.map((c) => (c.align === 'right' ? '---:' : '---')))];
  for (const r of t.rows) out.push(row(t.columns.map((_, i) => mdEscape(text(r[i] ?? '')))));
  for (const r of t.footer ?? []) out.push(row(t.columns.map((_, i) => (text(r[i] ?? '') ? `**${mdEscape(text(r[i] ?? ''))}**` : ''))));
  return out.join('\n');
}
