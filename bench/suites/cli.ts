/**
 * `npm run bench -- cli`: the command line as CI runs it, in fresh processes.
 * - `tollgate check` on a generated project of 10,000 prompt files (~50 MB: 4 KB slices of the
 *   mixed test corpus — prose, code, JSON, CJK, other scripts, emoji — each followed by ~1 KB of
 *   seeded random words and ids, so no two files are alike), 100 prompts of 100 files on five
 *   models (exact and estimated tokenizers): wall time and MB/s, target < 5 s.
 * - start-up to first output of `tollgate count` on a short file and of `tollgate --version`
 *   (spawn → first stdout byte), median of 21 fresh processes, interleaved with Node printing
 *   one byte the same way: the absolute figure (target < 150 ms) and what the CLI adds to Node.
 *   Measured without NODE_EXTRA_CA_CERTS (set on some machines, this VM among them: every Node
 *   process then parses the bundle, ~100 ms on its own); when it is set, a second pass shows the
 *   figures with it. With valgrind, the same three in instructions (deterministic; wall time on
 *   this shared 2-core VM is not). bench/README.md has the method.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docs4k, root } from '../lib/corpus.js';
import { canCountInstructions, countInstructions } from '../lib/instructions.js';
import { median } from '../lib/fresh-process.js';

const CLI = join(root, 'dist/cli/tollgate.cjs');
const DIR = join(root, 'node_modules/.cache/tollgate-bench/cli-corpus');
const FILES = 10_000;
const PROMPTS = 100;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'gpt-4.1'];
const VERSION = 'v1'; // bump when the generator changes

/** A seeded xorshift PRNG: the corpus is the same on every machine and run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Writes the corpus (once; reused while VERSION matches) and returns its size in bytes. */
function corpus(): number {
  const stamp = join(DIR, 'VERSION');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === VERSION) return Number(readFileSync(join(DIR, 'BYTES'), 'utf8'));
  rmSync(DIR, { recursive: true, force: true });
  const docs = docs4k();
  const vocabulary = [...new Set(docs.join(' ').split(/\s+/).filter((w) => w.length > 2 && w.length < 14))];
  const rand = rng(13);
  let bytes = 0;
  const prompts: string[] = [];
  for (let p = 0; p < PROMPTS; p++) {
    const dir = join(DIR, 'prompts', `p${String(p).padStart(3, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES / PROMPTS; f++) {
      let salt = `\n\n## Context ${p}-${f}\n`;
      while (salt.length < 1000) salt += `${vocabulary[Math.floor(rand() * vocabulary.length)]}${rand() < 0.1 ? ` #${Math.floor(rand() * 1e6)}` : ''} `;
      const text = docs[Math.floor(rand() * docs.length)]! + salt;
      writeFileSync(join(dir, `f${String(f).padStart(3, '0')}.md`), text);
      bytes += Buffer.byteLength(text);
    }
    prompts.push(`  - name: prompt-${p}\n    file: prompts/p${String(p).padStart(3, '0')}/*.md\n    model: ${MODELS[p % MODELS.length]}\n    requests_per_month: ${1000 * (1 + (p % 9))}\n`);
  }
  writeFileSync(join(DIR, 'tollgate.yml'), `date: "2025-11-01"\ndefaults: { output_tokens: 400 }\nprompts:\n${prompts.join('')}`);
  writeFileSync(join(DIR, 'short.txt'), 'You are a helpful assistant. Answer in one sentence.\n');
  writeFileSync(join(DIR, 'BYTES'), String(bytes));
  writeFileSync(stamp, VERSION);
  return bytes;
}

/** Reports the process's CPU time on stderr at exit (preloaded with -r). */
const CPU_PRELOAD = join(DIR, '..', 'cpu-at-exit.cjs');

/**
 * Milliseconds from spawn to the first byte on stdout and to exit, and the child's CPU time
 * (user + system, ms): on a shared machine CPU time moves less than wall time.
 */
function timed(args: string[], cwd: string, cpu = false, env: NodeJS.ProcessEnv = process.env): Promise<{ first: number; exit: number; cpu: number; code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = 0;
    let out = '';
    let err = '';
    const child = spawn(process.execPath, [...(cpu ? ['-r', CPU_PRELOAD] : []), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => {
      first ||= performance.now() - t0;
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const used = /cpu-ms (\d+(?:\.\d+)?)/.exec(err);
      resolve({ first, exit: performance.now() - t0, cpu: used ? Number(used[1]) : NaN, code, out });
    });
  });
}

export async function runCliBench(): Promise<string[]> {
  if (!existsSync(CLI)) throw new Error('dist/cli/tollgate.cjs is missing: run `npm run build` first');
  const t0 = performance.now();
  const bytes = corpus();
  const genMs = performance.now() - t0;
  const lines: string[] = [];
  lines.push(`corpus: ${FILES} files, ${(bytes / 1e6).toFixed(1)} MB in ${PROMPTS} prompts on ${MODELS.join(', ')}${genMs > 50 ? ` (generated in ${(genMs / 1000).toFixed(1)} s)` : ' (cached)'}`);

  writeFileSync(CPU_PRELOAD, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`cpu-ms ${(u.user + u.system) / 1000}\\n`); });\n");
  const checks: number[] = [];
  const cpus: number[] = [];
  let total = '';
  for (let i = 0; i < 3; i++) {
    const r = await timed([CLI, 'check', '--budget', '1000000000', '--json'], DIR, true);
    if (r.code !== 0) throw new Error(`tollgate check failed (exit ${r.code})`);
    checks.push(r.exit);
    cpus.push(r.cpu);
    total = (JSON.parse(r.out) as { total: { monthly_cost: string } }).total.monthly_cost;
  }
  const checkMs = median(checks);
  lines.push(`check, whole corpus (fresh process, median of 3): ${(checkMs / 1000).toFixed(2)} s = ${(bytes / 1e6 / (checkMs / 1000)).toFixed(1)} MB/s, ${Math.round(FILES / (checkMs / 1000))} files/s; CPU ${(median(cpus) / 1000).toFixed(2)} s (target < 5 s; runs ${checks.map((m) => (m / 1000).toFixed(2)).join(' / ')} s; total $${total}/month)`);

  lines.push(...(await startUp(join(DIR, 'short.txt'))));
  return lines;
}

/** What each start-up run executes: Node alone, then the CLI's two measured commands. */
function startCommands(short: string): Array<{ name: string; args: string[] }> {
  return [
    { name: 'node', args: ['-e', 'process.stdout.write("1")'] },
    { name: 'count', args: [CLI, 'count', short] },
    { name: '--version', args: [CLI, '--version'] },
  ];
}

/**
 * Medians of `rounds` fresh processes per command, run in turn (node, count, --version, node, …)
 * so that a slow phase of the machine hits all three alike.
 */
async function startTimes(short: string, rounds: number, env: NodeJS.ProcessEnv): Promise<Map<string, { first: number; fastest: number; cpu: number }>> {
  const commands = startCommands(short);
  const runs = new Map(commands.map((c) => [c.name, { first: [] as number[], cpu: [] as number[] }]));
  for (const c of commands) await timed(c.args, DIR, false, env); // page cache
  for (let i = 0; i < rounds; i++) {
    for (const c of commands) {
      const r = await timed(c.args, DIR, true, env);
      if (r.code !== 0 || !r.out) throw new Error(`${c.name} failed (exit ${r.code})`);
      runs.get(c.name)!.first.push(r.first);
      runs.get(c.name)!.cpu.push(r.cpu);
    }
  }
  return new Map([...runs].map(([name, r]) => [name, { first: median(r.first), fastest: Math.min(...r.first), cpu: median(r.cpu) }]));
}

async function startUp(short: string): Promise<string[]> {
  const lines: string[] = [];
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  const plain = { ...process.env };
  delete plain.NODE_EXTRA_CA_CERTS;
  const t = await startTimes(short, 21, plain);
  const node = t.get('node')!;
  for (const name of ['count', '--version']) {
    const c = t.get(name)!;
    lines.push(
      `start-up to first output, ${name === 'count' ? 'count on a short file' : '--version'} (median of 21): ${ms(c.first)} = node ${ms(node.first)} + ${ms(c.first - node.first)} added by the CLI${name === 'count' ? ' (target < 150 ms)' : ''}; fastest ${ms(c.fastest)} / node ${ms(node.fastest)}; CPU ${ms(c.cpu)} / node ${ms(node.cpu)}`,
    );
  }
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const w = await startTimes(short, 11, process.env);
    const [c, n] = [w.get('count')!, w.get('node')!];
    lines.push(`  with this machine's NODE_EXTRA_CA_CERTS (every Node process parses it; median of 11): count ${ms(c.first)} = node ${ms(n.first)} + ${ms(c.first - n.first)}`);
  }
  if (canCountInstructions()) {
    const [bare, count, version] = startCommands(short).map((c) => countInstructions(c.args[0]!, c.args.slice(1)));
    const m = (n: number): string => `${(n / 1e6).toFixed(1)}M`;
    lines.push(`start-up in instructions (callgrind): count ${m(count!)} = node ${m(bare!)} + ${m(count! - bare!)} added by the CLI; --version ${m(version!)} (+${m(version! - bare!)})`);
  } else lines.push('start-up in instructions: needs valgrind (apt-get install valgrind)');
  return lines;
}
