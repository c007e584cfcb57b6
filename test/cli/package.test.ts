/**
 * The CLI as users install it: `npm pack` the repository, extract the tarball into a project's
 * node_modules (outside this repository, so nothing resolves from its node_modules), and run the
 * `tollgate` bin: the bundle must carry its libraries, its schemas and the Action.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, ROOT, runCommand, schemaErrors, tempDir, words, writeFiles } from './helpers.js';

let app: string;
let bin: string;

beforeAll(() => {
  const packDir = tempDir('tollgate-pack-');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const { filename } = (JSON.parse(out) as Array<{ filename: string }>)[0]!;
  app = tempDir('tollgate-app-');
  const pkg = join(app, 'node_modules/tollgate');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(packDir, filename), '-C', pkg, '--strip-components=1']);
  // What npm does for a dependency's "bin".
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  mkdirSync(join(app, 'node_modules/.bin'));
  bin = join(app, 'node_modules/.bin/tollgate');
  symlinkSync(join('..', 'tollgate', manifest.bin.tollgate!), bin);
  writeFiles(app, { 'prompt.md': words(250), 'tollgate.yml': 'date: "2025-11-01"\nprompts:\n  - { name: p, file: prompt.md, model: gpt-4o, output_tokens: 100, requests_per_month: 1000 }\n' });
});

describe('the packed package', () => {
  it('ships the bin, its chunks, schemas, licences and the Action, not the sources', () => {
    const pkg = join(app, 'node_modules/tollgate');
    for (const f of ['dist/cli/tollgate.cjs', 'dist/cli/schemas/tollgate.schema.json', 'dist/cli/schemas/diff.schema.json', 'dist/cli/project-validator.js', 'dist/cli/THIRD-PARTY-LICENSES.md', 'dist/cli/genai-prices-allowlist.json', 'action.yml', 'scripts/action/pr-comment.mjs']) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    expect(existsSync(join(pkg, 'src/cli'))).toBe(false);
    expect(existsSync(join(pkg, 'node_modules'))).toBe(false);
  });

  it('runs from node_modules/.bin with no other package installed', async () => {
    const count = await runCommand(bin, ['count', 'prompt.md', '--json'], { cwd: app });
    expect(count.code, count.stderr).toBe(0);
    expect(json(count)).toMatchObject({ total_tokens: 250, exact: true });
    // 250 × 2.50/M + 100 × 10/M = 0.001625 per request, × 1000
    const check = await runCommand(bin, ['check', '--budget', '1.625', '--json'], { cwd: app });
    expect(check.code, check.stderr).toBe(0);
    expect(schemaErrors('check', json(check))).toBe('');
    expect(json(check).total).toMatchObject({ monthly_cost: '1.625' });
    const schema = await runCommand(bin, ['schema', 'config'], { cwd: app });
    expect(JSON.parse(schema.stdout)).toMatchObject({ title: 'Tollgate project file' });
    const help = await runCommand(bin, ['--help'], { cwd: app });
    expect(help.stdout).toContain('Usage: tollgate');
  });
});
