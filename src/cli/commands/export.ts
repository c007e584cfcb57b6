/**
 * `tollgate export`: the project's projected monthly costs for FinOps tools — FOCUS 1.2 rows
 * (one per prompt and cost component: input, cached input, output, images, …) as CSV or JSON,
 * or a per-prompt CSV summary. Every amount is exact: BilledCost = ListCost = EffectiveCost =
 * ContractedCost = the component's cost per request × requests_per_month, and
 * ListUnitPrice × PricingQuantity equals it.
 */
import { formatScaled } from '../../cost/decimal.js';
import { FOCUS_COLUMNS as BASE_COLUMNS } from '../../finops/focus.js';
import { pricedLibrary } from '../library.js';
import { divRound, usd } from '../money.js';
import { printJson } from '../output/json.js';
import { styleFor } from '../output/style.js';
import { bundleText } from '../pricing-store.js';
import { priceWorkingTree, type ComponentCost, type PricedPrompt } from '../project/price.js';

interface Options {
  format: 'focus' | 'csv' | 'json';
  tag?: Record<string, string>;
  config?: string;
  month?: string;
  date?: string;
  json?: boolean;
}

/** FOCUS 1.2 columns written, in order: the shared ones, then the price details of projections. */
export const FOCUS_COLUMNS = [...BASE_COLUMNS, 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'Tags', 'x_PromptName', 'x_Model', 'x_RequestsPerMonth', 'x_TokenCountExact', 'x_PricingVersion'] as const;

type FocusRow = Record<(typeof FOCUS_COLUMNS)[number], string | null>;

const METERS: Record<string, string> = {
  input: 'Input Tokens',
  cache_read: 'Cached Input Tokens',
  cache_write_5m: 'Cache Write Tokens (5 min)',
  cache_write_30m: 'Cache Write Tokens (30 min)',
  cache_write_1h: 'Cache Write Tokens (1 h)',
  cache_write_12h: 'Cache Write Tokens (12 h)',
  cache_storage: 'Cache Storage',
  output: 'Output Tokens',
  reasoning: 'Reasoning Tokens',
  image: 'Image Input',
  audio_input: 'Audio Input',
  audio_output: 'Audio Output',
  audio_cache_read: 'Cached Audio Input',
  request: 'Requests',
  web_search: 'Web Search Calls',
  web_fetch: 'Web Fetch Calls',
  file_search: 'File Search Calls',
  google_search: 'Google Search Calls',
  google_maps: 'Google Maps Calls',
  code_execution: 'Code Execution Calls',
};

/** FOCUS units (UnitFormat: capitalised plural nouns). */
const CONSUMED_UNIT: Record<string, string> = { token: 'Tokens', image: 'Images', minute: 'Minutes', character: 'Characters', request: 'Requests', call: 'Calls', token_hour: 'Token-Hours' };
/** Units priced per million (as the pricing table and the providers' price lists quote them). */
const PER_MILLION = new Set(['token', 'character', 'token_hour']);

/** A non-negative exact decimal string × 10^by ("0.0000025", 6 → "2.5"; "1500", -6 → "0.0015"). */
function shift(decimal: string, by: number): string {
  const [int, frac = ''] = decimal.split('.') as [string, string?];
  const digits = BigInt(int + frac);
  return by >= frac.length ? formatScaled(digits * 10n ** BigInt(by - frac.length), 0) : formatScaled(digits, frac.length - by);
}

/** Monthly quantity: the per-request mean × requests per month, as a decimal (≤ 6 fraction digits). */
function monthlyQuantity(c: ComponentCost, samples: number, rpm: number): string {
  if (Number.isInteger(c.quantity_sum)) return formatScaled(divRound(BigInt(c.quantity_sum) * BigInt(rpm) * 1_000_000n, BigInt(samples)), 6);
  return formatScaled(divRound(BigInt(Math.round(c.quantity_sum * 1e6)) * BigInt(rpm), BigInt(samples)), 6);
}

function monthRange(month: string | undefined): { start: string; end: string; label: string } {
  const now = new Date();
  const [y, m] = month ? month.split('-').map(Number) : [now.getUTCFullYear(), now.getUTCMonth() + 1];
  const start = new Date(Date.UTC(y!, m! - 1, 1));
  const end = new Date(Date.UTC(y!, m!, 1));
  const iso = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
  return { start: iso(start), end: iso(end), label: iso(start).slice(0, 7) };
}

function focusRows(p: PricedPrompt, account: string | undefined, tags: Record<string, string>, period: { start: string; end: string }, version: string, providerNames: Map<string, string>): FocusRow[] {
  const rpm = p.requests_per_month!;
  const provider = providerNames.get(p.provider) ?? p.provider;
  return p.components.map((c) => {
    const cost = usd(c.cost * BigInt(rpm));
    const quantity = monthlyQuantity(c, p.samples, rpm);
    const perMillion = PER_MILLION.has(c.unit);
    const unit = CONSUMED_UNIT[c.unit] ?? `${c.unit[0]!.toUpperCase()}${c.unit.slice(1)}s`;
    const listUnitPrice = perMillion ? shift(c.unit_price, 6) : c.unit_price;
    return {
      BilledCost: cost,
      BillingAccountId: account ?? 'tollgate',
      BillingAccountName: account ?? null,
      BillingCurrency: 'USD',
      BillingPeriodEnd: period.end,
      BillingPeriodStart: period.start,
      ChargeCategory: 'Usage',
      ChargeClass: null,
      ChargeDescription: `Projected ${METERS[c.component] ?? c.component} of prompt '${p.name}' on ${p.model}, ${rpm} requests per month`,
      ChargeFrequency: 'Usage-Based',
      ChargePeriodEnd: period.end,
      ChargePeriodStart: period.start,
      ConsumedQuantity: quantity,
      ConsumedUnit: unit,
      ContractedCost: cost,
      ContractedUnitPrice: listUnitPrice,
      EffectiveCost: cost,
      InvoiceIssuerName: provider,
      ListCost: cost,
      ListUnitPrice: listUnitPrice,
      PricingCategory: 'Standard',
      PricingQuantity: perMillion ? shift(quantity, -6) : quantity,
      PricingUnit: perMillion ? `1000000 ${unit}` : unit,
      ProviderName: provider,
      PublisherName: provider,
      ServiceCategory: 'AI and Machine Learning',
      ServiceName: `${provider} API`,
      ServiceSubcategory: 'Generative AI',
      SkuId: `${p.model}/${c.component}`,
      SkuMeter: METERS[c.component] ?? c.component,
      SkuPriceDetails: JSON.stringify({ x_Model: p.model, x_Component: c.component, x_PriceSince: p.price_since, x_UnitPriceUsd: c.unit_price }),
      SkuPriceId: `${p.model}/${c.component}/${p.price_since}/${c.unit_price}`,
      Tags: JSON.stringify(tags),
      x_PromptName: p.name,
      x_Model: p.model,
      x_RequestsPerMonth: String(rpm),
      x_TokenCountExact: String(p.exact),
      x_PricingVersion: version,
    };
  });
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(header: readonly string[], rows: Array<Array<string | null>>): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export async function run(opts: Options): Promise<number> {
  const { lib, table } = await pricedLibrary();
  const priced = await priceWorkingTree(lib, opts.config, opts.date);
  const project = priced.project;
  const period = monthRange(opts.month);
  const skipped = priced.prompts.filter((p) => p.requests_per_month === null);
  const projected = priced.prompts.filter((p) => p.requests_per_month !== null);
  const err = styleFor(process.stderr);
  for (const p of skipped) process.stderr.write(`${err('yellow', 'warning:')} ${project.where(p.spec.fieldAt('requests_per_month'))}: no requests_per_month, so prompt '${p.name}' has no monthly cost to export\n`);
  const format = opts.json ? 'json' : opts.format;
  const tagsOf = (p: PricedPrompt): Record<string, string> => ({ ...p.spec.tags, ...(opts.tag ?? {}) });

  if (format === 'csv') {
    const header = ['prompt', 'model', 'provider', 'requests_per_month', 'input_tokens', 'output_tokens', 'cost_per_request', 'monthly_cost', 'currency', 'exact', 'tags'];
    const rows = projected.map((p) => [p.name, p.model, p.provider, String(p.requests_per_month), String(p.input_tokens), String(p.output_tokens), usd(p.cost_per_request), usd(p.monthly_cost!), 'USD', String(p.exact), JSON.stringify(tagsOf(p))]);
    process.stdout.write(csv(header, rows));
    return 0;
  }
  // Provider display names (OpenAI, Mistral AI, …) as the pricing table in use has them.
  const providerNames = new Map((JSON.parse(bundleText(table)) as { providers: Array<{ id: string; name: string }> }).providers.map((x) => [x.id, x.name]));
  const rows = projected.flatMap((p) => focusRows(p, project.name, tagsOf(p), period, table.version, providerNames));
  if (format === 'json') {
    printJson({ object: 'export', focus_version: '1.2', charge_period: { start: period.start, end: period.end }, pricing: table, rows });
    return 0;
  }
  process.stdout.write(csv(FOCUS_COLUMNS, rows.map((r) => FOCUS_COLUMNS.map((c) => r[c]))));
  return 0;
}
