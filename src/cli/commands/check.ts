/**
 * `tollgate check`: prices the project file and compares it with its budgets; exit 1 when one
 * is exceeded, with a table that marks which prompts break which limit.
 *
 * Limits: `--budget X --per month` (or `budget.per_month` at the top of the file) caps the
 * project's total monthly cost; `--per request` (or a top-level `per_request`) caps every
 * prompt's cost per request; `budget` on a prompt or in `defaults` caps that prompt. A cost
 * equal to its limit is within it. All comparisons are exact decimals.
 */
import { CliError, EXIT } from '../errors.js';
import { pricedLibrary } from '../library.js';
import { displayUsd, parseUsd, percentOf, usd } from '../money.js';
import { num } from '../output/format.js';
import { printJson } from '../output/json.js';
import { styleFor } from '../output/style.js';
import { renderMarkdown, renderText, type Cell, type Table } from '../output/table.js';
import { printWarnings } from '../output/warnings.js';
import type { Project } from '../project/config.js';
import { priceWorkingTree, promptJson, type PricedPrompt } from '../project/price.js';

interface Options {
  config?: string;
  budget?: string;
  per: 'month' | 'request';
  currency: string;
  date?: string;
  format: 'text' | 'markdown' | 'json';
  json?: boolean;
}

interface Violation {
  scope: 'project' | 'prompt';
  prompt?: string;
  per: 'request' | 'month';
  limit: bigint;
  actual: bigint;
}

const violationJson = (v: Violation): Record<string, unknown> => ({
  scope: v.scope,
  ...(v.prompt !== undefined ? { prompt: v.prompt } : {}),
  per: v.per,
  limit: usd(v.limit),
  actual: usd(v.actual),
  excess: usd(v.actual - v.limit),
});

export async function run(opts: Options): Promise<number> {
  if (opts.currency.toUpperCase() !== 'USD') throw new CliError(`only USD is supported (prices are in USD); got --currency ${opts.currency}`, 'unsupported_currency');
  const flagBudget = opts.budget === undefined ? undefined : parseUsd(opts.budget, '--budget');
  const { lib, table } = await pricedLibrary();
  let limits: { projectMonth?: bigint; everyRequest?: bigint } = {};
  const priced = await priceWorkingTree(lib, opts.config, opts.date, (project) => {
    limits = limitsOf(project, opts, flagBudget);
  });
  const project = priced.project;
  const { projectMonth, everyRequest } = limits;
  return report(priced.prompts, priced.monthly_total, { projectMonth, everyRequest, flagBudget, opts, pricing: table, date: opts.date ?? project.date ?? null });
}

/** The limits that apply (the flag replaces the file's project-level limit for its period); rejects a project with none. */
function limitsOf(project: Project, opts: Options, flagBudget: bigint | undefined): { projectMonth?: bigint; everyRequest?: bigint } {
  const projectMonth = opts.per === 'month' && flagBudget !== undefined ? flagBudget : project.budget.perMonth;
  const everyRequest = opts.per === 'request' && flagBudget !== undefined ? flagBudget : project.budget.perRequest;
  const anyPromptBudget = project.prompts.some((p) => p.budget.perMonth !== undefined || p.budget.perRequest !== undefined);
  if (projectMonth === undefined && everyRequest === undefined && !anyPromptBudget) {
    throw new CliError(`nothing to check: give --budget, or set budget in ${project.label} (see 'tollgate check --help')`, 'no_budget');
  }
  for (const p of project.prompts) {
    if (p.budget.perMonth !== undefined && p.requestsPerMonth === undefined) {
      throw new CliError(`${project.where(p.fieldAt('budget'))}: per_month needs requests_per_month on the prompt (or in defaults)`, 'invalid_config');
    }
  }
  return { projectMonth, everyRequest };
}

interface Context {
  projectMonth?: bigint;
  everyRequest?: bigint;
  flagBudget?: bigint;
  opts: Options;
  pricing: unknown;
  date: string | null;
}

function report(prompts: PricedPrompt[], total: bigint, ctx: Context): number {
  const violations: Violation[] = [];
  const perPrompt = prompts.map((p) => {
    const limitRequest = p.spec.budget.perRequest ?? ctx.everyRequest;
    const limitMonth = p.spec.budget.perMonth;
    const own: Violation[] = [];
    if (limitRequest !== undefined && p.cost_per_request > limitRequest) own.push({ scope: 'prompt', prompt: p.name, per: 'request', limit: limitRequest, actual: p.cost_per_request });
    if (limitMonth !== undefined && p.monthly_cost !== null && p.monthly_cost > limitMonth) own.push({ scope: 'prompt', prompt: p.name, per: 'month', limit: limitMonth, actual: p.monthly_cost });
    violations.push(...own);
    return { p, limitRequest, limitMonth, own };
  });
  const totalOver = ctx.projectMonth !== undefined && total > ctx.projectMonth;
  if (totalOver) violations.push({ scope: 'project', per: 'month', limit: ctx.projectMonth!, actual: total });
  const ok = violations.length === 0;
  const format = ctx.opts.json ? 'json' : ctx.opts.format;

  if (format === 'json') {
    printJson({
      object: 'check',
      ok,
      currency: 'USD',
      date: ctx.date,
      pricing: ctx.pricing,
      budget: ctx.flagBudget === undefined ? null : { amount: usd(ctx.flagBudget), per: ctx.opts.per },
      total: { monthly_cost: usd(total), limit: ctx.projectMonth === undefined ? null : usd(ctx.projectMonth), over: totalOver },
      prompts: perPrompt.map(({ p, limitRequest, limitMonth, own }) => ({
        name: p.name,
        ...promptJson(p),
        limits: { per_request: limitRequest === undefined ? null : usd(limitRequest), per_month: limitMonth === undefined ? null : usd(limitMonth) },
        over: own.length > 0,
      })),
      violations: violations.map(violationJson),
    });
    return ok ? EXIT.ok : EXIT.policy;
  }

  const md = format === 'markdown';
  const style = styleFor(process.stdout);
  printWarnings(prompts.flatMap((p) => p.warnings.map((w): [string, string] => [`prompt '${p.name}' (${p.model})`, w])));
  const limitText = (req?: bigint, month?: bigint): string => [req !== undefined ? `${displayUsd(req)}/req` : '', month !== undefined ? `${displayUsd(month)}/mo` : ''].filter(Boolean).join(', ') || '—';
  const status = (over: boolean): Cell => (over ? { text: md ? '❌ over' : 'OVER', style: 'red' } : { text: md ? '✅ ok' : 'ok', style: 'green' });
  const share = (m: bigint | null): string => (m === null || total === 0n ? '—' : `${percentOf(m, total)}%`);
  const t: Table = {
    columns: [
      { header: 'Prompt' },
      { header: 'Model' },
      { header: 'Tokens in/out', align: 'right' },
      { header: 'Requests/mo', align: 'right' },
      { header: 'Cost/request', align: 'right' },
      { header: 'Monthly', align: 'right' },
      { header: 'Share', align: 'right' },
      { header: 'Budget', align: 'right' },
      { header: 'Status' },
    ],
    rows: perPrompt.map(({ p, limitRequest, limitMonth, own }) => [
      { text: p.name, style: own.length ? 'red' : undefined },
      p.model,
      `${p.exact ? '' : '~'}${num(p.input_tokens)} / ${num(p.output_tokens)}`,
      p.requests_per_month === null ? '—' : num(p.requests_per_month),
      displayUsd(p.cost_per_request),
      p.monthly_cost === null ? '—' : displayUsd(p.monthly_cost),
      share(p.monthly_cost),
      limitText(limitRequest, limitMonth),
      limitRequest === undefined && limitMonth === undefined ? '' : status(own.length > 0),
    ]),
    footer: [['Total', '', '', '', '', displayUsd(total), '', limitText(undefined, ctx.projectMonth), ctx.projectMonth === undefined ? '' : status(totalOver)]],
  };
  const broken = new Set(violations.filter((v) => v.prompt).map((v) => v.prompt));
  const lines: string[] = [];
  if (ok) {
    lines.push(`${md ? '✅ ' : style('green', '✔ ')}Within budget: ${displayUsd(total)}/month${ctx.projectMonth !== undefined ? ` of ${displayUsd(ctx.projectMonth)}` : ''}.`);
  } else {
    const parts: string[] = [];
    if (totalOver) parts.push(`the total ${displayUsd(total)}/month exceeds ${displayUsd(ctx.projectMonth!)} by ${displayUsd(total - ctx.projectMonth!)}`);
    if (broken.size) parts.push(`${broken.size} prompt${broken.size === 1 ? '' : 's'} over ${broken.size === 1 ? 'its' : 'their'} limit (${[...broken].join(', ')})`);
    lines.push(`${md ? '❌ ' : style('red', '✖ ')}Over budget: ${parts.join('; ')}.`);
  }
  const body = md ? renderMarkdown(t) : renderText(t, style);
  process.stdout.write(md ? `${lines[0]}\n\n${body}\n` : `${body}\n\n${lines[0]}\n`);
  return ok ? EXIT.ok : EXIT.policy;
}
