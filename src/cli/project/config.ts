/**
 * The project file (tollgate.yml, .yaml or .json): parsed with `yaml` (JSON is YAML too, so one
 * parser gives line numbers for both), validated against the published JSON Schema by a
 * validator generated from it at build time, then resolved into prompts with every default
 * applied. Errors name the file, the line and the field: `tollgate.yml:7: prompts[0].output_tokens: must be >= 0`.
 */
import { LineCounter, isMap, isPair, isScalar, parseDocument, type Document, type Node } from 'yaml';
import validateProject from '../../../dist/cli/project-validator.js';
import { closestMatches } from '../../runtime/node.js';
import { isCalendarDate } from '../../pricing/checks.js';
import { CliError } from '../errors.js';
import { parseUsd } from '../money.js';
import { projectSchema } from '../schemas/project.js';

/** Budgets in USD units (1e-24), see money.ts. */
export interface Budget {
  perRequest?: bigint;
  perMonth?: bigint;
}

export type Tags = Record<string, string>;

export interface ImageSpec {
  file?: string;
  width?: number;
  height?: number;
  detail?: 'low' | 'high' | 'auto';
}

export interface CacheSpec {
  hitRatio?: number;
  readTokens?: number;
  writeTokens?: number;
  ttl?: '5m' | '30m' | '1h' | '12h';
}

/** One prompt with every default applied. */
export interface PromptSpec {
  name: string;
  index: number;
  /** Glob patterns relative to the project file's directory (empty: no file, see inputTokens). */
  files: string[];
  model: string;
  outputTokens: number;
  reasoningTokens?: number;
  inputTokens?: number;
  requestsPerMonth?: number;
  cache?: CacheSpec;
  batch: boolean;
  serviceTier?: string;
  images: ImageSpec[];
  audio: Array<{ file?: string; seconds?: number }>;
  tags: Tags;
  budget: Budget;
  /** Where a setting of this prompt is written: on the prompt, or in defaults. */
  fieldAt(field: string): Array<string | number>;
}

export interface Project {
  /** How the file is named in messages: `tollgate.yml`, `main:tollgate.yml`. */
  label: string;
  name?: string;
  date?: string;
  tags: Tags;
  /** Project-wide limits: per_month on the total, per_request on every prompt. */
  budget: Budget;
  prompts: PromptSpec[];
  /** `file:line: field` for a path in the file, for messages about it. */
  where(path: Array<string | number>): string;
}

type Raw = Record<string, unknown>;

/** `prompts[0].cache.hit_ratio` */
export function fieldPath(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Line (1-based) of the node at `path`, or of the key `key` inside it. */
function lineOf(doc: Document, lc: LineCounter, path: Array<string | number>, key?: string): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
    if (!node) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      const k = pair?.key as Node | undefined;
      if (k?.range) return lc.linePos(k.range[0]).line;
    }
    if (node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const decode = (p: string): Array<string | number> =>
  p === '' ? [] : p.slice(1).split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));

/** Property names the schema allows at a path (for "did you mean"). */
function knownFields(path: Array<string | number>): string[] {
  let s = projectSchema as Raw;
  for (const seg of path) {
    if (typeof seg === 'number') s = (s.items ?? {}) as Raw;
    else s = (((s.properties ?? {}) as Raw)[seg] ?? {}) as Raw;
  }
  return Object.keys((s.properties ?? {}) as Raw);
}

/** What a failed anyOf / oneOf at a field means, in words. */
function alternativesMessage(path: Array<string | number>): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'file') return 'must be a path or glob, or a list of them';
  if (last === 'per_request' || last === 'per_month') return 'must be a non-negative amount of USD, like 5 or "0.25"';
  if (parent === 'images') return 'give either file, or width and height';
  if (parent === 'audio') return 'give either file or seconds';
  if (last === 'cache') return 'give either hit_ratio, or read_tokens / write_tokens';
  return 'has an invalid value';
}

function errorMessage(errors: AjvError[]): { path: Array<string | number>; key?: string; message: string } {
  // A failed alternative (anyOf/oneOf) reports its branches first; the alternative says more.
  const alt = errors.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not');
  const e = alt ?? errors[0]!;
  const path = decode(e.instancePath);
  switch (e.keyword) {
    case 'anyOf':
    case 'oneOf':
    case 'not':
      return { path, message: alternativesMessage(path) };
    case 'required':
      return { path, message: `missing required field '${String(e.params.missingProperty)}'` };
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const near = closestMatches(key, knownFields(path));
      return { path: [...path, key], key, message: `unknown field${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}` };
    }
    case 'pattern':
      return { path, message: /date$/.test(String(path[path.length - 1])) ? 'must be a date YYYY-MM-DD' : 'must not be empty' };
    case 'enum':
      return { path, message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(e.params.allowedValue)}` };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

const LIMIT_FIELDS = ['per_request', 'per_month'] as const;

function budgetOf(raw: unknown, at: Array<string | number>, where: Project['where']): Budget {
  const b: Budget = {};
  if (!raw) return b;
  for (const k of LIMIT_FIELDS) {
    const v = (raw as Raw)[k];
    if (v === undefined) continue;
    const units = parseUsd(v as string | number, `${where([...at, k])}`);
    if (k === 'per_request') b.perRequest = units;
    else b.perMonth = units;
  }
  return b;
}

function tagsOf(raw: unknown): Tags {
  const out: Tags = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Raw)) out[k] = String(v);
  return out;
}

/**
 * Parses and validates a project file.
 * @param label how the file is named in messages (`tollgate.yml`, `main:tollgate.yml`)
 * @throws CliError naming the file, line and field
 */
export function parseProject(text: string, label: string): Project {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    throw new CliError(`${label}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${firstLine(err.message)}`, 'invalid_config');
  }
  const where = (path: Array<string | number>, key?: string): string => {
    const line = lineOf(doc, lc, path, key);
    return `${label}${line ? `:${line}` : ''}: ${fieldPath(path) || '(top level)'}`;
  };
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (value === null || value === undefined) throw new CliError(`${label}: the file is empty; it needs at least "prompts:"`, 'invalid_config');
  if (!validateProject(value)) {
    const { path, key, message } = errorMessage((validateProject.errors ?? []) as AjvError[]);
    const line = lineOf(doc, lc, key ? path.slice(0, -1) : path, key);
    throw new CliError(`${label}${line ? `:${line}` : ''}: ${fieldPath(path) || '(top level)'}: ${message}`, 'invalid_config');
  }
  const raw = value as Raw;
  if (typeof raw.date === 'string' && !isCalendarDate(raw.date)) throw new CliError(`${where(['date'])}: must be a date YYYY-MM-DD`, 'invalid_config');
  const defaults = (raw.defaults ?? {}) as Raw;
  const projectTags = tagsOf(raw.tags);
  const seen = new Map<string, number>();
  const prompts = ((raw.prompts ?? []) as Raw[]).map((p, i): PromptSpec => {
    const at = ['prompts', i];
    const name = String(p.name);
    if (seen.has(name)) throw new CliError(`${where([...at, 'name'])}: duplicate prompt name '${name}' (also prompts[${seen.get(name)}])`, 'invalid_config');
    seen.set(name, i);
    const get = <T>(k: string): T | undefined => (p[k] !== undefined ? p[k] : defaults[k]) as T | undefined;
    const model = get<string>('model');
    if (!model) throw new CliError(`${where(at)}: no model: set model on the prompt or in defaults`, 'invalid_config');
    const files = p.file === undefined ? [] : Array.isArray(p.file) ? (p.file as string[]) : [p.file as string];
    if (files.length > 0 && p.input_tokens !== undefined) throw new CliError(`${where([...at, 'input_tokens'])}: give either file or input_tokens, not both`, 'invalid_config');
    if (files.length === 0 && get('input_tokens') === undefined) throw new CliError(`${where(at)}: give file (the prompt's text) or input_tokens`, 'invalid_config');
    const cache = get<Raw>('cache');
    const budgetAt = p.budget !== undefined ? [...at, 'budget'] : ['defaults', 'budget'];
    return {
      name,
      index: i,
      files,
      model,
      outputTokens: get<number>('output_tokens') ?? 0,
      reasoningTokens: get<number>('reasoning_tokens'),
      inputTokens: files.length ? undefined : get<number>('input_tokens'),
      requestsPerMonth: get<number>('requests_per_month'),
      cache: cache && {
        hitRatio: cache.hit_ratio as number | undefined,
        readTokens: cache.read_tokens as number | undefined,
        writeTokens: cache.write_tokens as number | undefined,
        ttl: cache.ttl as CacheSpec['ttl'],
      },
      batch: get<boolean>('batch') ?? false,
      serviceTier: get<string>('service_tier'),
      images: get<ImageSpec[]>('images') ?? [],
      audio: get<Array<{ file?: string; seconds?: number }>>('audio') ?? [],
      tags: { ...projectTags, ...tagsOf(defaults.tags), ...tagsOf(p.tags) },
      budget: budgetOf(get('budget'), budgetAt, where),
      fieldAt: (k) => (p[k] !== undefined || defaults[k] === undefined ? [...at, k] : ['defaults', k]),
    };
  });
  return {
    label,
    name: raw.project as string | undefined,
    date: raw.date as string | undefined,
    tags: projectTags,
    budget: budgetOf(raw.budget, ['budget'], where),
    prompts,
    where,
  };
}

/** Names the project file may have, in the order they are looked for. */
export const PROJECT_FILES = ['tollgate.yml', 'tollgate.yaml', 'tollgate.json'] as const;
