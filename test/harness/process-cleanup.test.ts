/**
 * Suites that fail during setup still stop every process they started. A child vitest runs
 * test/fixtures/process-cleanup (the real playground suite with Chromium missing, and a
 * fixture whose beforeAll starts workerd, fake upstreams and wrangler dev and then fails an
 * assertion). Every process it starts inherits a marker in its environment, so this test sees
 * exactly those — other test runs on the machine have their own workerd processes — and
 * checks that some ran while the child ran and that none is left once it has exited.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../helpers/workerd.js';

const MARKER = 'TOLLGATE_CLEANUP_PROBE';

/** Processes whose environment carries `MARKER=value`, with their command names. */
function marked(value: string): Map<number, string> {
  const out = new Map<number, string>();
  const needle = Buffer.from(`${MARKER}=${value}\0`);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/environ`).includes(needle)) continue;
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.set(Number(d), cmd.slice(0, 3).join(' '));
    } catch {
      /* exited meanwhile, or not ours to read */
    }
  }
  return out;
}

const kind = (cmd: string) => (/workerd/.test(cmd) ? 'workerd' : /wrangler/.test(cmd) ? 'wrangler' : /chrom/.test(cmd) ? 'chromium' : /vitest/.test(cmd) ? 'vitest' : 'other');

it('leaves no workerd, wrangler or chromium process behind when setup fails', async () => {
  const probe = randomUUID();
  const seen = new Set<string>();
  const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/fixtures/process-cleanup/vitest.config.ts'], {
    cwd: root,
    env: { ...process.env, [MARKER]: probe, TOLLGATE_TEST_CHROMIUM: '/nonexistent/chromium', NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const poll = setInterval(() => {
    for (const cmd of marked(probe).values()) seen.add(kind(cmd));
  }, 250);
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  clearInterval(poll);

  // Both suites failed in setup, for the reasons staged.
  expect(code, output).not.toBe(0);
  expect(output).toMatch(/chromium is missing/);
  expect(output).toMatch(/the deliberate failure/);
  // The fixture really started servers…
  expect([...seen]).toEqual(expect.arrayContaining(['workerd', 'wrangler']));
  // …and none of them outlives the run (give exiting processes a moment to go).
  let left = marked(probe);
  for (let i = 0; i < 20 && left.size > 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    left = marked(probe);
  }
  for (const pid of left.keys()) {
    try {
      process.kill(pid, 'SIGKILL'); // don't leak them from this test either
    } catch {
      /* gone */
    }
  }
  expect([...left.values()]).toEqual([]);
}, 300_000);
