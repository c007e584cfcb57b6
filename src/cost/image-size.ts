/** Reading an image's pixel size from its header, for chat image parts sent inline. */

/**
 * Pixel size of an image given as a data: URL or raw base64 (PNG, GIF, JPEG, WebP headers),
 * or undefined when it cannot be read.
 */
export function sniffImageSize(data: string): { width: number; height: number } | undefined {
  const b64 = data.startsWith('data:') ? data.slice(data.indexOf(',') + 1) : data;
  let bytes: Uint8Array;
  try {
    const bin = atob(b64.slice(0, 65536 - (Math.min(b64.length, 65536) % 4)));
    bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const u16be = (i: number): number => (bytes[i]! << 8) | bytes[i + 1]!;
  const u32be = (i: number): number => u16be(i) * 65536 + u16be(i + 2);
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return { width: u32be(16), height: u32be(20) };
  }
  if (bytes.length >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) {
    return { width: bytes[6]! | (bytes[7]! << 8), height: bytes[8]! | (bytes[9]! << 8) };
  }
  if (bytes.length >= 30 && bytes[0] === 0x52 && bytes[8] === 0x57 && bytes[12] === 0x56 && bytes[13] === 0x50 && bytes[14] === 0x38) {
    const kind = bytes[15];
    if (kind === 0x20) return { width: (bytes[26]! | (bytes[27]! << 8)) & 0x3fff, height: (bytes[28]! | (bytes[29]! << 8)) & 0x3fff };
    if (kind === 0x4c) {
      const b = bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24);
      return { width: (b & 0x3fff) + 1, height: ((b >>> 14) & 0x3fff) + 1 };
    }
    if (kind === 0x58) {
      return { width: 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16)), height: 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16)) };
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1]!;
      const len = u16be(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: u16be(i + 7), height: u16be(i + 5) };
      }
      i += 2 + len;
    }
  }
  return undefined;
}
