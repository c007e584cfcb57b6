/**
 * Image sizes and audio durations from the files themselves: image-size reads the header
 * (PNG, JPEG, GIF, WebP, …), music-metadata the container (WAV, MP3, FLAC, Ogg, M4A, …).
 * Both are loaded only when a prompt has images or audio.
 */
import { CliError } from '../errors.js';

/** Pixel size of the image in `bytes`. */
export async function imageSizeOf(bytes: Uint8Array, name: string): Promise<{ width: number; height: number }> {
  const { imageSize } = await import('image-size');
  try {
    const s = imageSize(bytes);
    if (!s.width || !s.height) throw new Error('no size in the header');
    return { width: s.width, height: s.height };
  } catch (e) {
    throw new CliError(`${name}: cannot read the image size (${(e as Error).message})`, 'invalid_media');
  }
}

/** Duration in seconds of the audio in `bytes`. */
export async function audioSecondsOf(bytes: Uint8Array, name: string): Promise<number> {
  const { parseBuffer } = await import('music-metadata');
  let duration: number | undefined;
  try {
    duration = (await parseBuffer(bytes, { path: name }, { duration: true })).format.duration;
  } catch (e) {
    throw new CliError(`${name}: cannot read the audio (${(e as Error).message})`, 'invalid_media');
  }
  if (duration === undefined || !Number.isFinite(duration)) throw new CliError(`${name}: the audio file does not say how long it is`, 'invalid_media');
  return duration;
}
