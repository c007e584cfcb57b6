/**
 * Running the built CLI (dist/cli/tollgate.cjs) as users do: a real process in a real directory,
 * often a real git repository made here with commits on two branches. Every process a test
 * starts is tracked and killed when its file ends, also when a test fails.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli/tollgate.cjs');
export const SCHEMA_DIR = join(ROOT, 'dist/cli/schemas');

const children = new Set<ChildProcess>();
const servers = new Set<Server>();
const dirs: string[] = [];

/** Kills every process still running, closes servers and removes temporary directories (registered per test file). */
export function cleanup(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  servers.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
afterAll(cleanup);

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin (stdin is closed either way). */
  input?: string | Uint8Array;
  timeoutMs?: number;
}

/** A fresh cache directory per test run: no test sees the user's installed pricing. */
export const CACHE_DIR = tempDir('tollgate-cache-');

/** Runs `tollgate args…`; resolves when it exits (killed after timeoutMs). */
export function run(args: string[], opts: RunOptions = {}): Promise<Result> {
  return runCommand(process.execPath, [CLI, ...args], opts);
}

/** Runs any command with the same tracking. */
export function runCommand(cmd: string, args: string[], opts: RunOptions = {}): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '', FORCE_COLOR: '', TOLLGATE_CACHE_DIR: CACHE_DIR, TOLLGATE_PROGRESS: '', ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === '' || v === undefined) delete env[k];
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      children.delete(child);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** A temporary directory removed when the test file ends. */
export function tempDir(prefix = 'tollgate-cli-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Writes files (relative path → content; null deletes) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array | null>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    if (content === null) rmSync(p, { force: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
}

/** A real git repository in a temp dir, with helpers to commit and branch. */
export class Repo {
  readonly dir: string;
  constructor() {
    this.dir = tempDir('tollgate-repo-');
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'user.name', 'Test');
    this.git('config', 'commit.gpgsign', 'false');
  }
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
  /** Writes (or deletes) files and commits them all. */
  commit(files: Record<string, string | Uint8Array | null>, message = 'change'): string {
    writeFiles(this.dir, files);
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }
  checkout(branch: string, create = false): void {
    this.git('checkout', '-q', ...(create ? ['-b'] : []), branch);
  }
}

const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** Validates a --json output against the shipped schema; returns the error text ('' when valid). */
export function schemaErrors(name: string, value: unknown): string {
  let v = validators.get(name);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, `${name === 'config' ? 'tollgate' : name}.schema.json`), 'utf8')) as object);
    validators.set(name, v);
  }
  return v(value) ? '' : ajv.errorsText(v.errors, { dataVar: name });
}

/** n tokens of o200k_base / cl100k_base: "word" then " word" (n - 1) times (checked against tiktoken in the tests). */
export function words(n: number): string {
  return n === 0 ? '' : `word${' word'.repeat(n - 1)}`;
}

/** The process's stdout as JSON (fails the test with stderr when it is not). */
export function json<T = Record<string, unknown>>(r: Result): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

/** A request a test server received, with its body. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An HTTP server on 127.0.0.1 (closed when the test file ends) that records what it receives. */
export async function startServer(handler: (req: Received, res: Parameters<RequestListener>[1]) => void): Promise<{ url: string; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      handler(r, res);
    });
  });
  servers.add(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, received };
}

/** A port nothing listens on (taken, then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
