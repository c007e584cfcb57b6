/**
 * `tollgate stats` against a fake Tollgate usage API on 127.0.0.1 that speaks the contract
 * exactly: GET {url}/v1/usage?start&end&group_by with a Bearer key → a usage object, or an
 * OpenAI-shaped error. Costs are exact decimal strings and the daily limit compares them exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, json, run, schemaErrors, startServer, type Received } from './helpers.js';

let url: string;
let received: Received[];

const row = (group: string | undefined, requests: number, input: number, output: number, cost: string) => ({
  ...(group === undefined ? {} : { group }),
  requests,
  input_tokens: input,
  cached_tokens: 0,
  output_tokens: output,
  reasoning_tokens: 0,
  cost,
});

beforeAll(async () => {
  const server = await startServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const auth = req.headers.authorization;
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!u.pathname.endsWith('/v1/usage')) return send(404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: 'not_found' } });
    if (auth === 'Bearer slow') return; // never answers
    if (auth === 'Bearer html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>');
    if (auth === 'Bearer weird') return send(200, { object: 'list', data: [] });
    if (auth === 'Bearer busy') return send(429, { error: { message: 'Rate limit reached', type: 'rate_limit_error', param: null, code: 'rate_limited' } });
    if (auth !== 'Bearer tg-good-key') return send(401, { error: { message: 'Invalid API key', type: 'authentication_error', param: null, code: 'invalid_api_key' } });
    const group = u.searchParams.get('group_by')!;
    if (!/^(day|model|key|user|provider|route|tag:.+)$/.test(group)) return send(400, { error: { message: `bad group_by ${group}`, type: 'invalid_request_error', param: 'group_by', code: null } });
    const data =
      group === 'model'
        ? [row('gpt-4o', 8, 3000, 600, '0.0135'), row('claude-haiku-4-5', 4, 400, 300, '0.0019')]
        : [row(group === 'day' ? u.searchParams.get('start')!.slice(0, 10) : 'support', 12, 3400, 900, '0.0154')];
    send(200, { object: 'usage', tenant: 'acme', start: u.searchParams.get('start'), end: u.searchParams.get('end'), group_by: group, data, total: row(undefined, 12, 3400, 900, '0.0154') });
  });
  url = server.url;
  received = server.received;
});

const stats = (...args: string[]) => run(['stats', '--url', url, ...args]);

describe('tollgate stats', () => {
  it('asks for one UTC day with the key and prints the groups and total', async () => {
    const r = await stats('--key', 'tg-good-key', '--date', '2026-12-01', '--by', 'model');
    expect(r.code, r.stderr).toBe(0);
    const req = received.at(-1)!;
    expect(req.method).toBe('GET');
    expect(req.headers.authorization).toBe('Bearer tg-good-key');
    const q = new URL(req.url, 'http://x');
    expect(q.pathname).toBe('/v1/usage');
    expect(Object.fromEntries(q.searchParams)).toEqual({ start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z', group_by: 'model' });
    expect(r.stdout).toMatch(/^Usage of acme on 2026-12-01 \(UTC\) by model/);
    expect(r.stdout).toMatch(/^gpt-4o\s+8\s+3,000\s+0\s+600\s+0\s+\$0\.0135$/m);
    expect(r.stdout).toMatch(/^Total\s+12\s+3,400\s+0\s+900\s+0\s+\$0\.0154$/m);
    expect(r.stdout + r.stderr).not.toContain('tg-good-key');
  });

  it('defaults to today, takes the URL and key from the environment, and groups by tag', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = await run(['stats', '--by', 'tag:team', '--json'], { env: { TOLLGATE_URL: `${url}/`, TOLLGATE_KEY: 'tg-good-key' } });
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(schemaErrors('stats', j)).toBe('');
    expect(j).toMatchObject({ tenant: 'acme', date: today, group_by: 'tag:team', daily_limit: null, total: { cost: '0.0154' } });
    expect(new URL(received.at(-1)!.url, 'http://x').searchParams.get('start')).toBe(`${today}T00:00:00.000Z`);
  });

  it('exits 1 when the day costs more than --daily-limit, compared exactly', async () => {
    const at = await stats('--key', 'tg-good-key', '--daily-limit', '0.0154', '--json');
    expect(at.code).toBe(0);
    expect(json(at).daily_limit).toEqual({ limit: '0.0154', cost: '0.0154', exceeded: false });
    const over = await stats('--key', 'tg-good-key', '--daily-limit', '0.015399999999999999999999');
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/Daily limit exceeded: \$0\.0154 > \$0\.0154 \(by \$0\.000000000000000000000001\)/);
  });

  it('reports API errors, timeouts and unreachable servers in one line (exit 2), never the key', async () => {
    const closed = await freePort();
    const cases: Array<[string[], RegExp]> = [
      [['--key', 'tg-wrong'], /answered HTTP 401: Invalid API key \[invalid_api_key\] \(check --key \/ TOLLGATE_KEY\)/],
      [['--key', 'busy'], /answered HTTP 429: Rate limit reached \[rate_limited\] \(rate limited: try again later\)/],
      [['--key', 'html'], /answered HTTP 200 with something that is not JSON; is --url a Tollgate proxy\?/],
      [['--key', 'weird'], /answered with an unexpected body \(not a usage object\)/],
      [['--key', 'slow', '--timeout', '1'], /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/usage \(no answer within 1 s\)/],
      [['--key', 'k', '--by', 'week'], /--by must be one of day, model, key, user, provider, route or tag:<name> \(got week\)/],
      [['--key', 'k', '--by', 'tag'], /--by tag needs the tag's name: --by tag:team/],
      [['--key', 'k', '--date', '2026-02-30'], /expected a date YYYY-MM-DD/],
      [['--key', 'k', '--daily-limit', '-1'], /--daily-limit must not be negative/],
      [[], /give --key \(or TOLLGATE_KEY\)/],
    ];
    for (const [args, message] of cases) {
      const r = await stats(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/tg-wrong|Bearer/);
    }
    const refused = await run(['stats', '--url', `http://127.0.0.1:${closed}`, '--key', 'k']);
    expect(refused.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/usage \(ECONNREFUSED\)/);
    const noUrl = await run(['stats', '--key', 'k'], { env: { TOLLGATE_URL: '' } });
    expect(noUrl.stderr).toMatch(/give --url \(or TOLLGATE_URL\)/);
    const prefixed = await run(['stats', '--url', `${url}/gateway`, '--key', 'tg-good-key']);
    expect(prefixed.code).toBe(0);
    expect(new URL(received.at(-1)!.url, 'http://x').pathname).toBe('/gateway/v1/usage');
  });
});
