/**
 * `tollgate pricing check`: the table in use (built-in or installed) compared with the
 * independent @pydantic/genai-prices data bundled with the CLI (no network), with the reviewed
 * allow-list of known differences shipped next to it, and entries whose `checked` date is too
 * old. The same comparison as the repository's `npm run pricing:check` (src/pricing/freshness.ts);
 * exit 1 on an unexplained disagreement.
 */
import { readFileSync } from 'node:fs';
import { comparePricing, formatCheck, type Allowance } from '../../pricing/freshness.js';
import { PricingTable } from '../../pricing/registry.js';
import type { PricingBundle } from '../../pricing/types.js';
import { EXIT } from '../errors.js';
import { pricedLibrary } from '../library.js';
import { printJson } from '../output/json.js';
import { bundleText } from '../pricing-store.js';

/** Copied next to the bundle by scripts/cli/build-cli.ts; this module is in dist/cli/chunks. */
const ALLOWLIST = new URL('../genai-prices-allowlist.json', import.meta.url);

export async function run(opts: { maxAge: number; date?: string; json?: boolean }): Promise<number> {
  const { table } = await pricedLibrary();
  const date = opts.date ?? new Date().toISOString().slice(0, 10);
  const pricing = new PricingTable(JSON.parse(bundleText(table)) as PricingBundle);
  const allowlist = (JSON.parse(readFileSync(ALLOWLIST, 'utf8')) as { disagreements: Allowance[] }).disagreements;
  const res = comparePricing(pricing, { date, maxAgeDays: opts.maxAge, allowlist });
  if (opts.json) printJson({ object: 'pricing.check', date, max_age_days: opts.maxAge, pricing: table, ...res });
  else process.stdout.write(`${formatCheck(res, { date, maxAgeDays: opts.maxAge, allowlistName: 'the reviewed allow-list', title: `pricing table ${table.version} (${table.source}) on` }).join('\n')}\n`);
  return res.unexplained.length > 0 ? EXIT.policy : EXIT.ok;
}
