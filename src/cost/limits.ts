/**
 * The largest inputs the cost engine accepts. Apart from the zod schemas (./options.ts, loaded
 * lazily) so hot paths can check a plain count without loading the validator.
 */

/** Largest token (or character, image) count accepted: 1e12. */
export const MAX_TOKENS = 1e12;
/** Largest audio duration accepted, in seconds (about 31 years). */
export const MAX_SECONDS = 1e9;
