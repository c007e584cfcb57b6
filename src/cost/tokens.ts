/**
 * How text becomes tokens for a priced model: exactly with its encoding where the model has a
 * public tokenizer, else with one of the labelled estimation methods (estimation-methods.ts).
 */
import { BUILT_OPEN_WEIGHT_VOCABS } from '../../dist/assets/vocab-manifest.js';
import { getEncoding } from '../core/registry.js';
import type { Encoding } from '../core/encoding.js';
import { OPEN_WEIGHT_ENCODINGS, type EncodingName, type OpenWeightName } from '../core/encodings.js';
import type { BundleModel, EstimationMethod } from '../pricing/types.js';
import { ESTIMATION_METHODS } from './estimation-methods.js';

/** How a model's tokens are counted. */
export interface Counter {
  /** Encoding the raw count comes from. */
  encoding: EncodingName;
  exact: boolean;
  /** The encoding name (exact) or the estimation method. */
  method: string;
  /** Turns a raw count of `encoding` into the model's (estimated) count. */
  scale(raw: number): number;
}

const identity = (n: number): number => n;

/** The counter of `model`, or undefined for models not priced per token (whisper, tts). */
export function counterFor(model: BundleModel): Counter | undefined {
  const t = model.tokenizer;
  if (!t) return undefined;
  if (t.exact && isBuilt(t.encoding)) return { encoding: t.encoding, exact: true, method: t.encoding, scale: identity };
  // An open-weight vocabulary this build left out (TOLLGATE_EXTRA_VOCABS): its labelled estimate.
  return estimate(t.exact ? fallbackMethod(t.encoding) : t.method);
}

function estimate(method: EstimationMethod): Counter {
  const m = ESTIMATION_METHODS[method];
  return {
    encoding: m.encoding,
    exact: false,
    method,
    scale: m.num === m.den ? identity : (n) => Math.ceil((n * m.num) / m.den),
  };
}

/** The estimate standing in for an open-weight encoding that is absent: Gemma 3's is Gemini's ratio. */
function fallbackMethod(encoding: EncodingName): EstimationMethod {
  return encoding === 'gemma3' ? 'gemini-o200k-ratio' : 'o200k-approx';
}

function isBuilt(encoding: EncodingName): boolean {
  const vocab = OPEN_WEIGHT_ENCODINGS[encoding as OpenWeightName];
  return vocab === undefined || BUILT_OPEN_WEIGHT_VOCABS.includes(vocab);
}

/**
 * The counter's encoding, loaded. An open-weight vocabulary that cannot be loaded here (a
 * Worker without the published assets or a vocabulary source) turns the counter into the
 * labelled estimate (o200k, or Gemini's ratio for gemma3), so pricing and budgets degrade to an estimate instead of failing.
 */
export async function encodingOf(c: Counter): Promise<Encoding> {
  try {
    return await getEncoding(c.encoding);
  } catch (err) {
    if (OPEN_WEIGHT_ENCODINGS[c.encoding as OpenWeightName] === undefined) throw err;
    Object.assign(c, estimate(fallbackMethod(c.encoding)));
    return getEncoding(c.encoding);
  }
}

/** Tokens of `text` for `model` (the scaled estimate where no exact tokenizer exists). */
export async function countText(c: Counter, text: string): Promise<number> {
  const enc = await encodingOf(c);
  return c.scale(enc.count(text));
}
