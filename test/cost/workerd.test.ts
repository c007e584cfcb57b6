/** estimateCost inside workerd: the static pricing JSON import and the WASM engine work there. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { bundleWorker, startWorker } from '../helpers/workerd.js';
import { estimateCost } from '../../src/runtime/node.js';

let mf: Miniflare;
beforeAll(async () => {
  mf = await startWorker(bundleWorker('test/cost/worker/wrangler.toml', 'dist/test-workers/cost'));
});
afterAll(async () => {
  await mf?.dispose();
});

const call = async (body: unknown) => {
  const res = await mf.dispatchFetch('http://cost.test/', { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
};

it('prices a chat request exactly as in Node', async () => {
  const estimate = {
    model: 'claude-sonnet-4-5',
    messages: [{ role: 'user', content: 'Summarize the attached report in three bullet points.' }],
    outputTokens: 500,
    cache: { readTokens: 4, writeTokens: 2, ttl: '5m' },
  };
  const { status, json } = await call({ estimate, usage: { input_tokens: 10, cache_read_input_tokens: 100, output_tokens: 50 } });
  expect(status).toBe(200);
  const node = await estimateCost(estimate as never);
  expect(json.est).toEqual(node);
  expect(json.est.exact).toBe(false);
  expect(json.image).toBe(765);
  expect(json.usage.total).toBe('0.00081');
});

it('1 token at $0.075/M is "0.000000075" in workerd too; bad input names the field', async () => {
  expect((await call({ estimate: { model: 'gemini-2.0-flash-lite', inputTokens: 1 } })).json.est.total).toBe('0.000000075');
  const bad = await call({ estimate: { model: 'gpt-4o', inputTokens: -1 } });
  expect(bad.status).toBe(400);
  expect(bad.json.field).toBe('inputTokens');
});
