/**
 * `tollgate diff`: the project priced at two git refs (read through git, no checkout), compared
 * prompt by prompt — tokens, cost per request, monthly cost before → after — with new, removed
 * and re-modelled prompts called out, as Markdown for a PR comment, text or JSON. Both sides are
 * priced at the same date, so the diff shows what the change does, not what prices did.
 */
import { CliError, EXIT } from '../errors.js';
import { pricedLibrary, type Lib } from '../library.js';
import { displayPercent, displayUsd, fromDecimal, percentChange, usd } from '../money.js';
import { num } from '../output/format.js';
import { printJson } from '../output/json.js';
import { progressBar, type Progress } from '../output/progress.js';
import { styleFor } from '../output/style.js';
import { mdEscape, renderMarkdown, renderText, type Cell, type Table } from '../output/table.js';
import { printWarnings } from '../output/warnings.js';
import { PROJECT_FILES } from '../project/config.js';
import { findProject, type LoadedProject } from '../project/load.js';
import { priceProject, promptJson, type PricedProject, type PricedPrompt } from '../project/price.js';
import { GitTree } from '../project/sources.js';

interface Options {
  base: string;
  head: string;
  config?: string;
  date?: string;
  format: 'markdown' | 'text' | 'json';
  failOnIncreasePercent?: number;
  baseLabel?: string;
  headLabel?: string;
  json?: boolean;
}

type Status = 'added' | 'removed' | 'changed' | 'unchanged';

interface Row {
  name: string;
  status: Status;
  before: PricedPrompt | null;
  after: PricedPrompt | null;
  change: bigint;
}

const monthly = (p: PricedPrompt | null): bigint => p?.monthly_cost ?? 0n;

function compare(before: PricedPrompt[], after: PricedPrompt[]): Row[] {
  const old = new Map(before.map((p) => [p.name, p]));
  const rows: Row[] = [];
  for (const a of after) {
    const b = old.get(a.name) ?? null;
    old.delete(a.name);
    const same =
      b !== null &&
      b.model === a.model &&
      b.cost_per_request === a.cost_per_request &&
      b.monthly_cost === a.monthly_cost &&
      b.input_tokens === a.input_tokens &&
      b.output_tokens === a.output_tokens;
    rows.push({ name: a.name, status: b === null ? 'added' : same ? 'unchanged' : 'changed', before: b, after: a, change: monthly(a) - monthly(b) });
  }
  for (const b of old.values()) rows.push({ name: b.name, status: 'removed', before: b, after: null, change: -monthly(b) });
  return rows;
}

function headline(before: bigint, after: bigint, md: boolean): string {
  const change = after - before;
  const pct = percentChange(before, after);
  const how = pct === null ? 'new' : displayPercent(pct);
  if (change > 0n) return `${md ? '⚠️ ' : ''}Cost increases by ${displayUsd(change, { signed: true })}/month (${how})`;
  if (change < 0n) return `${md ? '✅ ' : ''}Cost decreases by ${displayUsd(change)}/month (${how})`;
  return `${md ? '✅ ' : ''}No change in monthly cost (${displayUsd(after)}/month)`;
}

/** Does the increase exceed `limit` percent? Exact: change × 100 > limit × before. */
function overIncrease(before: bigint, after: bigint, limit: number): boolean {
  if (before === 0n) return false; // no baseline to take a percentage of
  // Both sides in units²: limit is a decimal (units), change × 100 is scaled up by one unit.
  return (after - before) * 100n * fromDecimal('1') > fromDecimal(limitText(limit)) * before;
}

function limitText(n: number): string {
  return n.toFixed(6).replace(/\.?0+$/, '');
}

async function priceSide(lib: Lib, src: GitTree, found: LoadedProject | undefined, date: string | undefined, progress: (n: number, t: number) => void): Promise<PricedProject | undefined> {
  return found ? priceProject(lib, found.project, found.path, src, { date, progress }) : undefined;
}

export async function run(opts: Options): Promise<number> {
  const { lib, table } = await pricedLibrary();
  const cwd = process.cwd();
  const base = await GitTree.open(cwd, opts.base, opts.baseLabel);
  const head = await GitTree.open(cwd, opts.head, opts.headLabel).catch((e: unknown) => {
    base.close();
    throw e;
  });
  let bar: Progress | undefined;
  try {
    const headFound = await findProject(head, opts.config);
    const baseFound = await findProject(base, opts.config);
    if (!headFound && !baseFound) {
      throw new CliError(`no project file at ${opts.base} or ${opts.head}: looked for ${opts.config ?? PROJECT_FILES.join(', ')}`, 'config_not_found');
    }
    const date = opts.date ?? headFound?.project.date ?? baseFound?.project.date;
    let offset = 0;
    const progress = (n: number, t: number): void => (bar ??= progressBar('pricing both refs', t * 2)).update(offset + n);
    const before = await priceSide(lib, base, baseFound, date, progress);
    offset = before?.prompts.reduce((n, p) => n + Math.max(1, p.files.length), 0) ?? 0;
    const after = await priceSide(lib, head, headFound, date, progress);
    bar?.done();
    bar = undefined;
    return report(opts, base, head, before, after, table, date ?? null, baseFound?.path ?? null, headFound?.path ?? null);
  } finally {
    bar?.done();
    base.close();
    head.close();
  }
}

function report(opts: Options, base: GitTree, head: GitTree, before: PricedProject | undefined, after: PricedProject | undefined, pricing: unknown, date: string | null, basePath: string | null, headPath: string | null): number {
  const rows = compare(before?.prompts ?? [], after?.prompts ?? []);
  const totalBefore = before?.monthly_total ?? 0n;
  const totalAfter = after?.monthly_total ?? 0n;
  const failed = opts.failOnIncreasePercent !== undefined && overIncrease(totalBefore, totalAfter, opts.failOnIncreasePercent);
  const format = opts.json ? 'json' : opts.format;
  const exit = failed ? EXIT.policy : EXIT.ok;

  if (format === 'json') {
    printJson({
      object: 'diff',
      base: { ref: base.ref.name, commit: base.ref.commit, config: basePath },
      head: { ref: head.ref.name, commit: head.ref.commit, config: headPath },
      currency: 'USD',
      date,
      pricing,
      headline: headline(totalBefore, totalAfter, false),
      total: { monthly_before: usd(totalBefore), monthly_after: usd(totalAfter), monthly_change: usd(totalAfter - totalBefore), percent_change: percentChange(totalBefore, totalAfter) },
      prompts: rows.map((r) => ({
        name: r.name,
        status: r.status,
        model_changed: r.before !== null && r.after !== null && r.before.model !== r.after.model,
        before: r.before && promptJson(r.before),
        after: r.after && promptJson(r.after),
        monthly_change: usd(r.change),
        percent_change: percentChange(monthly(r.before), monthly(r.after)),
      })),
      policy: { fail_on_increase_percent: opts.failOnIncreasePercent ?? null, failed },
    });
    return exit;
  }

  const md = format === 'markdown';
  const style = styleFor(process.stdout);
  const baseName = base.name;
  const headName = head.name;
  const code = (s: string): string => (md ? `\`${s}\`` : s);
  const arrow = <T>(b: T | undefined, a: T | undefined, show: (v: T) => string): string => {
    if (b === undefined) return show(a!);
    if (a === undefined) return show(b);
    const sb = show(b);
    const sa = show(a);
    return sb === sa ? sa : `${sb} → ${sa}`;
  };
  const tokens = (p: PricedPrompt): string => `${p.exact ? '' : '~'}${num(p.input_tokens)} / ${num(p.output_tokens)}`;
  const usdOrDash = (v: bigint | null): string => (v === null ? '—' : displayUsd(v));
  const changeCell = (r: Row): Cell => {
    const pct = r.status === 'removed' ? 'removed' : percentChange(monthly(r.before), monthly(r.after));
    const text = r.change === 0n ? '—' : `${displayUsd(r.change, { signed: true })} (${pct === 'removed' ? 'removed' : displayPercent(pct)})`;
    return { text, style: r.change > 0n ? 'red' : r.change < 0n ? 'green' : undefined };
  };
  const nameCell = (r: Row): string => {
    const n = md ? mdEscape(r.name) : r.name;
    if (r.status === 'added') return md ? `🆕 **${n}**` : `+ ${n}`;
    if (r.status === 'removed') return md ? `🗑️ ~~${n}~~` : `- ${n}`;
    return md && r.status === 'changed' ? `**${n}**` : n;
  };
  const modelCell = (r: Row): string => {
    if (r.before && r.after && r.before.model !== r.after.model) return md ? `~~${r.before.model}~~ → **${r.after.model}**` : `${r.before.model} → ${r.after.model}`;
    return (r.after ?? r.before)!.model;
  };
  const rowCells = (r: Row): Cell[] => [
    nameCell(r),
    modelCell(r),
    arrow(r.before ?? undefined, r.after ?? undefined, tokens),
    arrow(r.before ?? undefined, r.after ?? undefined, (p) => displayUsd(p.cost_per_request)),
    arrow(r.before ?? undefined, r.after ?? undefined, (p) => usdOrDash(p.monthly_cost)),
    changeCell(r),
  ];
  const columns: Table['columns'] = [
    { header: 'Prompt' },
    { header: 'Model' },
    { header: 'Tokens in / out', align: 'right' },
    { header: 'Cost / request', align: 'right' },
    { header: 'Monthly', align: 'right' },
    { header: 'Change', align: 'right' },
  ];
  const totalChange = totalAfter - totalBefore;
  const totalRow: Cell[] = [
    'Total',
    '',
    '',
    '',
    arrow(totalBefore, totalAfter, (v) => displayUsd(v)),
    { text: totalChange === 0n ? '—' : `${displayUsd(totalChange, { signed: true })} (${displayPercent(percentChange(totalBefore, totalAfter))})`, style: totalChange > 0n ? 'red' : totalChange < 0n ? 'green' : undefined },
  ];
  const changed = rows.filter((r) => r.status !== 'unchanged');
  const unchanged = rows.filter((r) => r.status === 'unchanged');
  const modelChanges = rows.filter((r) => r.before && r.after && r.before.model !== r.after.model);
  const version = (pricing as { version: string }).version;
  const out: string[] = [];

  if (md) {
    out.push(`### LLM cost: ${code(baseName)} → ${code(headName)}`, '');
    out.push(`**${headline(totalBefore, totalAfter, true)}** — ${displayUsd(totalBefore)} → ${displayUsd(totalAfter)} per month`, '');
    if (changed.length) out.push(renderMarkdown({ columns, rows: changed.map(rowCells), footer: [totalRow] }), '');
    else out.push(`No prompt changed (${rows.length} prompt${rows.length === 1 ? '' : 's'}).`, '');
    if (modelChanges.length) {
      out.push(`**Model changes:** ${modelChanges.map((r) => `${code(r.name)} ${r.before!.model} → ${r.after!.model}`).join(' · ')}`, '');
    }
    const warned = (after?.prompts ?? []).filter((p) => p.warnings.length);
    if (warned.length) out.push(`**Warnings:**`, ...warned.flatMap((p) => p.warnings.map((w) => `- ${code(p.name)} (${p.model}): ${mdEscape(w)}`)), '');
    if (unchanged.length && changed.length) {
      const sum = unchanged.reduce((a, r) => a + monthly(r.after), 0n);
      out.push(`<details><summary>${unchanged.length} unchanged prompt${unchanged.length === 1 ? '' : 's'} (${displayUsd(sum)}/month)</summary>`, '', renderMarkdown({ columns, rows: unchanged.map(rowCells) }), '', '</details>', '');
    }
    const notes = [`pricing table ${code(version)}`, `prices of ${date ?? 'today'}`, 'monthly = cost per request × requests_per_month'];
    if (rows.some((r) => (r.after ?? r.before)?.exact === false)) notes.push('~ token counts are estimates (no public tokenizer)');
    if (opts.failOnIncreasePercent !== undefined) notes.push(failed ? `❌ more than the allowed +${limitText(opts.failOnIncreasePercent)}%` : `allowed increase +${limitText(opts.failOnIncreasePercent)}%`);
    out.push(`<sub>Tollgate · ${notes.join(' · ')}</sub>`);
    process.stdout.write(`${out.join('\n')}\n`);
    return exit;
  }

  printWarnings((after?.prompts ?? []).flatMap((p) => p.warnings.map((w): [string, string] => [`prompt '${p.name}' (${p.model})`, w])));
  const head1 = headline(totalBefore, totalAfter, false);
  out.push(style(totalAfter > totalBefore ? 'yellow' : 'green', head1) + style('dim', ` — ${displayUsd(totalBefore)} → ${displayUsd(totalAfter)} per month (${base.label} → ${head.label})`), '');
  out.push(renderText({ columns, rows: [...changed, ...unchanged].map(rowCells), footer: [totalRow] }, style));
  if (modelChanges.length) out.push('', `Model changes: ${modelChanges.map((r) => `${r.name} ${r.before!.model} → ${r.after!.model}`).join('; ')}`);
  if (failed) out.push('', style('red', `✖ The monthly cost grows by more than the allowed ${limitText(opts.failOnIncreasePercent!)}%.`));
  process.stdout.write(`${out.join('\n')}\n`);
  return exit;
}
