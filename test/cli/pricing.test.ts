/**
 * `tollgate pricing list | show | update | reset`: the table in use, and Ed25519-signed updates
 * installed into the cache directory for later runs — from a file and from a URL (a server on
 * 127.0.0.1) — while forged, unsigned, tampered or broken updates leave the table in use alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, parsePrivateKey, signBytes } from '../../scripts/pricing/sign-pricing.js';
import * as tollgate from '../../src/runtime/node.js';
import { freePort, json, ROOT, run, schemaErrors, startServer, tempDir, writeFiles } from './helpers.js';

const BUILT_IN = tollgate.pricingVersion();
const keys = generateKeyPair();
const other = generateKeyPair();
let dir: string;
let base: string;
let closedPort: number;

/** The built-in bundle with a new version and gpt-4o's input price raised to 5 $/MTok. */
function updatedBundle(version: string): Uint8Array {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'dist/assets/pricing.json'), 'utf8')) as { version: string; models: Array<{ id: string; prices: Array<{ input?: string }> }> };
  bundle.version = version;
  const m = bundle.models.find((x) => x.id === 'gpt-4o')!;
  m.prices[m.prices.length - 1]!.input = '5';
  return new TextEncoder().encode(JSON.stringify(bundle));
}

const sign = (bytes: Uint8Array, k = keys): string => signBytes(bytes, parsePrivateKey(k.privateKey));

beforeAll(async () => {
  dir = tempDir();
  const good = updatedBundle('2099-01-01+0123456789ab');
  const old = updatedBundle('2000-01-01+0123456789ab');
  writeFiles(dir, {
    'pricing.json': good,
    'pricing.json.sig': `${sign(good)}\n`,
    'old.json': old,
    'old.json.sig': sign(old),
    'forged.sig': sign(good, other),
    'invalid.json': JSON.stringify({ version: 'nope' }),
  });
  writeFiles(dir, { 'invalid.json.sig': sign(readFileSync(join(dir, 'invalid.json'))) });
  const server = await startServer((req, res) => {
    const file = join(dir, req.url.slice(1));
    if (!existsSync(file)) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
  });
  base = server.url;
  closedPort = await freePort();
});

describe('tollgate pricing list / show', () => {
  it('lists the models of the table in use', async () => {
    const r = await run(['pricing', 'list', '--json']);
    const j = json(r);
    expect(schemaErrors('pricing-list', j)).toBe('');
    expect((j.data as Array<{ id: string }>).map((m) => m.id)).toEqual(tollgate.listModels().map((m) => m.id));
    expect(j.pricing).toMatchObject({ source: 'built-in', version: BUILT_IN });
    const anthropic = await run(['pricing', 'list', '--provider', 'anthropic']);
    expect(anthropic.stdout).toMatch(/^claude-sonnet-4-5\s+anthropic\s+\$3\.00\s+\$0\.30\s+\$15\.00\s+[\d,]+\s+~ estimate$/m);
    const none = await run(['pricing', 'list', '--provider', 'nobody']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no provider 'nobody' in the pricing table; providers: anthropic, cohere/);
  });

  it('shows the table in use and a model with its price history', async () => {
    const r = await run(['pricing', 'show', 'claude-sonnet-4-5-20250929', '--json']);
    const j = json(r);
    expect(schemaErrors('pricing-show', j)).toBe('');
    expect(j).toMatchObject({ table: { source: 'built-in', version: BUILT_IN }, model: { id: 'claude-sonnet-4-5', provider: 'anthropic' } });
    const t = await run(['pricing', 'show', 'gpt-4o']);
    expect(t.stdout).toContain(`Pricing table: built-in ${BUILT_IN}`);
    expect(t.stdout).toMatch(/tokens: o200k_base \(exact\)/);
    const unknown = await run(['pricing', 'show', 'gpt-4oo']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown model 'gpt-4oo'\. Did you mean/);
  });
});

describe('tollgate pricing check', () => {
  it('compares the table in use with @pydantic/genai-prices; a changed price fails it (exit 1)', async () => {
    // Pinned to the day the table was reviewed, like test/pricing/freshness.test.ts.
    const r = await run(['pricing', 'check', '--date', '2026-12-02', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(schemaErrors('pricing-check', j)).toBe('');
    expect(j).toMatchObject({ unexplained: [], stale: [], pricing: { source: 'built-in' } });
    expect(j.compared as number).toBeGreaterThan(100);
    const later = json(await run(['pricing', 'check', '--date', '2027-12-02', '--max-age', '30', '--json']));
    expect((later.stale as unknown[]).length).toBeGreaterThan(0);

    const cache = tempDir('tollgate-cache-');
    const env = { TOLLGATE_CACHE_DIR: cache };
    const up = await run(['pricing', 'update', '--from', join(dir, 'pricing.json'), '--signature', join(dir, 'pricing.json.sig'), '--public-key', keys.publicKey], { env });
    expect(up.code, up.stderr).toBe(0);
    const changed = await run(['pricing', 'check', '--date', '2026-12-02'], { env });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^pricing table 2099-01-01\+0123456789ab \(installed\) on 2026-12-02: \d+ models compared/);
    expect(changed.stdout).toMatch(/unexplained disagreements \(1\):\n  openai\/gpt-4o input: ours 5, genai-prices 2\.5/);
  });
});

describe('tollgate pricing update', () => {
  it('refuses forged, unsigned, invalid and unreachable updates and keeps the table in use', async () => {
    const cache = tempDir('tollgate-cache-');
    const env = { TOLLGATE_CACHE_DIR: cache };
    const cases: Array<[string[], RegExp]> = [
      [['--from', join(dir, 'pricing.json'), '--signature', join(dir, 'forged.sig'), '--public-key', keys.publicKey], /signature does not match the bundle and key; nothing installed, the table in use is still/],
      [['--from', join(dir, 'pricing.json'), '--signature', join(dir, 'pricing.json.sig')], /give --public-key \(or set TOLLGATE_PRICING_PUBLIC_KEY\)/],
      [['--from', join(dir, 'pricing.json'), '--public-key', keys.publicKey], /required option '--signature <sig>' not specified/],
      [['--from', join(dir, 'pricing.json'), '--signature', 'bm90IGEgc2lnbmF0dXJl', '--public-key', keys.publicKey], /signature must be 64 bytes/],
      [['--from', join(dir, 'invalid.json'), '--signature', join(dir, 'invalid.json.sig'), '--public-key', keys.publicKey], /pricing update rejected: .*nothing installed/],
      [['--from', join(dir, 'nope.json'), '--signature', join(dir, 'pricing.json.sig'), '--public-key', keys.publicKey], /--from: cannot read .*nope\.json \(no such file\)/],
      [['--from', `${base}/missing.json`, '--signature', `${base}/pricing.json.sig`, '--public-key', keys.publicKey], /--from: http:\/\/127\.0\.0\.1:\d+\/missing\.json answered HTTP 404/],
      [['--from', `http://127.0.0.1:${closedPort}/pricing.json`, '--signature', 'x.sig', '--public-key', keys.publicKey], /--from: cannot fetch http:\/\/127\.0\.0\.1:\d+\/pricing\.json \(ECONNREFUSED\)/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['pricing', 'update', ...args], { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(cache, 'installed-pricing.json'))).toBe(false);
    }
    expect(json(await run(['pricing', 'show', '--json'], { env })).table).toMatchObject({ source: 'built-in', version: BUILT_IN });
  });

  it('installs a signed table from a file; later runs price with it', async () => {
    const cache = tempDir('tollgate-cache-');
    const env = { TOLLGATE_CACHE_DIR: cache };
    const r = await run(['pricing', 'update', '--from', join(dir, 'pricing.json'), '--signature', join(dir, 'pricing.json.sig'), '--public-key', keys.publicKey, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(schemaErrors('pricing-update', j)).toBe('');
    expect(j).toMatchObject({ version: '2099-01-01+0123456789ab', previous_version: BUILT_IN, path: join(cache, 'installed-pricing.json') });
    const show = json(await run(['pricing', 'show', '--json'], { env }));
    expect(show.table).toMatchObject({ source: 'installed', version: '2099-01-01+0123456789ab', built_in_version: BUILT_IN });
    // 1M input tokens of gpt-4o at the updated 5 $/MTok
    const est = json(await run(['estimate', '--input-tokens', '1000000', '--json'], { env }));
    expect(est.estimates).toMatchObject([{ total: '5', pricing_version: '2099-01-01+0123456789ab' }]);
    // Without the cache directory, the built-in price (2.50) again
    expect(json(await run(['estimate', '--input-tokens', '1000000', '--json'])).estimates).toMatchObject([{ total: '2.5' }]);

    // A later forged update leaves the installed one in force
    const forged = await run(['pricing', 'update', '--from', join(dir, 'old.json'), '--signature', join(dir, 'forged.sig'), '--public-key', keys.publicKey], { env });
    expect(forged.code).toBe(2);
    expect(forged.stderr).toMatch(/the table in use is still 2099-01-01\+0123456789ab/);

    // Tampering with the installed file is caught on the next run, and reset recovers
    const path = join(cache, 'installed-pricing.json');
    const installed = JSON.parse(readFileSync(path, 'utf8')) as { bundle: string };
    writeFileSync(path, JSON.stringify({ ...installed, bundle: installed.bundle.replace('"5"', '"0.5"') }));
    const tampered = await run(['estimate', '--input-tokens', '1000', '--json'], { env });
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toMatch(/installed-pricing\.json failed verification .*run 'tollgate pricing update' again or 'tollgate pricing reset'/);
    const reset = await run(['pricing', 'reset', '--json'], { env });
    expect(schemaErrors('pricing-reset', json(reset))).toBe('');
    expect(json(reset)).toMatchObject({ removed: true, version: BUILT_IN });
    expect(json(await run(['pricing', 'show', '--json'], { env })).table).toMatchObject({ source: 'built-in' });
  });

  it('installs from a URL with the key from the environment, and prefers a newer built-in table', async () => {
    const cache = tempDir('tollgate-cache-');
    const env = { TOLLGATE_CACHE_DIR: cache, TOLLGATE_PRICING_PUBLIC_KEY: keys.publicKey };
    const r = await run(['pricing', 'update', '--from', `${base}/pricing.json`, '--signature', `${base}/pricing.json.sig`], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Installed pricing table 2099-01-01\+0123456789ab \(\d+ models\) into .*installed-pricing\.json; it was /);
    const old = await run(['pricing', 'update', '--from', `${base}/old.json`, '--signature', `${base}/old.json.sig`], { env });
    expect(old.code, old.stderr).toBe(0);
    const show = await run(['pricing', 'show'], { env });
    expect(show.stdout).toContain(`Pricing table: built-in ${BUILT_IN} (the built-in table (${BUILT_IN}) is newer than the installed update (2000-01-01+0123456789ab)`);
  });
});
