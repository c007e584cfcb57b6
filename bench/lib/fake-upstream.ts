/**
 * The fake OpenAI upstream in its own process (test/fakes/serve.ts), so that its CPU is not
 * the load driver's and can be measured apart.
 */
import { join } from 'node:path';
import { firstLine, startChild } from './child-process.js';
import { root } from './corpus.js';

export interface UpstreamProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/v1`, what an OpenAI client or a proxy takes as base URL. */
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startFakeOpenAIProcess(): Promise<UpstreamProcess> {
  const child = startChild(process.execPath, ['--import', 'tsx', join(root, 'test/fakes/serve.ts'), 'openai'], { cwd: root });
  try {
    const info = JSON.parse(await firstLine(child)) as { url: string; baseUrl: string; pid: number };
    return { url: info.url, baseUrl: info.baseUrl, pid: child.pid, stop: child.stop };
  } catch (e) {
    await child.stop();
    throw e;
  }
}
