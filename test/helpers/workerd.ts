/**
 * Runs a wrangler-bundled worker inside workerd with Miniflare and real local bindings.
 * Bundling goes through `wrangler deploy --dry-run`, so tests see the same module graph
 * (CompiledWasm and Data modules) that production does.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare, type MiniflareOptions } from 'miniflare';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Bundle the worker described by `config` into `outdir` (relative to the repo root). */
export function bundleWorker(config: string, outdir: string): string {
  const out = resolve(root, outdir);
  // wrangler never cleans its outdir: stale modules from an earlier build would be loaded and counted.
  rmSync(out, { recursive: true, force: true });
  execFileSync(resolve(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out, '--config', resolve(root, config)], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    stdio: 'pipe',
  });
  return out;
}

/** Start workerd on a bundle made by bundleWorker. */
export async function startWorker(outdir: string, extra: Partial<MiniflareOptions> = {}): Promise<Miniflare> {
  const modules = readdirSync(outdir)
    .filter((f) => /\.(js|wasm|bin)$/.test(f))
    .map((f) => ({
      type: f.endsWith('.wasm') ? ('CompiledWasm' as const) : f.endsWith('.bin') ? ('Data' as const) : ('ESModule' as const),
      path: join(outdir, f),
    }));
  // The entry module must come first; wrangler emits exactly one .js file per worker.
  modules.sort((a, b) => Number(b.type === 'ESModule') - Number(a.type === 'ESModule'));
  const mf = new Miniflare({
    modules,
    modulesRoot: outdir,
    compatibilityDate: '2026-04-20',
    ...extra,
  } as MiniflareOptions);
  try {
    await mf.ready;
  } catch (err) {
    // workerd may be running already: the caller never gets `mf`, so stop it here.
    await mf.dispose().catch(() => {});
    throw err;
  }
  return mf;
}
