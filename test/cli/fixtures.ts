/**
 * The fixture project the project-level tests share (check, diff, export), with every cost
 * computed by hand below from the prices in force on 2025-11-01 (USD per million tokens):
 * gpt-4o-mini 0.15 in / 0.60 out, gpt-4o 2.50 / 10, gpt-3.5-turbo 0.50 / 1.50,
 * claude-haiku-4-5 1 / 5 (Claude counts are estimates: ceil(o200k × 1.2)).
 *
 * main:
 *   support-answer  gpt-4o-mini  samples of 1000 and 2000 tokens (mean 1500), 600 out, 120,000/month
 *                   input (0.00015 + 0.0003) / 2 = 0.000225 + output 0.00036 = 0.000585/request → 70.2/month
 *   classify        gpt-4o-mini  100 in, 5 out, 500,000/month: 0.000015 + 0.000003 = 0.000018 → 9/month
 *   legacy-summary  gpt-3.5-turbo 300 in, 400 out (defaults), 1,000/month: 0.00015 + 0.0006 = 0.00075 → 0.75/month
 *   total 79.95/month
 * feature (one commit on top):
 *   support-answer  → gpt-4o (model swap): 0.00375 + 0.006 = 0.00975/request → 1170/month
 *   classify        file grows to 200 tokens: 0.00003 + 0.000003 = 0.000033 → 16.5/month
 *   legacy-summary  removed (−0.75)
 *   onboarding      new, claude-haiku-4-5, 500 o200k → 600 tokens: 0.0006 + 300 out 0.0015 = 0.0021 → 21/month
 *   total 1207.5/month: +1127.55 (+1410.32%: 1127.55 / 79.95 = 14.10319…)
 */
import { Repo, words } from './helpers.js';

export const BASE_CONFIG = `# Tollgate project file
project: helpdesk
date: "2025-11-01"
tags: { app: helpdesk }
defaults: { model: gpt-4o-mini, output_tokens: 400 }
prompts:
  - name: support-answer
    file: prompts/support/*.md
    output_tokens: 600
    requests_per_month: 120000
    tags: { team: support }
  - name: classify
    file: prompts/classify.txt
    output_tokens: 5
    requests_per_month: 500000
  - name: legacy-summary
    file: prompts/legacy.md
    model: gpt-3.5-turbo
    requests_per_month: 1000
`;

export const HEAD_CONFIG = `# Tollgate project file
project: helpdesk
date: "2025-11-01"
tags: { app: helpdesk }
defaults: { model: gpt-4o-mini, output_tokens: 400 }
prompts:
  - name: support-answer
    file: prompts/support/*.md
    model: gpt-4o
    output_tokens: 600
    requests_per_month: 120000
    tags: { team: support }
  - name: classify
    file: prompts/classify.txt
    output_tokens: 5
    requests_per_month: 500000
  - name: onboarding
    file: prompts/onboarding.md
    model: claude-haiku-4-5
    output_tokens: 300
    requests_per_month: 10000
`;

/** A repository with the project on main and the change on branch `feature` (checked out). */
export function fixtureRepo(): Repo {
  const repo = new Repo();
  repo.commit(
    {
      'tollgate.yml': BASE_CONFIG,
      'prompts/support/short.md': words(1000),
      'prompts/support/long.md': words(2000),
      'prompts/classify.txt': words(100),
      'prompts/legacy.md': words(300),
      'README.md': '# app\n',
    },
    'prompts',
  );
  repo.checkout('feature', true);
  repo.commit({ 'tollgate.yml': HEAD_CONFIG, 'prompts/classify.txt': words(200), 'prompts/legacy.md': null, 'prompts/onboarding.md': words(500) }, 'swap models');
  return repo;
}
