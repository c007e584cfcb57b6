/** Errors of the cost API; each names the offending field so callers can fix their request. */

/**
 * Bad input to estimateCost / costFromUsage / countChat / imageTokens: a negative, NaN,
 * fractional or absurd count, cache tokens larger than the input, an unknown option field,
 * or a quantity the model has no price for. `field` is the option path, e.g. `cache.readTokens`.
 */
export class CostInputError extends Error {
  override name = 'CostInputError';
  constructor(
    /** Path of the offending field, e.g. `inputTokens`, `cache.readTokens`, `messages[2].content[0]`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
