/**
 * Model name → encoding for OpenAI models. Exact names first, then prefixes (dated
 * snapshots and fine-tunes such as `ft:gpt-4o-mini:org::id` resolve through their base).
 */
import { closestMatches } from './closest.js';
import type { EncodingName } from './encodings.js';
import { UnknownNameError } from './errors.js';

interface ModelTables {
  exact: Record<string, EncodingName>;
  /** Longest prefix first. */
  prefixes: [string, EncodingName][];
  /** Shown when an unknown name has no close match. */
  covered: string[];
}

let tables: ModelTables | undefined;

/**
 * Built on first lookup, not at import: V8 parses and builds top-level literals of this size
 * on every import (~0.5M instructions, 4% of a cold start), while a function body is only
 * pre-parsed until it runs.
 */
function modelTables(): ModelTables {
  return (tables ??= { exact: exactNames(), prefixes: namePrefixes(), covered: coveredNames() });
}

function exactNames(): Record<string, EncodingName> {
  return {
    // chat
    'gpt-5': 'o200k_base',
    'gpt-4.1': 'o200k_base',
    'gpt-4.5-preview': 'o200k_base',
    'gpt-4o': 'o200k_base',
    'chatgpt-4o-latest': 'o200k_base',
    o1: 'o200k_base',
    o3: 'o200k_base',
    'o4-mini': 'o200k_base',
    'codex-mini-latest': 'o200k_base',
    'computer-use-preview': 'o200k_base',
    'gpt-oss-120b': 'o200k_harmony',
    'gpt-oss-20b': 'o200k_harmony',
    'gpt-4': 'cl100k_base',
    'gpt-4-turbo': 'cl100k_base',
    'gpt-3.5-turbo': 'cl100k_base',
    'gpt-35-turbo': 'cl100k_base',
    // embeddings
    'text-embedding-3-small': 'cl100k_base',
    'text-embedding-3-large': 'cl100k_base',
    'text-embedding-ada-002': 'cl100k_base',
    // legacy completions
    'davinci-002': 'cl100k_base',
    'babbage-002': 'cl100k_base',
    'text-davinci-003': 'p50k_base',
    'text-davinci-002': 'p50k_base',
    'text-davinci-001': 'r50k_base',
    'text-curie-001': 'r50k_base',
    'text-babbage-001': 'r50k_base',
    'text-ada-001': 'r50k_base',
    davinci: 'r50k_base',
    curie: 'r50k_base',
    babbage: 'r50k_base',
    ada: 'r50k_base',
    'code-davinci-002': 'p50k_base',
    'code-davinci-001': 'p50k_base',
    'code-cushman-002': 'p50k_base',
    'code-cushman-001': 'p50k_base',
    'davinci-codex': 'p50k_base',
    'cushman-codex': 'p50k_base',
    'text-davinci-edit-001': 'p50k_edit',
    'code-davinci-edit-001': 'p50k_edit',
    gpt2: 'r50k_base',
  };
}

function coveredNames(): string[] {
  return [
    'gpt-5*',
    'gpt-4.1*',
    'gpt-4o*',
    'o1/o3/o4*',
    'gpt-oss-*',
    'gpt-4*',
    'gpt-3.5-turbo*',
    'text-embedding-3-*',
    'legacy completion models (models without a public tokenizer, e.g. Claude or Gemini, are estimated by estimateCost/countChat)',
  ];
}

function namePrefixes(): [string, EncodingName][] {
  return (
    [
      ['gpt-5-', 'o200k_base'],
      ['gpt-5.', 'o200k_base'],
      ['gpt-4.1-', 'o200k_base'],
      ['gpt-4.5-', 'o200k_base'],
      ['gpt-4o-', 'o200k_base'],
      ['o1-', 'o200k_base'],
      ['o3-', 'o200k_base'],
      ['o4-mini-', 'o200k_base'],
      ['gpt-realtime', 'o200k_base'],
      ['gpt-audio', 'o200k_base'],
      ['gpt-oss-', 'o200k_harmony'],
      ['gpt-4-', 'cl100k_base'],
      ['gpt-3.5-turbo-', 'cl100k_base'],
      ['gpt-35-turbo-', 'cl100k_base'],
      ['ft:gpt-4o', 'o200k_base'],
      ['ft:gpt-4.1', 'o200k_base'],
      ['ft:gpt-4', 'cl100k_base'],
      ['ft:gpt-3.5-turbo', 'cl100k_base'],
      ['ft:davinci-002', 'cl100k_base'],
      ['ft:babbage-002', 'cl100k_base'],
    ] as [string, EncodingName][]
  ).sort((a, b) => b[0].length - a[0].length);
}

/** The encoding an OpenAI model uses, or undefined. */
export function lookupModelEncoding(model: string): EncodingName | undefined {
  const m = model.trim().toLowerCase().replace(/^openai\//, '');
  const { exact, prefixes } = modelTables();
  if (Object.prototype.hasOwnProperty.call(exact, m)) return exact[m];
  for (const [p, enc] of prefixes) if (m.startsWith(p)) return enc;
  return undefined;
}

/** Like lookupModelEncoding but throws an UnknownNameError listing the closest model names. */
export function modelEncoding(model: string): EncodingName {
  if (typeof model !== 'string') throw new TypeError('model must be a string');
  const enc = lookupModelEncoding(model);
  if (enc) return enc;
  const { exact, covered } = modelTables();
  const suggestions = closestMatches(model, Object.keys(exact));
  // Nothing close: say what is covered instead (OpenAI models; others have no public tokenizer).
  throw new UnknownNameError('model', model, suggestions, suggestions.length ? undefined : covered);
}

/** Model names with a known encoding (exact names; dated snapshots also resolve). */
export function knownModelNames(): string[] {
  return Object.keys(modelTables().exact);
}
