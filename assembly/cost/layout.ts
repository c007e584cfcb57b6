// Memory layouts shared with src/cost/layout.ts (keep the two in sync; test/cost checks them).
//
// A price RECORD is one price period, parsed once by JS when the table loads: 48 i64 slots,
// -1 where the period has no such price. Scales (all exact integers):
//   token prices   1e-12 USD per token   ("2.50" $/MTok → 2_500_000)
//   per-minute     1e-6 USD per minute   ("0.006" → 6_000)
//   per-character  1e-12 USD per char    ($/M characters, like tokens)
//   per-request / per-image   1e-6 USD
//   multipliers    1e-6                 ("0.5" → 500_000, "1.62" → 1_620_000)
// Costs are computed in 1e-18 USD (token price × multiplier) as unsigned 128-bit integers.

export const R_INPUT: i32 = 0;
export const R_OUTPUT: i32 = 1;
export const R_CACHED: i32 = 2;
export const R_CW5M: i32 = 3;
export const R_CW1H: i32 = 4;
export const R_REASONING: i32 = 5;
export const R_BATCH_KIND: i32 = 6; // 0 none, 1 multiplier, 2 explicit prices
export const R_BATCH_MULT: i32 = 7;
export const R_BATCH_INPUT: i32 = 8;
export const R_BATCH_OUTPUT: i32 = 9;
export const R_BATCH_CACHED: i32 = 10;
export const R_AUDIO_IN: i32 = 11;
export const R_AUDIO_OUT: i32 = 12;
export const R_AUDIO_CACHED: i32 = 13;
export const R_AUDIO_IN_MIN: i32 = 14;
export const R_AUDIO_OUT_MIN: i32 = 15;
export const R_AUDIO_IN_TPS: i32 = 16;
export const R_AUDIO_OUT_TPS: i32 = 17;
export const R_PER_MINUTE: i32 = 18;
export const R_PER_CHAR: i32 = 19;
export const R_PER_REQUEST: i32 = 20;
export const R_PER_IMAGE: i32 = 21;
export const R_TIER_COUNT: i32 = 22;
export const R_TIERS: i32 = 23; // MAX_TIERS × TIER_STRIDE slots
export const T_THRESHOLD: i32 = 0;
export const T_INPUT: i32 = 1;
export const T_OUTPUT: i32 = 2;
export const T_CACHED: i32 = 3;
export const T_CW5M: i32 = 4;
export const T_CW1H: i32 = 5;
export const TIER_STRIDE: i32 = 6;
export const MAX_TIERS: i32 = 4;
export const RECORD_SLOTS: i32 = 48;

// QUANTITIES written by JS before each call (u64 slots).
export const Q_INPUT: i32 = 0; // whole text prompt, cached tokens included
export const Q_CACHE_READ: i32 = 1;
export const Q_CACHE_WRITE_5M: i32 = 2;
export const Q_CACHE_WRITE_1H: i32 = 3;
export const Q_OUTPUT: i32 = 4; // reasoning included
export const Q_REASONING: i32 = 5;
export const Q_IMAGE_TOKENS: i32 = 6;
export const Q_IMAGES: i32 = 7;
export const Q_AUDIO_IN_MS: i32 = 8;
export const Q_AUDIO_OUT_MS: i32 = 9;
export const Q_AUDIO_IN_TOKENS: i32 = 10;
export const Q_AUDIO_OUT_TOKENS: i32 = 11;
export const Q_CHARACTERS: i32 = 12;
export const Q_BATCH: i32 = 13;
export const Q_REQUESTS: i32 = 14;
export const Q_AUDIO_CACHED_TOKENS: i32 = 15;
export const QUANTITY_SLOTS: i32 = 16;

// LINES written by the engine: 48 bytes each.
//   u32 component, u32 unit, u64 quantity, u64 unitLo, u64 unitHi, u64 costLo, u64 costHi
// unit price is in 1e-18 USD per unit (per MINUTE for minute lines, whose quantity is seconds).
export const LINE_BYTES: i32 = 48;
export const MAX_LINES: i32 = 16;

export const C_INPUT: u32 = 1;
export const C_CACHE_READ: u32 = 2;
export const C_CACHE_WRITE_5M: u32 = 3;
export const C_CACHE_WRITE_1H: u32 = 4;
export const C_OUTPUT: u32 = 5;
export const C_REASONING: u32 = 6;
export const C_IMAGE: u32 = 7;
export const C_AUDIO_INPUT: u32 = 8;
export const C_AUDIO_OUTPUT: u32 = 9;
export const C_AUDIO_CACHE_READ: u32 = 10;
export const C_REQUEST: u32 = 11;

export const U_TOKEN: u32 = 1;
export const U_IMAGE: u32 = 2;
export const U_MINUTE: u32 = 3; // quantity in whole seconds, unit price per minute
export const U_CHARACTER: u32 = 4;
export const U_REQUEST: u32 = 5;

// Error codes (negative results of cost_compute).
export const E_OVERFLOW: i32 = -1;
export const E_RECORD: i32 = -2;
export const E_CACHE: i32 = -3;
export const E_REASONING: i32 = -4;
export const E_NO_INPUT: i32 = -5;
export const E_NO_OUTPUT: i32 = -6;
export const E_NO_BATCH: i32 = -7;
export const E_NO_AUDIO_IN: i32 = -8;
export const E_NO_AUDIO_OUT: i32 = -9;
export const E_NO_IMAGE: i32 = -10;
export const E_NO_CHARS: i32 = -11;
