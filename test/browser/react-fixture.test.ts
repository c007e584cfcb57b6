/**
 * The package as users get it: `npm pack` the repo, install the tarball into a minimal
 * Vite + React app (test/fixtures/react-app) that imports `tollgate` by name, build it,
 * and run it in headless Chromium; the count it renders must equal tiktoken's and the cost
 * (from the cost code the package loads on first call) Node's. The same
 * installed package is imported from Node (node condition) and resolved for workerd.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/runtime/node.js';
import { oracle } from '../helpers/oracle.js';
import { launchChromium, root } from './helpers.js';

const app = resolve(root, 'test/fixtures/react-app');
const installed = join(app, 'node_modules/tollgate');
let browser: Browser;
let server: PreviewServer;
let url: string;
let packDir: string;

beforeAll(async () => {
  for (const f of ['dist/runtime/browser.js', 'dist/runtime/node.js', 'dist/runtime/workerd.js', 'dist/assets/tollgate.wasm']) {
    if (!existsSync(resolve(root, f))) throw new Error(`${f} is missing: run \`npm run build\` (build:core, build:pricing, build:lib) first`);
  }
  browser = await launchChromium();
  // npm pack → the exact files a user installs ("files" in package.json).
  packDir = mkdtempSync(join(tmpdir(), 'tollgate-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(packDir, filename), '-C', installed, '--strip-components=1']);

  const { build, preview } = await import('vite');
  const configFile = join(app, 'vite.config.mjs');
  await build({ configFile, root: app, logLevel: 'error', mode: 'production' });
  server = await preview({ configFile, root: app, logLevel: 'error', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  url = server.resolvedUrls?.local[0] ?? '';
  if (!url) throw new Error('vite preview did not report a URL');
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.httpServer.close(() => ok()) : ok()));
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe('a React app importing tollgate by package name', () => {
  it('installs from the packed tarball with runtimes, types and assets', () => {
    for (const f of ['package.json', 'dist/runtime/browser.js', 'dist/runtime/browser.d.ts', 'dist/runtime/node.d.ts', 'dist/runtime/workerd.d.ts', 'dist/core/index.d.ts', 'dist/cost/index.d.ts', 'dist/runtime/node.js', 'dist/runtime/workerd.js', 'dist/assets/tollgate.wasm', 'dist/assets/vocab/o200k_base.bin', 'dist/assets/pricing.json']) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    // Nothing from the worker, the sources or the tests ships.
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'dist/worker'))).toBe(false);
    expect(existsSync(join(installed, 'dist/demo'))).toBe(false);
  });

  it('Vite resolves the browser build and emits the WASM core and vocabularies', () => {
    const assets = readdirSync(join(app, 'dist/assets'));
    expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(assets.some((f) => /^o200k_base-.*\.bin$/.test(f))).toBe(true);
    expect(assets.some((f) => /^cl100k_base-.*\.bin$/.test(f))).toBe(true);
  });

  for (const [model, encoding] of [
    ['gpt-4o', 'o200k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
  ] as const) {
    it(`renders ${model}'s count in Chromium, equal to tiktoken's`, async () => {
      const text = `React + ${model}: héllo wörld 👋, 東京, ${'x'.repeat(50)} ${Array.from({ length: 40 }, (_, i) => i * i).join(' ')}`;
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${url}?model=${encodeURIComponent(model)}&text=${encodeURIComponent(text)}`);
      await page.waitForFunction(
        () => (/^\d+$/.test(document.querySelector('[data-testid="count"]')?.textContent ?? '') && /^[\d.]+$/.test(document.querySelector('[data-testid="cost"]')?.textContent ?? '')) || document.querySelector('[data-testid="error"]'),
        null,
        { timeout: 20_000 },
      );
      expect(await page.getByTestId('error').allTextContents()).toEqual([]);
      expect(Number(await page.getByTestId('count').textContent())).toBe(oracle(encoding).encode(text).length);
      // The cost comes from the package's lazily loaded cost chunk, bundled by Vite.
      expect(await page.getByTestId('cost').textContent()).toBe((await estimateCost({ model, input: text, outputTokens: 10 })).total);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('imports from Node through the "node" condition', () => {
    const script = `const t = await import('tollgate'); const e = await t.encodingForModel('gpt-4o'); const c = await t.estimateCost({ model: 'gpt-4o', input: 'hello world', outputTokens: 10 }); console.log(JSON.stringify({ resolved: import.meta.resolve('tollgate'), count: e.count('hello world'), usd: c.totalUsd }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' })) as { resolved: string; count: number; usd: number };
    expect(out.resolved).toBe(`file://${installed}/dist/runtime/node.js`);
    expect(out.count).toBe(oracle('o200k_base').encode('hello world').length);
    expect(out.usd).toBeGreaterThan(0);
  });

  it('resolves the workerd build for Workers bundlers', async () => {
    const { build } = await import('esbuild');
    const r = await build({
      stdin: { contents: "export { getEncoding } from 'tollgate';", resolveDir: app, loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      conditions: ['workerd', 'worker', 'browser'],
      loader: { '.wasm': 'copy', '.bin': 'copy', '.json': 'json' },
      outdir: join(packDir, 'out'),
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((f) => f.endsWith('node_modules/tollgate/dist/runtime/workerd.js'))).toBe(true);
    expect(inputs.some((f) => f.endsWith('dist/runtime/browser.js') || f.endsWith('dist/runtime/node.js'))).toBe(false);
  });
});
