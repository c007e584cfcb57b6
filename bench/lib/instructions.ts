/**
 * Instruction counts of a fresh Node process, for cold-start work too small and this VM too
 * noisy to compare by wall time (medians of identical builds differ by ±0.2 ms run to run).
 *
 * callgrind counts every instruction the process executes; with address-space randomisation
 * off and V8's seeds fixed, a run repeats to within ~1K instructions, so a phase's cost is the
 * difference between two scripts that stop before and after it. Optional: it needs valgrind
 * (`apt-get install valgrind`); without it callers get undefined.
 */
import { spawnSync } from 'node:child_process';
import { root } from './corpus.js';

let available: boolean | undefined;

/** Whether valgrind and setarch are installed. */
export function canCountInstructions(): boolean {
  available ??= ['valgrind', 'setarch'].every((tool) => spawnSync(tool, ['--help'], { stdio: 'ignore' }).error === undefined);
  return available;
}

/** Instructions executed by `node <file> [args…]`. */
export function countInstructions(file: string, args: string[] = []): number {
  // NODE_EXTRA_CA_CERTS (set on some machines) parses certificates at startup: ~400M
  // instructions that would bury the difference.
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const run = spawnSync(
    'setarch',
    ['-R', 'valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', '--random-seed=1', '--hash-seed=1', file, ...args],
    { cwd: root, env, encoding: 'utf8' },
  );
  const collected = /Collected\s*:\s*([\d,]+)/.exec(run.stderr);
  if (run.status !== 0 || !collected) throw new Error(`callgrind run of ${file} failed: ${run.stderr.slice(-500)}`);
  return Number(collected[1]!.replaceAll(',', ''));
}
