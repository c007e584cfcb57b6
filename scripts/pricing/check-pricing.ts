/**
 * Freshness check: compares our pricing database with the independent @pydantic/genai-prices
 * package (a devDependency, no network) and lists
 *   - every model both know whose prices disagree (unless the reviewed allow-list explains it),
 *   - every model genai-prices knows that we lack,
 *   - every entry of ours whose `checked` date is older than --max-age days.
 * The check fails (exit 1) only on an unexplained disagreement: each difference we believe is
 * the other side's error (or a deliberate choice of ours) is recorded with a reason in
 * pricing/genai-prices-allowlist.json. Allow-list entries that no longer match a disagreement
 * are reported too, so the list does not rot.
 *
 * Usage: npm run pricing:check [-- --max-age 90 --date 2026-12-02 --json]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { comparePricing, formatCheck, type Allowance, type CheckResult } from '../../src/pricing/freshness.js';
import { PricingTable } from '../../src/pricing/registry.js';
import { buildBundle, DEFAULT_PRICING_DIR, formatIssues, loadProviderSchema, validateProviderFiles } from './build-pricing.js';

export { diffPrices, PROVIDER_MAP, type Allowance, type CheckResult, type Disagreement } from '../../src/pricing/freshness.js';

/** Loads and validates pricing/*.json into a table. */
export function loadTable(pricingDir = DEFAULT_PRICING_DIR): PricingTable {
  const res = validateProviderFiles(pricingDir);
  if (!res.ok) throw new Error(`pricing files are invalid:\n${formatIssues(res.issues)}`);
  return new PricingTable(buildBundle(res.providers, loadProviderSchema(pricingDir)));
}

export function loadAllowlist(pricingDir = DEFAULT_PRICING_DIR): Allowance[] {
  return (JSON.parse(readFileSync(join(pricingDir, 'genai-prices-allowlist.json'), 'utf8')) as { disagreements: Allowance[] }).disagreements;
}

/** Runs the comparison of pricing/*.json for `date` (YYYY-MM-DD). */
export function checkPricing(opts: { pricingDir?: string; date: string; maxAgeDays: number; allowlist?: Allowance[] }): CheckResult {
  return comparePricing(loadTable(opts.pricingDir), { date: opts.date, maxAgeDays: opts.maxAgeDays, allowlist: opts.allowlist ?? loadAllowlist(opts.pricingDir) });
}

function main(): void {
  const { values } = parseArgs({ options: { 'max-age': { type: 'string' }, date: { type: 'string' }, json: { type: 'boolean' } } });
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  const res = checkPricing({ date, maxAgeDays: Number(values['max-age'] ?? 90) });
  const maxAgeDays = Number(values['max-age'] ?? 90);
  if (values.json) console.log(JSON.stringify(res, null, 2));
  else console.log(formatCheck(res, { date, maxAgeDays, allowlistName: 'pricing/genai-prices-allowlist.json', title: 'pricing:check' }).join('\n'));
  if (res.unexplained.length > 0) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
