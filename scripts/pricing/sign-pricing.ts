/**
 * Signs a pricing bundle with Ed25519 so gateways can load it at run time.
 *
 *   tsx scripts/pricing/sign-pricing.ts --generate-key
 *       prints a new keypair: public key (32 raw bytes) and private key (PKCS#8 DER), both base64
 *   tsx scripts/pricing/sign-pricing.ts --key <private-key.pem | base64 PKCS#8> <file>
 *       writes <file>.sig: the base64 signature of <file>'s exact bytes
 *
 * The private key may also come from the PRICING_SIGNING_KEY environment
 * variable (same formats), which keeps it out of shell history.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** A freshly generated keypair, base64-encoded in the formats the loader and signer accept. */
export interface GeneratedKeyPair {
  /** 32-byte raw Ed25519 public key, base64: what `loadSignedPricing` takes. */
  publicKey: string;
  /** PKCS#8 DER private key, base64: what `--key` takes. */
  privateKey: string;
}

/** Generates an Ed25519 keypair. */
export function generateKeyPair(): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
}

function rawPublicKey(key: KeyObject): string {
  // The JWK "x" member is exactly the 32 raw public-key bytes (base64url).
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/**
 * Parses a private key given as a path to a PEM file, PEM text, or base64
 * PKCS#8 DER. Throws when it is not an Ed25519 private key.
 */
export function parsePrivateKey(spec: string): KeyObject {
  let text = spec.trim();
  if (!text.includes('-----BEGIN') && existsSync(text)) text = readFileSync(text, 'utf8').trim();
  const key = text.includes('-----BEGIN')
    ? createPrivateKey({ key: text, format: 'pem' })
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}

/** Signs `bytes` and returns the base64 signature. */
export function signBytes(bytes: Uint8Array, key: KeyObject): string {
  // Ed25519 hashes internally: the algorithm argument must be null.
  return sign(null, bytes, key).toString('base64');
}

/** Base64 raw public key belonging to a private key, to print next to a signature. */
export function publicKeyOf(key: KeyObject): string {
  return rawPublicKey(createPublicKey(key));
}

const USAGE = `usage:
  tsx scripts/pricing/sign-pricing.ts --generate-key
  tsx scripts/pricing/sign-pricing.ts --key <private-key.pem | base64 pkcs8> <file>`;

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        key: { type: 'string', short: 'k' },
        'generate-key': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['generate-key']) {
    const kp = generateKeyPair();
    console.log(`public key (raw, base64):     ${kp.publicKey}`);
    console.log(`private key (pkcs8, base64):  ${kp.privateKey}`);
    return;
  }
  const keySpec = values.key ?? process.env.PRICING_SIGNING_KEY;
  if (!keySpec || positionals.length !== 1) {
    console.error(USAGE);
    process.exit(2);
  }
  const file = resolve(positionals[0]!);
  const key = parsePrivateKey(keySpec);
  const signature = signBytes(readFileSync(file), key);
  writeFileSync(`${file}.sig`, `${signature}\n`);
  console.log(`signed ${file} -> ${file}.sig (public key ${publicKeyOf(key)})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
