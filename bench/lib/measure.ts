/** Timing helpers: repeat until a minimum duration, report the median of several rounds. */

/** Median seconds per call of `fn`, over `rounds` rounds of at least `minMs` each. */
export function secondsPerCall(fn: () => unknown, minMs = 200, rounds = 5): number {
  fn(); // warm up (and tier up the JIT)
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    do {
      fn();
      calls++;
      t = performance.now();
    } while (t - t0 < minMs);
    samples.push((t - t0) / 1000 / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Wall time of one call in milliseconds. */
export function timeOnce(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export const fmt = {
  mbps: (bytes: number, seconds: number) => (bytes / 1e6 / seconds).toFixed(1).padStart(7) + ' MB/s',
  ratio: (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1)) + '×',
  ms: (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)) + ' ms',
  kb: (bytes: number) => (bytes / 1024).toFixed(0) + ' KiB',
};

/** Print a table with left-aligned first column. */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}
