/** The WASM engine's ABI layout matches the JS mirror; memory does not grow across calls; signed updates. */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateCost, loadPricing, pricingVersion, PricingSignatureError, getModel } from '../../src/runtime/node.js';
import { costEngine } from '../../src/cost/engine.js';
import * as L from '../../src/cost/layout.js';
import { root } from '../helpers/workerd.js';

it('assembly/cost/layout.ts and src/cost/layout.ts agree', () => {
  const as = readFileSync(`${root}/assembly/cost/layout.ts`, 'utf8');
  const consts = new Map([...as.matchAll(/export const (\w+): \w+ = (-?\d+);/g)].map((m) => [m[1]!, Number(m[2])]));
  const check = (prefix: string, obj: Record<string, number>) => {
    for (const [k, v] of Object.entries(obj)) expect([`${prefix}${k}`, consts.get(`${prefix}${k}`)]).toEqual([`${prefix}${k}`, v]);
  };
  check('R_', L.R);
  check('T_', L.T);
  check('Q_', L.Q);
  check('E_', L.E);
  expect(consts.get('RECORD_SLOTS')).toBe(L.RECORD_SLOTS);
  expect(consts.get('QUANTITY_SLOTS')).toBe(L.QUANTITY_SLOTS);
  expect(consts.get('LINE_BYTES')).toBe(L.LINE_BYTES);
  expect(consts.get('MAX_TIERS')).toBe(L.MAX_TIERS);
  L.COMPONENTS.forEach((name, i) => i > 0 && expect(consts.get(`C_${name.toUpperCase()}`)).toBe(i));
});

it('100k estimates do not grow WASM memory', async () => {
  await estimateCost({ model: 'gpt-4o', inputTokens: 1 });
  const engine = await costEngine();
  const before = engine.memoryBytes();
  for (let i = 0; i < 100_000; i++) await estimateCost({ model: i % 2 ? 'claude-sonnet-4-5' : 'gpt-4o', inputTokens: i * 7, outputTokens: i, cache: { readTokens: i } });
  expect(engine.memoryBytes()).toBe(before);
});

describe('loadPricing (signed runtime update)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  const original = readFileSync(`${root}/dist/assets/pricing.json`, 'utf8');

  it('a tampered update is rejected and the old table stays', async () => {
    const before = pricingVersion();
    const text = original.replace('"input":"2.5"', '"input":"0.5"');
    const sig = sign(null, Buffer.from(original), privateKey).toString('base64');
    await expect(loadPricing(new TextEncoder().encode(text), sig, pub)).rejects.toBeInstanceOf(PricingSignatureError);
    expect(pricingVersion()).toBe(before);
    expect((await estimateCost({ model: 'gpt-4o', inputTokens: 1_000_000 })).total).toBe('2.5');
  });

  it('a correctly signed update takes effect for the next estimate', async () => {
    const b = JSON.parse(original);
    const m = b.models.find((x: { id: string }) => x.id === 'gpt-4o');
    m.prices.push({ ...m.prices.at(-1), since: '2026-01-01', input: '2', note: 'test update' });
    b.version = '2026-01-01+0123456789ab';
    const text = JSON.stringify(b);
    const res = await loadPricing(new TextEncoder().encode(text), sign(null, Buffer.from(text), privateKey).toString('base64'), pub);
    expect(res.version).toBe('2026-01-01+0123456789ab');
    expect(getModel('gpt-4o').prices.length).toBe(2);
    expect((await estimateCost({ model: 'gpt-4o', inputTokens: 1_000_000, date: '2026-02-01' })).total).toBe('2');
    expect((await estimateCost({ model: 'gpt-4o', inputTokens: 1_000_000, date: '2025-02-01' })).total).toBe('2.5');
    // Restore the built-in table for other tests in this file.
    await loadPricing(new TextEncoder().encode(original), sign(null, Buffer.from(original), privateKey).toString('base64'), pub);
  });
});
