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
  const rule = periodAt(model, opts.date).image;
  if (!rule) throw new CostInputError('model', `${model.id} has no image pricing rule (it does not take image input)`);
  if (rule.rule === 'per-image') throw new CostInputError('model', `${model.id} prices images per image ($${rule.price}), not in tokens`);
  return imageTokensForRule(rule, w, h, detail);
}
