/**
 * Browser test plumbing: real Debian Chromium through playwright-core, and the real worker
 * (wrangler dev → workerd) serving the built playground from dist/demo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../helpers/ports.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { root } from '../helpers/workerd.js';

export { root };
/** Debian's Chromium; TOLLGATE_TEST_CHROMIUM overrides it (the process-cleanup test points it at nothing). */
export const CHROMIUM = process.env.TOLLGATE_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = resolve(root, 'test-results/screenshots');

/** Launch headless Chromium. A missing browser is a failure, never a skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install -y chromium). Refusing to skip.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export function ensureScreenshotDir(): string {
  mkdirSync(screenshotDir, { recursive: true });
  return screenshotDir;
}

export interface RunningWorker {
  url: string;
  stop(): Promise<void>;
}

/** `wrangler dev` on a free port with local bindings; resolves once /healthz answers. */
export async function startWranglerDev(timeoutMs = 120_000): Promise<RunningWorker> {
  if (!existsSync(resolve(root, 'dist/demo/index.html'))) {
    throw new Error('dist/demo/index.html is missing: run `npm run build` (or `npm run build:demo`) before the browser tests');
  }
  const [port, inspector] = [await freePort(), await freePort()];
  const persist = mkdtempSync(join(tmpdir(), 'tollgate-wrangler-'));
  const child: ChildProcess = spawn(
    resolve(root, 'node_modules/.bin/wrangler'),
    ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspector), '--persist-to', persist, '--log-level', 'warn', '--show-interactive-dev-session=false'],
    {
      cwd: root,
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  // wrangler runs in its own process group (detached) so stop() can end workerd with it; that
  // group outlives this process unless killed here too when the test process exits early.
  const killGroup = () => {
    try {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', killGroup);

  const stop = async () => {
    process.off('exit', killGroup);
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await new Promise<void>((ok) => {
        const t = setTimeout(() => {
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
          ok();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(t);
          ok();
        });
      });
    }
    rmSync(persist, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`wrangler dev exited with code ${exited}:\n${log}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer /healthz within ${timeoutMs} ms:\n${log}`);
}
