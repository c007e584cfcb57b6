/**
 * Ed25519 verification of pricing bundles with WebCrypto, so the same code
 * runs in Node (>= 20), browsers and Cloudflare workerd. No `node:` imports.
 */

/** Raised when a key or signature is malformed (as opposed to merely not matching). */
export class SignatureFormatError extends Error {
  override name = 'SignatureFormatError';
}

/**
 * Decodes standard or URL-safe base64 (padding optional, surrounding
 * whitespace ignored) into bytes. Throws {@link SignatureFormatError} on
 * anything else, so a typo in a key never silently decodes to garbage.
 */
export function base64ToBytes(b64: string, what = 'value'): Uint8Array {
  const clean = b64.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    throw new SignatureFormatError(`${what} is not valid base64`);
  }
  const padded = clean.padEnd(Math.ceil(clean.length / 4) * 4, '=');
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Encodes bytes as standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  // Chunked so large bundles do not overflow the argument limit of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

const ED25519 = { name: 'Ed25519' } as const;

function subtle(): SubtleCrypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available in this runtime');
  return c.subtle;
}

// WebCrypto wants an ArrayBuffer-backed view it may read without copying
// surprises; a fresh copy also detaches us from a caller mutating its buffer.
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/**
 * Verifies an Ed25519 signature over exactly `bytes`.
 *
 * @param bytes the signed document, byte for byte (no re-serialization)
 * @param signatureB64 64-byte signature, base64
 * @param publicKeyB64 32-byte raw public key, base64
 * @returns true when the signature is valid for these bytes and this key
 * @throws SignatureFormatError when the key or signature has the wrong shape
 */
export async function verifyEd25519(bytes: Uint8Array, signatureB64: string, publicKeyB64: string): Promise<boolean> {
  const key = base64ToBytes(publicKeyB64, 'public key');
  if (key.length !== 32) throw new SignatureFormatError(`public key must be 32 bytes, got ${key.length}`);
  const sig = base64ToBytes(signatureB64, 'signature');
  if (sig.length !== 64) throw new SignatureFormatError(`signature must be 64 bytes, got ${sig.length}`);
  const s = subtle();
  const cryptoKey = await s.importKey('raw', toArrayBuffer(key), ED25519, false, ['verify']);
  return s.verify(ED25519, cryptoKey, toArrayBuffer(sig), toArrayBuffer(bytes));
}
