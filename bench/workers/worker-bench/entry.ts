/**
 * Timing harness for bench/suites/worker.ts. POST /__bench {path, bodies, rounds, batch}
 * runs the production app's fetch `rounds × batch` times (cycling through `bodies`) inside
 * workerd and returns the wall time of each batch. workerd's clock has 1 ms resolution, so
 * each sample is a batch of requests; nothing in the loop does I/O, so wall time is CPU time.
 */
import '../../../src/runtime/workerd.js';
import { createApp } from '../../../src/worker/app.js';

const app = createApp();

interface BenchRequest {
  path: string;
  bodies: unknown[];
  rounds: number;
  batch: number;
}

export default {
  async fetch(req: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname !== '/__bench') return app.fetch(req, env, ctx);
    const { path, bodies, rounds, batch } = (await req.json()) as BenchRequest;
    const payloads = bodies.map((b) => JSON.stringify(b));
    const samples: number[] = [];
    let status = 0;
    let k = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) {
        const res = await app.fetch(
          new Request(`http://bench${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payloads[k++ % payloads.length] }),
          env,
          ctx,
        );
        await res.arrayBuffer();
        status = res.status;
      }
      samples.push((performance.now() - t0) / batch);
    }
    return Response.json({ samples, status });
  },
};
