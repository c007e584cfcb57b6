/**
 * The model list as the page sees it. Type-only imports from tollgate: the page itself loads
 * no tokenizer code; the compute worker does (catalog.ts, compute.worker.ts).
 */
import type { CostEstimate, EncodingName } from 'tollgate';

export type Estimate = CostEstimate;

/** A model the playground can show: how its tokens are counted and whether it has prices. */
export interface ModelInfo {
  id: string;
  name: string;
  provider: string;
  /** Encoding used for highlighting (the exact one, or the proxy an estimate is based on). */
  encoding: EncodingName;
  exact: boolean;
  /** The estimation method, for models counted with an estimate. */
  method?: string;
  priced: boolean;
}

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  mistral: 'Mistral',
  cohere: 'Cohere',
  deepseek: 'DeepSeek',
  xai: 'xAI',
  groq: 'Groq',
  together: 'Together',
};

export function providerName(id: string): string {
  return PROVIDER_NAMES[id] ?? id;
}
