/**
 * Memory layouts of the cost engine's ABI, mirroring assembly/cost/layout.ts (keep in sync;
 * test/cost/engine.test.ts compares the two files).
 */

/** Slots of one price record (i64 each, -1 = the period has no such price). */
export const R = {
  INPUT: 0,
  OUTPUT: 1,
  CACHED: 2,
  CW5M: 3,
  CW30M: 4,
  CW1H: 5,
  CW12H: 6,
  STORAGE: 7,
  REASONING: 8,
  MULT: 9,
  AUDIO_IN: 10,
  AUDIO_OUT: 11,
  AUDIO_CACHED: 12,
  AUDIO_IN_MIN: 13,
  AUDIO_OUT_MIN: 14,
  AUDIO_IN_TPS: 15,
  AUDIO_OUT_TPS: 16,
  PER_MINUTE: 17,
  PER_CHAR: 18,
  PER_REQUEST: 19,
  PER_IMAGE: 20,
  TOOL_COUNT: 21,
  TOOLS: 22,
  TIER_COUNT: 34,
  TIERS: 35,
} as const;

/** Slots of one server-side tool inside a record. */
export const K = { COMPONENT: 0, PER_THOUSAND: 1, FREE: 2 } as const;
export const TOOL_STRIDE = 3;
export const MAX_TOOLS = 4;

/** Slots of one tier inside a record. */
export const T = { THRESHOLD: 0, INPUT: 1, OUTPUT: 2, CACHED: 3, CW5M: 4, CW30M: 5, CW1H: 6, CW12H: 7 } as const;
export const TIER_STRIDE = 8;
export const MAX_TIERS = 4;
export const RECORD_SLOTS = 68;
/** Tier price marking a long-context tier the record's service tier does not offer. */
export const UNAVAILABLE = -2n;

/** Quantity slots (u64) written before each cost_compute. */
export const Q = {
  INPUT: 0,
  CACHE_READ: 1,
  CACHE_WRITE_5M: 2,
  CACHE_WRITE_30M: 3,
  CACHE_WRITE_1H: 4,
  CACHE_WRITE_12H: 5,
  OUTPUT: 6,
  REASONING: 7,
  IMAGE_TOKENS: 8,
  IMAGES: 9,
  AUDIO_IN_MS: 10,
  AUDIO_OUT_MS: 11,
  AUDIO_IN_TOKENS: 12,
  AUDIO_OUT_TOKENS: 13,
  AUDIO_CACHED_TOKENS: 14,
  CHARACTERS: 15,
  REQUESTS: 16,
  REGION_MULT: 17,
  STORAGE_TOKENS: 18,
  STORAGE_SECONDS: 19,
  TOOL_CALLS: 20,
  TOOL_BEFORE: 24,
} as const;
export const QUANTITY_SLOTS = 28;

export const LINE_BYTES = 48;
export const MAX_LINES = 24;

/** Line component ids → public names. */
export const COMPONENTS = [
  '',
  'input',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'output',
  'reasoning',
  'image',
  'audio_input',
  'audio_output',
  'audio_cache_read',
  'request',
  'cache_write_30m',
  'cache_write_12h',
  'cache_storage',
  'web_search',
  'web_fetch',
  'file_search',
  'google_search',
  'google_maps',
  'code_execution',
] as const;

/** Server-side tools that can carry per-call prices, by line component. */
export const TOOL_NAMES = ['web_search', 'web_fetch', 'file_search', 'google_search', 'google_maps', 'code_execution'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Line unit ids → public names. */
export const UNITS = ['', 'token', 'image', 'minute', 'character', 'request', 'call', 'token_hour'] as const;
export const U_MINUTE = 3;
export const U_TOKEN_HOUR = 7;

/** Negative results of cost_compute. */
export const E = {
  OVERFLOW: -1,
  RECORD: -2,
  CACHE: -3,
  REASONING: -4,
  NO_INPUT: -5,
  NO_OUTPUT: -6,
  NO_AUDIO_IN: -8,
  NO_AUDIO_OUT: -9,
  NO_IMAGE: -10,
  NO_CHARS: -11,
  NO_STORAGE: -12,
  LONG_CONTEXT: -13,
} as const;
