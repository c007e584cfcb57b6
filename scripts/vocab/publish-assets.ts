/**
 * Publishes the open-weight vocabulary binaries into the worker's static assets (dist/demo,
 * wrangler.toml [assets]) at /tollgate-vocab/<name>.bin, where the workerd entry loads them on
 * first use (src/core/vocab-source.ts) instead of bundling them into the worker script.
 * Runs after the playground build, which empties dist/demo.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTRA_VOCABS } from './sources.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const from = join(root, 'dist/assets/vocab');
const to = join(root, 'dist/demo/tollgate-vocab');
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
const published: string[] = [];
for (const name of Object.keys(EXTRA_VOCABS)) {
  const f = join(from, `${name}.bin`);
  if (!existsSync(f)) continue;
  copyFileSync(f, join(to, `${name}.bin`));
  published.push(name);
}
copyFileSync(join(from, 'NOTICE.md'), join(to, 'NOTICE.md'));
console.log(`published to dist/demo/tollgate-vocab: ${published.join(', ') || 'none'} (${readdirSync(to).length} files)`);
