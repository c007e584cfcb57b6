/**
 * How text becomes tokens for a priced model: exactly with its encoding where the model has a
 * public tokenizer, else with one of the labelled estimation methods (estimation-methods.ts).
 */
import { BUILT_OPEN_WEIGHT_VOCABS } from '../../dist/assets/vocab-manifest.js';
import { getEncoding } from '../core/registry.js';
import type { Encoding } from '../core/encoding.js';
import { OPEN_WEIGHT_ENCODINGS, type EncodingName, type OpenWeightName } from '../core/encodings.js';
import type { BundleModel } from '../pricing/types.js';
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
  // An open-weight vocabulary this build left out (TOLLGATE_EXTRA_VOCABS): the o200k estimate.
  const method = t.exact ? 'o200k-approx' : t.method;
  const m = ESTIMATION_METHODS[method];
  return {
    encoding: m.encoding,
    exact: false,
    method,
    scale: m.num === m.den ? identity : (n) => Math.ceil((n * m.num) / m.den),
  };
}

function isBuilt(encoding: EncodingName): boolean {
  const vocab = OPEN_WEIGHT_ENCODINGS[encoding as OpenWeightName];
  return vocab === undefined || BUILT_OPEN_WEIGHT_VOCABS.includes(vocab);
}

/**
 * The counter's encoding, loaded. An open-weight vocabulary that cannot be loaded here (a
 * Worker without the published assets or a vocabulary source) turns the counter into the
 * labelled o200k estimate, so pricing and budgets degrade to an estimate instead of failing.
 */
export async function encodingOf(c: Counter): Promise<Encoding> {
  try {
    return await getEncoding(c.encoding);
  } catch (err) {
    if (OPEN_WEIGHT_ENCODINGS[c.encoding as OpenWeightName] === undefined) throw err;
    const m = ESTIMATION_METHODS['o200k-approx'];
    Object.assign(c, { encoding: m.encoding, exact: false, method: 'o200k-approx', scale: identity });
    return getEncoding(m.encoding);
  }
}

/** Tokens of `text` for `model` (the scaled estimate where no exact tokenizer exists). */
export async function countText(c: Counter, text: string): Promise<number> {
  const enc = await encodingOf(c);
  return c.scale(enc.count(text));
}
