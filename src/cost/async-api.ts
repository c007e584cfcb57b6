/**
 * The asynchronous half of the cost API (counting chats, pricing requests and usage, signed
 * pricing updates) with everything it needs: loaded on first call through lazy-api.ts, so
 * importing the package does not parse it.
 */
export { estimateCost } from './estimate.js';
export { countChat, countChatDetailed } from './chat.js';
export { costFromUsage } from './usage.js';
export { installSignedPricing } from './compiled-table.js';
// The Node bundle reaches the synchronous lookups through this module too (node-lookups.ts).
export * from './lookups.js';
