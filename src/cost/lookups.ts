/**
 * The synchronous cost lookups of the public API: model records, the pricing version, image
 * token counts. The Node bundle swaps this module for src/runtime/node-lookups.ts, which loads
 * it on first call instead of with the package (see scripts/lib/bundle-entries.ts).
 */
export { getModel, listModels, catalog, pricingVersion } from './table.js';
export { imageTokens, type ImageTokensOptions } from './images.js';
