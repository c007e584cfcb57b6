/**
 * Random strings biased towards the character classes pre-tokenizers treat specially (shared
 * by the tiktoken and Hugging Face property suites).
 */
import fc from 'fast-check';

export const tricky = [
  // letters by o200k class: upper, lower, titlecase, modifier, other-letter, marks
  'a', 'z', 'A', 'Z', 'é', 'É', 'ß', 'ǅ', 'ʰ', 'ª', '中', 'ア', 'ー', 'ㄱ', 'א', 'ب', 'क', '\u094d', '\u0301', '\u0300', '\u20dd', '\u093e',
  // case folding traps and contractions
  "'", "'", 'ſ', 'K', 's', 'S', 't', 'T', 're', 'RE', 'Ve', 'll', 'lL', 'd', 'm', 'M', '’',
  // digits of several scripts and number-like symbols
  '0', '7', '42', '999', '٣', '३', '１', '²', '½', 'Ⅻ', '〇',
  // whitespace, including the ones JS and Rust disagree on
  ' ', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u000b', '\u000c', '\u0085', '\u00a0', '\u1680', '\u2002', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff', '\u200b', '\u001c',
  // punctuation and symbols, including o200k's trailing [\r\n/]
  '.', ',', '!', '?', '/', '//', '\\', '-', '_', '=', '==', '^', '$', '€', '@', '#', '<', '>', '|', '(', ')', '{', '}', '"', '`', '~', '…', '—',
  // emoji and sequences
  '😀', '👍🏽', '👨‍👩‍👧', '🇯🇵', '❤️', '1️⃣', '\u200d', '\ufe0f',
  // lone surrogates (become U+FFFD)
  '\ud800', '\udfff', '\ud83d',
  // astral letters and unassigned code points
  '𝐀', '𐐀', '𠀀', '\u{e0100}', '\u{10ffff}', '\u{30000}', '\u0378',
];

export const trickyString = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...tricky) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) }), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));


/** Runs per property (TOLLGATE_PROPERTY_RUNS), and the seed (TOLLGATE_SEED) to reproduce a failure. */
export const RUNS = Number(process.env.TOLLGATE_PROPERTY_RUNS ?? 5000);
export const SEED = Number(process.env.TOLLGATE_SEED ?? Date.now() % 2 ** 31);
