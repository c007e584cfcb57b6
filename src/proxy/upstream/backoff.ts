/** Retry timing: exponential backoff with full jitter, and the provider's own retry hints. */

/** Milliseconds the upstream asked us to wait (`retry-after-ms`, `retry-after` seconds or HTTP date), if any. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  const s = Number(ra);
  if (ra.trim() !== '' && Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Delay before retry number `attempt` (0-based): random in [0, min(max, base·2^attempt)], at least the hint. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, hintMs: number | undefined, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** attempt);
  const jittered = Math.floor(random() * cap);
  return hintMs !== undefined ? Math.max(hintMs, jittered) : jittered;
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((ok, fail) => {
    if (signal?.aborted) return fail(signal.reason);
    if (ms <= 0) return ok();
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      ok();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      fail(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
