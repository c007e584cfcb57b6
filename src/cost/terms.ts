/**
 * The terms a request is billed under, besides its token counts: the service tier (OpenAI
 * flex / priority / batch, Google Flex / Priority, Anthropic fast mode), a regional or
 * data-residency uplift, and the time-of-day window. Each picks an engine record or a
 * multiplier; the arithmetic stays in the engine.
 */
import type { PricePeriod, TimeWindow } from '../pricing/types.js';
import { parseScaled } from './decimal.js';
import { CostInputError } from './errors.js';
import { serviceTiersOf, type ServiceTierName } from './records.js';

/**
 * Service tier names accepted from callers: ours, and the values of the providers' own
 * request fields (OpenAI `service_tier`: auto, default, flex, priority, scale; Anthropic
 * `service_tier`: auto, standard_only, and fast mode as `fast`).
 */
export const SERVICE_TIER_INPUTS = ['standard', 'auto', 'default', 'standard_only', 'scale', 'flex', 'priority', 'batch', 'fast'] as const;
export type ServiceTierInput = (typeof SERVICE_TIER_INPUTS)[number];

/** The priced tier a caller's service tier means, plus a warning where it is an approximation. */
export function serviceTierOf(input: string | undefined, batch: boolean | undefined, period: PricePeriod, modelId: string): { tier: ServiceTierName; warnings: string[] } {
  const warnings: string[] = [];
  let tier: ServiceTierName;
  switch (input) {
    case undefined:
    case 'standard':
    case 'default':
    case 'standard_only':
      tier = 'standard';
      break;
    case 'auto':
      tier = 'standard';
      break;
    case 'scale':
      tier = 'standard';
      warnings.push(`service tier 'scale' is billed through reserved capacity units; ${modelId} is estimated at its standard token prices.`);
      break;
    case 'flex':
    case 'priority':
    case 'batch':
    case 'fast':
      tier = input;
      break;
    default:
      throw new CostInputError('serviceTier', `unknown service tier ${JSON.stringify(input)}; expected one of ${SERVICE_TIER_INPUTS.join(', ')}`);
  }
  if (batch) {
    if (tier !== 'standard' && tier !== 'batch') throw new CostInputError('batch', `batch contradicts serviceTier '${input}'; give one of them`);
    tier = 'batch';
  }
  const offered = serviceTiersOf(period);
  if (!offered.includes(tier)) {
    if (tier === 'batch') throw new CostInputError('batch', `${modelId} has no Batch API price`);
    throw new CostInputError('serviceTier', `${modelId} has no '${tier}' service tier price; it offers ${offered.join(', ')}`);
  }
  return { tier, warnings };
}

/** The regional uplift of `region` in 1e-6 (1_000_000 without a region). */
export function regionMicro(region: string | undefined, period: PricePeriod, modelId: string): number {
  if (region === undefined) return 1_000_000;
  const r = period.regions?.[region.toLowerCase()];
  if (!r) {
    const known = Object.keys(period.regions ?? {});
    throw new CostInputError('region', `${modelId} has no regional price for ${JSON.stringify(region)}${known.length ? `; it has ${known.join(', ')}` : '; it has no regional uplifts (requests are billed the same everywhere)'}`);
  }
  return Number(parseScaled(r.multiplier, 6, 'region multiplier'));
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * True when minute-of-day `m` of ISO weekday `day` (1 = Monday … 7 = Sunday) falls in
 * `[start, end)` of `w`. A window wrapping past midnight belongs to the weekday it starts on.
 */
export function inWindow(w: TimeWindow, m: number, day: number): boolean {
  const s = minutes(w.start);
  const e = minutes(w.end);
  if (s < e) return m >= s && m < e && (!w.weekdays || w.weekdays.includes(day));
  if (m >= s) return !w.weekdays || w.weekdays.includes(day);
  return m < e && (!w.weekdays || w.weekdays.includes(day === 1 ? 7 : day - 1));
}

/**
 * The time-of-day window in force at `date` (index into `period.time_of_day`, -1 outside every
 * window), or undefined when the time is unknown (a plain YYYY-MM-DD, or no date at all).
 */
export function windowAt(period: PricePeriod, date: string | Date | undefined): number | undefined {
  const windows = period.time_of_day;
  if (!windows) return -1;
  if (date === undefined || (typeof date === 'string' && date.length <= 10)) return undefined;
  const d = typeof date === 'string' ? new Date(date) : date;
  const m = d.getUTCHours() * 60 + d.getUTCMinutes();
  const day = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  return windows.findIndex((w) => inWindow(w, m, day));
}

/** How the windows of `period` read in a sentence: "off-peak 16:30–00:30 UTC". */
export function describeWindows(period: PricePeriod): string {
  return (period.time_of_day ?? []).map((w) => `${w.label} ${w.start}–${w.end} UTC${w.weekdays ? ` on ISO weekdays ${w.weekdays.join(',')}` : ''}`).join(', ');
}
