/**
 * `tollgate diff` on a real git repository with commits on two branches (fixtures.ts: a model
 * swap, a grown prompt, a removed and an added prompt; every figure computed by hand there).
 * Both refs are read through git: the working tree does not matter.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureRepo } from './fixtures.js';
import { json, run, schemaErrors, type Repo } from './helpers.js';

let repo: Repo;
const diff = (...args: string[]) => run(['diff', ...args], { cwd: repo.dir });

beforeAll(() => {
  repo = fixtureRepo();
});

describe('tollgate diff', () => {
  it('compares the refs prompt by prompt, exactly (JSON)', async () => {
    const r = await diff('--base', 'main', '--head', 'feature', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(schemaErrors('diff', j)).toBe('');
    expect(j.total).toEqual({ monthly_before: '79.95', monthly_after: '1207.5', monthly_change: '1127.55', percent_change: '1410.32' });
    expect(j.headline).toBe('Cost increases by +$1,127.55/month (+1410.3%)');
    const byName = Object.fromEntries((j.prompts as Array<Record<string, any>>).map((p) => [p.name, p]));
    expect(byName['support-answer']).toMatchObject({
      status: 'changed',
      model_changed: true,
      before: { model: 'gpt-4o-mini', samples: 2, input_tokens: 1500, cost_per_request: '0.000585', monthly_cost: '70.2', files: ['prompts/support/long.md', 'prompts/support/short.md'] },
      after: { model: 'gpt-4o', cost_per_request: '0.00975', monthly_cost: '1170' },
      monthly_change: '1099.8',
      percent_change: '1566.67',
    });
    expect(byName.classify).toMatchObject({ status: 'changed', model_changed: false, before: { input_tokens: 100, monthly_cost: '9' }, after: { input_tokens: 200, monthly_cost: '16.5' }, monthly_change: '7.5', percent_change: '83.33' });
    expect(byName.onboarding).toMatchObject({ status: 'added', before: null, after: { model: 'claude-haiku-4-5', input_tokens: 600, exact: false, monthly_cost: '21' }, monthly_change: '21', percent_change: null });
    expect(byName['legacy-summary']).toMatchObject({ status: 'removed', after: null, before: { model: 'gpt-3.5-turbo', cost_per_request: '0.00075', monthly_cost: '0.75' }, monthly_change: '-0.75' });
    expect(j.base).toMatchObject({ ref: 'main', commit: repo.git('rev-parse', 'main').trim(), config: 'tollgate.yml' });
  });

  it('prints a Markdown table for a PR comment: headline, changes, model swaps', async () => {
    const r = await diff('--base', 'main', '--head', 'feature');
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md).toContain('### LLM cost: `main` → `feature`');
    expect(md).toContain('**⚠️ Cost increases by +$1,127.55/month (+1410.3%)** — $79.95 → $1,207.50 per month');
    expect(md).toContain('| Prompt | Model | Tokens in / out | Cost / request | Monthly | Change |');
    expect(md).toContain('| **support-answer** | ~~gpt-4o-mini~~ → **gpt-4o** | 1,500 / 600 | $0.000585 → $0.00975 | $70.20 → $1,170.00 | +$1,099.80 (+1566.7%) |');
    expect(md).toContain('| **classify** | gpt-4o-mini | 100 / 5 → 200 / 5 | $0.000018 → $0.000033 | $9.00 → $16.50 | +$7.50 (+83.3%) |');
    expect(md).toContain('| 🆕 **onboarding** | claude-haiku-4-5 | ~600 / 300 | $0.0021 | $21.00 | +$21.00 (new) |');
    expect(md).toContain('| 🗑️ ~~legacy-summary~~ | gpt-3.5-turbo | 300 / 400 | $0.00075 | $0.75 | −$0.75 (removed) |');
    expect(md).toContain('| **Total** |  |  |  | **$79.95 → $1,207.50** | **+$1,127.55 (+1410.3%)** |');
    expect(md).toContain('**Model changes:** `support-answer` gpt-4o-mini → gpt-4o');
  });

  it('reads the refs through git, whatever the working tree holds', async () => {
    repo.checkout('main');
    rmSync(join(repo.dir, 'prompts'), { recursive: true, force: true });
    const r = await diff('--base', 'main', '--head', 'feature', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).total).toMatchObject({ monthly_change: '1127.55' });
    repo.git('checkout', '-q', '--', '.');
    repo.checkout('feature');
  });

  it('shows a decrease the other way round, and unchanged prompts folded away', async () => {
    const r = await diff('--base', 'feature', '--head', 'main');
    expect(r.stdout).toContain('**✅ Cost decreases by −$1,127.55/month (−93.4%)**');
    const same = await diff('--base', 'feature', '--head', 'feature', '--format', 'text');
    expect(same.stdout).toMatch(/^No change in monthly cost \(\$1,207\.50\/month\)/);
    const sameMd = await diff('--base', 'feature', '--head', 'feature');
    expect(sameMd.stdout).toContain('No prompt changed (3 prompts).');
  });

  it('treats a project file that is new in the head as all prompts added', async () => {
    repo.git('checkout', '-q', '--orphan', 'bare');
    repo.git('rm', '-rqf', '.');
    repo.commit({ 'README.md': '# nothing yet\n' }, 'no project file');
    repo.checkout('feature');
    const j = json(await diff('--base', 'bare', '--head', 'feature', '--json'));
    expect(j.base).toMatchObject({ config: null });
    expect(j.total).toMatchObject({ monthly_before: '0', monthly_after: '1207.5', percent_change: null });
    expect((j.prompts as Array<{ status: string }>).every((p) => p.status === 'added')).toBe(true);
  });

  it('fails the policy (exit 1) when the increase exceeds --fail-on-increase-percent', async () => {
    const over = await diff('--base', 'main', '--head', 'feature', '--fail-on-increase-percent', '1410.3', '--json');
    expect(over.code).toBe(1);
    expect(json(over).policy).toEqual({ fail_on_increase_percent: 1410.3, failed: true });
    const within = await diff('--base', 'main', '--head', 'feature', '--fail-on-increase-percent', '1410.33');
    expect(within.code).toBe(0);
    const text = await diff('--base', 'main', '--head', 'feature', '--fail-on-increase-percent', '10', '--format', 'text');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('The monthly cost grows by more than the allowed 10%.');
  });

  it('fails with exit 2 and one line for refs that do not exist and other mistakes', async () => {
    const cases: Array<[string[], RegExp, { cwd?: string }?]> = [
      [['--base', 'nope', '--head', 'feature'], /git ref 'nope' does not exist in this repository/],
      [['--base', 'main', '--head', 'feature~99'], /git ref 'feature~99' does not exist/],
      [['--base', 'main', '--head', 'feature', '-c', 'missing.yml'], /no project file at main or feature: looked for missing\.yml/],
      [['--base', 'main', '--format', 'html'], /argument 'html' is invalid\. Allowed choices are markdown, text, json/],
      [['--base', 'main', '--fail-on-increase-percent', 'x'], /expected a number, 0 or more/],
      [['--base', 'main'], /diff needs a git repository/, { cwd: '/' }],
    ];
    for (const [args, message, o] of cases) {
      const r = await run(['diff', ...args], { cwd: o?.cwd ?? repo.dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('names the ref and line of a broken project file at a ref', async () => {
    repo.checkout('broken', true);
    repo.commit({ 'tollgate.yml': 'prompts:\n  - name: x\n    output_token: 3\n' }, 'broken');
    repo.checkout('feature');
    const r = await diff('--base', 'main', '--head', 'broken');
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe("tollgate: broken:tollgate.yml:3: prompts[0].output_token: unknown field (did you mean 'output_tokens', 'input_tokens'?)");
  });
});
