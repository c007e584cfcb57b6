/**
 * `tollgate check` and `tollgate export` on the fixture project (fixtures.ts has every cost
 * computed by hand), and the project file's validation: every mistake is exit 2 with one line
 * naming the file, the line and the field.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureRepo } from './fixtures.js';
import { json, run, schemaErrors, tempDir, words, writeFiles, type Repo } from './helpers.js';
import { png } from './media.js';

let repo: Repo;
let cwd: string;
const check = (...args: string[]) => run(['check', ...args], { cwd });

beforeAll(() => {
  repo = fixtureRepo(); // the feature branch is checked out: total 1207.5/month
  cwd = repo.dir;
});

/** Exact product of two non-negative decimal strings (independent of the CLI's money code). */
function mul(a: string, b: string): string {
  const parse = (s: string): [bigint, number] => {
    const [i, f = ''] = s.split('.');
    return [BigInt(i! + f), f.length];
  };
  const [x, sx] = parse(a);
  const [y, sy] = parse(b);
  const digits = (x * y).toString().padStart(sx + sy + 1, '0');
  const int = digits.slice(0, digits.length - (sx + sy));
  const frac = digits.slice(digits.length - (sx + sy)).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

describe('tollgate check', () => {
  it('passes at exactly the budget and fails a cent below it', async () => {
    const ok = await check('--budget', '1207.5');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Within budget: \$1,207\.50\/month of \$1,207\.50/);
    const over = await check('--budget', '1207.49', '--json');
    expect(over.code).toBe(1);
    const j = json(over);
    expect(schemaErrors('check', j)).toBe('');
    expect(j).toMatchObject({
      ok: false,
      budget: { amount: '1207.49', per: 'month' },
      total: { monthly_cost: '1207.5', limit: '1207.49', over: true },
      violations: [{ scope: 'project', per: 'month', limit: '1207.49', actual: '1207.5', excess: '0.01' }],
    });
    expect((j.prompts as Array<{ name: string; cost_per_request: string; monthly_cost: string }>).map((p) => [p.name, p.cost_per_request, p.monthly_cost])).toEqual([
      ['support-answer', '0.00975', '1170'],
      ['classify', '0.000033', '16.5'],
      ['onboarding', '0.0021', '21'],
    ]);
  });

  it('marks the prompts that break a per-request budget', async () => {
    const r = await check('--budget', '0.002', '--per', 'request');
    expect(r.code).toBe(1);
    const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(name))!;
    expect(row('support-answer')).toMatch(/\$0\.002\/req\s+OVER$/);
    expect(row('onboarding')).toMatch(/\$0\.002\/req\s+OVER$/);
    expect(row('classify')).toMatch(/\$0\.002\/req\s+ok$/);
    expect(r.stdout).toMatch(/Over budget: 2 prompts over their limit \(support-answer, onboarding\)/);
    const md = await check('--budget', '0.002', '--per', 'request', '--format', 'markdown');
    expect(md.stdout).toMatch(/^❌ Over budget/);
    expect(md.stdout).toMatch(/\| support-answer \| gpt-4o \| 1,500 \/ 600 \| 120,000 \| \$0\.00975 \| \$1,170\.00 \| 96\.9% \| \$0\.002\/req \| ❌ over \|/);
  });

  it('applies budgets from the file: per prompt, in defaults, and for the whole project', async () => {
    writeFiles(cwd, {
      'budgets.yml': `date: "2025-11-01"
budget: { per_month: "2000" }
defaults: { model: gpt-4o, budget: { per_request: "0.01" } }
prompts:
  - name: small
    file: prompts/classify.txt
    requests_per_month: 1000
    budget: { per_month: 0.01 }
  - name: big
    file: prompts/support/long.md
    requests_per_month: 10
`,
    });
    // small: 200 × 2.50/M = 0.0005/request × 1000 = 0.5/month > 0.01; big: 2000 × 2.50/M = 0.005 ≤ 0.01/request
    const r = await check('-c', 'budgets.yml', '--json');
    expect(r.code).toBe(1);
    const j = json(r);
    expect(schemaErrors('check', j)).toBe('');
    expect(j.violations).toEqual([{ scope: 'prompt', prompt: 'small', per: 'month', limit: '0.01', actual: '0.5', excess: '0.49' }]);
    expect((j.prompts as Array<{ limits: unknown }>)[1]!.limits).toEqual({ per_request: '0.01', per_month: null });
    expect(j.total).toEqual({ monthly_cost: '0.55', limit: '2000', over: false });
  });

  it('averages a prompt over its samples, rounding half-up at 1e-24 USD only when it must', async () => {
    // Three requests of 1, 1 and 2 tokens on gpt-4o: (1 + 1 + 2) × 0.0000025 / 3 = 0.000003333…
    writeFiles(cwd, {
      'mean.yml': 'date: "2025-11-01"\nbudget: { per_month: 1 }\nprompts:\n  - { name: m, file: mean.jsonl, model: gpt-4o, requests_per_month: 3 }\n',
      'mean.jsonl': ['word', 'word', 'word word'].map((t) => JSON.stringify({ input: t })).join('\n'),
    });
    const j = json(await check('-c', 'mean.yml', '--json'));
    expect(j.prompts).toMatchObject([{ samples: 3, input_tokens: 4 / 3, cost_per_request: '0.000003333333333333333333', monthly_cost: '0.000009999999999999999999' }]);
  });

  it('fails with exit 2 and one line for bad budgets and missing budgets', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--budget', '-5'], /--budget must not be negative \(got -5\)/],
      [['--budget', 'five'], /--budget must be a decimal amount of USD/],
      [['--budget', '5', '--currency', 'EUR'], /only USD is supported/],
      [['--budget', '5', '--per', 'week'], /argument 'week' is invalid\. Allowed choices are month, request/],
      [[], /nothing to check: give --budget, or set budget in tollgate\.yml/],
    ];
    for (const [args, message] of cases) {
      const r = await check(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('the project file', () => {
  const GOOD = `defaults: { model: gpt-4o, output_tokens: 10 }
prompts:
  - name: a
    file: a.md
    requests_per_month: 5
`;
  const cases: Array<[string, string, RegExp]> = [
    ['bad YAML', 'prompts:\n  - name: a\n    file: [a.md\n', /^tollgate: tollgate\.yml:4:1: invalid YAML: /],
    ['unknown field', GOOD.replace('requests_per_month', 'request_per_month'), /^tollgate: tollgate\.yml:5: prompts\[0\]\.request_per_month: unknown field \(did you mean 'requests_per_month'\?\)$/],
    ['negative count', GOOD.replace('output_tokens: 10', 'output_tokens: -1'), /^tollgate: tollgate\.yml:1: defaults\.output_tokens: must be >= 0$/],
    ['wrong type', GOOD.replace('requests_per_month: 5', 'requests_per_month: lots'), /^tollgate: tollgate\.yml:5: prompts\[0\]\.requests_per_month: must be integer$/],
    ['missing name', `${GOOD}  - file: a.md\n`, /^tollgate: tollgate\.yml:6: prompts\[1\]: missing required field 'name'$/],
    ['duplicate name', `${GOOD}  - name: a\n    file: a.md\n`, /^tollgate: tollgate\.yml:6: prompts\[1\]\.name: duplicate prompt name 'a' \(also prompts\[0\]\)$/],
    ['unknown model', GOOD.replace('model: gpt-4o', 'model: gpt-4oo'), /^tollgate: tollgate\.yml:1: defaults\.model: Unknown model 'gpt-4oo'\. Did you mean .*'gpt-4o'/],
    ['no matching file', GOOD.replace('a.md', 'prompts/nope/*.md'), /^tollgate: tollgate\.yml:4: prompts\[0\]\.file: 'prompts\/nope\/\*\.md' matches no files in the working tree$/],
    ['negative budget', `${GOOD}budget: { per_month: -5 }\n`, /^tollgate: tollgate\.yml:6: budget\.per_month: must be a non-negative amount of USD/],
    ['image file and size', GOOD.replace('    requests_per_month: 5', '    images: [{ file: a.png, width: 5, height: 5 }]'), /^tollgate: tollgate\.yml:5: prompts\[0\]\.images\[0\]: give either file, or width and height$/],
    ['missing image', GOOD.replace('    requests_per_month: 5', '    images: [{ file: nope.png }]'), /^tollgate: tollgate\.yml:5: prompts\[0\]\.images\[0\]\.file: nope\.png does not exist$/],
    ['bad date', `date: 2025-13-01\n${GOOD}`, /^tollgate: tollgate\.yml:1: date: must be a date YYYY-MM-DD$/],
    ['no model', GOOD.replace('model: gpt-4o, ', ''), /^tollgate: tollgate\.yml:3: prompts\[0\]: no model: set model on the prompt or in defaults$/],
    ['no file or tokens', 'prompts:\n  - { name: a, model: gpt-4o }\n', /^tollgate: tollgate\.yml:2: prompts\[0\]: give file \(the prompt's text\) or input_tokens$/],
    ['empty file', '', /^tollgate: tollgate\.yml: the file is empty/],
    ['not a mapping', '- a\n- b\n', /^tollgate: tollgate\.yml:1: \(top level\): must be object$/],
    ['cache ratio and tokens', GOOD.replace('    requests_per_month: 5', '    cache: { hit_ratio: 0.5, read_tokens: 5 }'), /^tollgate: tollgate\.yml:5: prompts\[0\]\.cache: give either hit_ratio, or read_tokens \/ write_tokens$/],
  ];
  for (const [what, text, message] of cases) {
    it(`rejects ${what} naming file, line and field`, async () => {
      const d = tempDir();
      writeFiles(d, { 'tollgate.yml': text, 'a.md': words(5), 'a.png': png(5, 5) });
      const r = await run(['check', '--budget', '1'], { cwd: d });
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('reads JSON project files with line numbers, and accepts the valid file', async () => {
    const d = tempDir();
    writeFiles(d, { 'tollgate.json': '{\n  "prompts": [\n    { "name": "a", "file": "a.md", "model": "gpt-4o",\n      "output_tokens": "many" }\n  ]\n}\n', 'a.md': words(5) });
    const bad = await run(['check', '--budget', '1'], { cwd: d });
    expect(bad.stderr.trimEnd()).toMatch(/^tollgate: tollgate\.json:4: prompts\[0\]\.output_tokens: must be integer$/);
    writeFiles(d, { 'tollgate.json': JSON.stringify({ prompts: [{ name: 'a', file: 'a.md', model: 'gpt-4o', output_tokens: 10, requests_per_month: 5 }] }) });
    const ok = await run(['check', '--budget', '1', '--date', '2025-11-01', '--json'], { cwd: d });
    // 5 × 2.50/M + 10 × 10/M = 0.0001125/request × 5
    expect(json(ok).total).toMatchObject({ monthly_cost: '0.0005625' });
  });

  it('says what to do when there is no project file', async () => {
    const d = tempDir();
    const r = await run(['check', '--budget', '1'], { cwd: d });
    expect(r.stderr).toMatch(/^tollgate: no project file here: create tollgate\.yml/);
    const named = await run(['check', '--budget', '1', '-c', 'other.yml'], { cwd: d });
    expect(named.stderr.trimEnd()).toMatch(/^tollgate: other\.yml: no such file$/);
  });

  it('publishes its schema, which accepts the fixture files', async () => {
    const r = await run(['schema', 'config']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: 'Tollgate project file', required: ['prompts'] });
    const { parse } = await import('yaml');
    const { BASE_CONFIG, HEAD_CONFIG } = await import('./fixtures.js');
    for (const text of [BASE_CONFIG, HEAD_CONFIG]) expect(schemaErrors('config', parse(text))).toBe('');
  });
});

describe('tollgate export', () => {
  it('writes FOCUS 1.2 rows whose amounts are exact and add up to the monthly total', async () => {
    const r = await run(['export', '--json', '--month', '2026-02', '--tag', 'env=prod'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(schemaErrors('export', j)).toBe('');
    expect(j.charge_period).toEqual({ start: '2026-02-01T00:00:00Z', end: '2026-03-01T00:00:00Z' });
    const rows = j.rows as Array<Record<string, string | null>>;
    // support-answer on gpt-4o: mean 1500 input tokens × 120,000 = 180M tokens × 2.50/M = 450; 600 × 120,000 = 72M × 10/M = 720
    expect(rows.filter((x) => x.x_PromptName === 'support-answer').map((x) => [x.SkuMeter, x.ConsumedQuantity, x.PricingQuantity, x.PricingUnit, x.ListUnitPrice, x.BilledCost])).toEqual([
      ['Input Tokens', '180000000', '180', '1000000 Tokens', '2.5', '450'],
      ['Output Tokens', '72000000', '72', '1000000 Tokens', '10', '720'],
    ]);
    let total = 0n;
    for (const x of rows) {
      expect(mul(x.ListUnitPrice!, x.PricingQuantity!)).toBe(x.BilledCost);
      expect([x.ListCost, x.EffectiveCost, x.ContractedCost]).toEqual([x.BilledCost, x.BilledCost, x.BilledCost]);
      expect(x).toMatchObject({ BillingAccountId: 'helpdesk', ChargeCategory: 'Usage', ChargePeriodStart: '2026-02-01T00:00:00Z', ServiceCategory: 'AI and Machine Learning' });
      const [i, f = ''] = x.BilledCost!.split('.');
      total += BigInt(i! + f.padEnd(6, '0'));
    }
    expect(total).toBe(1_207_500_000n); // 1207.5 in millionths
    const onboarding = rows.find((x) => x.x_PromptName === 'onboarding')!;
    expect(onboarding).toMatchObject({ ProviderName: 'Anthropic', x_TokenCountExact: 'false', ConsumedQuantity: '6000000', BilledCost: '6' });
    expect(JSON.parse(rows[0]!.Tags!)).toEqual({ app: 'helpdesk', team: 'support', env: 'prod' });
  });

  it('writes the same rows as FOCUS CSV, and a per-prompt CSV', async () => {
    const [csvOut, jsonOut] = await Promise.all([run(['export', '--month', '2026-02'], { cwd }), run(['export', '--json', '--month', '2026-02'], { cwd })]);
    const rows = (json(jsonOut).rows as Array<Record<string, string | null>>);
    const lines = parseCsv(csvOut.stdout);
    const header = lines[0]!;
    expect(header.slice(0, 3)).toEqual(['BilledCost', 'BillingAccountId', 'BillingAccountName']);
    expect(lines).toHaveLength(rows.length + 1);
    lines.slice(1).forEach((l, i) => header.forEach((h, k) => expect(l[k]).toBe(rows[i]![h] ?? '')));
    const summary = parseCsv((await run(['export', '--format', 'csv'], { cwd })).stdout);
    expect(summary[0]).toEqual(['prompt', 'model', 'provider', 'requests_per_month', 'input_tokens', 'output_tokens', 'cost_per_request', 'monthly_cost', 'currency', 'exact', 'tags']);
    expect(summary[1]!.slice(0, 8)).toEqual(['support-answer', 'gpt-4o', 'openai', '120000', '1500', '600', '0.00975', '1170']);
  });

  it('warns about prompts without requests_per_month and leaves them out', async () => {
    const d = tempDir();
    writeFiles(d, { 'tollgate.yml': 'date: "2025-11-01"\nprompts:\n  - { name: a, input_tokens: 100, model: gpt-4o }\n  - { name: b, input_tokens: 100, model: gpt-4o, requests_per_month: 10 }\n' });
    const r = await run(['export', '--json'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: tollgate\.yml:3: prompts\[0\]\.requests_per_month: no requests_per_month, so prompt 'a' has no monthly cost to export/);
    expect((json(r).rows as Array<{ x_PromptName: string; BilledCost: string }>).map((x) => [x.x_PromptName, x.BilledCost])).toEqual([['b', '0.0025']]);
  });
});

/** RFC 4180 CSV → rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}
void join;
