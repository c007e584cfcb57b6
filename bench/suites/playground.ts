/**
 * The playground's transfer size (dist/demo as the worker serves it: raw, gzip -9, brotli)
 * split into page code (JS/CSS/HTML), the WASM core and vocabularies, with the first view
 * (page + WASM + o200k_base for the default gpt-4o) singled out; and the npm package's size.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { root } from '../lib/corpus.js';
import { fmt, table } from '../lib/measure.js';

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
  return out;
}
