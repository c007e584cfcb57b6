/**
 * `npm run seed` (with `npm start` running): creates the tenant `demo` with a $1.00/day budget
 * and 60 requests/minute through the admin API, issues a key for it and prints how to use it.
 * Reads the admin token from .dev.vars; TOLLGATE_URL overrides http://localhost:8787.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const base = process.env.TOLLGATE_URL ?? 'http://localhost:8787';

function adminToken(): string {
  let vars = '';
  try {
    vars = readFileSync(resolve(root, '.dev.vars'), 'utf8');
  } catch {
    throw new Error('.dev.vars is missing: run `npm start` first (it writes .dev.vars from .dev.vars.example)');
  }
  const line = vars.split('\n').find((l) => l.startsWith('TOLLGATE_ADMIN_TOKENS='));
  const first = line?.slice('TOLLGATE_ADMIN_TOKENS='.length).split(',')[0]?.trim();
  if (!first) throw new Error('.dev.vars has no TOLLGATE_ADMIN_TOKENS');
  return first.includes(':') ? first.slice(first.indexOf(':') + 1) : first;
}

async function admin(method: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

try {
  await admin('PUT', '/admin/tenants/demo', { name: 'Demo team', budgets: [{ amount: '1.00', period: 'day', alerts: [50, 80, 100] }], limits: { requestsPerMinute: 60 } });
  const { key, record } = await admin('POST', '/admin/tenants/demo/keys', { name: 'seeded by npm run seed' });
  console.log(`Tenant 'demo' has a $1.00/day budget. New key ${record.id}:\n\n  ${key}\n`);
  console.log(`Try it:\n\n  curl ${base}/v1/chat/completions -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\\n    -d '{"model":"smart","messages":[{"role":"user","content":"Hello!"}]}' -i\n`);
  console.log(`Usage so far:  curl '${base}/v1/usage?group_by=model' -H 'authorization: Bearer ${key}'`);
} catch (err) {
  console.error(`seed failed: ${(err as Error).message}${(err as { cause?: unknown }).cause ? ` (is \`npm start\` running on ${base}?)` : ''}`);
  process.exit(1);
}
