/**
 * The models the playground offers, from the tollgate package's pricing catalog and its
 * encodings (runs in the compute worker).
 */
import { catalog, ENCODING_NAMES, ESTIMATION_METHODS, knownModelNames, lookupModelEncoding, type EncodingName, type ModelInfo as PricingEntry } from 'tollgate';
import type { ModelInfo } from './models';

/** Every encoding the package has (tiktoken's and the open-weight models'), so priced models use theirs. */
const ENCODING_SET = new Set<string>(ENCODING_NAMES);

function encodingOf(entry: PricingEntry): { encoding: EncodingName; exact: boolean; method?: string } | undefined {
  const t = entry.tokenizer;
  if (t && 'encoding' in t && ENCODING_SET.has(t.encoding)) return { encoding: t.encoding as EncodingName, exact: true };
  if (t && 'method' in t) return { encoding: ESTIMATION_METHODS[t.method].encoding, exact: false, method: t.method };
  const enc = lookupModelEncoding(entry.id);
  return enc ? { encoding: enc, exact: true } : undefined;
}

/**
 * All models: the current priced ones (grouped by provider, newest first, retired ones left
 * out), plus OpenAI encodings-only names (legacy models).
 */
export function loadModels(): ModelInfo[] {
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
