/**
 * Child processes for benchmarks: started with piped output (kept for error messages), waited
 * on until ready, and stopped by their own pid (SIGTERM, then SIGKILL) — also when a suite fails.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Everything it printed so far (stdout and stderr), for diagnostics. */
  output(): string;
  stop(): Promise<void>;
}

/** Children still running, killed when this process exits however it exits (an uncaught EPIPE from `| head` included). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

export function startChild(cmd: string, args: string[], opts: SpawnOptions = {}): Child {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  if (proc.pid === undefined) throw new Error(`could not start ${cmd}`);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    pid: proc.pid,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `url` answers any HTTP response; rejects (with the child's output) after `timeoutMs`. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`process exited (${child.proc.exitCode}) before ${url} answered:\n${child.output()}`);
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Resolves with the first line the child prints on stdout. */
export function firstLine(child: Child, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms:\n${child.output()}`)), timeoutMs);
    const onData = (b: Buffer) => {
      buf += b.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        child.proc.stdout?.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    child.proc.stdout?.on('data', onData);
    child.proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}):\n${child.output()}`));
    });
  });
}
