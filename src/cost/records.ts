/**
 * Price periods → fixed integer records for the engine (layout in ./layout.ts), parsed once
 * when a pricing table loads. Token prices become 1e-12 USD per token (= $/MTok × 10^6),
 * flat fees 1e-6 USD, multipliers 1e-6: every decimal of the schema (≤ 6 fraction digits)
 * is an exact integer in these units.
 */
import type { PricePeriod } from '../pricing/types.js';
import { MAX_TIERS, R, RECORD_SLOTS, T, TIER_STRIDE } from './layout.js';
import { parseScaled } from './decimal.js';

const ABSENT = -1n;

function micro(v: string | undefined, what: string): bigint {
  return v === undefined ? ABSENT : parseScaled(v, 6, what);
}

/**
 * Writes the record of `period` into `out` at slot offset `at`.
 * @throws RangeError for a period the engine cannot represent (more than 4 tiers, bad decimal)
 */
export function writeRecord(period: PricePeriod, out: BigInt64Array, at: number, where: string): void {
  const set = (slot: number, v: bigint): void => {
    out[at + slot] = v;
  };
  out.fill(ABSENT, at, at + RECORD_SLOTS);
  set(R.INPUT, micro(period.input, `${where}.input`));
  set(R.OUTPUT, micro(period.output, `${where}.output`));
  set(R.CACHED, micro(period.cached_input, `${where}.cached_input`));
  set(R.CW5M, micro(period.cache_write_5m, `${where}.cache_write_5m`));
  set(R.CW1H, micro(period.cache_write_1h, `${where}.cache_write_1h`));
  set(R.REASONING, micro(period.reasoning, `${where}.reasoning`));
  const b = period.batch;
  if (!b) set(R.BATCH_KIND, 0n);
  else if ('multiplier' in b) {
    set(R.BATCH_KIND, 1n);
    set(R.BATCH_MULT, micro(b.multiplier, `${where}.batch.multiplier`));
  } else {
    set(R.BATCH_KIND, 2n);
    set(R.BATCH_INPUT, micro(b.input, `${where}.batch.input`));
    set(R.BATCH_OUTPUT, micro(b.output, `${where}.batch.output`));
    set(R.BATCH_CACHED, micro(b.cached_input, `${where}.batch.cached_input`));
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
  const tiers = period.tiers ?? [];
  if (tiers.length > MAX_TIERS) throw new RangeError(`${where}.tiers: at most ${MAX_TIERS} tiers are supported`);
  set(R.TIER_COUNT, BigInt(tiers.length));
  tiers.forEach((t, i) => {
    const base = R.TIERS + i * TIER_STRIDE;
    set(base + T.THRESHOLD, BigInt(t.threshold));
    set(base + T.INPUT, micro(t.input, `${where}.tiers[${i}].input`));
    set(base + T.OUTPUT, micro(t.output, `${where}.tiers[${i}].output`));
    set(base + T.CACHED, micro(t.cached_input, `${where}.tiers[${i}].cached_input`));
    set(base + T.CW5M, micro(t.cache_write_5m, `${where}.tiers[${i}].cache_write_5m`));
    set(base + T.CW1H, micro(t.cache_write_1h, `${where}.tiers[${i}].cache_write_1h`));
  });
}
