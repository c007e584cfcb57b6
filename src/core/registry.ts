/**
 * getEncoding / encodingForModel: one shared WASM core per JS realm, each vocabulary loaded
 * at most once (o200k_harmony reuses o200k_base's), encodings cached by name.
 */
import { bytesSource, getAssetLoader } from './assets.js';
import { closestMatches } from './closest.js';
import { Encoding } from './encoding.js';
import { ENCODINGS, ENCODING_NAMES, isEncodingName, type EncodingName, type EncodingSpec, type OpenWeightName, type TiktokenName, type VocabName } from './encodings.js';
import { UnknownNameError } from './errors.js';
import { modelEncoding } from './models.js';
import { WasmCore } from './wasm-core.js';

let corePromise: Promise<WasmCore> | undefined;
const vocabs = new Map<VocabName, Promise<number>>();
const encodings = new Map<EncodingName, Promise<Encoding>>();

function core(): Promise<WasmCore> {
  corePromise ??= getAssetLoader()
    .wasm()
    .then((m) => WasmCore.create(m));
  // A failed load must not poison later attempts (e.g. a transient fetch error in a browser).
  corePromise.catch(() => (corePromise = undefined));
  return corePromise;
}

function vocab(name: VocabName): Promise<number> {
  let v = vocabs.get(name);
  if (!v) {
    const l = getAssetLoader();
    // Fetching or opening the binary overlaps with compiling the core.
    const source = l.vocabSource ? l.vocabSource(name) : l.vocab(name).then(bytesSource);
    v = Promise.all([core(), source]).then(
      ([c, src]) => c.loadVocab(src),
      (err: unknown) => {
        source.then((src) => src.close?.(), () => undefined);
        throw err;
      },
    );
    vocabs.set(name, v);
    v.catch(() => vocabs.delete(name));
  }
  return v;
}

/** An encoding's spec; the open-weight ones come from a chunk loaded on first use. */
async function openWeightSpec(name: OpenWeightName): Promise<EncodingSpec> {
  return (await import('./open-weight.js')).OPEN_WEIGHT[name];
}

/**
 * The realm's one WASM instance (tokenizer and cost engine share it, so the module is fetched,
 * compiled and instantiated once). Internal: for other src/ modules, not the public API.
 */
export async function sharedInstance(): Promise<WebAssembly.Instance> {
  return (await core()).instance;
}

/** The tokenizer for an encoding name (`o200k_base`, `cl100k_base`, `o200k_harmony`, `p50k_base`, `p50k_edit`, `r50k_base`). */
export function getEncoding(name: EncodingName): Promise<Encoding> {
  if (typeof name !== 'string' || !isEncodingName(name)) {
    return Promise.reject(new UnknownNameError('encoding', String(name), closestMatches(String(name), ENCODING_NAMES), ENCODING_NAMES));
  }
  let e = encodings.get(name);
  if (!e) {
    const load = (spec: EncodingSpec) => Promise.all([core(), vocab(spec.vocab)]).then(([c, handle]) => new Encoding(c, handle, spec));
    // tiktoken's specs are at hand (a cold start awaits nothing more than before)
    e = Object.prototype.hasOwnProperty.call(ENCODINGS, name) ? load(ENCODINGS[name as TiktokenName]) : openWeightSpec(name as OpenWeightName).then(load);
    encodings.set(name, e);
    e.catch(() => encodings.delete(name));
  }
  return e;
}

/** The tokenizer an OpenAI model uses (`gpt-4o` → o200k_base). Unknown models reject with the closest names. */
export function encodingForModel(model: string): Promise<Encoding> {
  try {
    return getEncoding(modelEncoding(model));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Enable or disable the merged-piece cache (on by default; off also clears it). Repeated
 * words that are not single tokens skip BPE through this bounded cache (4 MiB, never grows);
 * turn it off to measure cold tokenization or to keep memory minimal.
 */
export async function setPieceCache(on: boolean): Promise<void> {
  (await core()).setPieceCache(on);
}
