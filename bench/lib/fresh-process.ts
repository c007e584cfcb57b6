/**
 * Runs a snippet in a fresh Node process (cold module cache, cold JIT) and returns what it
 * prints as JSON. Used for ready-time and memory figures that a warm process would hide.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './corpus.js';

/** The package's own Node entry as `npm run build` emits it (what `import 'tollgate'` loads in Node). */
export async function bundledTollgate(): Promise<string> {
  const entry = join(root, 'dist/runtime/node.js');
  if (!existsSync(entry)) throw new Error('dist/runtime/node.js is missing: run `npm run build` first');
  return entry;
}

/**
 * How the snippet starts: `app` runs it as the main module of a process that has already
 * imported one (empty) module of its own, as any app has by the time it loads a tokenizer,
 * so Node's ESM loader is up; `eval` runs it with `node -e`, where the first import also
 * pays for starting that loader (a few ms, the same for every package).
 */
export type StartMode = 'app' | 'eval';

// Inside the package, so bare imports ('tiktoken', …) resolve from its node_modules.
const scratch = join(root, 'node_modules/.cache/tollgate-bench');

/**
 * Writes `code` as `<name>.mjs` in the scratch directory, run as an app's main module: it first
 * imports an (empty) module of its own, so Node's ESM loader is up. Returns the file's path.
 */
export function appScript(name: string, code: string): string {
  mkdirSync(scratch, { recursive: true });
  const own = join(scratch, 'app-module.mjs');
  writeFileSync(own, 'export const ready = true;\n');
  const file = join(scratch, `${name}.mjs`);
  writeFileSync(file, `await import(${JSON.stringify(pathToFileURL(own).href)});\n${code}`);
  return file;
}

export function runFresh<T>(code: string, mode: StartMode = 'eval'): T {
  const args = mode === 'app' ? [appScript(`snippet-${process.pid}`, code)] : ['--input-type=module', '-e', code];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
