/**
 * The Portkey AI gateway (`@portkey-ai/gateway` from npm) on Node, as the benchmark's anchor.
 * It is started with its own CLI (`build/start-server.js --port=N --headless`, the package's
 * `bin`), NODE_ENV=production (no log-stream UI routes). Requests reach the fake upstream
 * through Portkey's documented headers: `x-portkey-provider: openai` and
 * `x-portkey-custom-host: <upstream base URL>` (127.0.0.1 is a trusted custom host by default).
 * Its streaming needs `@hono/node-server` 1.13.5 (pinned through package.json `overrides`):
 * newer versions answer every stream with a 500.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '../../test/helpers/ports.js';
import { startChild, waitForHttp } from './child-process.js';
import type { ProxyTarget } from './proxy-target.js';

const require = createRequire(import.meta.url);

export async function startPortkey(upstreamUrl: string): Promise<ProxyTarget> {
  const pkg = dirname(require.resolve('@portkey-ai/gateway/package.json'));
  const port = await freePort();
  const child = startChild(process.execPath, [join(pkg, 'build/start-server.js'), `--port=${port}`, '--headless'], {
    cwd: pkg,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, child);
  } catch (e) {
    await child.stop();
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}/v1`,
    headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamUrl },
    pid: child.pid,
    stop: child.stop,
  };
}
