/**
 * Everything the playground computes comes from the tollgate package (browser runtime):
 * the WASM tokenizer for highlighting and counts, and the cost engine for the table.
 */
import {
  countChat,
  ENCODING_NAMES,
  estimateCost,
  getEncoding,
  catalog,
  knownModelNames,
  lookupModelEncoding,
  type CostEstimate,
  type Encoding,
  type EncodingName,
  type EstimateOptions,
  type ModelInfo as PricingEntry,
} from 'tollgate';

export type { Encoding, EncodingName };
export type Estimate = CostEstimate;
export type EstimateRequest = EstimateOptions;

/** A model the playground can show: how its tokens are counted and whether it has prices. */
export interface ModelInfo {
  id: string;
  name: string;
  provider: string;
  /** Encoding used for highlighting (the exact one, or the proxy an estimate is based on). */
  encoding: EncodingName;
  exact: boolean;
  method?: string;
  priced: boolean;
}

/** Every encoding the package has (tiktoken's and the open-weight models'), so priced models use theirs. */
const ENCODING_SET = new Set<string>(ENCODING_NAMES);

function encodingOf(entry: PricingEntry): { encoding: EncodingName; exact: boolean; method?: string } | undefined {
  const t = entry.tokenizer;
  if (t && 'encoding' in t && ENCODING_SET.has(t.encoding)) return { encoding: t.encoding as EncodingName, exact: true };
  if (t && 'method' in t) return { encoding: t.method.startsWith('cl100k') ? 'cl100k_base' : 'o200k_base', exact: false, method: t.method };
  const enc = lookupModelEncoding(entry.id);
  return enc ? { encoding: enc, exact: true } : undefined;
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

/**
 * All models: the current priced ones (grouped by provider, newest first, retired ones left
 * out), plus OpenAI encodings-only names (legacy models).
 */
export async function loadModels(): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const m of catalog()) {
    const enc = encodingOf(m);
    if (!enc || (m.kind !== 'chat' && m.kind !== 'embedding')) continue;
    out.push({ id: m.id, name: m.name ?? m.id, provider: m.provider, priced: true, ...enc });
    seen.add(m.id);
  }
  for (const id of knownModelNames()) {
    if (seen.has(id)) continue;
    const enc = lookupModelEncoding(id);
    if (enc) out.push({ id, name: id, provider: 'openai', encoding: enc, exact: true, priced: false });
  }
  return out;
}

export function estimate(req: EstimateRequest): Promise<Estimate> {
  return estimateCost(req);
}

/** Billed prompt tokens of a chat (message framing and reply priming included). */
export function chatTokens(messages: unknown[], model: string): Promise<number> {
  return countChat(messages, { model });
}

export { getEncoding };
