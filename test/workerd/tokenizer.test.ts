/**
 * The tokenizer inside workerd (static .wasm/.bin imports) gives tiktoken's ids; the
 * open-weight vocabularies, not bundled, load from the Worker's static assets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Miniflare, MiniflareOptions } from 'miniflare';
import { bundleWorker, startWorker, root } from '../helpers/workerd.js';
import { OPEN_WEIGHT_ENCODINGS, OPEN_WEIGHT_VOCABS } from '../../src/core/encodings.js';
import { hfOracle, DISTINCT_OPEN_WEIGHT, openWeightWanted } from '../helpers/hf-oracle.js';
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

describe('workerd: open-weight vocabularies load on first use from the ASSETS binding', () => {
  let withAssets: Miniflare;
  beforeAll(async () => {
    const out = bundleWorker('test/workerd/tokenizer-worker/wrangler.toml', 'dist/test-workers/tokenizer-assets');
    withAssets = await startWorker(out, { assets: { directory: join(root, 'dist/demo'), binding: 'ASSETS', routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } } } as Partial<MiniflareOptions>);
  });
  afterAll(async () => {
    await withAssets?.dispose();
  });

  it('the worker bundle holds none of them', () => {
    const out = join(root, 'dist/test-workers/tokenizer-assets');
    const bins = readdirSync(out).filter((f) => f.endsWith('.bin'));
    expect(bins.length).toBe(4); // tiktoken's r50k, p50k, cl100k, o200k
    for (const v of OPEN_WEIGHT_VOCABS) expect(bins.some((f) => f.includes(v))).toBe(false);
  });

  it.each(DISTINCT_OPEN_WEIGHT.filter((n) => openWeightWanted(OPEN_WEIGHT_ENCODINGS[n])))('%s encodes like Hugging Face tokenizers', async (name) => {
    const res = await withAssets.dispatchFetch('http://tollgate.test/', { method: 'POST', body: JSON.stringify({ encoding: name, texts }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ids: number[][]; counts: number[] };
    const theirs = await hfOracle(OPEN_WEIGHT_ENCODINGS[name]).ordinary(texts);
    texts.forEach((_t, i) => {
      expect(body.ids[i]).toEqual(theirs[i]);
      expect(body.counts[i]).toBe(theirs[i]!.length);
    });
  });

  it('without an ASSETS binding (or a vocabulary source) the error says how to provide one', async () => {
    const res = await mf.dispatchFetch('http://tollgate.test/', { method: 'POST', body: JSON.stringify({ encoding: 'llama3', texts: ['x'] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/llama3 is not bundled.*\/tollgate-vocab\/llama3\.bin.*setVocabularySource/);
  });
});
