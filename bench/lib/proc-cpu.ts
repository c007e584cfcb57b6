/**
 * CPU time of a process (and its descendants) from /proc/<pid>/stat: utime + stime, in clock
 * ticks (`getconf CLK_TCK`, 100 on Linux: 10 ms resolution, so measure over thousands of
 * requests). Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return ticks;
}

/** Fields after the `(comm)` field, which may itself contain spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process is gone
  }
}

/** User + system CPU seconds `pid` has used so far (0 if it does not exist). */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  // After comm: state(0) ppid(1) … utime(11) stime(12).
  return f ? (Number(f[11]) + Number(f[12])) / clockTicks() : 0;
}

/** Live descendants of `pid` (children, grandchildren…). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const f = statFields(Number(d));
    if (f) parent.set(Number(d), Number(f[1]));
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) if (pp === p) (out.push(child), walk(child));
  };
  walk(pid);
  return out;
}

/** CPU seconds of `pid` and all its live descendants (e.g. `wrangler dev` and the workerd it runs). */
export function treeCpuSeconds(pid: number): number {
  return [pid, ...descendants(pid)].reduce((s, p) => s + cpuSeconds(p), 0);
}
