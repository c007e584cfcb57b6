/** A deployed worker picks a signed update up from KV: installed once, checked at most per interval, forged ones ignored. */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateCost, loadPricing, pricingVersion } from '../../src/runtime/node.js';
import { PRICING_KV_KEYS, PricingRefresher, type KvReader } from '../../src/pricing/kv-refresh.js';
import { root } from '../helpers/workerd.js';

/** An in-memory stand-in with KV's get(key, type) contract (workerd's KV is exercised by test/worker). */
function memoryKv(entries: Record<string, string>): KvReader & { reads: number } {
  const kv = {
    reads: 0,
    async get(key: string, type: 'text' | 'arrayBuffer') {
      kv.reads++;
      const v = entries[key];
      if (v === undefined) return null;
      return type === 'text' ? v : new TextEncoder().encode(v).buffer;
    },
  };
  return kv as KvReader & { reads: number };
}

describe('PricingRefresher', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  const original = readFileSync(`${root}/dist/assets/pricing.json`, 'utf8');
  const b = JSON.parse(original);
  b.models.find((m: { id: string }) => m.id === 'gpt-4o').prices.at(-1).input = '2';
  b.version = '2026-12-02+feedfacecafe';
  const text = JSON.stringify(b);
  const signature = sign(null, Buffer.from(text), privateKey).toString('base64');
  afterAll(async () => {
    await loadPricing(new TextEncoder().encode(original), sign(null, Buffer.from(original), privateKey).toString('base64'), pub);
  });

  it('installs a published update, then only reads the version key once per interval', async () => {
    const kv = memoryKv({ [PRICING_KV_KEYS.version]: b.version, [PRICING_KV_KEYS.bundle]: text, [PRICING_KV_KEYS.signature]: signature });
    const r = new PricingRefresher(loadPricing, pricingVersion, 60_000);
    expect(await r.refresh(kv, pub, 1_000_000)).toEqual({ status: 'installed', version: b.version });
    expect(pricingVersion()).toBe(b.version);
    expect((await estimateCost({ model: 'gpt-4o', inputTokens: 1_000_000 })).total).toBe('2');
    expect(await r.refresh(kv, pub, 1_030_000)).toEqual({ status: 'skipped' });
    const reads = kv.reads;
    expect(await r.refresh(kv, pub, 1_070_000)).toEqual({ status: 'unchanged', version: b.version });
    expect(kv.reads).toBe(reads + 1);
  });

  it('a forged update is rejected and the table in force stays', async () => {
    const before = pricingVersion();
    const kv = memoryKv({ [PRICING_KV_KEYS.version]: 'x', [PRICING_KV_KEYS.bundle]: text.replace('"input":"2"', '"input":"0.01"'), [PRICING_KV_KEYS.signature]: signature });
    const res = await new PricingRefresher(loadPricing, pricingVersion).refresh(kv, pub);
    expect(res.status).toBe('rejected');
    expect(pricingVersion()).toBe(before);
  });

  it('nothing published: absent', async () => {
    expect(await new PricingRefresher(loadPricing, pricingVersion).refresh(memoryKv({}), pub)).toEqual({ status: 'absent' });
  });
});
