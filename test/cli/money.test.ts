/**
 * The CLI's exact money (src/cli/money.ts) and output helpers, in-process: decimal strings ↔
 * 1e-18 USD units with no float anywhere, half-up rounding where a division is unavoidable,
 * display rounding for people only, and warnings feature-detected on estimates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import { displayPercent, displayUsd, divRound, fromDecimal, parseUsd, percentChange, percentOf, usd } from '../../src/cli/money.js';
import { num } from '../../src/cli/output/format.js';
import { renderMarkdown, renderText } from '../../src/cli/output/table.js';
import { warningsOf } from '../../src/cli/output/warnings.js';

const RUNS = Number(process.env.TOLLGATE_PROPERTY_RUNS ?? 5000);
const E24 = 10n ** 24n;
/** A decimal string with up to 24 fraction digits. */
const decimal = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: E24 - 1n }), fc.integer({ min: 0, max: 24 })).map(([i, f, digits]) => {
  const frac = f.toString().padStart(24, '0').slice(0, digits);
  return digits ? `${i}.${frac}` : String(i);
});

describe('money', () => {
  it('parses and prints exact decimals (round trip, trailing zeros dropped)', () => {
    fc.assert(
      fc.property(decimal, (d) => {
        const canonical = d.includes('.') ? d.replace(/0+$/, '').replace(/\.$/, '') : d;
        expect(usd(fromDecimal(d))).toBe(canonical);
        expect(usd(parseUsd(d, 'x'))).toBe(canonical);
      }),
      { numRuns: RUNS },
    );
    expect(usd(parseUsd(0.1, 'x'))).toBe('0.1'); // numbers by their shortest text, not their binary value
    expect(usd(parseUsd(1e-7, 'x'))).toBe('0.0000001');
    expect(usd(parseUsd('$12.50', 'x'))).toBe('12.5');
    expect(() => parseUsd('-1', '--budget')).toThrow(CliError);
    expect(() => parseUsd('1e3', '--budget')).toThrow(/--budget must be a decimal amount of USD/);
    expect(() => parseUsd('0.0000000000000000000000001', 'x')).toThrow(CliError);
  });

  it('adds and multiplies without drift: the sum of 0.1 ten times is 1', () => {
    let sum = 0n;
    for (let i = 0; i < 10; i++) sum += fromDecimal('0.1');
    expect(usd(sum)).toBe('1');
    expect(usd(fromDecimal('0.000585') * 120000n)).toBe('70.2');
  });

  it('divides rounding half away from zero, matching rational arithmetic', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const q = divRound(n, d);
        // |n/d - q| <= 1/2, and a half rounds away from zero (q below n/d only for negatives)
        const twice = 2n * (n - q * d);
        expect(twice <= d && twice >= -d).toBe(true);
        if (twice === d) expect(n < 0n).toBe(true);
        if (twice === -d) expect(n > 0n).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(usd(divRound(fromDecimal('0.00001'), 3n))).toBe('0.000003333333333333333333');
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
  });

  it('computes percent changes and shares exactly, rounded half-up to two / one digits', () => {
    expect(percentChange(fromDecimal('79.95'), fromDecimal('1207.5'))).toBe('1410.32');
    expect(percentChange(fromDecimal('3'), fromDecimal('2'))).toBe('-33.33');
    expect(percentChange(0n, fromDecimal('2'))).toBeNull();
    expect(percentOf(fromDecimal('1170'), fromDecimal('1207.5'))).toBe('96.9');
    expect(displayPercent('1410.32')).toBe('+1410.3%');
    expect(displayPercent('-93.38')).toBe('−93.4%');
    expect(displayPercent(null)).toBe('new');
  });

  it('shows money to people with cents from $1 and four significant digits below', () => {
    const cases: Array<[string, string]> = [
      ['0', '$0.00'],
      ['1207.5', '$1,207.50'],
      ['1234567.891', '$1,234,567.89'],
      ['0.5', '$0.50'],
      ['0.0123', '$0.0123'],
      ['0.000585', '$0.000585'],
      ['0.0050075', '$0.005008'],
      ['0.000000000000000000000001', '$0.000000000000000000000001'],
      ['0.99995', '$1.00'],
    ];
    for (const [v, shown] of cases) expect(displayUsd(fromDecimal(v))).toBe(shown);
    expect(displayUsd(fromDecimal('-0.75'))).toBe('−$0.75');
    expect(displayUsd(fromDecimal('1099.8'), { signed: true })).toBe('+$1,099.80');
    expect(num(1234567)).toBe('1,234,567');
    expect(num(1333.3333)).toBe('1,333.3');
  });
});

describe('output helpers', () => {
  it('finds warnings on estimates that have them, and none otherwise', () => {
    expect(warningsOf({ warnings: ['gpt-4o-2024-05-13 is deprecated', 3] })).toEqual(['gpt-4o-2024-05-13 is deprecated']);
    expect(warningsOf({ total: '1' })).toEqual([]);
    expect(warningsOf(null)).toEqual([]);
  });

  it('aligns text tables by display width and escapes Markdown cells', () => {
    const style = Object.assign((_: unknown, t: string) => t, { enabled: false }) as Parameters<typeof renderText>[1];
    const t = { columns: [{ header: 'Name' }, { header: 'Cost', align: 'right' as const }], rows: [['日本語', '$1.00'], ['a|b', '$10.00']] };
    expect(renderText(t, style).split('\n')).toEqual(['Name      Cost', '日本語   $1.00', 'a|b     $10.00']);
    expect(renderMarkdown(t).split('\n')[3]).toBe('| a\\|b | $10.00 |');
  });
});
