/**
 * The openai-cookbook chat counting formula's constants, public as CHAT_FORMAT; in their own
 * module so the package entry exports them without loading the chat counter.
 */

/** Per-family constants of the cookbook formula. */
export const CHAT_FORMAT = {
  tokensPerMessage: 3,
  tokensPerName: 1,
  replyPriming: 3,
  propInit: 3,
  propKey: 3,
  enumInit: -3,
  enumItem: 3,
  funcEnd: 12,
  /** gpt-4o family and newer (o200k). */
  funcInit: 7,
  /** gpt-3.5-turbo / gpt-4 (cl100k). */
  funcInitLegacy: 10,
} as const;
