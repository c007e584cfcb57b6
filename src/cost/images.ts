/**
 * Image tokens per provider rule (the model's `image` rule in the pricing table):
 *
 * - openai-tile: fit in 2048×2048, then shortest side down to 768, 512-px tiles;
 *   base + tile × tiles (low detail = base). 1024×1024 high on gpt-4o → 85 + 170 × 4 = 765.
 * - openai-patch: ceil(w/32) × ceil(h/32) patches; above the cap the image is scaled down to
 *   fit (OpenAI's documented procedure), capped; × the model's multiplier, rounded up.
 * - anthropic: ceil(w × h / 750) after scaling the long edge down to 1568 px.
 * - gemini: 258 for an image ≤ 384 px on both sides, else 258 per 768×768 tile.
 */
import type { ImageRule } from '../pricing/types.js';
import { parseScaled } from './decimal.js';
import { CostInputError } from './errors.js';
import { getModel, periodAt } from './table.js';
import type { ImageDetail } from './types.js';

const MAX_SIDE = 1_000_000;

function checkSide(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_SIDE) {
    throw new CostInputError(field, `must be an integer number of pixels between 1 and ${MAX_SIDE}, got ${String(v)}`);
  }
  return v;
}

/** OpenAI tile rule: base + tile × 512-px tiles after fitting 2048² and shortest side 768. */
export function openAiTileTokens(width: number, height: number, detail: ImageDetail, base: number, tile: number): number {
  if (detail === 'low') return base;
  let w = width;
  let h = height;
  if (Math.max(w, h) > 2048) {
    const s = 2048 / Math.max(w, h);
    w = Math.floor(w * s);
    h = Math.floor(h * s);
  }
  if (Math.min(w, h) > 768) {
    const s = 768 / Math.min(w, h);
    w = Math.floor(w * s);
    h = Math.floor(h * s);
  }
  return base + tile * Math.ceil(w / 512) * Math.ceil(h / 512);
}

/** OpenAI patch rule: 32-px patches, scaled down to fit `cap`, capped, × multiplier (rounded up). */
export function openAiPatchTokens(width: number, height: number, cap: number, multiplier: string): number {
  let patches = Math.ceil(width / 32) * Math.ceil(height / 32);
  if (patches > cap) {
    let r = Math.sqrt((32 * 32 * cap) / (width * height));
    r *= Math.min(Math.floor((width * r) / 32) / ((width * r) / 32), Math.floor((height * r) / 32) / ((height * r) / 32));
    patches = Math.ceil((width * r) / 32) * Math.ceil((height * r) / 32);
  }
  patches = Math.min(patches, cap);
  const m = parseScaled(multiplier, 6, 'image.multiplier');
  return Number((BigInt(patches) * m + 999_999n) / 1_000_000n);
}

/** Anthropic: ceil(w·h / 750) after scaling the long edge down to 1568 px. */
export function anthropicImageTokens(width: number, height: number): number {
  let w = width;
  let h = height;
  const long = Math.max(w, h);
  if (long > 1568) {
    w = Math.max(1, Math.round((w * 1568) / long));
    h = Math.max(1, Math.round((h * 1568) / long));
  }
  return Math.ceil((w * h) / 750);
}

/** Gemini: 258 per image up to 384 px on both sides, else 258 per 768×768 tile. */
export function geminiImageTokens(width: number, height: number): number {
  if (width <= 384 && height <= 384) return 258;
  return 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
}

/** Tokens of one image under `rule`; a per-image price has no tokens (returns 0). */
export function imageTokensForRule(rule: ImageRule, width: number, height: number, detail: ImageDetail = 'auto'): number {
  switch (rule.rule) {
    case 'openai-tile':
      return openAiTileTokens(width, height, detail, rule.base, rule.tile);
    case 'openai-patch':
      return openAiPatchTokens(width, height, rule.cap, rule.multiplier);
    case 'anthropic':
      return anthropicImageTokens(width, height);
    case 'gemini':
      return geminiImageTokens(width, height);
    case 'per-image':
      return 0;
  }
}

/** Options of {@link imageTokens}. */
export interface ImageTokensOptions {
  model: string;
  width: number;
  height: number;
  /** `low` | `high` | `auto` (billed like high). Only OpenAI tile models distinguish them. */
  detail?: ImageDetail;
  /** Use the image rule in force on this day (default today). */
  date?: string | Date;
}

const IMAGE_KEYS = new Set(['model', 'width', 'height', 'detail', 'date']);

/**
 * Billed input tokens of one image for `model`, by the provider's rule.
 * `imageTokens({ model: 'gpt-4o', width: 1024, height: 1024, detail: 'high' })` → 765.
 * @throws CostInputError for bad sizes, unknown fields, or a model that takes no images / prices them per image
 * @throws UnknownNameError for an unknown model
 */
export function imageTokens(opts: ImageTokensOptions): number {
  if (typeof opts !== 'object' || opts === null) throw new CostInputError('options', 'must be an object');
  for (const k of Object.keys(opts)) if (!IMAGE_KEYS.has(k)) throw new CostInputError(k, `unknown field; expected one of ${[...IMAGE_KEYS].join(', ')}`);
  const model = getModel(opts.model);
  const w = checkSide(opts.width, 'width');
  const h = checkSide(opts.height, 'height');
  const detail = opts.detail ?? 'auto';
  if (detail !== 'low' && detail !== 'high' && detail !== 'auto') throw new CostInputError('detail', `must be 'low', 'high' or 'auto', got ${String(detail)}`);
  const { period } = periodAt(model, opts.date);
  const rule = period.image;
  if (!rule) throw new CostInputError('model', `${model.id} has no image pricing rule (it does not take image input)`);
  if (rule.rule === 'per-image') throw new CostInputError('model', `${model.id} prices images per image ($${rule.price}), not in tokens`);
  return imageTokensForRule(rule, w, h, detail);
}

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
