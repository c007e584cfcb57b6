/**
 * Memory layouts of the cost engine's ABI, mirroring assembly/cost/layout.ts (keep in sync;
 * test/cost/layout.test.ts compares the two files).
 */

/** Slots of one price record (i64 each, -1 = the period has no such price). */
export const R = {
  INPUT: 0,
  OUTPUT: 1,
  CACHED: 2,
  CW5M: 3,
  CW1H: 4,
  REASONING: 5,
  BATCH_KIND: 6,
  BATCH_MULT: 7,
  BATCH_INPUT: 8,
  BATCH_OUTPUT: 9,
  BATCH_CACHED: 10,
  AUDIO_IN: 11,
  AUDIO_OUT: 12,
  AUDIO_CACHED: 13,
  AUDIO_IN_MIN: 14,
  AUDIO_OUT_MIN: 15,
  AUDIO_IN_TPS: 16,
  AUDIO_OUT_TPS: 17,
  PER_MINUTE: 18,
  PER_CHAR: 19,
  PER_REQUEST: 20,
  PER_IMAGE: 21,
  TIER_COUNT: 22,
  TIERS: 23,
} as const;

/** Slots of one tier inside a record. */
export const T = { THRESHOLD: 0, INPUT: 1, OUTPUT: 2, CACHED: 3, CW5M: 4, CW1H: 5 } as const;
export const TIER_STRIDE = 6;
export const MAX_TIERS = 4;
export const RECORD_SLOTS = 48;

/** Quantity slots (u64) written before each cost_compute. */
export const Q = {
  INPUT: 0,
  CACHE_READ: 1,
  CACHE_WRITE_5M: 2,
  CACHE_WRITE_1H: 3,
  OUTPUT: 4,
  REASONING: 5,
  IMAGE_TOKENS: 6,
  IMAGES: 7,
  AUDIO_IN_MS: 8,
  AUDIO_OUT_MS: 9,
  AUDIO_IN_TOKENS: 10,
  AUDIO_OUT_TOKENS: 11,
  CHARACTERS: 12,
  BATCH: 13,
  REQUESTS: 14,
  AUDIO_CACHED_TOKENS: 15,
} as const;
export const QUANTITY_SLOTS = 16;

export const LINE_BYTES = 48;
export const MAX_LINES = 16;

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
] as const;

/** Line unit ids → public names. */
export const UNITS = ['', 'token', 'image', 'minute', 'character', 'request'] as const;
export const U_MINUTE = 3;

/** Negative results of cost_compute. */
export const E = {
  OVERFLOW: -1,
  RECORD: -2,
  CACHE: -3,
  REASONING: -4,
  NO_INPUT: -5,
  NO_OUTPUT: -6,
  NO_BATCH: -7,
  NO_AUDIO_IN: -8,
  NO_AUDIO_OUT: -9,
  NO_IMAGE: -10,
  NO_CHARS: -11,
} as const;
