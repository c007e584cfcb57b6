import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPricing } from '../../scripts/pricing/build-pricing.js';
import { generateKeyPair, parsePrivateKey, publicKeyOf, signBytes } from '../../scripts/pricing/sign-pricing.js';
import { base64ToBytes, bytesToBase64, verifyEd25519 } from '../../src/pricing/signature.js';
import type { PricingBundle } from '../../src/pricing/types.js';
import { ROOT } from './helpers.js';

// signed-update imports the generated validator, so it is loaded after the build.
type SignedUpdate = typeof import('../../src/pricing/signed-update.js');
let su: SignedUpdate;
let bundleBytes: Uint8Array;
let bundle: PricingBundle;
const keys = generateKeyPair();
const otherKeys = generateKeyPair();
const encoder = new TextEncoder();

function sign(bytes: Uint8Array, privateKey = keys.privateKey): string {
  return signBytes(bytes, parsePrivateKey(privateKey));
}

/** A modified bundle, re-serialized and correctly signed. */
function signedVariant(edit: (b: PricingBundle) => void): { bytes: Uint8Array; sig: string } {
  const b = structuredClone(bundle);
  edit(b);
  const bytes = encoder.encode(JSON.stringify(b));
  return { bytes, sig: sign(bytes) };
}

beforeAll(async () => {
  const res = buildPricing();
  if (!res.ok) throw new Error(JSON.stringify(res.issues));
  bundleBytes = encoder.encode(res.output.bundleJson);
  bundle = res.output.bundle;
  su = await import('../../src/pricing/signed-update.js');
});

describe('verifyEd25519 (WebCrypto)', () => {
  it('accepts a signature made by node:crypto over the same bytes', async () => {
    expect(await verifyEd25519(bundleBytes, sign(bundleBytes), keys.publicKey)).toBe(true);
  });

  it('rejects when a single byte of the document changes', async () => {
    const sig = sign(bundleBytes);
    for (const at of [0, Math.floor(bundleBytes.length / 2), bundleBytes.length - 1]) {
      const tampered = bundleBytes.slice();
      tampered[at]! ^= 0x01;
      expect(await verifyEd25519(tampered, sig, keys.publicKey), `byte ${at}`).toBe(false);
    }
  });

  it('rejects a signature checked against the wrong key', async () => {
    expect(await verifyEd25519(bundleBytes, sign(bundleBytes), otherKeys.publicKey)).toBe(false);
  });

  it('round-trips base64, including URL-safe input, and refuses garbage', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const b64 = bytesToBase64(bytes);
    expect(base64ToBytes(b64)).toEqual(bytes);
    expect(base64ToBytes(b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))).toEqual(bytes);
    expect(() => base64ToBytes('not base64!')).toThrow(/not valid base64/);
  });
});

describe('loadSignedPricing', () => {
  it('accepts a correctly signed bundle and returns a working table', async () => {
    const table = await su.loadSignedPricing(bundleBytes, sign(bundleBytes), keys.publicKey);
    expect(table.version).toBe(bundle.version);
    expect(table.size).toBe(bundle.models.length);
    expect(table.get('claude-sonnet-4-5-20250929')?.id).toBe('claude-sonnet-4-5');
  });

  it('rejects a tampered byte with PricingSignatureError', async () => {
    const sig = sign(bundleBytes);
    const tampered = bundleBytes.slice();
    // Flip a digit inside a price so the JSON would still parse.
    const at = new TextDecoder().decode(bundleBytes).indexOf('"input":"2.5"') + 10;
    tampered[at] = '3'.charCodeAt(0);
    await expect(su.loadSignedPricing(tampered, sig, keys.publicKey)).rejects.toBeInstanceOf(su.PricingSignatureError);
  });

  it('rejects the wrong key with PricingSignatureError', async () => {
    await expect(su.loadSignedPricing(bundleBytes, sign(bundleBytes), otherKeys.publicKey)).rejects.toThrow(
      /signature does not match/,
    );
  });

  it('rejects malformed signatures and keys with PricingSignatureError', async () => {
    await expect(su.loadSignedPricing(bundleBytes, 'AAAA', keys.publicKey)).rejects.toThrow(/signature must be 64 bytes/);
    await expect(su.loadSignedPricing(bundleBytes, sign(bundleBytes), 'AAAA')).rejects.toBeInstanceOf(su.PricingSignatureError);
    await expect(su.loadSignedPricing(bundleBytes, '%%%', keys.publicKey)).rejects.toThrow(/not valid base64/);
  });

  it('rejects a signed bundle with an unknown field, naming the field', async () => {
    const { bytes, sig } = signedVariant((b) => {
      (b.models[4] as unknown as Record<string, unknown>).discount = '0.1';
    });
    const err = await su.loadSignedPricing(bytes, sig, keys.publicKey).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(su.PricingValidationError);
    expect((err as Error).message).toContain('/models/4/discount');
  });

  it('rejects a signed bundle with a duplicate alias, naming the path', async () => {
    const { bytes, sig } = signedVariant((b) => {
      b.models[1]!.aliases = [...(b.models[1]!.aliases ?? []), b.models[0]!.id.toUpperCase()];
    });
    const err = (await su.loadSignedPricing(bytes, sig, keys.publicKey).catch((e: unknown) => e)) as InstanceType<
      SignedUpdate['PricingValidationError']
    >;
    expect(err).toBeInstanceOf(su.PricingValidationError);
    expect(err.issues.map((i) => i.path)).toContain(`/models/1/aliases/${(bundle.models[1]!.aliases ?? []).length}`);
  });

  it('rejects a signed bundle with an impossible date or a bad decimal', async () => {
    const a = signedVariant((b) => {
      b.models[0]!.prices[0]!.since = '2025-02-30';
    });
    await expect(su.loadSignedPricing(a.bytes, a.sig, keys.publicKey)).rejects.toThrow(/\/models\/0\/prices\/0\/since: "2025-02-30" is not a calendar date/);
    const b = signedVariant((x) => {
      x.models[0]!.prices[0]!.input = '1e3';
    });
    await expect(su.loadSignedPricing(b.bytes, b.sig, keys.publicKey)).rejects.toThrow(/\/models\/0\/prices\/0\/input/);
  });

  it('rejects signed bytes that are not JSON', async () => {
    const bytes = encoder.encode('{"version": ');
    await expect(su.loadSignedPricing(bytes, sign(bytes), keys.publicKey)).rejects.toBeInstanceOf(su.PricingValidationError);
  });
});

describe('PricingStore keeps the old table when an update is rejected', () => {
  it('swaps on a good update, keeps the current table on forged or invalid ones', async () => {
    const initial = await su.loadSignedPricing(bundleBytes, sign(bundleBytes), keys.publicKey);
    const store = new su.PricingStore(initial, keys.publicKey);

    // A forged update: signed with a key the store does not trust.
    const forged = signedVariant((b) => {
      b.models.find((m) => m.id === 'gpt-4o')!.prices.at(-1)!.input = '0';
    });
    await expect(store.update(forged.bytes, sign(forged.bytes, otherKeys.privateKey))).rejects.toBeInstanceOf(su.PricingSignatureError);
    expect(store.table).toBe(initial);
    expect(store.table.latestPrice('gpt-4o').input).toBe('2.5');

    // A correctly signed but invalid update.
    const invalid = signedVariant((b) => {
      (b as unknown as Record<string, unknown>).extra = true;
    });
    await expect(store.update(invalid.bytes, invalid.sig)).rejects.toBeInstanceOf(su.PricingValidationError);
    expect(store.table).toBe(initial);

    // A good update is installed.
    const good = signedVariant((b) => {
      b.models.find((m) => m.id === 'gpt-4o')!.prices.push({ since: '2026-12-01', input: '2', output: '8', cached_input: '1' });
    });
    const next = await store.update(good.bytes, good.sig);
    expect(store.table).toBe(next);
    expect(next.latestPrice('gpt-4o').input).toBe('2');
    expect(next.priceAt('gpt-4o', '2026-11-30')?.input).toBe('2.5');
  });
});

describe('sign-pricing CLI', () => {
  it('--generate-key prints a keypair whose halves belong together', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/pricing/sign-pricing.ts'), '--generate-key'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const pub = /public key \(raw, base64\):\s+(\S+)/.exec(out)?.[1];
    const priv = /private key \(pkcs8, base64\):\s+(\S+)/.exec(out)?.[1];
    expect(pub && base64ToBytes(pub).length).toBe(32);
    expect(publicKeyOf(parsePrivateKey(priv!))).toBe(pub);
  });

  it('--key <pem file> <file> writes a .sig that loadSignedPricing accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-sign-'));
    const file = join(dir, 'pricing.json');
    writeFileSync(file, bundleBytes);
    const pem = createPrivateKey({ key: Buffer.from(keys.privateKey, 'base64'), format: 'der', type: 'pkcs8' })
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
    writeFileSync(join(dir, 'key.pem'), pem);
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/pricing/sign-pricing.ts'), '--key', join(dir, 'key.pem'), file], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const sig = readFileSync(`${file}.sig`, 'utf8');
    const table = await su.loadSignedPricing(new Uint8Array(readFileSync(file)), sig, keys.publicKey);
    expect(table.size).toBe(bundle.models.length);
  });
});
