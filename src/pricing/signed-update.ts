/**
 * Loading pricing updates at run time from a signed bundle, never by
 * rebuilding. The caller keeps its current table whenever this throws, so a
 * bad or forged update can never leave the gateway without prices.
 */
import { findModelIssues, type PricingIssue } from './checks.js';
import { PricingSignatureError, PricingValidationError } from './errors.js';
import { PricingTable } from './registry.js';
import { SignatureFormatError, verifyEd25519 } from './signature.js';
import type { PricingBundle } from './types.js';

export { PricingSignatureError, PricingValidationError };

const MAX_LISTED = 5;

function validationError(issues: PricingIssue[]): PricingValidationError {
  const shown = issues.slice(0, MAX_LISTED).map((i) => `${i.path || '/'}: ${i.message}`);
  const more = issues.length > MAX_LISTED ? ` (and ${issues.length - MAX_LISTED} more)` : '';
  return new PricingValidationError(`pricing update rejected: ${shown.join('; ')}${more}`, issues);
}

/**
 * Verifies, parses and validates a signed pricing bundle.
 *
 * The signature is checked over `bytes` exactly as received, before any
 * parsing, so nothing unauthenticated is ever interpreted.
 *
 * @param bytes the bundle file (`pricing.json`) as raw bytes
 * @param signatureB64 Ed25519 signature of `bytes`, base64 (the `.sig` file)
 * @param publicKeyB64 trusted 32-byte raw Ed25519 public key, base64
 * @returns a ready {@link PricingTable}
 * @throws PricingSignatureError when the signature does not verify
 * @throws PricingValidationError when the signed content is not a valid bundle
 */
export async function loadSignedPricing(
  bytes: Uint8Array,
  signatureB64: string,
  publicKeyB64: string,
): Promise<PricingTable> {
  let valid: boolean;
  try {
    valid = await verifyEd25519(bytes, signatureB64, publicKeyB64);
  } catch (e) {
    if (e instanceof SignatureFormatError) throw new PricingSignatureError(`pricing update rejected: ${e.message}`);
    throw e;
  }
  if (!valid) throw new PricingSignatureError('pricing update rejected: signature does not match the bundle and key');

  let data: unknown;
  try {
    // fatal: a signed file with broken UTF-8 is corrupt, not something to patch over.
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new PricingValidationError(`pricing update rejected: not UTF-8 JSON (${(e as Error).message})`, [
      { where: 'update', path: '', message: 'not UTF-8 JSON' },
    ]);
  }

  // The generated validator is ~100 KB of code: load it only when an update arrives.
  const { default: validateBundle } = await import('../../dist/assets/pricing-validator.js');
  if (!validateBundle(data)) {
    const issues: PricingIssue[] = (validateBundle.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}` : '';
      const missing = e.keyword === 'required' ? `/${String(e.params.missingProperty)}` : '';
      return { where: 'update', path: `${e.instancePath}${extra}${missing}`, message: e.message ?? e.keyword };
    });
    throw validationError(issues);
  }

  const bundle = data as PricingBundle;
  const issues = findModelIssues(
    bundle.models.map((model, i) => ({ where: 'update', path: `/models/${i}`, model })),
    (bundle.dated_aliases ?? []).map((alias, i) => ({ where: 'update', path: `/dated_aliases/${i}`, alias })),
  );
  if (issues.length > 0) throw validationError(issues);
  return new PricingTable(bundle);
}

/**
 * Holds the pricing table in force and swaps it only for updates that pass
 * {@link loadSignedPricing}; a rejected update leaves the current table
 * untouched and is reported to the caller.
 */
export class PricingStore {
  #table: PricingTable;

  constructor(
    initial: PricingTable,
    private readonly publicKeyB64: string,
  ) {
    this.#table = initial;
  }

  /** The table currently in force. */
  get table(): PricingTable {
    return this.#table;
  }

  /**
   * Tries to install a signed update.
   * @returns the new table when accepted
   * @throws PricingSignatureError | PricingValidationError when rejected (the old table stays)
   */
  async update(bytes: Uint8Array, signatureB64: string): Promise<PricingTable> {
    const next = await loadSignedPricing(bytes, signatureB64, this.publicKeyB64);
    this.#table = next;
    return next;
  }
}
