// The cost engine: one price record (a price period parsed by JS at table load) times one
// set of quantities → line items and a total, all exact integers in 1e-18 USD (u128 as two
// u64 limbs). Records live in one permanent region that is reused while it is big enough;
// quantities, lines and the total live in static data, so a call never allocates.
import { allocPermanent } from '../memory/arena';
import { rLo, rHi, overflow, mul64, mul128x64, add128, divRound128, mulDivCeil } from './u128';
import * as L from './layout';

const ONE: u64 = 1_000_000; // multiplier scale: 1e-6
const MICRO_TO_ATTO: u64 = 1_000_000_000_000; // 1e-6 USD → 1e-18 USD

export const quantities: usize = memory.data(<i32>(L.QUANTITY_SLOTS * 8), 16);
export const lines: usize = memory.data(<i32>(L.MAX_LINES * L.LINE_BYTES), 16);
export const total: usize = memory.data(16, 16); // u64 lo, u64 hi

let tableBase: usize = 0;
let tableCap: usize = 0;
let tableCount: u32 = 0;
let lineCount: i32 = 0;
let totLo: u64 = 0;
let totHi: u64 = 0;
let rec: usize = 0;

/** Where JS writes `count` records; the region is reused when it is large enough. */
export function tableReserve(count: u32): usize {
  const bytes = (<usize>count) * (<usize>L.RECORD_SLOTS) * 8;
  if (bytes > tableCap) {
    tableBase = allocPermanent(bytes);
    tableCap = bytes;
  }
  tableCount = count;
  return tableBase;
}

@inline function r(slot: i32): i64 {
  return load<i64>(rec + ((<usize>slot) << 3));
}

@inline function q(slot: i32): u64 {
  return load<u64>(quantities + ((<usize>slot) << 3));
}

/** Append a line whose cost is unit × quantity (÷ divisor, rounded half up, when divisor > 1). */
function emit(component: u32, unit: u32, qty: u64, uLo: u64, uHi: u64, divisor: u64): void {
  mul128x64(uLo, uHi, qty);
  let cLo = rLo, cHi = rHi;
  if (divisor > 1) {
    divRound128(cLo, cHi, divisor);
    cLo = rLo;
    cHi = rHi;
  }
  add128(totLo, totHi, cLo, cHi);
  totLo = rLo;
  totHi = rHi;
  if (lineCount >= L.MAX_LINES) unreachable();
  const p = lines + (<usize>lineCount) * (<usize>L.LINE_BYTES);
  store<u32>(p, component);
  store<u32>(p + 4, unit);
  store<u64>(p + 8, qty);
  store<u64>(p + 16, uLo);
  store<u64>(p + 24, uHi);
  store<u64>(p + 32, cLo);
  store<u64>(p + 40, cHi);
  lineCount++;
}

/** A per-token line: price in 1e-12 USD per token × multiplier in 1e-6 = 1e-18 USD per token. */
function tokenLine(component: u32, qty: u64, price: i64, mult: u64): void {
  if (qty == 0) return;
  mul64(<u64>price, mult);
  emit(component, L.U_TOKEN, qty, rLo, rHi, 1);
}

/** A line priced per unit in 1e-6 USD (per image, per request, per minute with seconds ÷ 60). */
function microLine(component: u32, unit: u32, qty: u64, price: i64, divisor: u64): void {
  if (qty == 0) return;
  mul64(<u64>price, MICRO_TO_ATTO);
  emit(component, unit, qty, rLo, rHi, divisor);
}

/**
 * Price record `index` with the quantities at `quantities`. Returns the number of lines
 * written at `lines` (total at `total`), or a negative L.E_* code.
 */
export function compute(index: u32): i32 {
  if (index >= tableCount) return L.E_RECORD;
  rec = tableBase + (<usize>index) * (<usize>L.RECORD_SLOTS) * 8;
  overflow = false;
  lineCount = 0;
  totLo = 0;
  totHi = 0;

  const input = q(L.Q_INPUT);
  const read = q(L.Q_CACHE_READ);
  const w5 = q(L.Q_CACHE_WRITE_5M);
  const w1 = q(L.Q_CACHE_WRITE_1H);
  const output = q(L.Q_OUTPUT);
  const reasoning = q(L.Q_REASONING);
  const imageTokens = q(L.Q_IMAGE_TOKENS);
  if (read > input || w5 > input - read || w1 > input - read - w5) return L.E_CACHE;
  if (reasoning > output) return L.E_REASONING;

  // Audio durations become tokens (tokens/s known) or minutes (per-minute price).
  let audioIn = q(L.Q_AUDIO_IN_TOKENS);
  let audioInSec: u64 = 0;
  const inMs = q(L.Q_AUDIO_IN_MS);
  if (inMs > 0) {
    if (r(L.R_AUDIO_IN_TPS) > 0) audioIn += mulDivCeil(inMs, <u64>r(L.R_AUDIO_IN_TPS), 1000);
    else if (r(L.R_AUDIO_IN_MIN) >= 0 || r(L.R_PER_MINUTE) >= 0) audioInSec = (inMs + 999) / 1000;
    else return L.E_NO_AUDIO_IN;
  }
  let audioOut = q(L.Q_AUDIO_OUT_TOKENS);
  let audioOutSec: u64 = 0;
  const outMs = q(L.Q_AUDIO_OUT_MS);
  if (outMs > 0) {
    if (r(L.R_AUDIO_OUT_TPS) > 0) audioOut += mulDivCeil(outMs, <u64>r(L.R_AUDIO_OUT_TPS), 1000);
    else if (r(L.R_AUDIO_OUT_MIN) >= 0) audioOutSec = (outMs + 999) / 1000;
    else return L.E_NO_AUDIO_OUT;
  }
  const audioCached = q(L.Q_AUDIO_CACHED_TOKENS);
  if (audioCached > audioIn) return L.E_CACHE;

  // Long-context tier: the whole request at the highest tier whose threshold the prompt exceeds.
  let pIn = r(L.R_INPUT), pOut = r(L.R_OUTPUT), pCached = r(L.R_CACHED);
  let pW5 = r(L.R_CW5M), pW1 = r(L.R_CW1H);
  const prompt = input + imageTokens + audioIn;
  const tiers = <i32>r(L.R_TIER_COUNT);
  for (let t = 0; t < tiers; t++) {
    const b = L.R_TIERS + t * L.TIER_STRIDE;
    if (prompt <= <u64>r(b + L.T_THRESHOLD)) break;
    pIn = r(b + L.T_INPUT);
    if (r(b + L.T_OUTPUT) >= 0) pOut = r(b + L.T_OUTPUT);
    if (r(b + L.T_CACHED) >= 0) pCached = r(b + L.T_CACHED);
    if (r(b + L.T_CW5M) >= 0) pW5 = r(b + L.T_CW5M);
    if (r(b + L.T_CW1H) >= 0) pW1 = r(b + L.T_CW1H);
  }

  // Batch: one multiplier on every token price, or explicit input/output/cached prices.
  let mult = ONE;
  if (q(L.Q_BATCH) != 0) {
    const kind = r(L.R_BATCH_KIND);
    if (kind == 0) return L.E_NO_BATCH;
    if (kind == 1) mult = <u64>r(L.R_BATCH_MULT);
    else {
      pIn = r(L.R_BATCH_INPUT);
      pOut = r(L.R_BATCH_OUTPUT);
      if (r(L.R_BATCH_CACHED) >= 0) pCached = r(L.R_BATCH_CACHED);
    }
  }

  // Text input: uncached, cache reads, cache writes (5 min or 1 h). Without a cache price the
  // tokens are billed at the input price (the provider gives no discount / surcharge).
  const uncached = input - read - w5 - w1;
  if ((input > 0 || imageTokens > 0) && pIn < 0) return L.E_NO_INPUT;
  tokenLine(L.C_INPUT, uncached, pIn, mult);
  tokenLine(L.C_CACHE_READ, read, pCached >= 0 ? pCached : pIn, mult);
  tokenLine(L.C_CACHE_WRITE_5M, w5, pW5 >= 0 ? pW5 : pIn, mult);
  tokenLine(L.C_CACHE_WRITE_1H, w1, pW1 >= 0 ? pW1 : pIn, mult);

  // Output, with reasoning split out only when the period prices it separately.
  if (output > 0 && pOut < 0) return L.E_NO_OUTPUT;
  const pReason = r(L.R_REASONING);
  if (pReason >= 0) {
    tokenLine(L.C_OUTPUT, output - reasoning, pOut, mult);
    tokenLine(L.C_REASONING, reasoning, pReason, mult);
  } else {
    tokenLine(L.C_OUTPUT, output, pOut, mult);
  }

  // Images: tokens at the input price, or a flat price per image.
  tokenLine(L.C_IMAGE, imageTokens, pIn, mult);
  const images = q(L.Q_IMAGES);
  if (images > 0) {
    if (r(L.R_PER_IMAGE) < 0) return L.E_NO_IMAGE;
    microLine(L.C_IMAGE, L.U_IMAGE, images, r(L.R_PER_IMAGE), 1);
  }

  // Audio tokens at the audio price (else the text price, as Gemini bills every modality alike).
  if (audioIn > 0) {
    const pa = r(L.R_AUDIO_IN) >= 0 ? r(L.R_AUDIO_IN) : pIn;
    if (pa < 0) return L.E_NO_AUDIO_IN;
    const pac = r(L.R_AUDIO_CACHED) >= 0 ? r(L.R_AUDIO_CACHED) : pa;
    tokenLine(L.C_AUDIO_INPUT, audioIn - audioCached, pa, mult);
    tokenLine(L.C_AUDIO_CACHE_READ, audioCached, pac, mult);
  }
  if (audioInSec > 0) {
    microLine(L.C_AUDIO_INPUT, L.U_MINUTE, audioInSec, r(L.R_AUDIO_IN_MIN) >= 0 ? r(L.R_AUDIO_IN_MIN) : r(L.R_PER_MINUTE), 60);
  }
  if (audioOut > 0) {
    const pa = r(L.R_AUDIO_OUT) >= 0 ? r(L.R_AUDIO_OUT) : pOut;
    if (pa < 0) return L.E_NO_AUDIO_OUT;
    tokenLine(L.C_AUDIO_OUTPUT, audioOut, pa, mult);
  }
  if (audioOutSec > 0) microLine(L.C_AUDIO_OUTPUT, L.U_MINUTE, audioOutSec, r(L.R_AUDIO_OUT_MIN), 60);

  // Characters (text-to-speech) and flat per-request fees.
  const chars = q(L.Q_CHARACTERS);
  if (chars > 0) {
    if (r(L.R_PER_CHAR) < 0) return L.E_NO_CHARS;
    mul64(<u64>r(L.R_PER_CHAR), ONE);
    emit(L.C_INPUT, L.U_CHARACTER, chars, rLo, rHi, 1);
  }
  if (r(L.R_PER_REQUEST) >= 0) microLine(L.C_REQUEST, L.U_REQUEST, q(L.Q_REQUESTS), r(L.R_PER_REQUEST), 1);

  if (overflow) return L.E_OVERFLOW;
  store<u64>(total, totLo);
  store<u64>(total + 8, totHi);
  return lineCount;
}
