/**
 * What people see in a terminal: --help with examples on every command, colour only on a TTY
 * (a real pseudo-terminal from `script`), a progress bar on long runs there and never in a
 * pipe, clean exits (no stack traces, a closed pipe is fine), and `tollgate schema`.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, json, run, runCommand, SCHEMA_DIR, tempDir, words, writeFiles } from './helpers.js';

const COMMANDS = ['count', 'estimate', 'check', 'diff', 'export', 'pricing', 'pricing list', 'pricing show', 'pricing update', 'pricing check', 'pricing reset', 'stats', 'schema'];
const ESC = '\x1b[';

/** Runs the CLI with stdout and stderr on a pseudo-terminal (util-linux `script`). */
function onTty(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return runCommand('script', ['-qec', cmd, '/dev/null'], { env: { TERM: 'xterm', ...env }, cwd });
}

let project: string;
beforeAll(() => {
  project = tempDir();
  const files: Record<string, string> = {
    'tollgate.yml': 'date: "2025-11-01"\nprompts:\n  - { name: many, file: "p/*.md", model: gpt-4o-mini, requests_per_month: 1000 }\n',
  };
  for (let i = 0; i < 400; i++) files[`p/${String(i).padStart(4, '0')}.md`] = words(50 + (i % 7));
  writeFiles(project, files);
});

describe('help', () => {
  it('every command has --help with examples (exit 0)', async () => {
    for (const c of COMMANDS) {
      const r = await run([...c.split(' '), '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: tollgate ${c}`);
      expect(r.stdout, c).toContain('Examples:');
      expect(r.stdout, c).toMatch(new RegExp(`\\$ tollgate ${c.split(' ')[0]}`));
    }
    const root = await run(['--help']);
    expect(root.stdout).toContain('Exit codes: 0 ok · 1 a policy failed (budget, limit, increase) · 2 usage or input error.');
    expect((await run(['help', 'diff'])).stdout).toContain('Usage: tollgate diff');
  });

  it('no command, an unknown command or `pricing` alone is a usage error (exit 2)', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: tollgate');
    const typo = await run(['cuont']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trimEnd()).toBe("tollgate: unknown command 'cuont' (Did you mean count?) (see 'tollgate --help')");
    expect((await run(['pricing'])).code).toBe(2);
    expect((await run(['pricing', 'sho'])).stderr).toMatch(/unknown command 'sho' \(Did you mean show\?\)/);
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('colour and progress', () => {
  it('colours tables on a TTY only, and honours NO_COLOR and FORCE_COLOR', async () => {
    const args = ['estimate', '--input-tokens', '1000', '--models', 'gpt-4o,gpt-4o-mini', '--date', '2025-11-01'];
    const tty = await onTty(args);
    expect(tty.code, tty.stdout).toBe(0);
    expect(tty.stdout).toContain(`${ESC}1mModel`);
    expect(tty.stdout).toContain(`${ESC}32mgpt-4o-mini`);
    const pipe = await run(args);
    expect(pipe.stdout).not.toContain(ESC);
    expect(pipe.stdout).toMatch(/^gpt-4o-mini\s+1,000\s+0\s+\$0\.00015/m);
    expect((await onTty(args, { NO_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await run(args, { env: { FORCE_COLOR: '1' } })).stdout).toContain(`${ESC}32mgpt-4o-mini`);
  });

  it('shows a progress bar on a TTY for many files, erased at the end, never in a pipe', async () => {
    const tty = await onTty(['check', '--budget', '100'], { TOLLGATE_PROGRESS: '1' }, project);
    expect(tty.code, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/pricing prompt files █*░* \d+\/400 \(\d+%\)/);
    expect(tty.stdout).toContain('400/400 (100%)');
    expect(tty.stdout).toContain('\r\x1b[2K');
    const pipe = await run(['check', '--budget', '100'], { cwd: project, env: { TOLLGATE_PROGRESS: '1' } });
    expect(pipe.code).toBe(0);
    expect(pipe.stderr).toBe('');
    expect(pipe.stdout).not.toContain('█');
  });
});

describe('process hygiene', () => {
  it('turns file-system errors into one line, with the stack only under TOLLGATE_DEBUG', async () => {
    const d = tempDir();
    writeFiles(d, { 'conf/inner.txt': 'x' });
    const r = await run(['check', '--budget', '1', '-c', 'conf'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(/^tollgate: cannot read conf: EISDIR/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const debug = await run(['check', '--budget', '1', '-c', 'conf'], { cwd: d, env: { TOLLGATE_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('stops quietly when the reader closes the pipe', async () => {
    const r = await runCommand('bash', ['-c', `set -o pipefail; '${process.execPath}' '${CLI}' pricing list | head -1`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Model\s+Provider/);
    expect(r.stderr).toBe('');
  });
});

describe('tollgate schema', () => {
  it('lists the shipped schemas and prints each one', async () => {
    const list = await run(['schema']);
    const names = list.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(['check', 'config', 'count', 'diff', 'error', 'estimate', 'export', 'pricing-check', 'pricing-list', 'pricing-reset', 'pricing-show', 'pricing-update', 'stats']);
    expect(list.stdout).toContain(join(SCHEMA_DIR, 'tollgate.schema.json'));
    for (const n of names) {
      const s = json(await run(['schema', n!]));
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
    const bad = await run(['schema', 'dif']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no schema named 'dif' \(did you mean 'diff'/);
  });
});
