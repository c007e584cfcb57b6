// @ts-check
/**
 * The Action's comment step: posts the cost diff as ONE pull-request comment, found again on
 * later runs by its marker and updated in place, so pushes never pile up comments.
 * Plain Node (>= 18, global fetch), no dependencies: it runs from the action's checkout.
 *
 * Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), PR_NUMBER, BODY_FILE, MARKER,
 * GITHUB_API_URL (set by the runner; https://api.github.com by default), GITHUB_OUTPUT.
 * A comment that cannot be written (e.g. a read-only token on a fork's PR) is a warning, not a
 * failure: the policy step still decides the job.
 */
import { appendFileSync, readFileSync } from 'node:fs';

/** GitHub's limit on a comment body. */
const MAX_BODY = 65_536;

/** @param {string} name */
function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
const repo = env('GITHUB_REPOSITORY');
const number = env('PR_NUMBER');
const marker = env('MARKER');

/**
 * One GitHub REST call.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function github(method, path, body) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${env('GITHUB_TOKEN')}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'tollgate-action',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = JSON.parse(text).message ?? text;
    } catch {}
    throw Object.assign(new Error(`${method} ${path}: HTTP ${res.status}: ${message}`), { status: res.status });
  }
  return text ? JSON.parse(text) : undefined;
}

/** The comment carrying the marker, looked for on every page of the PR's comments. */
async function findComment() {
  for (let page = 1; ; page++) {
    /** @type {Array<{id: number, body?: string, html_url: string}>} */
    const comments = await github('GET', `/repos/${repo}/issues/${number}/comments?per_page=100&page=${page}`);
    const found = comments.find((c) => c.body?.includes(marker));
    if (found) return found;
    if (comments.length < 100) return undefined;
  }
}

function body() {
  let text = `${marker}\n${readFileSync(env('BODY_FILE'), 'utf8')}`;
  if (text.length > MAX_BODY) {
    const note = '\n\n_… cut to fit GitHub\'s comment size; the job summary has the whole diff._\n';
    text = text.slice(0, MAX_BODY - note.length) + note;
  }
  return text;
}

try {
  const existing = await findComment();
  const comment = existing
    ? await github('PATCH', `/repos/${repo}/issues/comments/${existing.id}`, { body: body() })
    : await github('POST', `/repos/${repo}/issues/${number}/comments`, { body: body() });
  console.log(`${existing ? 'Updated' : 'Posted'} the cost diff: ${comment.html_url}`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `comment-url=${comment.html_url}\ncomment-id=${comment.id}\n`);
} catch (e) {
  const err = /** @type {Error & {status?: number}} */ (e);
  const hint = err.status === 403 || err.status === 404 ? ' (give the workflow "permissions: pull-requests: write"; PRs from forks get a read-only token)' : '';
  console.log(`::warning::Tollgate could not comment on the pull request: ${err.message}${hint}`);
}
