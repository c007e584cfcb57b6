/**
 * `tollgate stats`: usage and cost from a running Tollgate proxy's usage API
 * (GET {url}/v1/usage?start&end&group_by, Bearer key), for one UTC day. Costs arrive as exact
 * decimal strings and are compared exactly; `--daily-limit` exits 1 when the day costs more.
 */
import { CliError, EXIT } from '../errors.js';
import { fetchWithTimeout } from '../http.js';
import { displayUsd, fromDecimal, parseUsd, usd } from '../money.js';
import { num } from '../output/format.js';
import { printJson } from '../output/json.js';
import { styleFor } from '../output/style.js';
import { renderText, type Table } from '../output/table.js';

interface Options {
  url?: string;
  key?: string;
  date?: string;
  by: string;
  dailyLimit?: string;
  timeout: number;
  json?: boolean;
}

interface UsageRow {
  group?: string;
  requests: number;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost: string;
}

interface UsageResponse {
  object: 'usage';
  tenant?: string;
  start: string;
  end: string;
  group_by: string;
  data: UsageRow[];
  total: UsageRow;
}

const GROUPS = ['day', 'model', 'key', 'user', 'provider', 'route'];

function groupBy(by: string): string {
  if (GROUPS.includes(by)) return by;
  const tag = /^tag[:=](.+)$/.exec(by);
  if (tag) return `tag:${tag[1]}`;
  if (by === 'tag') throw new CliError("--by tag needs the tag's name: --by tag:team", 'invalid_input');
  throw new CliError(`--by must be one of ${GROUPS.join(', ')} or tag:<name> (got ${by})`, 'invalid_input');
}

function isRow(v: unknown): v is UsageRow {
  const r = v as UsageRow;
  return typeof r === 'object' && r !== null && typeof r.cost === 'string' && ['requests', 'input_tokens', 'cached_tokens', 'output_tokens', 'reasoning_tokens'].every((k) => typeof (r as unknown as Record<string, unknown>)[k] === 'number');
}

async function fetchUsage(endpoint: URL, key: string, timeoutS: number): Promise<UsageResponse> {
  const where = `${endpoint.origin}${endpoint.pathname}`;
  const res = await fetchWithTimeout(endpoint, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } }, timeoutS, `cannot reach ${where}`);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(`${where} answered HTTP ${res.status} with something that is not JSON; is --url a Tollgate proxy?`, 'bad_response');
  }
  if (!res.ok) {
    const e = (body as { error?: { message?: string; code?: string | null; type?: string } }).error;
    const hint = res.status === 401 ? ' (check --key / TOLLGATE_KEY)' : res.status === 429 ? ' (rate limited: try again later)' : '';
    throw new CliError(`${where} answered HTTP ${res.status}: ${e?.message ?? 'no error message'}${e?.code ? ` [${e.code}]` : ''}${hint}`, res.status === 401 ? 'unauthorized' : 'request_failed');
  }
  const u = body as UsageResponse;
  if (u?.object !== 'usage' || !Array.isArray(u.data) || !u.data.every(isRow) || !isRow(u.total)) {
    throw new CliError(`${where} answered with an unexpected body (not a usage object)`, 'bad_response');
  }
  return u;
}

export async function run(opts: Options): Promise<number> {
  const base = opts.url ?? process.env.TOLLGATE_URL;
  const key = opts.key ?? process.env.TOLLGATE_KEY;
  if (!base) throw new CliError('give --url (or TOLLGATE_URL): the base URL of a running Tollgate proxy', 'missing_input');
  if (!key) throw new CliError('give --key (or TOLLGATE_KEY): an API key of the proxy', 'missing_input');
  const group = groupBy(opts.by);
  const limit = opts.dailyLimit === undefined ? undefined : parseUsd(opts.dailyLimit, '--daily-limit');
  let endpoint: URL;
  try {
    endpoint = new URL(`${base.replace(/\/+$/, '')}/v1/usage`);
  } catch {
    throw new CliError(`--url: not a URL: ${base}`, 'invalid_input');
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw new CliError(`--url must be http(s): ${base}`, 'invalid_input');
  const day = opts.date ?? new Date().toISOString().slice(0, 10);
  const start = new Date(`${day}T00:00:00.000Z`);
  const end = new Date(start.getTime() + 86_400_000);
  endpoint.searchParams.set('start', start.toISOString());
  endpoint.searchParams.set('end', end.toISOString());
  endpoint.searchParams.set('group_by', group);

  const u = await fetchUsage(endpoint, key, opts.timeout);
  const total = fromDecimal(u.total.cost, 'total.cost');
  const exceeded = limit !== undefined && total > limit;

  if (opts.json) {
    printJson({
      object: 'stats',
      url: `${endpoint.origin}${endpoint.pathname}`,
      tenant: u.tenant ?? null,
      date: day,
      start: u.start,
      end: u.end,
      group_by: u.group_by,
      data: u.data,
      total: u.total,
      daily_limit: limit === undefined ? null : { limit: usd(limit), cost: usd(total), exceeded },
    });
    return exceeded ? EXIT.policy : EXIT.ok;
  }
  const style = styleFor(process.stdout);
  const row = (r: UsageRow, label: string): string[] => [label, num(r.requests), num(r.input_tokens), num(r.cached_tokens), num(r.output_tokens), num(r.reasoning_tokens), displayUsd(fromDecimal(r.cost, 'cost'))];
  const t: Table = {
    columns: [
      { header: group === 'day' ? 'Day' : group.replace(/^tag:/, 'Tag ') },
      { header: 'Requests', align: 'right' },
      { header: 'Input', align: 'right' },
      { header: 'Cached', align: 'right' },
      { header: 'Output', align: 'right' },
      { header: 'Reasoning', align: 'right' },
      { header: 'Cost', align: 'right' },
    ],
    rows: u.data.map((r) => row(r, r.group ?? '')),
    footer: [row(u.total, 'Total')],
  };
  const lines = [`${style('bold', `Usage${u.tenant ? ` of ${u.tenant}` : ''} on ${day}`)} ${style('dim', `(UTC) by ${group} · ${endpoint.host}`)}`, renderText(t, style)];
  if (limit !== undefined) {
    lines.push('', exceeded ? style('red', `✖ Daily limit exceeded: ${displayUsd(total)} > ${displayUsd(limit)} (by ${displayUsd(total - limit)})`) : style('green', `✔ Within the daily limit: ${displayUsd(total)} of ${displayUsd(limit)}`));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return exceeded ? EXIT.policy : EXIT.ok;
}
