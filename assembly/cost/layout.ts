// Memory layouts shared with src/cost/layout.ts (keep the two in sync; test/cost checks them).
//
// A price RECORD is one price period under one service tier and one time-of-day window,
// compiled once by JS when the table loads: RECORD_SLOTS i64 slots, -1 where the period has no
// such price. Scales (all exact integers):
//   token prices   1e-12 USD per token   ("2.50" $/MTok → 2_500_000); cache storage: per token-hour
//   per-minute     1e-6 USD per minute   ("0.006" → 6_000)
//   per-character  1e-12 USD per char    ($/M characters, like tokens)
//   per-request / per-image   1e-6 USD
//   tool calls     1e-6 USD per 1000 calls ("35" $/1k → 35_000_000)
//   multipliers    1e-6                 ("0.5" → 500_000, "1.1" → 1_100_000)
// Costs are computed in 1e-24 USD (token price 1e-12 × service multiplier 1e-6 × regional
// multiplier 1e-6) as unsigned 128-bit integers.

export const R_INPUT: i32 = 0;
export const R_OUTPUT: i32 = 1;
export const R_CACHED: i32 = 2;
export const R_CW5M: i32 = 3;
export const R_CW30M: i32 = 4;
export const R_CW1H: i32 = 5;
export const R_CW12H: i32 = 6;
export const R_STORAGE: i32 = 7; // per 1M cached tokens per hour
export const R_REASONING: i32 = 8;
export const R_MULT: i32 = 9; // service-tier multiplier on every token price (1e-6; 1_000_000 = none)
export const R_AUDIO_IN: i32 = 10;
export const R_AUDIO_OUT: i32 = 11;
export const R_AUDIO_CACHED: i32 = 12;
export const R_AUDIO_IN_MIN: i32 = 13;
export const R_AUDIO_OUT_MIN: i32 = 14;
export const R_AUDIO_IN_TPS: i32 = 15;
export const R_AUDIO_OUT_TPS: i32 = 16;
export const R_PER_MINUTE: i32 = 17;
export const R_PER_CHAR: i32 = 18;
export const R_PER_REQUEST: i32 = 19;
export const R_PER_IMAGE: i32 = 20;
export const R_TOOL_COUNT: i32 = 21;
export const R_TOOLS: i32 = 22; // MAX_TOOLS × TOOL_STRIDE slots
export const K_COMPONENT: i32 = 0; // line component of the tool (C_WEB_SEARCH, …)
export const K_PER_THOUSAND: i32 = 1;
export const K_FREE: i32 = 2; // free calls per quota period
export const TOOL_STRIDE: i32 = 3;
export const MAX_TOOLS: i32 = 4;
export const R_TIER_COUNT: i32 = 34;
export const R_TIERS: i32 = 35; // MAX_TIERS × TIER_STRIDE slots
export const T_THRESHOLD: i32 = 0; // the tier applies when the prompt is > threshold (inclusive tiers store threshold - 1)
export const T_INPUT: i32 = 1;
export const T_OUTPUT: i32 = 2;
export const T_CACHED: i32 = 3;
export const T_CW5M: i32 = 4;
export const T_CW30M: i32 = 5;
export const T_CW1H: i32 = 6;
export const T_CW12H: i32 = 7;
export const TIER_STRIDE: i32 = 8;
export const MAX_TIERS: i32 = 4;
export const RECORD_SLOTS: i32 = 68;

// QUANTITIES written by JS before each call (u64 slots).
export const Q_INPUT: i32 = 0; // whole text prompt, cached tokens included
export const Q_CACHE_READ: i32 = 1;
export const Q_CACHE_WRITE_5M: i32 = 2;
export const Q_CACHE_WRITE_30M: i32 = 3;
export const Q_CACHE_WRITE_1H: i32 = 4;
export const Q_CACHE_WRITE_12H: i32 = 5;
export const Q_OUTPUT: i32 = 6; // reasoning included
export const Q_REASONING: i32 = 7;
export const Q_IMAGE_TOKENS: i32 = 8;
export const Q_IMAGES: i32 = 9;
export const Q_AUDIO_IN_MS: i32 = 10;
export const Q_AUDIO_OUT_MS: i32 = 11;
export const Q_AUDIO_IN_TOKENS: i32 = 12;
export const Q_AUDIO_OUT_TOKENS: i32 = 13;
export const Q_AUDIO_CACHED_TOKENS: i32 = 14;
export const Q_CHARACTERS: i32 = 15;
export const Q_REQUESTS: i32 = 16;
export const Q_REGION_MULT: i32 = 17; // regional uplift on every line (1e-6; 1_000_000 = none)
export const Q_STORAGE_TOKENS: i32 = 18;
export const Q_STORAGE_SECONDS: i32 = 19;
export const Q_TOOL_CALLS: i32 = 20; // MAX_TOOLS slots, aligned with the record's tools
export const Q_TOOL_BEFORE: i32 = 24; // MAX_TOOLS slots: calls already made in the quota period
export const QUANTITY_SLOTS: i32 = 28;

// LINES written by the engine: 48 bytes each.
//   u32 component, u32 unit, u64 quantity, u64 unitLo, u64 unitHi, u64 costLo, u64 costHi
// unit price is in 1e-24 USD per unit (per MINUTE for minute lines, whose quantity is seconds;
// per TOKEN-HOUR for storage lines, whose quantity is token-seconds).
export const LINE_BYTES: i32 = 48;
export const MAX_LINES: i32 = 24;

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
export const C_CACHE_WRITE_30M: u32 = 12;
export const C_CACHE_WRITE_12H: u32 = 13;
export const C_CACHE_STORAGE: u32 = 14;
export const C_WEB_SEARCH: u32 = 15;
export const C_WEB_FETCH: u32 = 16;
export const C_FILE_SEARCH: u32 = 17;
export const C_GOOGLE_SEARCH: u32 = 18;
export const C_GOOGLE_MAPS: u32 = 19;
export const C_CODE_EXECUTION: u32 = 20;

export const U_TOKEN: u32 = 1;
export const U_IMAGE: u32 = 2;
export const U_MINUTE: u32 = 3; // quantity in whole seconds, unit price per minute
export const U_CHARACTER: u32 = 4;
export const U_REQUEST: u32 = 5;
export const U_CALL: u32 = 6;
export const U_TOKEN_HOUR: u32 = 7; // quantity in token-seconds, unit price per token-hour

// Error codes (negative results of cost_compute).
export const E_OVERFLOW: i32 = -1;
export const E_RECORD: i32 = -2;
export const E_CACHE: i32 = -3;
export const E_REASONING: i32 = -4;
export const E_NO_INPUT: i32 = -5;
export const E_NO_OUTPUT: i32 = -6;
export const E_NO_AUDIO_IN: i32 = -8;
export const E_NO_AUDIO_OUT: i32 = -9;
export const E_NO_IMAGE: i32 = -10;
export const E_NO_CHARS: i32 = -11;
export const E_NO_STORAGE: i32 = -12;
export const E_LONG_CONTEXT: i32 = -13;

// A tier price of UNAVAILABLE marks a long-context tier the record's service tier does not
// offer (OpenAI priority processing "excludes long context"): crossing it is an error.
export const UNAVAILABLE: i64 = -2;
