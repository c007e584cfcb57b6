// The cost engine: one price record (a price period under one service tier and time window,
// compiled by JS at table load) times one set of quantities → line items and a total, all exact
// integers in 1e-24 USD (u128 as two u64 limbs). Records live in one permanent region that is
// reused while it is big enough; quantities, lines and the total live in static data, so a call
// never allocates.
import { allocPermanent } from '../memory/arena';
import { rLo, rHi, overflow, mul64, mul128x64, add128, divRound128, mulDivCeil } from './u128';
import * as L from './layout';

const ONE: u64 = 1_000_000; // multiplier scale: 1e-6
const MICRO_SCALE: u64 = 1_000_000_000_000; // (1e-6 USD) × (1e-6 multiplier) × 1e12 → 1e-24 USD
const PER_THOUSAND_SCALE: u64 = 1_000_000_000; // (1e-6 USD per 1000 calls) × (1e-6 multiplier) × 1e9 → 1e-24 USD per call
const SECONDS_PER_HOUR: u64 = 3600;

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

/** Append a line whose cost is unit × quantity × extra (÷ divisor, rounded half up, when divisor > 1). */
function emit(component: u32, unit: u32, qty: u64, uLo: u64, uHi: u64, extra: u64, divisor: u64): void {
  mul128x64(uLo, uHi, qty);
  let cLo = rLo, cHi = rHi;
  if (extra != 1) {
    mul128x64(cLo, cHi, extra);
    cLo = rLo;
    cHi = rHi;
  }
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

/** A per-token line: price in 1e-12 USD per token × multiplier in 1e-12 = 1e-24 USD per token. */
function tokenLine(component: u32, qty: u64, price: i64, mult: u64): void {
  if (qty == 0) return;
  mul64(<u64>price, mult);
  emit(component, L.U_TOKEN, qty, rLo, rHi, 1, 1);
}

/** Unit price price × region × scale in 1e-24 USD (into rLo/rHi). */
function scaledUnit(price: i64, region: u64, scale: u64): void {
  mul64(<u64>price, region);
  mul128x64(rLo, rHi, scale);
}

/** A line priced per unit in 1e-6 USD (per image, per request, per minute with seconds ÷ 60). */
function microLine(component: u32, unit: u32, qty: u64, price: i64, region: u64, divisor: u64): void {
  if (qty == 0) return;
  scaledUnit(price, region, MICRO_SCALE);
  emit(component, unit, qty, rLo, rHi, 1, divisor);
}

/** The price a cache write of one lifetime costs: its own price, else the input price (no surcharge). */
@inline function orInput(p: i64, pIn: i64): i64 {
  return p >= 0 ? p : pIn;
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
  const w30 = q(L.Q_CACHE_WRITE_30M);
  const w1 = q(L.Q_CACHE_WRITE_1H);
  const w12 = q(L.Q_CACHE_WRITE_12H);
  const output = q(L.Q_OUTPUT);
  const reasoning = q(L.Q_REASONING);
  const imageTokens = q(L.Q_IMAGE_TOKENS);
  // Each part is checked against what is left, so the sum can never wrap around.
  let left = input;
  if (read > left) return L.E_CACHE;
  left -= read;
  if (w5 > left) return L.E_CACHE;
  left -= w5;
  if (w30 > left) return L.E_CACHE;
  left -= w30;
  if (w1 > left) return L.E_CACHE;
  left -= w1;
  if (w12 > left) return L.E_CACHE;
  const uncached = left - w12;
  if (reasoning > output) return L.E_REASONING;

  // Regional uplift multiplies every line; the service tier's multiplier every token price.
  const region = q(L.Q_REGION_MULT);
  mul64(<u64>r(L.R_MULT), region);
  if (rHi != 0) return L.E_OVERFLOW;
  const mult = rLo; // 1e-12

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

  // Prompt-size tier: the whole request at the highest tier whose threshold the prompt exceeds.
  let pIn = r(L.R_INPUT), pOut = r(L.R_OUTPUT), pCached = r(L.R_CACHED);
  let pW5 = r(L.R_CW5M), pW30 = r(L.R_CW30M), pW1 = r(L.R_CW1H), pW12 = r(L.R_CW12H);
  const prompt = input + imageTokens + audioIn;
  const tiers = <i32>r(L.R_TIER_COUNT);
  for (let t = 0; t < tiers; t++) {
    const b = L.R_TIERS + t * L.TIER_STRIDE;
    if (prompt <= <u64>r(b + L.T_THRESHOLD)) break;
    if (r(b + L.T_INPUT) == L.UNAVAILABLE) return L.E_LONG_CONTEXT;
    pIn = r(b + L.T_INPUT);
    if (r(b + L.T_OUTPUT) >= 0) pOut = r(b + L.T_OUTPUT);
    if (r(b + L.T_CACHED) >= 0) pCached = r(b + L.T_CACHED);
    if (r(b + L.T_CW5M) >= 0) pW5 = r(b + L.T_CW5M);
    if (r(b + L.T_CW30M) >= 0) pW30 = r(b + L.T_CW30M);
    if (r(b + L.T_CW1H) >= 0) pW1 = r(b + L.T_CW1H);
    if (r(b + L.T_CW12H) >= 0) pW12 = r(b + L.T_CW12H);
  }

  // Text input: uncached, cache reads, cache writes by lifetime. Without a cache price the
  // tokens are billed at the input price (the provider gives no discount / surcharge).
  if ((input > 0 || imageTokens > 0) && pIn < 0) return L.E_NO_INPUT;
  tokenLine(L.C_INPUT, uncached, pIn, mult);
  tokenLine(L.C_CACHE_READ, read, orInput(pCached, pIn), mult);
  tokenLine(L.C_CACHE_WRITE_5M, w5, orInput(pW5, pIn), mult);
  tokenLine(L.C_CACHE_WRITE_30M, w30, orInput(pW30, pIn), mult);
  tokenLine(L.C_CACHE_WRITE_1H, w1, orInput(pW1, pIn), mult);
  tokenLine(L.C_CACHE_WRITE_12H, w12, orInput(pW12, pIn), mult);

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
    microLine(L.C_IMAGE, L.U_IMAGE, images, r(L.R_PER_IMAGE), region, 1);
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
    microLine(L.C_AUDIO_INPUT, L.U_MINUTE, audioInSec, r(L.R_AUDIO_IN_MIN) >= 0 ? r(L.R_AUDIO_IN_MIN) : r(L.R_PER_MINUTE), region, 60);
  }
  if (audioOut > 0) {
    const pa = r(L.R_AUDIO_OUT) >= 0 ? r(L.R_AUDIO_OUT) : pOut;
    if (pa < 0) return L.E_NO_AUDIO_OUT;
    tokenLine(L.C_AUDIO_OUTPUT, audioOut, pa, mult);
  }
  if (audioOutSec > 0) microLine(L.C_AUDIO_OUTPUT, L.U_MINUTE, audioOutSec, r(L.R_AUDIO_OUT_MIN), region, 60);

  // Characters (text-to-speech) and flat per-request fees.
  const chars = q(L.Q_CHARACTERS);
  if (chars > 0) {
    if (r(L.R_PER_CHAR) < 0) return L.E_NO_CHARS;
    mul64(<u64>r(L.R_PER_CHAR), mult);
    emit(L.C_INPUT, L.U_CHARACTER, chars, rLo, rHi, 1, 1);
  }
  if (r(L.R_PER_REQUEST) >= 0) microLine(L.C_REQUEST, L.U_REQUEST, q(L.Q_REQUESTS), r(L.R_PER_REQUEST), region, 1);

  // Cache storage: tokens × seconds at a price per token-hour (÷ 3600, rounded half up).
  const stored = q(L.Q_STORAGE_TOKENS);
  const storedSec = q(L.Q_STORAGE_SECONDS);
  if (stored > 0 && storedSec > 0) {
    if (r(L.R_STORAGE) < 0) return L.E_NO_STORAGE;
    scaledUnit(r(L.R_STORAGE), region, ONE);
    emit(L.C_CACHE_STORAGE, L.U_TOKEN_HOUR, stored, rLo, rHi, storedSec, SECONDS_PER_HOUR);
  }

  // Server-side tool calls: per-1000 prices after the free quota left in the period.
  const tools = <i32>r(L.R_TOOL_COUNT);
  for (let t = 0; t < tools; t++) {
    const b = L.R_TOOLS + t * L.TOOL_STRIDE;
    const calls = q(L.Q_TOOL_CALLS + t);
    const before = q(L.Q_TOOL_BEFORE + t);
    const free = <u64>r(b + L.K_FREE);
    const freeLeft = before >= free ? 0 : free - before;
    const billed = calls > freeLeft ? calls - freeLeft : 0;
    if (billed == 0) continue;
    scaledUnit(r(b + L.K_PER_THOUSAND), region, PER_THOUSAND_SCALE);
    emit(<u32>r(b + L.K_COMPONENT), L.U_CALL, billed, rLo, rHi, 1, 1);
  }

  if (overflow) return L.E_OVERFLOW;
  store<u64>(total, totLo);
  store<u64>(total + 8, totHi);
  return lineCount;
}
