/**
 * `tollgate estimate`: one request priced line by line with the library's estimateCost, on
 * one model or compared across several (cheapest first, compared as exact decimals). A JSONL
 * file is a batch: every line is priced and the lines are summed.
 */
import type { CostEstimate, EstimateOptions, ImageInput } from '../../runtime/node.js';
import { CliError, renameField } from '../errors.js';
import { pricedLibrary, type Lib } from '../library.js';
import { displayUsd, fromDecimal, usd } from '../money.js';
import { num, quantity, unitPrice } from '../output/format.js';
import { printJson } from '../output/json.js';
import { styleFor } from '../output/style.js';
import { renderText, type Table } from '../output/table.js';
import { printWarnings, warningsOf } from '../output/warnings.js';
import type { FileKind, RequestInput } from '../project/inputs.js';
import { audioSecondsOf, imageSizeOf } from '../project/media.js';
import { readArg, requestsOfArg } from '../read-input.js';

interface Options {
  model: string;
  models?: string[];
  outputTokens: number;
  reasoningTokens?: number;
  inputTokens?: number;
  cacheRead?: number;
  cacheWrite?: number;
  cacheTtl?: '5m' | '30m' | '1h' | '12h';
  serviceTier?: string;
  cacheHitRatio?: number;
  batch?: boolean;
  image?: string[];
  detail: 'low' | 'high' | 'auto';
  audio?: string[];
  date?: string;
  as?: FileKind;
  json?: boolean;
}

/** The library's option names → this command's flags, for error messages. */
const FLAGS: Array<[RegExp, string]> = [
  [/^inputTokens\b/, '--input-tokens'],
  [/^outputTokens\b/, '--output-tokens'],
  [/^reasoningTokens\b/, '--reasoning-tokens'],
  [/^cache\.readTokens\b/, '--cache-read'],
  [/^cache\.writeTokens\b/, '--cache-write'],
  [/^cache\.ttl\b/, '--cache-ttl'],
  [/^cache\b/, '--cache-read/--cache-write'],
  [/^cacheHitRatio\b/, '--cache-hit-ratio'],
  [/^images\b/, '--image'],
  [/^audio\b/, '--audio'],
  [/^batch\b/, '--batch'],
  [/^serviceTier\b/, '--service-tier'],
  [/^date\b/, '--date'],
];

/** One model's estimate summed over the requests. */
interface Summed {
  est: CostEstimate;
  total: bigint;
  warnings: string[];
}

function sum(ests: CostEstimate[]): Summed {
  const first = ests[0]!;
  const lines = new Map<string, { component: string; quantity: number; unit: string; unitPrice: string; cost: bigint }>();
  let total = 0n;
  const warnings = new Set<string>();
  for (const e of ests) {
    total += fromDecimal(e.total);
    for (const w of warningsOf(e)) warnings.add(w);
    for (const l of e.lines) {
      const key = `${l.component}@${l.unitPrice}`;
      const s = lines.get(key) ?? { ...l, quantity: 0, cost: 0n };
      s.quantity += l.quantity;
      s.cost += fromDecimal(l.cost);
      lines.set(key, s);
    }
  }
  const est: CostEstimate = {
    ...first,
    inputTokens: ests.reduce((n, e) => n + e.inputTokens, 0),
    outputTokens: ests.reduce((n, e) => n + e.outputTokens, 0),
    total: usd(total),
    totalUsd: Number(usd(total)),
    exact: ests.every((e) => e.exact),
    // A day's range is per request; a sum of requests has none to show.
    range: ests.length === 1 ? first.range : undefined,
    lines: [...lines.values()].map((l) => ({ ...l, cost: usd(l.cost) })),
  };
  return { est, total, warnings: [...warnings] };
}

function toJson(s: Summed): Record<string, unknown> {
  const e = s.est;
  return {
    model: e.model,
    provider: e.provider,
    input_tokens: e.inputTokens,
    output_tokens: e.outputTokens,
    total: e.total,
    currency: e.currency,
    exact: e.exact,
    method: e.method,
    service_tier: e.serviceTier ?? 'standard',
    ...(e.range ? { range: e.range } : {}),
    price_since: e.priceSince,
    pricing_version: e.pricingVersion,
    lines: e.lines.map((l) => ({ component: l.component, quantity: l.quantity, unit: l.unit, unit_price: l.unitPrice, cost: l.cost })),
    warnings: s.warnings,
  };
}

async function requestsFor(file: string | undefined, opts: Options): Promise<{ inputs: RequestInput[]; where: string[] }> {
  if (file !== undefined && opts.inputTokens !== undefined) throw new CliError('give either a prompt file or --input-tokens, not both', 'invalid_input');
  if (file !== undefined) {
    const { requests } = await requestsOfArg(file, opts.as);
    return { inputs: requests.map((r) => r.input), where: requests.map((r) => r.where) };
  }
  if (opts.inputTokens !== undefined) return { inputs: [{ inputTokens: opts.inputTokens }], where: ['--input-tokens'] };
  if (opts.image?.length || opts.audio?.length) return { inputs: [{ inputTokens: 0 }], where: ['(no text)'] };
  throw new CliError("give a prompt file, - for standard input, or --input-tokens N (see 'tollgate estimate --help')", 'missing_input');
}

async function media(opts: Options): Promise<{ images: ImageInput[]; audioSeconds: number }> {
  const images: ImageInput[] = [];
  for (const p of opts.image ?? []) {
    const { name, bytes } = await readArg(p);
    images.push({ ...(await imageSizeOf(bytes, name)), detail: opts.detail });
  }
  let audioSeconds = 0;
  for (const p of opts.audio ?? []) {
    const { name, bytes } = await readArg(p);
    audioSeconds += await audioSecondsOf(bytes, name);
  }
  return { images, audioSeconds };
}

async function estimateModel(lib: Lib, model: string, inputs: RequestInput[], where: string[], base: Omit<EstimateOptions, 'model'>): Promise<Summed> {
  const ests: CostEstimate[] = [];
  for (let i = 0; i < inputs.length; i++) {
    try {
      ests.push(await lib.estimateCost({ model, ...inputs[i]!, ...base }));
    } catch (e) {
      if (e instanceof lib.CostInputError) throw new CliError(`${inputs.length > 1 || 'messages' in inputs[i]! ? `${where[i]}: ` : ''}${renameField(e.message, FLAGS)}`, 'invalid_input');
      throw e;
    }
  }
  return sum(ests);
}

export async function run(file: string | undefined, opts: Options): Promise<number> {
  const { lib } = await pricedLibrary();
  const models = opts.models ?? [opts.model];
  for (const m of models) lib.getModel(m); // unknown names fail before any file is read
  const { inputs, where } = await requestsFor(file, opts);
  const { images, audioSeconds } = await media(opts);
  const base: Omit<EstimateOptions, 'model'> = { outputTokens: opts.outputTokens };
  if (opts.reasoningTokens !== undefined) base.reasoningTokens = opts.reasoningTokens;
  if (opts.cacheHitRatio !== undefined) {
    if (opts.cacheRead !== undefined || opts.cacheWrite !== undefined) throw new CliError('give either --cache-hit-ratio or --cache-read/--cache-write, not both', 'invalid_input');
    base.cacheHitRatio = opts.cacheHitRatio;
  } else if (opts.cacheRead !== undefined || opts.cacheWrite !== undefined || opts.cacheTtl) {
    base.cache = {};
    if (opts.cacheRead !== undefined) base.cache.readTokens = opts.cacheRead;
    if (opts.cacheWrite !== undefined) base.cache.writeTokens = opts.cacheWrite;
    if (opts.cacheTtl) base.cache.ttl = opts.cacheTtl;
  }
  if (opts.batch) base.batch = true;
  if (opts.serviceTier) base.serviceTier = opts.serviceTier as EstimateOptions['serviceTier'];
  if (images.length) base.images = images;
  if (audioSeconds > 0) base.audio = { inputSeconds: audioSeconds };
  if (opts.date) base.date = opts.date;

  const results: Summed[] = [];
  for (const m of models) results.push(await estimateModel(lib, m, inputs, where, base));
  if (results.length > 1) results.sort((a, b) => (a.total < b.total ? -1 : a.total > b.total ? 1 : 0));

  if (opts.json) {
    printJson({ object: 'estimate', requests: inputs.length, estimates: results.map(toJson) });
    return 0;
  }
  const style = styleFor(process.stdout);
  printWarnings(results.flatMap((r) => r.warnings.map((w): [string, string] => [r.est.model, w])));
  const batchNote = inputs.length > 1 ? ` · ${inputs.length} requests summed` : '';
  const tier = (e: CostEstimate): string => (e.serviceTier && e.serviceTier !== 'standard' ? ` · ${e.serviceTier} tier` : '');
  const how = (e: CostEstimate): string => `${e.exact ? `${e.method}, exact` : `${e.method}: token counts are estimates`}${tier(e)}`;
  if (results.length === 1) {
    const e = results[0]!.est;
    const table: Table = {
      columns: [{ header: 'Component' }, { header: 'Quantity', align: 'right' }, { header: 'Unit price', align: 'right' }, { header: 'Cost', align: 'right' }],
      rows: e.lines.map((l) => [l.component, quantity(l.quantity, l.unit), unitPrice(l.unit, l.unitPrice), displayUsd(fromDecimal(l.cost))]),
      footer: [['Total', '', '', { text: displayUsd(results[0]!.total), style: 'bold' }]],
    };
    process.stdout.write(`${style('bold', e.model)} ${style('dim', `(${e.provider}) · ${how(e)} · prices since ${e.priceSince}${batchNote}`)}\n${renderText(table, style)}\n`);
    return 0;
  }
  const table: Table = {
    columns: [{ header: 'Model' }, { header: 'Input tokens', align: 'right' }, { header: 'Output tokens', align: 'right' }, { header: 'Cost', align: 'right' }, { header: 'Counted with' }],
    rows: results.map((r, i) => [
      { text: r.est.model, style: i === 0 ? 'green' : undefined },
      `${r.est.exact ? '' : '~'}${num(r.est.inputTokens)}`,
      num(r.est.outputTokens),
      { text: displayUsd(r.total), style: i === 0 ? 'green' : undefined },
      r.est.exact ? r.est.method : `~ ${r.est.method}`,
    ]),
  };
  process.stdout.write(`${renderText(table, style)}\n${style('dim', `cheapest first${batchNote}; ~ marks estimated token counts`)}\n`);
  return 0;
}
