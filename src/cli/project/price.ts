/**
 * Prices a project: every prompt's samples (the requests in its files) through the library's
 * estimateCost, aggregated exactly. A prompt's cost per request is the mean over its samples,
 * taken per cost component and rounded half-up to 1e-24 USD only when the division is not
 * exact (one sample: no rounding at all); its monthly cost is that × requests_per_month,
 * exactly.
 */
import { posix } from 'node:path';
import type { CostEstimate, EstimateOptions, ImageInput } from '../../runtime/node.js';
import { CliError, renameField } from '../errors.js';
import type { Lib } from '../library.js';
import { divRound, fromDecimal, usd } from '../money.js';
import { progressBar, type Progress } from '../output/progress.js';
import { warningsOf } from '../output/warnings.js';
import type { Project, PromptSpec } from './config.js';
import { requestsOf, type FileRequest } from './inputs.js';
import { audioSecondsOf, imageSizeOf } from './media.js';
import { loadProject } from './load.js';
import { WorkingTree, type ProjectSource } from './sources.js';

/** One cost component of a prompt, per request (mean over samples). */
export interface ComponentCost {
  component: string;
  unit: string;
  /** USD per unit, exact decimal. */
  unit_price: string;
  /** Units per request (mean). */
  quantity: number;
  /** Units over all samples. */
  quantity_sum: number;
  /** USD units (1e-24) per request. */
  cost: bigint;
}

export interface PricedPrompt {
  spec: PromptSpec;
  name: string;
  model: string;
  provider: string;
  /** Files matched (root-relative). */
  files: string[];
  samples: number;
  input_tokens: number;
  output_tokens: number;
  requests_per_month: number | null;
  cost_per_request: bigint;
  monthly_cost: bigint | null;
  exact: boolean;
  method: string;
  price_since: string;
  components: ComponentCost[];
  warnings: string[];
}

export interface PricedProject {
  project: Project;
  prompts: PricedPrompt[];
  /** Sum of the prompts' monthly costs (prompts without requests_per_month add nothing). */
  monthly_total: bigint;
  pricing_version: string;
  bytes: number;
}

export interface PriceOptions {
  /** Price date (YYYY-MM-DD), overriding the file's. */
  date?: string;
  /** Called as samples are priced. */
  progress?(done: number, total: number): void;
}

const READ_AHEAD = 64;

/** The library's option names → the project file's, for error messages. */
const SETTINGS: Array<[RegExp, string]> = [
  [/^outputTokens\b/, 'output_tokens'],
  [/^reasoningTokens\b/, 'reasoning_tokens'],
  [/^inputTokens\b/, 'input_tokens'],
  [/^cache\.readTokens\b/, 'cache.read_tokens'],
  [/^cache\.writeTokens\b/, 'cache.write_tokens'],
  [/^cacheHitRatio\b/, 'cache.hit_ratio'],
  [/^serviceTier\b/, 'service_tier'],
];


/** `p`, marked handled: a read-ahead that fails after an earlier failure must not crash the process. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

/** Library errors (CostInputError, UnknownNameError) carry a message fit for users. */
function isLibraryError(e: unknown, lib: Lib): e is Error {
  return e instanceof lib.CostInputError || e instanceof lib.UnknownNameError;
}

/** A prompt's inputs, found and measured; its files are read by `load`. */
interface Gathered {
  spec: PromptSpec;
  files: string[];
  /** Reads and parses files[i]. */
  load(i: number): Promise<FileRequest[]>;
  images: ImageInput[];
  audioSeconds: number;
}

async function gather(project: Project, projectDir: string, source: ProjectSource, spec: PromptSpec): Promise<Gathered> {
  const files: string[] = [];
  for (let k = 0; k < spec.files.length; k++) {
    const pattern = spec.files[k]!;
    const found = await source.glob(pattern, projectDir);
    if (found.length === 0) {
      const at = spec.files.length > 1 ? [...spec.fieldAt('file'), k] : spec.fieldAt('file');
      throw new CliError(`${project.where(at)}: '${pattern}' matches no files in the ${source.label}`, 'no_prompt_files');
    }
    for (const f of found) if (!files.includes(f)) files.push(f);
  }
  const readOne = async (path: string): Promise<Uint8Array> => {
    const bytes = await source.read(path);
    if (!bytes) throw new CliError(`${source.describe(path)}: no such file`, 'no_prompt_files');
    return bytes;
  };
  const images: ImageInput[] = [];
  for (const [k, img] of spec.images.entries()) {
    if (img.file) {
      const path = posix.normalize(posix.join(projectDir, img.file));
      const bytes = await source.read(path);
      if (!bytes) throw new CliError(`${project.where([...spec.fieldAt('images'), k, 'file'])}: ${source.describe(path)} does not exist`, 'no_prompt_files');
      images.push({ ...(await imageSizeOf(bytes, source.describe(path))), detail: img.detail ?? 'auto' });
    } else images.push({ width: img.width!, height: img.height!, detail: img.detail ?? 'auto' });
  }
  let audioSeconds = 0;
  for (const [k, a] of spec.audio.entries()) {
    if (a.file) {
      const path = posix.normalize(posix.join(projectDir, a.file));
      const bytes = await source.read(path);
      if (!bytes) throw new CliError(`${project.where([...spec.fieldAt('audio'), k, 'file'])}: ${source.describe(path)} does not exist`, 'no_prompt_files');
      audioSeconds += await audioSecondsOf(bytes, source.describe(path));
    } else audioSeconds += a.seconds!;
  }
  const load = (i: number): Promise<FileRequest[]> => readOne(files[i]!).then((b) => requestsOf(b, source.describe(files[i]!)));
  return { spec, files, load, images, audioSeconds };
}

function optionsFor(spec: PromptSpec, input: FileRequest['input'], g: Gathered, date: string | undefined): EstimateOptions {
  const o: EstimateOptions = { model: spec.model, ...input, outputTokens: spec.outputTokens, batch: spec.batch };
  if (spec.reasoningTokens !== undefined) o.reasoningTokens = spec.reasoningTokens;
  if (spec.serviceTier !== undefined) o.serviceTier = spec.serviceTier as EstimateOptions['serviceTier'];
  const c = spec.cache;
  if (c?.hitRatio !== undefined) o.cacheHitRatio = c.hitRatio;
  else if (c) {
    o.cache = {};
    if (c.readTokens !== undefined) o.cache.readTokens = c.readTokens;
    if (c.writeTokens !== undefined) o.cache.writeTokens = c.writeTokens;
    if (c.ttl !== undefined) o.cache.ttl = c.ttl;
  }
  if (g.images.length) o.images = g.images;
  if (g.audioSeconds > 0) o.audio = { inputSeconds: g.audioSeconds };
  if (date) o.date = date;
  return o;
}

/** A priced prompt as the --json outputs show it (check and diff). */
export function promptJson(p: PricedPrompt): Record<string, unknown> {
  return {
    model: p.model,
    provider: p.provider,
    files: p.files,
    samples: p.samples,
    input_tokens: p.input_tokens,
    output_tokens: p.output_tokens,
    requests_per_month: p.requests_per_month,
    cost_per_request: usd(p.cost_per_request),
    monthly_cost: p.monthly_cost === null ? null : usd(p.monthly_cost),
    exact: p.exact,
    warnings: p.warnings,
  };
}

/**
 * The project file in the working tree (`--config` or the default names), priced with a
 * progress bar; `before` sees the project first (to reject it before any pricing work).
 */
export async function priceWorkingTree(lib: Lib, config: string | undefined, date: string | undefined, before?: (project: Project) => void): Promise<PricedProject> {
  const source = new WorkingTree();
  const { project, path } = await loadProject(source, config);
  let bar: Progress | undefined;
  try {
    before?.(project);
    return await priceProject(lib, project, path, source, { date, progress: (d, t) => (bar ??= progressBar('pricing prompt files', t)).update(d) });
  } finally {
    bar?.done();
    source.close();
  }
}

/** Prices every prompt of `project`, read from `source`. */
export async function priceProject(lib: Lib, project: Project, projectPath: string, source: ProjectSource, opts: PriceOptions = {}): Promise<PricedProject> {
  const projectDir = posix.dirname(projectPath) === '.' ? '' : posix.dirname(projectPath);
  const date = opts.date ?? project.date;
  const gathered: Gathered[] = [];
  for (const spec of project.prompts) {
    try {
      lib.getModel(spec.model);
    } catch (e) {
      if (isLibraryError(e, lib)) throw new CliError(`${project.where(spec.fieldAt('model'))}: ${e.message}`, 'unknown_model');
      throw e;
    }
    gathered.push(await gather(project, projectDir, source, spec));
  }
  const totalFiles = gathered.reduce((n, g) => n + Math.max(1, g.files.length), 0);
  let done = 0;
  let bytes = 0;
  const prompts: PricedPrompt[] = [];
  let version = '';
  for (const g of gathered) {
    const spec = g.spec;
    const comps = new Map<string, { component: string; unit: string; unit_price: string; quantity_sum: number; cost_sum: bigint }>();
    let samples = 0;
    let inputSum = 0;
    let exact = true;
    let method = '';
    let since = '';
    let provider = '';
    let model = spec.model;
    const warnings = new Set<string>();
    const price = async (input: FileRequest['input'], where: string): Promise<void> => {
      let est: CostEstimate;
      try {
        est = await lib.estimateCost(optionsFor(spec, input, g, date));
      } catch (e) {
        if (isLibraryError(e, lib)) throw new CliError(`${where} (prompt '${spec.name}'): ${renameField(e.message, SETTINGS)}`, 'invalid_prompt');
        throw e;
      }
      samples++;
      inputSum += est.inputTokens;
      exact &&= est.exact;
      method ||= est.method;
      since = est.priceSince;
      provider = est.provider;
      model = est.model;
      version = est.pricingVersion;
      for (const w of warningsOf(est)) warnings.add(w);
      for (const l of est.lines) {
        const key = `${l.component}@${l.unitPrice}`;
        const c = comps.get(key) ?? { component: l.component, unit: l.unit, unit_price: l.unitPrice, quantity_sum: 0, cost_sum: 0n };
        c.quantity_sum += l.quantity;
        c.cost_sum += fromDecimal(l.cost);
        comps.set(key, c);
      }
    };
    if (g.files.length === 0) {
      await price({ inputTokens: spec.inputTokens ?? 0 }, project.where(spec.fieldAt('input_tokens')));
      opts.progress?.(++done, totalFiles);
    } else {
      const pending: Array<Promise<FileRequest[]>> = [];
      for (let i = 0; i < Math.min(READ_AHEAD, g.files.length); i++) pending.push(handled(g.load(i)));
      for (let i = 0; i < g.files.length; i++) {
        const reqs = await pending[i]!;
        if (i + READ_AHEAD < g.files.length) pending.push(handled(g.load(i + READ_AHEAD)));
        for (const r of reqs) {
          if ('input' in r.input) bytes += r.input.input.length;
          await price(r.input, r.where);
        }
        opts.progress?.(++done, totalFiles);
      }
    }
    const n = BigInt(samples);
    const components = [...comps.values()].map((c) => ({
      component: c.component,
      unit: c.unit,
      unit_price: c.unit_price,
      quantity: c.quantity_sum / samples,
      quantity_sum: c.quantity_sum,
      cost: divRound(c.cost_sum, n),
    }));
    const perRequest = components.reduce((a, c) => a + c.cost, 0n);
    const rpm = spec.requestsPerMonth ?? null;
    prompts.push({
      spec,
      name: spec.name,
      model,
      provider,
      files: g.files,
      samples,
      input_tokens: inputSum / samples,
      output_tokens: spec.outputTokens,
      requests_per_month: rpm,
      cost_per_request: perRequest,
      monthly_cost: rpm === null ? null : perRequest * BigInt(rpm),
      exact,
      method,
      price_since: since,
      components,
      warnings: [...warnings],
    });
  }
  return {
    project,
    prompts,
    monthly_total: prompts.reduce((a, p) => a + (p.monthly_cost ?? 0n), 0n),
    pricing_version: version || lib.pricingVersion(),
    bytes,
  };
}
