/**
 * The playground's transfer size (dist/demo as the worker serves it: raw, gzip -9, brotli)
 * split into page code (JS/CSS/HTML), the WASM core and vocabularies, with the first view
 * (page + WASM + o200k_base for the default gpt-4o) singled out; the npm package's size; and a
 * 1 MB paste in real headless Chromium (time to the count on screen, long tasks, typing after it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { PreviewServer } from 'vite';
import { launchChromium } from '../../test/browser/helpers.js';
import { doc1mb, root } from '../lib/corpus.js';
import { fmt, table } from '../lib/measure.js';
import { installFrameProbe, timePaste, timeTyping } from '../lib/playground-paste.js';

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
  files: number;
}

const zero = (): Sizes => ({ raw: 0, gzip: 0, brotli: 0, files: 0 });

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

function kind(file: string): 'page' | 'wasm' | 'vocab' | 'other' {
  if (/\.(m?js|css|html)$/.test(file)) return 'page';
  if (file.endsWith('.wasm')) return 'wasm';
  if (file.endsWith('.bin')) return 'vocab';
  return 'other';
}

function add(into: Sizes, bytes: Buffer): void {
  into.raw += bytes.length;
  into.gzip += gzipSync(bytes, { level: 9 }).length;
  into.brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  into.files++;
}

const row = (name: string, s: Sizes): string[] => [name, String(s.files), fmt.kb(s.raw), fmt.kb(s.gzip), fmt.kb(s.brotli)];

export async function runPlaygroundBench(): Promise<string[]> {
  const demo = join(root, 'dist/demo');
  if (!existsSync(join(demo, 'index.html'))) return ['dist/demo is missing: run `npm run build:demo` first'];

  const groups = { page: zero(), wasm: zero(), vocab: zero(), other: zero() };
  const total = zero();
  const firstView = zero();
  const vocabRows: string[][] = [];
  for (const f of walk(demo).sort()) {
    const bytes = readFileSync(f);
    const k = kind(f);
    add(groups[k], bytes);
    add(total, bytes);
    // First view: the page, its code, the WASM core and the default model's vocabulary.
    if ((k === 'page' && !f.endsWith('sw.js')) || k === 'wasm' || /o200k_base-[^/]*\.bin$/.test(f)) add(firstView, bytes);
    if (k === 'vocab') {
      const s = zero();
      add(s, bytes);
      vocabRows.push(row(`  ${relative(demo, f)}`, s));
    }
  }

  const out = ['Playground transfer size (dist/demo, served as Workers static assets):'];
  out.push(
    ...table([
      ['part', 'files', 'raw', 'gzip -9', 'brotli 11'],
      row('JS / CSS / HTML', groups.page),
      row('WASM core', groups.wasm),
      row('vocabularies', groups.vocab),
      ...vocabRows,
      ...(groups.other.files ? [row('other', groups.other)] : []),
      row('everything', total),
      row('first view (page + WASM + o200k_base)', firstView),
    ]),
    '',
  );

  // The npm package as `npm pack` builds it (the "files" list in package.json).
  try {
    const json = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [p] = JSON.parse(json.slice(json.indexOf('['))) as { size: number; unpackedSize: number; entryCount: number; files: { path: string; size: number }[] }[];
    const code = p.files.filter((f) => /\.(js|d\.ts)$/.test(f.path) && !f.path.startsWith('dist/assets/')).reduce((n, f) => n + f.size, 0);
    const assets = p.files.filter((f) => f.path.startsWith('dist/assets/')).reduce((n, f) => n + f.size, 0);
    out.push(
      `npm package: ${p.entryCount} files, tarball ${fmt.kb(p.size)}, unpacked ${fmt.kb(p.unpackedSize)} (JS + types ${fmt.kb(code)}, WASM + vocabularies + pricing ${fmt.kb(assets)})`,
      '',
    );
  } catch (e) {
    out.push(`npm package: npm pack --dry-run failed: ${(e as Error).message.split('\n')[0]}`, '');
  }
  out.push(...(await largePaste()));
  return out;
}

const PASTE_ROUNDS = Number(process.env.BENCH_PASTE_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * A new user's 1 MB paste: dist/demo served by `vite preview`, a fresh page per round (the
 * default model gpt-4o, its tokenizer loaded), the text pasted in one input event, then 12
 * keys typed at its end. Targets: count on screen ≤ 200 ms, no long task > 50 ms.
 */
async function largePaste(): Promise<string[]> {
  // A textarea holds line feeds only: a paste turns CRLF and CR into LF.
  const text = doc1mb().replace(/\r\n?/g, '\n');
  const { getEncoding } = (await import(pathToFileURL(join(root, 'dist/runtime/node.js')).href)) as typeof import('../../src/runtime/node.js');
  const o200k = await getEncoding('o200k_base');
  const expected = o200k.count(text);
  const typed = ' and a bit more';
  const expectedTyped = o200k.count(text + typed);

  const { preview } = await import('vite');
  let server: PreviewServer | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const rounds: { toCount: number; tasks: number[]; gap: number; typeTasks: number[]; typeGap: number; keyToCount: number }[] = [];
  try {
    server = await preview({ configFile: join(root, 'demo/vite.config.ts'), logLevel: 'error', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a URL');
    browser = await launchChromium();
    for (let r = 0; r < PASTE_ROUNDS; r++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      // tsx compiles with esbuild's keepNames, which wraps functions in __name(): the
      // functions handed to page.evaluate need it in the page too.
      await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => /^\d/.test(document.querySelector('[data-testid="token-count"]')?.textContent ?? ''), null, { timeout: 30_000 });
      await installFrameProbe(page);
      await page.waitForTimeout(300);
      const paste = await timePaste(page, text, expected);
      const typing = await timeTyping(page, typed, expectedTyped);
      rounds.push({ toCount: paste.toCountMs, tasks: paste.longTasks, gap: paste.maxFrameGapMs, typeTasks: typing.longTasks, typeGap: typing.maxFrameGapMs, keyToCount: typing.lastKeyToCountMs });
      await context.close();
    }
  } catch (e) {
    return [`large paste: could not run (${(e as Error).message.split('\n')[0]})`, ''];
  } finally {
    await browser?.close();
    await new Promise<void>((ok) => (server ? server.httpServer.close(() => ok()) : ok()));
  }
  const worst = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  const longest = (xs: number[]) => (xs.length ? `longest ${worst(xs)} ms` : 'none');
  const list = (xs: number[]) => (xs.length ? `${xs.length}, longest ${worst(xs)} ms` : 'none');
  return [
    `Large paste in headless Chromium (${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${expected.toLocaleString('en-US')} o200k tokens, gpt-4o, 1440×900, ${PASTE_ROUNDS} rounds):`,
    ...table([
      ['round', 'paste → count', 'long tasks', 'max frame gap', 'typing: long tasks', 'max frame gap', 'last key → count'],
      ...rounds.map((r, i) => [String(i + 1), fmt.ms(r.toCount), list(r.tasks), fmt.ms(r.gap), list(r.typeTasks), fmt.ms(r.typeGap), fmt.ms(r.keyToCount)]),
      ['median', fmt.ms(median(rounds.map((r) => r.toCount))), longest(rounds.flatMap((r) => r.tasks)), fmt.ms(median(rounds.map((r) => r.gap))), longest(rounds.flatMap((r) => r.typeTasks)), fmt.ms(median(rounds.map((r) => r.typeGap))), fmt.ms(median(rounds.map((r) => r.keyToCount)))],
    ]),
    'Targets: paste → count ≤ 200 ms; no long task over 50 ms (the longtask observer reports only tasks > 50 ms).',
    '',
  ];
}
