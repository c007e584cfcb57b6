/**
 * Freshness of a pricing table: compares it with the independent @pydantic/genai-prices data
 * (bundled, no network) and lists
 *   - every model both know whose prices disagree (unless the reviewed allow-list explains it),
 *   - every model genai-prices knows that the table lacks,
 *   - every entry whose `checked` date is older than maxAgeDays.
 * Used by `npm run pricing:check` on the provider files (scripts/pricing/check-pricing.ts) and
 * by `tollgate pricing check` on the table a user prices with.
 */
import { calcPrice, findProvider, type ModelPrice } from '@pydantic/genai-prices';
import type { PricingTable } from './registry.js';
import type { BundleModel, PricePeriod, PriceTier } from './types.js';

/** Our provider ids → genai-prices provider ids. */
export const PROVIDER_MAP: Record<string, string> = {
  anthropic: 'anthropic',
  openai: 'openai',
  google: 'google',
  xai: 'x-ai',
  deepseek: 'deepseek',
  mistral: 'mistral',
  groq: 'groq',
  together: 'together',
};

/** A field whose prices differ. */
export interface Disagreement {
  provider: string;
  model: string;
  field: string;
  ours: string;
  theirs: string;
}

/** One reviewed, explained difference. */
export interface Allowance {
  provider: string;
  model: string;
  /** The field, or '*' for every field of the model. */
  field: string;
  reason: string;
  reviewed: string;
}

export interface CheckResult {
  compared: number;
  disagreements: Disagreement[];
  explained: Array<Disagreement & { reason: string }>;
  unexplained: Disagreement[];
  missing: Array<{ provider: string; model: string }>;
  stale: Array<{ provider: string; model: string; checked: string }>;
  unusedAllowances: Allowance[];
}

type Tiered = number | { base: number; tiers: Array<{ start: number; price: number }> } | undefined;

function base(v: Tiered): number | undefined {
  return typeof v === 'number' ? v : v?.base;
}

function firstTier(v: Tiered): { start: number; price: number } | undefined {
  return typeof v === 'object' ? v.tiers[0] : undefined;
}

/** genai-prices fires a tier when tokens > start; ours when > threshold (or >= when inclusive). */
function ourStart(t: PriceTier): number {
  return t.inclusive ? t.threshold - 1 : t.threshold;
}

function fmt(v: number | string | undefined): string {
  return v === undefined ? '—' : String(v);
}

/** Differences between one of our periods and genai-prices' price for the same day. */
export function diffPrices(period: PricePeriod, theirs: ModelPrice): Array<{ field: string; ours: string; theirs: string }> {
  const out: Array<{ field: string; ours: string; theirs: string }> = [];
  const t = theirs as Record<string, Tiered>;
  const pairs: Array<[string, string | undefined, Tiered, keyof PriceTier | undefined]> = [
    ['input', period.input, t.input_mtok, 'input'],
    ['output', period.output, t.output_mtok, 'output'],
    ['cached_input', period.cached_input, t.cache_read_mtok, 'cached_input'],
    ['cache_write_5m', period.cache_write_5m, t.cache_write_mtok, 'cache_write_5m'],
    ['cache_write_1h', period.cache_write_1h, t.cache_write_1h_mtok, 'cache_write_1h'],
  ];
  const tier = period.tiers?.[0];
  for (const [field, ours, their, tierKey] of pairs) {
    const b = base(their);
    // A price only one side lists is not a disagreement (they omit cache writes, we omit web-search counts, …).
    if (ours !== undefined && b !== undefined && Number(ours) !== b) out.push({ field, ours: ours, theirs: fmt(b) });
    const ft = firstTier(their);
    if (ours === undefined || b === undefined) continue;
    if (ft && !tier) out.push({ field: `${field} tier`, ours: 'no tier', theirs: `> ${ft.start}: ${ft.price}` });
    else if (!ft && tier && field === 'input') out.push({ field: 'tier', ours: `${tier.inclusive ? '>=' : '>'} ${tier.threshold}`, theirs: 'no tier' });
    else if (ft && tier) {
      if (ourStart(tier) !== ft.start) out.push({ field: `${field} tier start`, ours: `> ${ourStart(tier)}`, theirs: `> ${ft.start}` });
      const tp = (tier[tierKey!] as string | undefined) ?? ours;
      if (Number(tp) !== ft.price) out.push({ field: `${field} tier price`, ours: tp, theirs: fmt(ft.price) });
    }
  }
  const ws = period.tools?.web_search?.per_thousand;
  if (ws !== undefined && typeof t.web_searches_kcount === 'number' && Number(ws) !== t.web_searches_kcount) {
    out.push({ field: 'tools.web_search', ours: ws, theirs: fmt(t.web_searches_kcount) });
  }
  return out;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Compares `table` with genai-prices for `date` (YYYY-MM-DD); `allowlist` explains known differences. */
export function comparePricing(table: PricingTable, opts: { date: string; maxAgeDays: number; allowlist: Allowance[] }): CheckResult {
  const allow = opts.allowlist;
  const when = new Date(`${opts.date}T12:00:00Z`);
  const disagreements: Disagreement[] = [];
  let compared = 0;
  for (const m of table.models) {
    const gp = PROVIDER_MAP[m.provider];
    const period = table.priceAt(m, opts.date);
    if (!gp || !period || (m.retired && m.retired <= opts.date)) continue;
    const r = calcPrice({ input_tokens: 1 }, m.api_model ?? m.id, { providerId: gp, timestamp: when });
    if (!r) continue;
    compared++;
    for (const d of diffPrices(period, r.model_price)) disagreements.push({ provider: m.provider, model: m.id, ...d });
  }
  const used = new Set<Allowance>();
  const explained: CheckResult['explained'] = [];
  const unexplained: Disagreement[] = [];
  for (const d of disagreements) {
    const a = allow.find((x) => x.provider === d.provider && x.model === d.model && (x.field === '*' || x.field === d.field));
    if (a) {
      used.add(a);
      explained.push({ ...d, reason: a.reason });
    } else unexplained.push(d);
  }

  const missing: CheckResult['missing'] = [];
  for (const [ours, gp] of Object.entries(PROVIDER_MAP)) {
    for (const gm of findProvider({ providerId: gp })?.models ?? []) {
      const prices = Array.isArray(gm.prices) ? gm.prices.at(-1)?.prices : gm.prices;
      if (gm.deprecated || !prices || prices.input_mtok === undefined) continue;
      if (!table.get(gm.id, { provider: ours }) && !table.get(gm.id)) missing.push({ provider: ours, model: gm.id });
    }
  }

  const stale = table.models
    .filter((m: BundleModel) => !(m.retired && m.retired <= opts.date) && daysBetween(m.checked, opts.date) > opts.maxAgeDays)
    .map((m) => ({ provider: m.provider, model: m.id, checked: m.checked }));
  return { compared, disagreements, explained, unexplained, missing, stale, unusedAllowances: allow.filter((a) => !used.has(a)) };
}


/** The result for people, one line each (what `npm run pricing:check` and `tollgate pricing check` print). */
export function formatCheck(res: CheckResult, opts: { date: string; maxAgeDays: number; allowlistName: string; title: string }): string[] {
  const line = (d: Disagreement): string => `  ${d.provider}/${d.model} ${d.field}: ours ${d.ours}, genai-prices ${d.theirs}`;
  const out = [`${opts.title} ${opts.date}: ${res.compared} models compared with @pydantic/genai-prices`];
  out.push(`unexplained disagreements (${res.unexplained.length}):`, ...res.unexplained.map(line));
  out.push(`explained by ${opts.allowlistName} (${res.explained.length}):`, ...res.explained.map((d) => `${line(d)} — ${d.reason}`));
  out.push(`models genai-prices has and we lack (${res.missing.length}):`, ...res.missing.map((m) => `  ${m.provider}/${m.model}`));
  out.push(`entries checked more than ${opts.maxAgeDays} days ago (${res.stale.length}):`, ...res.stale.map((s) => `  ${s.provider}/${s.model} (checked ${s.checked})`));
  if (res.unusedAllowances.length) {
    out.push(`allow-list entries that no longer match a disagreement (${res.unusedAllowances.length}; remove them):`, ...res.unusedAllowances.map((a) => `  ${a.provider}/${a.model} ${a.field}`));
  }
  return out;
}
