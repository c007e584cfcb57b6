/**
 * Runs a snippet in a fresh Node process (cold module cache, cold JIT) and returns what it
 * prints as JSON. Used for ready-time and memory figures that a warm process would hide.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './corpus.js';

/** The package's own Node entry as `npm run build` emits it (what `import 'tollgate'` loads in Node). */
export async function bundledTollgate(): Promise<string> {
  const entry = join(root, 'dist/runtime/node.js');
  if (!existsSync(entry)) throw new Error('dist/runtime/node.js is missing: run `npm run build` first');
  return entry;
}

export function runFresh<T>(code: string): T {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
