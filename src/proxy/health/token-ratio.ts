/**
 * Learned token ratios for models without a public tokenizer (Claude, Gemini 3.1+, …): after
 * every proxied response the provider tells us its true prompt count, and we know our o200k
 * count of the same prompt. The ratio between them is kept per model as a histogram of
 * log-ratios weighted by prompt size and decayed over time:
 * - bounded: ratios outside [0.5, 2.5] are clamped into the end buckets;
 * - weighted by size: a 20k-token prompt says more than a 20-token one (small prompts are
 *   dominated by fixed per-message overheads), capped so one huge prompt cannot dominate;
 * - resistant to outliers: estimates are weighted quantiles, not means;
 * - adaptive: older samples decay (half weight after ~700 samples), so a tokenizer change
 *   is followed.
 * Estimates say how many samples they rest on and how spread they are (p10–p90).
 */

export const MIN_RATIO = 0.5;
export const MAX_RATIO = 2.5;
const BUCKETS = 160;
const LOG_MIN = Math.log(MIN_RATIO);
const LOG_SPAN = Math.log(MAX_RATIO) - LOG_MIN;
const DECAY = 0.999;
/** Samples needed before the learned ratio replaces the documented constant. */
export const MIN_SAMPLES = 20;

export interface RatioState {
  /** Decayed weight per log-ratio bucket. */
  w: number[];
  /** Samples taken (not decayed). */
  n: number;
}

export interface RatioEstimate {
  /** Weighted median ratio provider tokens / o200k tokens. */
  ratio: number;
  /** 10th and 90th weighted percentiles. */
  p10: number;
  p90: number;
  samples: number;
}

export function emptyRatio(): RatioState {
  return { w: new Array<number>(BUCKETS).fill(0), n: 0 };
}

function bucketOf(ratio: number): number {
  const x = (Math.log(Math.min(MAX_RATIO, Math.max(MIN_RATIO, ratio))) - LOG_MIN) / LOG_SPAN;
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor(x * BUCKETS)));
}

function ratioOf(bucket: number): number {
  return Math.exp(LOG_MIN + ((bucket + 0.5) / BUCKETS) * LOG_SPAN);
}

/** Adds one observation: the provider reported `reported` prompt tokens where we counted `counted` with o200k. */
export function addSample(s: RatioState, reported: number, counted: number): void {
  if (!(reported > 0) || !(counted > 0) || !Number.isFinite(reported) || !Number.isFinite(counted)) return;
  for (let i = 0; i < s.w.length; i++) s.w[i]! *= DECAY;
  s.w[bucketOf(reported / counted)]! += Math.min(counted, 50_000);
  s.n++;
}

function quantile(s: RatioState, total: number, q: number): number {
  let acc = 0;
  for (let i = 0; i < s.w.length; i++) {
    acc += s.w[i]!;
    if (acc >= q * total) return ratioOf(i);
  }
  return ratioOf(s.w.length - 1);
}

/** The learned ratio, once enough samples exist. */
export function estimateRatio(s: RatioState | undefined): RatioEstimate | undefined {
  if (!s || s.n < MIN_SAMPLES) return undefined;
  const total = s.w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return undefined;
  return { ratio: quantile(s, total, 0.5), p10: quantile(s, total, 0.1), p90: quantile(s, total, 0.9), samples: s.n };
}
