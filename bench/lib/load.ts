/**
 * An HTTP load driver for proxy benchmarks: N concurrent workers over an undici keep-alive
 * pool (one connection per worker), each sending requests back to back. Per request it records
 * the latency to the end of the body and the time to the first body byte (for a stream, the
 * first SSE event — not the headers, which a proxy may send before it has anything to relay).
 */
import { Pool } from 'undici';

export interface LoadRequest {
  /** Full URL (`http://127.0.0.1:8100/v1/chat/completions`). */
  url: string;
  headers: Record<string, string>;
  /** JSON bodies, used round-robin. */
  bodies: string[];
}

export interface LoadOptions {
  concurrency: number;
  /** Stop after this many measured requests… */
  requests?: number;
  /** …or after this long (ms), whichever comes first. */
  durationMs?: number;
  /** Unmeasured requests first (keep-alive connections, JIT, caches). */
  warmup?: number;
  /** Called right after the warm-up, before the measured phase (e.g. to read a CPU counter). */
  onMeasureStart?: () => void;
}

export interface Distribution {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Wall time of the measured phase, seconds. */
  seconds: number;
  rps: number;
  /** ms to the end of the response. */
  latency: Distribution;
  /** ms to the first body byte. */
  firstByte: Distribution;
  /** First non-2xx status or error message seen, for diagnosis. */
  firstError?: string;
}

export function distribution(xs: number[]): Distribution {
  if (!xs.length) return { p50: NaN, p90: NaN, p99: NaN, mean: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** Runs the load and returns the measured figures; closes its connections. */
export async function runLoad(req: LoadRequest, opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(req.url);
  const pool = new Pool(url.origin, { connections: opts.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const path = url.pathname + url.search;
  const headers = { 'content-type': 'application/json', ...req.headers };
  let next = 0;

  async function one(): Promise<{ total: number; first: number; error?: string }> {
    const body = req.bodies[next++ % req.bodies.length];
    const t0 = performance.now();
    const res = await pool.request({ path, method: 'POST', headers, body });
    let first = -1;
    for await (const _chunk of res.body) if (first < 0) first = performance.now() - t0;
    const total = performance.now() - t0;
    return { total, first: first < 0 ? total : first, error: res.statusCode >= 300 ? `HTTP ${res.statusCode}` : undefined };
  }

  try {
    const warm = opts.warmup ?? 0;
    for (let started = 0; started < warm; ) {
      const batch = Math.min(opts.concurrency, warm - started);
      started += batch;
      await Promise.all(Array.from({ length: batch }, () => one().catch(() => undefined)));
    }
    opts.onMeasureStart?.();
    const latency: number[] = [];
    const firstByte: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    let issued = 0;
    const limit = opts.requests ?? Infinity;
    const t0 = performance.now();
    const deadline = opts.durationMs !== undefined ? t0 + opts.durationMs : Infinity;
    const worker = async () => {
      while (issued < limit && performance.now() < deadline) {
        issued++;
        try {
          const r = await one();
          latency.push(r.total);
          firstByte.push(r.first);
          if (r.error) {
            errors++;
            firstError ??= r.error;
          }
        } catch (e) {
          errors++;
          firstError ??= (e as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    return { requests: latency.length, errors, seconds, rps: latency.length / seconds, latency: distribution(latency), firstByte: distribution(firstByte), firstError };
  } finally {
    await pool.close();
  }
}
