/**
 * Cost estimation: exact integer pricing (WASM engine) over the pricing database, chat and
 * image token counting, actual cost from provider usage, and signed pricing updates. The
 * async functions load their implementation on first call (lazy-api.ts); the synchronous
 * lookups (lookups.ts) load with the package, except in the Node bundle, which loads them on
 * first call too.
 */
export { estimateCost, countChat, countChatDetailed, costFromUsage, loadPricing } from './lazy-api.js';
export { CHAT_FORMAT } from './chat-format.js';
export { getModel, listModels, catalog, pricingVersion, imageTokens, type ImageTokensOptions } from './lookups.js';
export type { CatalogOptions } from '../pricing/catalog.js';
export { ESTIMATION_METHODS } from './estimation-methods.js';
export { CostInputError } from './errors.js';
export { PricingSignatureError, PricingValidationError } from '../pricing/errors.js';
export type { CountChatOptions, ChatCount } from './chat.js';
export type { UsageOptions } from './usage.js';
export type { CostEstimate, CostLine, EstimateOptions, CacheOptions, ImageInput, ImageDetail, ServiceTier, ToolName, ToolCounts } from './types.js';
export type { BundleModel as ModelInfo, PricePeriod } from '../pricing/types.js';
