// Runs the signed-update path inside workerd (via Miniflare), where
// `new Function` is forbidden and only WebCrypto is available: the reason the
// validator is generated ahead of time.
import { generateKeyPairSync, sign } from 'node:crypto';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPricing } from '../../scripts/pricing/build-pricing.js';
import { ROOT } from './helpers.js';

const WORKER = `
import { loadSignedPricing } from './src/pricing/signed-update.ts';
export default {
  async fetch(req) {
    const { bundle, sig, pub } = await req.json();
    try {
      const t = await loadSignedPricing(new TextEncoder().encode(bundle), sig, pub);
      return Response.json({ ok: true, size: t.size, gpt4o: t.latestPrice('gpt-4o').input, suggest: t.closestMatches('gpt4o') });
    } catch (e) {
      return Response.json({ ok: false, name: e.name, message: e.message });
    }
  },
};`;

let mf: Miniflare;
let bundleJson: string;
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
const signText = (text: string) => sign(null, Buffer.from(text), privateKey).toString('base64');

async function call(bundle: string, sig: string): Promise<Record<string, unknown>> {
  const res = await mf.dispatchFetch('http://pricing.test/', { method: 'POST', body: JSON.stringify({ bundle, sig, pub }) });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  const res = buildPricing();
  if (!res.ok) throw new Error(JSON.stringify(res.issues));
  bundleJson = res.output.bundleJson;
  const out = await build({
    stdin: { contents: WORKER, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
  });
  mf = new Miniflare({ modules: true, script: out.outputFiles[0]!.text, compatibilityDate: '2025-09-01' });
});

afterAll(async () => {
  await mf?.dispose();
});

describe('signed pricing inside workerd', () => {
  it('verifies, validates and serves a correctly signed bundle', async () => {
    const r = await call(bundleJson, signText(bundleJson));
    expect(r).toMatchObject({ ok: true, gpt4o: '2.5', suggest: expect.arrayContaining(['gpt-4o']) });
    expect(r.size).toBe(JSON.parse(bundleJson).models.length);
  });

  it('rejects a tampered bundle', async () => {
    const r = await call(bundleJson.replace('"input":"2.5"', '"input":"0.5"'), signText(bundleJson));
    expect(r).toMatchObject({ ok: false, name: 'PricingSignatureError' });
  });

  it('runs the standalone validator: a signed bundle with an unknown field is refused', async () => {
    const b = JSON.parse(bundleJson) as { models: Array<Record<string, unknown>> };
    b.models[2]!.surprise = 1;
    const text = JSON.stringify(b);
    const r = await call(text, signText(text));
    expect(r).toMatchObject({ ok: false, name: 'PricingValidationError' });
    expect(String(r.message)).toContain('/models/2/surprise');
  });
});
