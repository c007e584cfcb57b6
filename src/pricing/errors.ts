/**
 * Errors of signed pricing updates, in their own module so the package entry can export them
 * (for `instanceof`) without loading the update code itself.
 */
import type { PricingIssue } from './checks.js';

/** The update's signature is missing, malformed or does not match its bytes and key. */
export class PricingSignatureError extends Error {
  override name = 'PricingSignatureError';
}

/** The update is correctly signed but is not a valid pricing bundle. */
export class PricingValidationError extends Error {
  override name = 'PricingValidationError';
  constructor(
    message: string,
    /** Every problem found, each with the JSON path of the field. */
    readonly issues: PricingIssue[],
  ) {
    super(message);
  }
}
