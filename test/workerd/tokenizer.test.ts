/** The tokenizer inside workerd (static .wasm/.bin imports) gives tiktoken's ids. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { bundleWorker, startWorker } from '../helpers/workerd.js';
import { ALL_ENCODINGS, oracle } from '../helpers/oracle.js';
import { SAMPLE_TEXTS } from '../helpers/samples.js';

let mf: Miniflare;

beforeAll(async () => {
  const out = bundleWorker('test/workerd/tokenizer-worker/wrangler.toml', 'dist/test-workers/tokenizer');
  mf = await startWorker(out);
});
afterAll(async () => {
  await mf?.dispose();
});

const texts = [...SAMPLE_TEXTS, 'lone \ud800 surrogate'];

describe.each(ALL_ENCODINGS)('workerd: %s', (name) => {
  it('encodes like tiktoken', async () => {
    const res = await mf.dispatchFetch('http://tollgate.test/', { method: 'POST', body: JSON.stringify({ encoding: name, texts }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ids: number[][]; counts: number[]; decoded: string[] };
    texts.forEach((t, i) => {
      const expected = Array.from(oracle(name).encode_ordinary(t));
      expect(body.ids[i]).toEqual(expected);
      expect(body.counts[i]).toBe(expected.length);
      if (t.isWellFormed()) expect(body.decoded[i]).toBe(t);
    });
  });
});

it('workerd: unknown encoding is a clear error', async () => {
  const res = await mf.dispatchFetch('http://tollgate.test/', { method: 'POST', body: JSON.stringify({ encoding: 'o200k', texts: ['x'] }) });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: string }).error).toMatch(/Unknown encoding 'o200k'.*o200k_base/);
});
