/**
 * The GitHub Action (action.yml) run step by step on a real repository with a PR's base and
 * head, against a fake GitHub REST API on 127.0.0.1: the first run creates the PR comment, the
 * next runs find it by its marker (also past the first page of comments) and update it, never
 * adding a second one; budgets and increase limits fail the job after the comment is posted.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction } from './action-runner.js';
import { fixtureRepo } from './fixtures.js';
import { CLI, startServer, words, writeFiles, type Received, type Repo } from './helpers.js';

interface Comment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string };
}

let repo: Repo;
let api: string;
let calls: Received[];
let comments: Comment[];
let mode: 'ok' | 'forbidden' = 'ok';

beforeAll(async () => {
  repo = fixtureRepo();
  // 120 comments by people before the action's first run: the marker search must page.
  comments = Array.from({ length: 120 }, (_, i) => ({ id: 1000 + i, body: `comment ${i}`, html_url: `https://github.test/acme/helpdesk/pull/7#issuecomment-${1000 + i}`, user: { login: 'dev' } }));
  const server = await startServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== 'Bearer ghs_test') return send(401, { message: 'Bad credentials' });
    if (mode === 'forbidden' && req.method !== 'GET') return send(403, { message: 'Resource not accessible by integration' });
    const u = new URL(req.url, 'http://x');
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && (m = /^\/repos\/acme\/helpdesk\/issues\/7\/comments$/.exec(u.pathname))) {
      const per = Number(u.searchParams.get('per_page') ?? 30);
      const page = Number(u.searchParams.get('page') ?? 1);
      return send(200, comments.slice((page - 1) * per, page * per));
    }
    if (req.method === 'POST' && /^\/repos\/acme\/helpdesk\/issues\/7\/comments$/.test(u.pathname)) {
      const id = 5000 + comments.length;
      const c = { id, body: (JSON.parse(req.body) as { body: string }).body, html_url: `https://github.test/acme/helpdesk/pull/7#issuecomment-${id}`, user: { login: 'github-actions[bot]' } };
      comments.push(c);
      return send(201, c);
    }
    if (req.method === 'PATCH' && (m = /^\/repos\/acme\/helpdesk\/issues\/comments\/(\d+)$/.exec(u.pathname))) {
      const c = comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = (JSON.parse(req.body) as { body: string }).body;
      return send(200, c);
    }
    send(404, { message: 'Not Found' });
  });
  api = server.url;
  calls = server.received;
});

function pr(): Record<string, unknown> {
  return {
    event_name: 'pull_request',
    base_ref: 'main',
    head_ref: 'feature',
    repository: 'acme/helpdesk',
    event: { pull_request: { number: 7, base: { sha: repo.git('rev-parse', 'main').trim() }, head: { sha: repo.git('rev-parse', 'feature').trim() } } },
  };
}

const env = () => ({ GITHUB_API_URL: api, GITHUB_REPOSITORY: 'acme/helpdesk', GITHUB_TOKEN: '' });
const cli = `${process.execPath} ${CLI}`;
const ours = () => comments.filter((c) => c.body.includes('<!-- tollgate-cost-diff'));

describe('the GitHub Action', () => {
  it('posts one comment with the diff, then updates it on the next push', async () => {
    // The first run finds the CLI the way a repository with tollgate installed provides it.
    mkdirSync(join(repo.dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(CLI, join(repo.dir, 'node_modules/.bin/tollgate'));
    writeFiles(repo.dir, { '.git/info/exclude': 'node_modules/\n' });
    const first = await runAction(repo.dir, { 'github-token': 'ghs_test' }, pr(), env());
    expect(first.code, first.log).toBe(0);
    expect(first.outputs).toMatchObject({ 'monthly-before': '79.95', 'monthly-after': '1207.5', 'monthly-change': '1127.55', 'percent-change': '1410.32' });
    expect(ours()).toHaveLength(1);
    const posted = ours()[0]!;
    expect(posted.body.startsWith('<!-- tollgate-cost-diff: ./tollgate.yml -->\n### LLM cost: `main` → `feature`')).toBe(true);
    expect(posted.body).toContain('**⚠️ Cost increases by +$1,127.55/month (+1410.3%)**');
    expect(first.outputs['comment-url']).toBe(posted.html_url);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'GET').map((c) => new URL(c.url, 'http://x').searchParams.get('page'))).toEqual(['1', '2']);
    expect(first.summary).toContain('### LLM cost: `main` → `feature`');

    // A new push: classify grows again; the same comment is updated in place.
    repo.checkout('feature');
    repo.commit({ 'prompts/classify.txt': words(300) }, 'longer classifier');
    calls.length = 0;
    const second = await runAction(repo.dir, { 'github-token': 'ghs_test', 'tollgate-command': cli }, pr(), env());
    expect(second.code, second.log).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.id).toBe(posted.id);
    expect(ours()[0]!.body).toContain('100 / 5 → 300 / 5');
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'PATCH']);
    expect(comments).toHaveLength(121);
    for (const c of calls) expect(c.headers.authorization).toBe('Bearer ghs_test');
  });

  it('fails the job over budget or on too large an increase, after commenting', async () => {
    calls.length = 0;
    const r = await runAction(repo.dir, { 'github-token': 'ghs_test', 'tollgate-command': cli, budget: '1000', 'fail-on-increase-percent': '50' }, pr(), env());
    expect(r.code).toBe(1);
    expect(r.steps.at(-1)).toBe('Policy');
    expect(r.log).toMatch(/::error::Tollgate: the monthly cost grows by more than 50%/);
    expect(r.log).toMatch(/::error::Tollgate: over budget \(\$1000\)/);
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'PATCH']);
    const body = ours()[0]!.body;
    expect(body).toContain('#### Budget: $1000 per month');
    expect(body).toMatch(/❌ Over budget: the total \$1,\d{3}\.\d{2}\/month exceeds \$1,000\.00/);
    const within = await runAction(repo.dir, { 'github-token': 'ghs_test', 'tollgate-command': cli, budget: '5000', 'fail-on-increase-percent': '5000' }, pr(), env());
    expect(within.code, within.log).toBe(0);
  });

  it('warns instead of failing when the token cannot comment, and stops on a broken project file', async () => {
    mode = 'forbidden';
    const r = await runAction(repo.dir, { 'github-token': 'ghs_test', 'tollgate-command': cli }, pr(), env());
    mode = 'ok';
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(/::warning::Tollgate could not comment on the pull request: PATCH .*HTTP 403: Resource not accessible by integration \(give the workflow "permissions: pull-requests: write"/);

    repo.checkout('feature');
    repo.commit({ 'tollgate.yml': 'prompts:\n  - name: x\n    file: nope.md\n    model: gpt-4o\n' }, 'broken');
    calls.length = 0;
    const broken = await runAction(repo.dir, { 'github-token': 'ghs_test', 'tollgate-command': cli }, pr(), env());
    expect(broken.code).toBe(2);
    expect(broken.steps).toEqual(['Prepare (refs, CLI)', 'Cost diff']);
    expect(broken.log).toMatch(/tollgate: feature:tollgate\.yml:3: prompts\[0\]\.file: 'nope\.md' matches no files in the feature \([0-9a-f]{7}\)/);
    expect(calls).toHaveLength(0);
    const noPr = await runAction(repo.dir, { 'tollgate-command': cli }, { event_name: 'push', event: {} }, env());
    expect(noPr.code).toBe(2);
    expect(noPr.log).toMatch(/::error::Tollgate: no pull request base\/head/);
  });
});
