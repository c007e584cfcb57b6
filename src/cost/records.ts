/**
 * Price periods → fixed integer records for the engine (layout in ./layout.ts), parsed once
 * when a pricing table loads. One record per period, service tier and time-of-day window, so
 * the engine never chooses among them: JS picks the record, the engine multiplies. Token prices
 * become 1e-12 USD per token (= $/MTok × 10^6), flat fees 1e-6 USD, multipliers 1e-6: every
 * decimal of the schema (≤ 6 fraction digits) is an exact integer in these units.
 */
import type { PricePeriod, PriceTier, ServicePrice, TimeWindow, ToolKind } from '../pricing/types.js';
import { COMPONENTS, K, MAX_TIERS, MAX_TOOLS, R, RECORD_SLOTS, T, TIER_STRIDE, TOOL_STRIDE, UNAVAILABLE } from './layout.js';
import { parseScaled } from './decimal.js';

const ABSENT = -1n;
const ONE = 1_000_000n;

/** Service tiers a record can be compiled for. */
export type ServiceTierName = 'standard' | 'batch' | 'flex' | 'priority' | 'fast';

function micro(v: string | undefined, what: string): bigint {
  return v === undefined ? ABSENT : parseScaled(v, 6, what);
}

/** The service tiers `period` offers (standard always). */
export function serviceTiersOf(period: PricePeriod): ServiceTierName[] {
  const out: ServiceTierName[] = ['standard'];
  if (period.batch) out.push('batch');
  for (const k of ['flex', 'priority', 'fast'] as const) if (period.service_tiers?.[k]) out.push(k);
  return out;
}

/** The prices of the service tier `name` of `period`, as the schema's ServicePrice. */
function servicePrice(period: PricePeriod, name: ServiceTierName): ServicePrice | undefined {
  if (name === 'standard') return undefined;
  if (name === 'batch') {
    const b = period.batch!;
    return 'multiplier' in b ? b : { input: b.input, output: b.output, ...(b.cached_input !== undefined ? { cached_input: b.cached_input } : {}) };
  }
  return period.service_tiers![name];
}

/** Server-side tools of a period in record order (aligned with the quantity slots). */
export function toolsOf(period: PricePeriod): ToolKind[] {
  return Object.keys(period.tools ?? {}) as ToolKind[];
}

/** `price × multiplier`, exactly, in 1e-12 USD per token; throws when it is not representable. */
function scaled(price: bigint, mult: bigint, what: string): bigint {
  if (price < 0n) return price;
  const v = price * mult;
  if (v % ONE !== 0n) throw new RangeError(`${what}: the multiplied price has more than 6 fraction digits per million tokens`);
  return v / ONE;
}

const TOKEN_KEYS = ['input', 'output', 'cached_input', 'cache_write_5m', 'cache_write_30m', 'cache_write_1h', 'cache_write_12h'] as const;
type TokenKey = (typeof TOKEN_KEYS)[number];
const SLOT_OF: Record<TokenKey, number> = {
  input: R.INPUT,
  output: R.OUTPUT,
  cached_input: R.CACHED,
  cache_write_5m: R.CW5M,
  cache_write_30m: R.CW30M,
  cache_write_1h: R.CW1H,
  cache_write_12h: R.CW12H,
};
const TIER_SLOT_OF: Record<TokenKey, number> = {
  input: T.INPUT,
  output: T.OUTPUT,
  cached_input: T.CACHED,
  cache_write_5m: T.CW5M,
  cache_write_30m: T.CW30M,
  cache_write_1h: T.CW1H,
  cache_write_12h: T.CW12H,
};

/**
 * Writes the record of `period` under service tier `service` and time window `window` (an
 * index into `period.time_of_day`, or -1 for the period's own prices) into `out` at `at`.
 * @throws RangeError for a period the engine cannot represent (more than 4 tiers or tools, bad decimal, inexact window multiplier)
 */
export function writeRecord(period: PricePeriod, out: BigInt64Array, at: number, where: string, service: ServiceTierName = 'standard', window = -1): void {
  const set = (slot: number, v: bigint): void => {
    out[at + slot] = v;
  };
  out.fill(ABSENT, at, at + RECORD_SLOTS);
  const w: TimeWindow | undefined = window >= 0 ? period.time_of_day![window] : undefined;
  const wMult = w?.multiplier !== undefined ? micro(w.multiplier, `${where}.time_of_day[${window}].multiplier`) : ONE;
  const windowed = (v: bigint, what: string): bigint => scaled(v, wMult, what);

  for (const k of TOKEN_KEYS) {
    const fromWindow = w && w.multiplier === undefined && (k === 'input' || k === 'output' || k === 'cached_input') ? w[k] : undefined;
    set(SLOT_OF[k], fromWindow !== undefined ? micro(fromWindow, `${where}.time_of_day[${window}].${k}`) : windowed(micro(period[k], `${where}.${k}`), `${where}.${k}`));
  }
  set(R.STORAGE, micro(period.cache_storage_per_hour, `${where}.cache_storage_per_hour`));
  set(R.REASONING, windowed(micro(period.reasoning, `${where}.reasoning`), `${where}.reasoning`));
  set(R.MULT, ONE);

  let tiers: PriceTier[] = period.tiers ?? [];
  let unavailableFrom: PriceTier[] = [];
  const sp = servicePrice(period, service);
  if (sp && 'multiplier' in sp) set(R.MULT, micro(sp.multiplier, `${where}.${service}.multiplier`));
  else if (sp) {
    for (const k of TOKEN_KEYS) if (sp[k] !== undefined || k === 'input' || k === 'output') set(SLOT_OF[k], micro(sp[k], `${where}.${service}.${k}`));
    // Explicit prices come with their own long-context tiers, or none are offered.
    unavailableFrom = sp.tiers ? [] : tiers;
    tiers = sp.tiers ?? [];
  }

  const a = period.audio;
  if (a) {
    set(R.AUDIO_IN, micro(a.input, `${where}.audio.input`));
    set(R.AUDIO_OUT, micro(a.output, `${where}.audio.output`));
    set(R.AUDIO_CACHED, micro(a.cached_input, `${where}.audio.cached_input`));
    set(R.AUDIO_IN_MIN, micro(a.input_per_minute, `${where}.audio.input_per_minute`));
    set(R.AUDIO_OUT_MIN, micro(a.output_per_minute, `${where}.audio.output_per_minute`));
    set(R.AUDIO_IN_TPS, a.input_tokens_per_second === undefined ? ABSENT : BigInt(a.input_tokens_per_second));
    set(R.AUDIO_OUT_TPS, a.output_tokens_per_second === undefined ? ABSENT : BigInt(a.output_tokens_per_second));
  }
  set(R.PER_MINUTE, micro(period.per_minute, `${where}.per_minute`));
  set(R.PER_CHAR, micro(period.per_million_characters, `${where}.per_million_characters`));
  set(R.PER_REQUEST, micro(period.per_request, `${where}.per_request`));
  set(R.PER_IMAGE, period.image?.rule === 'per-image' ? micro(period.image.price, `${where}.image.price`) : ABSENT);

  const tools = toolsOf(period);
  if (tools.length > MAX_TOOLS) throw new RangeError(`${where}.tools: at most ${MAX_TOOLS} tools are supported`);
  set(R.TOOL_COUNT, BigInt(tools.length));
  tools.forEach((kind, i) => {
    const t = period.tools![kind]!;
    const base = R.TOOLS + i * TOOL_STRIDE;
    set(base + K.COMPONENT, BigInt(COMPONENTS.indexOf(kind)));
    set(base + K.PER_THOUSAND, micro(t.per_thousand, `${where}.tools.${kind}.per_thousand`));
    set(base + K.FREE, BigInt(t.free ?? 0));
  });

  const all = tiers.length > 0 ? tiers : unavailableFrom.slice(0, 1);
  if (all.length > MAX_TIERS) throw new RangeError(`${where}.tiers: at most ${MAX_TIERS} tiers are supported`);
  set(R.TIER_COUNT, BigInt(all.length));
  all.forEach((t, i) => {
    const base = R.TIERS + i * TIER_STRIDE;
    // "≥ n" is "> n - 1": the engine knows one comparison.
    set(base + T.THRESHOLD, BigInt(t.inclusive ? t.threshold - 1 : t.threshold));
    if (tiers.length === 0) {
      set(base + T.INPUT, UNAVAILABLE);
      return;
    }
    for (const k of TOKEN_KEYS) set(base + TIER_SLOT_OF[k], windowed(micro(t[k], `${where}.tiers[${i}].${k}`), `${where}.tiers[${i}].${k}`));
  });
}
