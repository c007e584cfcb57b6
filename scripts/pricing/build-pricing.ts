/**
 * Validates pricing/*.json and writes the merged bundle plus a standalone
 * validator for it:
 *
 *   dist/assets/pricing.json               merged, normalized bundle
 *   dist/assets/pricing-text.js            the same bundle as a string module, parsed on first use
 *   dist/assets/pricing-bundle.schema.json bundle schema (derived from pricing/schema.json)
 *   dist/assets/pricing-validator.js       Ajv standalone ESM validator for the bundle
 *   dist/assets/pricing-validator.d.ts     its types
 *
 * The validator is generated ahead of time because Cloudflare Workers forbid
 * `new Function`, which Ajv uses when compiling at run time.
 *
 * Usage: tsx scripts/pricing/build-pricing.ts [--pricing-dir DIR] [--out-dir DIR]
 * Exit code 1, with file and JSON path of every problem, when validation fails.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { findModelIssues, type LocatedAlias, type LocatedModel, type PricingIssue } from '../../src/pricing/checks.js';
import type { BundleDatedAlias, BundleModel, BundleProvider, DatedAlias, ModelEntry, PricingBundle, ProviderFile } from '../../src/pricing/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_PRICING_DIR = join(ROOT, 'pricing');
export const DEFAULT_OUT_DIR = join(ROOT, 'dist/assets');

/** Files in the pricing directory that are schemas, not provider data. */
const NON_PROVIDER_FILES = new Set(['schema.json', 'bundle.schema.json', 'genai-prices-allowlist.json']);

type JsonObject = Record<string, unknown>;

// Both packages are CommonJS with `exports.default`; depending on the loader
// the default import is the function itself or the exports object holding it.
function cjsDefault<T>(mod: unknown): T {
  const m = mod as { default?: T };
  return (typeof mod === 'function' ? mod : m.default) as T;
}
const standaloneCode = cjsDefault<typeof standaloneModule>(standaloneModule);
const addFormats = cjsDefault<typeof addFormatsModule.default>(addFormatsModule);

/** A provider file as read from disk. */
export interface LoadedFile {
  file: string;
  data: unknown;
}

/** Result of validating a directory of provider files. */
export interface ValidationResult {
  ok: boolean;
  issues: PricingIssue[];
  providers: ProviderFile[];
}

/** Reads pricing/schema.json (or the one in `pricingDir`). */
export function loadProviderSchema(pricingDir = DEFAULT_PRICING_DIR): JsonObject {
  return JSON.parse(readFileSync(join(pricingDir, 'schema.json'), 'utf8')) as JsonObject;
}

/** Reads every provider file in `pricingDir`, sorted by name; JSON syntax errors become issues. */
export function loadProviderFiles(pricingDir = DEFAULT_PRICING_DIR): { files: LoadedFile[]; issues: PricingIssue[] } {
  const files: LoadedFile[] = [];
  const issues: PricingIssue[] = [];
  const names = readdirSync(pricingDir)
    .filter((f) => f.endsWith('.json') && !NON_PROVIDER_FILES.has(f))
    .sort();
  for (const file of names) {
    const text = readFileSync(join(pricingDir, file), 'utf8');
    try {
      files.push({ file, data: JSON.parse(text) });
    } catch (e) {
      issues.push({ where: file, path: '', message: `invalid JSON: ${(e as Error).message}` });
    }
  }
  return { files, issues };
}

/** Turns Ajv errors into issues whose path names the offending field itself. */
export function ajvIssues(where: string, errors: ErrorObject[] | null | undefined): PricingIssue[] {
  if (!errors) return [];
  const out: PricingIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let path = e.instancePath;
    let message = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      path = `${path}/${extra}`;
      message = `unknown field "${extra}"`;
    } else if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      path = `${path}/${missing}`;
      message = `missing required field "${missing}"`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ where, path, message });
  }
  return out;
}

function newAjv(opts: { standalone?: boolean } = {}): Ajv2020 {
  return new Ajv2020({
    allErrors: true,
    strict: true,
    // `if` without a sibling `type` is deliberate in the schema.
    strictTypes: false,
    // `required` inside if/then names properties declared on the parent.
    strictRequired: false,
    ...(opts.standalone ? { code: { source: true, esm: true } } : {}),
  });
}

/**
 * Validates every provider file in `pricingDir` against the schema, then runs
 * the cross-file checks. Never throws for bad data: problems come back as issues.
 */
export function validateProviderFiles(pricingDir = DEFAULT_PRICING_DIR): ValidationResult {
  const schema = loadProviderSchema(pricingDir);
  const ajv = newAjv();
  addFormats(ajv);
  const validate = ajv.compile(schema);

  const { files, issues } = loadProviderFiles(pricingDir);
  const providers: ProviderFile[] = [];
  const located: LocatedModel[] = [];
  const aliases: LocatedAlias[] = [];
  for (const { file, data } of files) {
    if (!validate(data)) {
      issues.push(...ajvIssues(file, validate.errors));
      continue;
    }
    const pf = data as ProviderFile;
    if (`${pf.provider}.json` !== file) {
      issues.push({ where: file, path: '/provider', message: `provider "${pf.provider}" does not match the file name` });
    }
    providers.push(pf);
    pf.models.forEach((model, i) => located.push({ where: file, path: `/models/${i}`, model }));
    (pf.dated_aliases ?? []).forEach((alias, i) => aliases.push({ where: file, path: `/dated_aliases/${i}`, alias }));
  }
  issues.push(...findModelIssues(located, aliases));
  return { ok: issues.length === 0, issues, providers };
}

// Field order of the schema, so the bundle's bytes do not depend on how a
// contributor happened to order keys.
function orderLike(value: unknown, schemaNode: unknown, defs: JsonObject): unknown {
  if (Array.isArray(value)) {
    const items = (schemaNode as JsonObject | undefined)?.items;
    return value.map((v) => orderLike(v, items, defs));
  }
  if (typeof value !== 'object' || value === null) return value;
  const node = resolveRef(schemaNode, defs);
  const props = collectProperties(node, defs);
  const out: JsonObject = {};
  const obj = value as JsonObject;
  for (const k of Object.keys(props)) if (k in obj) out[k] = orderLike(obj[k], props[k], defs);
  for (const k of Object.keys(obj).sort()) if (!(k in out)) out[k] = obj[k];
  return out;
}

function resolveRef(node: unknown, defs: JsonObject): JsonObject | undefined {
  let n = node as JsonObject | undefined;
  while (n && typeof n.$ref === 'string') {
    const name = n.$ref.replace('#/$defs/', '');
    n = defs[name] as JsonObject | undefined;
  }
  return n;
}

function collectProperties(node: JsonObject | undefined, defs: JsonObject): JsonObject {
  if (!node) return {};
  const props: JsonObject = { ...((node.properties as JsonObject | undefined) ?? {}) };
  for (const alt of [...((node.oneOf as unknown[]) ?? []), ...((node.anyOf as unknown[]) ?? [])]) {
    const r = resolveRef(alt, defs);
    for (const [k, v] of Object.entries((r?.properties as JsonObject | undefined) ?? {})) if (!(k in props)) props[k] = v;
  }
  return props;
}

/** The newest `checked` date among all models, as `YYYY-MM-DD`. */
export function newestChecked(providers: ProviderFile[]): string {
  let newest = '';
  for (const p of providers) for (const m of p.models) if (m.checked > newest) newest = m.checked;
  if (!newest) throw new Error('no models');
  return newest;
}

/**
 * Merges validated provider files into the normalized bundle. Deterministic:
 * the same inputs give the same bytes (no clock, sorted output).
 */
export function buildBundle(providers: ProviderFile[], providerSchema: JsonObject): PricingBundle {
  const defs = providerSchema.$defs as JsonObject;
  const sorted = [...providers].sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0));
  const bundleProviders: BundleProvider[] = sorted.map((p) => ({
    id: p.provider,
    name: p.name,
    pricing_url: p.pricing_url,
    notes: p.notes,
  }));
  const models: BundleModel[] = [];
  for (const p of sorted) {
    const ms = [...p.models].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const m of ms) {
      const ordered = orderLike(m, defs.model, defs) as ModelEntry;
      models.push({ provider: p.provider, ...ordered });
    }
  }
  const datedAliases: BundleDatedAlias[] = [];
  for (const p of sorted) {
    const list = [...(p.dated_aliases ?? [])].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0));
    for (const a of list) datedAliases.push({ provider: p.provider, ...(orderLike(a, defs.dated_alias, defs) as DatedAlias) });
  }
  const newest = newestChecked(providers);
  const hash = createHash('sha256').update(JSON.stringify({ providers: bundleProviders, models, datedAliases })).digest('hex');
  return {
    version: `${newest}+${hash.slice(0, 12)}`,
    generated_at: `${newest}T00:00:00Z`,
    providers: bundleProviders,
    models,
    dated_aliases: datedAliases,
  };
}

function stripKeys(node: unknown, keys: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => stripKeys(n, keys));
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node as JsonObject)) {
    if (keys.has(k)) continue;
    // "properties" maps field names to schemas: its keys are data, not keywords.
    if (k === 'properties' && typeof v === 'object' && v !== null) {
      out[k] = Object.fromEntries(Object.entries(v as JsonObject).map(([pk, pv]) => [pk, stripKeys(pv, keys)]));
    } else {
      out[k] = stripKeys(v, keys);
    }
  }
  return out;
}

/**
 * Derives the bundle schema from the provider-file schema, so the two cannot
 * drift. `format` is dropped (every dated or URL field also has a pattern)
 * because format checks would make the standalone validator import
 * ajv-formats at run time.
 */
export function deriveBundleSchema(providerSchema: JsonObject): JsonObject {
  const defs = stripKeys(providerSchema.$defs, new Set(['format'])) as JsonObject;
  const model = defs.model as JsonObject;
  const providerProp = (providerSchema.properties as JsonObject).provider as JsonObject;
  const nonEmpty = { type: 'string', pattern: '\\S' };
  defs.bundle_model = {
    ...model,
    required: ['provider', ...(model.required as string[])],
    properties: { provider: { type: 'string', pattern: providerProp.pattern }, ...(model.properties as JsonObject) },
  };
  const alias = defs.dated_alias as JsonObject;
  defs.bundle_dated_alias = {
    ...alias,
    required: ['provider', ...(alias.required as string[])],
    properties: { provider: { type: 'string', pattern: providerProp.pattern }, ...(alias.properties as JsonObject) },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://tollgate.dev/schemas/pricing-bundle.json',
    title: 'Tollgate pricing bundle (all providers merged)',
    description: 'Generated by scripts/pricing/build-pricing.ts from pricing/schema.json; do not edit.',
    type: 'object',
    additionalProperties: false,
    required: ['version', 'generated_at', 'providers', 'models'],
    properties: {
      version: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}\\+[0-9a-f]{12}$' },
      generated_at: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' },
      providers: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'pricing_url', 'notes'],
          properties: {
            id: { type: 'string', pattern: providerProp.pattern },
            name: nonEmpty,
            pricing_url: { $ref: '#/$defs/url' },
            notes: nonEmpty,
          },
        },
      },
      models: { type: 'array', minItems: 1, items: { $ref: '#/$defs/bundle_model' } },
      dated_aliases: { type: 'array', items: { $ref: '#/$defs/bundle_dated_alias' } },
    },
    $defs: defs,
  };
}

/** Generates the standalone ESM validator source for `bundleSchema`. */
export function standaloneValidator(bundleSchema: JsonObject): string {
  const ajv = newAjv({ standalone: true });
  const validate = ajv.compile(bundleSchema);
  const code = standaloneCode(ajv, validate);
  // Anything imported at run time would have to be bundled for workerd too.
  if (/\brequire\(|^\s*import\s/m.test(code)) {
    throw new Error('standalone validator needs a run-time import; remove the schema feature that causes it');
  }
  return `// Generated by scripts/pricing/build-pricing.ts from pricing/schema.json. Do not edit.\n${code}\n`;
}

const VALIDATOR_DTS = `// Generated by scripts/pricing/build-pricing.ts. Do not edit.
/** One schema violation, as reported by Ajv. */
export interface PricingValidatorError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
/** Validates a parsed pricing bundle; on failure \`errors\` lists why. */
export interface PricingValidator {
  (data: unknown): boolean;
  errors?: PricingValidatorError[] | null;
}
declare const validate: PricingValidator;
export { validate };
export default validate;
`;

/**
 * The bundle as a JS string module: the library parses it on first use, not at import, which
 * keeps ~1 ms of JSON parsing out of every cold start that never prices anything.
 */
const TEXT_DTS = `/** dist/assets/pricing.json as text (generated by scripts/pricing/build-pricing.ts). */
export declare const PRICING_JSON: string;
`;

// Readers (a dev server, a parallel test) must never see a half-written file.
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** What a successful build produced. */
export interface BuildOutput {
  bundle: PricingBundle;
  bundleJson: string;
  outDir: string;
}

/**
 * Validates and, when everything is valid, writes the bundle, its schema and
 * the standalone validator into `outDir`. Returns the issues instead of
 * writing anything when validation fails.
 */
export function buildPricing(opts: { pricingDir?: string; outDir?: string } = {}): { ok: true; output: BuildOutput } | { ok: false; issues: PricingIssue[] } {
  const pricingDir = opts.pricingDir ?? DEFAULT_PRICING_DIR;
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  const result = validateProviderFiles(pricingDir);
  if (!result.ok) return { ok: false, issues: result.issues };

  const providerSchema = loadProviderSchema(pricingDir);
  const bundle = buildBundle(result.providers, providerSchema);
  const bundleSchema = deriveBundleSchema(providerSchema);
  const validator = standaloneValidator(bundleSchema);

  mkdirSync(outDir, { recursive: true });
  const bundleJson = `${JSON.stringify(bundle)}\n`;
  writeAtomic(join(outDir, 'pricing.json'), bundleJson);
  writeAtomic(join(outDir, 'pricing-text.js'), `export const PRICING_JSON = ${JSON.stringify(bundleJson.trimEnd())};\n`);
  writeAtomic(join(outDir, 'pricing-text.d.ts'), TEXT_DTS);
  writeAtomic(join(outDir, 'pricing-bundle.schema.json'), `${JSON.stringify(bundleSchema, null, 2)}\n`);
  writeAtomic(join(outDir, 'pricing-validator.js'), validator);
  writeAtomic(join(outDir, 'pricing-validator.d.ts'), VALIDATOR_DTS);
  return { ok: true, output: { bundle, bundleJson, outDir } };
}

/** Formats issues one per line: `file: /json/path: message`. */
export function formatIssues(issues: PricingIssue[]): string {
  return issues.map((i) => `${i.where}: ${i.path || '/'}: ${i.message}`).join('\n');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'pricing-dir': { type: 'string' },
      'out-dir': { type: 'string' },
    },
  });
  const res = buildPricing({
    ...(values['pricing-dir'] ? { pricingDir: values['pricing-dir'] } : {}),
    ...(values['out-dir'] ? { outDir: values['out-dir'] } : {}),
  });
  if (!res.ok) {
    console.error(`pricing: ${res.issues.length} problem(s)\n${formatIssues(res.issues)}`);
    process.exit(1);
  }
  const { bundle, outDir } = res.output;
  console.log(`pricing: ${bundle.models.length} models from ${bundle.providers.length} providers -> ${outDir} (version ${bundle.version})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
