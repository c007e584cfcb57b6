/**
 * Cost estimation: exact integer pricing (WASM engine) over the pricing database, chat and
 * image token counting, actual cost from provider usage, and signed pricing updates.
 */
export { estimateCost } from './estimate.js';
export { countChat, countChatDetailed, CHAT_FORMAT, type CountChatOptions, type ChatCount } from './chat.js';
export { imageTokens, type ImageTokensOptions } from './images.js';
export { costFromUsage, type UsageOptions } from './usage.js';
export { getModel, listModels, loadPricing, pricingVersion } from './table.js';
export { ESTIMATION_METHODS } from './tokens.js';
export { CostInputError } from './errors.js';
export { PricingSignatureError, PricingValidationError } from '../pricing/signed-update.js';
export type { CostEstimate, CostLine, EstimateOptions, CacheOptions, ImageInput, ImageDetail } from './types.js';
export type { BundleModel as ModelInfo, PricePeriod } from '../pricing/types.js';
