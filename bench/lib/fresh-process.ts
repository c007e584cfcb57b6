/**
 * Runs a snippet in a fresh Node process (cold module cache, cold JIT) and returns what it
 * prints as JSON. Used for ready-time and memory figures that a warm process would hide.
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { join } from 'node:path';
import { root } from './corpus.js';

/** Our Node entry bundled to plain ESM, two levels below the root so its asset URLs resolve. */
export async function bundledTollgate(): Promise<string> {
  const outfile = join(root, 'dist/bench/tollgate-node.mjs');
  await build({ entryPoints: [join(root, 'src/runtime/node.ts')], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'error' });
  return outfile;
}

export function runFresh<T>(code: string): T {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
