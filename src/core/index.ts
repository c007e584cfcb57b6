/** The isomorphic core API; runtime entry points (src/runtime/*) re-export this after installing their asset loader. */
export { getEncoding, encodingForModel, setPieceCache } from './registry.js';
export { Encoding, type EncodeOptions, type Tokenized } from './encoding.js';
export { ENCODING_NAMES, type EncodingName } from './encodings.js';
export { lookupModelEncoding, modelEncoding, knownModelNames } from './models.js';
export { UnknownNameError, DisallowedSpecialTokenError } from './errors.js';
export { closestMatches } from './closest.js';
export { setAssetLoader, type AssetLoader, type VocabSource } from './assets.js';
export { setVocabularySource, type VocabularySource } from './vocab-source.js';
export type { AllowedSpecial } from './special-tokens.js';
export * from '../cost/index.js';
