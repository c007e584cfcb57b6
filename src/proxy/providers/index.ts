/** Provider adapters by configured type. */
import type { ProviderType } from '../config/schema.js';
import { anthropicAdapter } from './anthropic.js';
import { demoAdapter } from './demo.js';
import { geminiAdapter } from './gemini.js';
import { openaiAdapter } from './openai.js';
import type { ProviderAdapter } from './types.js';

const ADAPTERS: Record<ProviderType, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  demo: demoAdapter,
};

export function adapterFor(type: ProviderType): ProviderAdapter {
  return ADAPTERS[type];
}
