/** Minimal real media files for the tests: a PNG header of a given size, a PCM WAV of a given length. */

/** A PNG whose header says width × height (signature + IHDR; image-size reads only the header). */
export function png(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b.writeUInt8(8, 24); // bit depth
  b.writeUInt8(2, 25); // colour type: RGB
  b.writeUInt32BE(0, 29); // CRC (not checked by readers of the header)
  return b;
}

/** A mono 8-bit PCM WAV of `seconds` at 8000 Hz (silence). */
export function wav(seconds: number): Uint8Array {
  const rate = 8000;
  const data = Math.round(seconds * rate);
  const b = Buffer.alloc(44 + data, 0x80);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'latin1');
  b.write('fmt ', 12, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate, 28); // byte rate
  b.writeUInt16LE(1, 32); // block align
  b.writeUInt16LE(8, 34); // bits per sample
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(data, 40);
  return b;
}
