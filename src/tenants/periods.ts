/**
 * Budget periods. Calendar periods start at local midnight (hour: the local hour; week: Monday;
 * month: the 1st) in the tenant's IANA time zone, DST included. Rolling periods are the last
 * hour / day / 7 days / 30 days, kept as buckets: a rolling sum includes the whole oldest
 * bucket, so it can only over-count (a budget is reached slightly early, never late).
 */
import type { Period } from './policy-schema.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const ROLLING: Record<Period, { durationMs: number; bucketMs: number }> = {
  hour: { durationMs: HOUR, bucketMs: 60_000 },
  day: { durationMs: DAY, bucketMs: 15 * 60_000 },
  week: { durationMs: 7 * DAY, bucketMs: 2 * HOUR },
  month: { durationMs: 30 * DAY, bucketMs: 6 * HOUR },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(tz, f);
  }
  return f;
}

interface Local {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
  /** 0 = Monday … 6 = Sunday */
  dow: number;
}

const DOW: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function local(ms: number, tz: string): Local {
  const out: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) out[p.type] = p.value;
  return { y: +out.year!, m: +out.month!, d: +out.day!, h: +out.hour!, min: +out.minute!, s: +out.second!, dow: DOW[out.weekday!] ?? 0 };
}

/** Offset of `tz` from UTC at `ms`, in ms (local = utc + offset). */
function offset(ms: number, tz: string): number {
  const l = local(ms, tz);
  return Date.UTC(l.y, l.m - 1, l.d, l.h, l.min, l.s) - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time (the earlier one in a DST fold, the later side of a gap). */
export function localToUtc(y: number, m: number, d: number, h: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, h);
  const first = wall - offset(wall, tz);
  return wall - offset(first, tz);
}

export interface Window {
  start: number;
  end: number;
}

const lastWindow = new Map<string, Window>();

/** The calendar period containing `now` in `tz` (the last one found is reused while it lasts: Intl is slow). */
export function calendarWindow(period: Period, tz: string, now: number): Window {
  const key = `${period}|${tz}`;
  const last = lastWindow.get(key);
  if (last && now >= last.start && now < last.end) return last;
  const w = computeWindow(period, tz, now);
  if (lastWindow.size > 1000) lastWindow.clear();
  lastWindow.set(key, w);
  return w;
}

function computeWindow(period: Period, tz: string, now: number): Window {
  const l = local(now, tz);
  switch (period) {
    case 'hour': {
      const start = localToUtc(l.y, l.m, l.d, l.h, tz);
      return { start, end: localToUtc(l.y, l.m, l.d, l.h + 1, tz) };
    }
    case 'day':
      return { start: localToUtc(l.y, l.m, l.d, 0, tz), end: localToUtc(l.y, l.m, l.d + 1, 0, tz) };
    case 'week':
      return { start: localToUtc(l.y, l.m, l.d - l.dow, 0, tz), end: localToUtc(l.y, l.m, l.d - l.dow + 7, 0, tz) };
    case 'month':
      return { start: localToUtc(l.y, l.m, 1, 0, tz), end: localToUtc(l.y, l.m + 1, 1, 0, tz) };
  }
}

/** Start of the bucket of a rolling period containing `t`. */
export function bucketStart(period: Period, t: number): number {
  const b = ROLLING[period].bucketMs;
  return Math.floor(t / b) * b;
}

/** Bucket starts a rolling sum at `now` includes (oldest first). */
export function rollingBuckets(period: Period, now: number): number[] {
  const { durationMs, bucketMs } = ROLLING[period];
  const out: number[] = [];
  for (let b = bucketStart(period, now - durationMs); b <= now; b += bucketMs) out.push(b);
  return out;
}

/** `Date.UTC` day start of `now` (tokens-per-day windows are UTC days, like providers' limits). */
export function utcDay(now: number): Window {
  const start = Math.floor(now / DAY) * DAY;
  return { start, end: start + DAY };
}

export function utcMinute(now: number): Window {
  const start = Math.floor(now / 60_000) * 60_000;
  return { start, end: start + 60_000 };
}
