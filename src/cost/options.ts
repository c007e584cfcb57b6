/**
 * Validation of estimateCost options with zod: unknown keys are rejected, token counts must
 * be non-negative integers ≤ 1e12 (MAX_TOKENS), and every problem becomes a CostInputError
 * naming the field (`cache.readTokens: must be …`).
 */
import { z } from 'zod';
import { CostInputError } from './errors.js';
import { MAX_SECONDS, MAX_TOKENS } from './limits.js';
import type { EstimateOptions } from './types.js';

/** A token-like count: a non-negative integer ≤ 1e12. */
export const countSchema = z
  .number({ error: (i) => (i.input === undefined ? 'is required' : `must be a number, got ${describe(i.input)}`) })
  .refine((n) => !Number.isNaN(n), { error: 'must be a number, got NaN' })
  .refine((n) => n >= 0, { error: (i) => `must not be negative, got ${String(i.input)}`, abort: true })
  .refine((n) => Number.isInteger(n) || !Number.isFinite(n), { error: (i) => `must be a whole number, got ${String(i.input)}`, abort: true })
  .refine((n) => n <= MAX_TOKENS, { error: (i) => `is absurdly large (${String(i.input)} > 1e12)` });

const seconds = z
  .number({ error: (i) => `must be a number of seconds, got ${describe(i.input)}` })
  .refine((n) => Number.isFinite(n) && n >= 0 && n <= MAX_SECONDS, { error: (i) => `must be between 0 and 1e9 seconds, got ${String(i.input)}` });

const pixels = z
  .number({ error: (i) => `must be a number of pixels, got ${describe(i.input)}` })
  .refine((n) => Number.isInteger(n) && n >= 1 && n <= 1_000_000, { error: (i) => `must be an integer between 1 and 1000000 pixels, got ${String(i.input)}` });

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return String(v);
  return typeof v;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Day, timestamp or Date (price history and time-of-day prices). */
export const dateSchema = z.union(
  [z.string().regex(ISO_DATE), z.string().regex(ISO_TIMESTAMP).refine((s) => !Number.isNaN(Date.parse(s))), z.date().refine((d) => !Number.isNaN(d.getTime()))],
  { error: 'must be a YYYY-MM-DD string, an ISO timestamp with a zone (2026-12-02T17:30:00Z) or a valid Date' },
);

const TOOL_KEYS = ['web_search', 'web_fetch', 'file_search', 'google_search', 'google_maps', 'code_execution'] as const;
/** Counts per server-side tool. */
export const toolCountsSchema = z.strictObject(Object.fromEntries(TOOL_KEYS.map((k) => [k, countSchema.optional()])) as Record<(typeof TOOL_KEYS)[number], z.ZodOptional<typeof countSchema>>);

export const serviceTierSchema = z.enum(['standard', 'auto', 'default', 'standard_only', 'scale', 'flex', 'priority', 'batch', 'fast'], {
  error: (i) => `must be one of standard, auto, default, standard_only, scale, flex, priority, batch, fast; got ${JSON.stringify(i.input)}`,
});
export const regionSchema = z.string({ error: (i) => `must be a region name string, got ${describe(i.input)}` }).regex(/^[A-Za-z][A-Za-z0-9-]*$/, { error: 'must be a region name like us or eu' });

export const estimateSchema = z.strictObject({
  model: z.string({ error: (i) => `must be a model id string, got ${describe(i.input)}` }),
  input: z.string({ error: (i) => `must be a string, got ${describe(i.input)}` }).optional(),
  messages: z.array(z.unknown(), { error: 'must be an array of messages' }).optional(),
  tools: z.array(z.unknown(), { error: 'must be an array of tool definitions' }).optional(),
  inputTokens: countSchema.optional(),
  outputTokens: countSchema.optional(),
  reasoningTokens: countSchema.optional(),
  cache: z
    .strictObject({
      readTokens: countSchema.optional(),
      writeTokens: countSchema.optional(),
      ttl: z.enum(['5m', '30m', '1h', '12h'], { error: (i) => `must be '5m', '30m', '1h' or '12h', got ${JSON.stringify(i.input)}` }).optional(),
      storage: z
        .strictObject({
          tokens: countSchema,
          hours: z
            .number({ error: (i) => `must be a number of hours, got ${describe(i.input)}` })
            .refine((n) => Number.isFinite(n) && n >= 0 && n <= 1e6, { error: (i) => `must be between 0 and 1e6 hours, got ${String(i.input)}` }),
        })
        .optional(),
    })
    .optional(),
  cacheHitRatio: z
    .number({ error: (i) => `must be a number between 0 and 1, got ${describe(i.input)}` })
    .refine((n) => n >= 0 && n <= 1, { error: (i) => `must be between 0 and 1, got ${String(i.input)}` })
    .optional(),
  batch: z.boolean({ error: (i) => `must be true or false, got ${describe(i.input)}` }).optional(),
  images: z
    .array(
      z.strictObject({
        width: pixels,
        height: pixels,
        detail: z.enum(['low', 'high', 'auto'], { error: (i) => `must be 'low', 'high' or 'auto', got ${JSON.stringify(i.input)}` }).optional(),
      }),
      { error: 'must be an array of {width, height, detail}' },
    )
    .optional(),
  audio: z.strictObject({ inputSeconds: seconds.optional(), outputSeconds: seconds.optional() }).optional(),
  characters: countSchema.optional(),
  date: dateSchema.optional(),
  serviceTier: serviceTierSchema.optional(),
  region: regionSchema.optional(),
  toolCalls: toolCountsSchema.optional(),
  toolQuotaUsed: toolCountsSchema.optional(),
});

/** Path like `cache.readTokens` or `images[0].width`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s;
}

/**
 * Parses estimateCost options.
 * @throws CostInputError naming the first bad field (unknown keys included)
 */
export function parseEstimateOptions(opts: unknown): EstimateOptions {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new CostInputError('options', 'must be an object with at least a model');
  const r = estimateSchema.safeParse(opts);
  if (r.success) return r.data as EstimateOptions;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const at = fieldPath(issue.path);
    const key = issue.keys[0]!;
    throw new CostInputError(at ? `${at}.${key}` : key, `unknown field (unknown fields are rejected so typos do not go unnoticed)`);
  }
  throw new CostInputError(fieldPath(issue.path) || 'options', issue.message);
}

/**
 * Checks one count outside zod (usage objects): a non-negative integer ≤ 1e12.
 * @throws CostInputError naming `field`
 */
export function checkCount(value: unknown, field: string): number {
  const r = countSchema.safeParse(value);
  if (!r.success) throw new CostInputError(field, r.error.issues[0]!.message);
  return r.data;
}
