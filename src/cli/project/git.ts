/**
 * Reading a project at a git ref without checking it out: the ref is resolved with rev-parse,
 * the tree listed once with ls-tree, and blobs read through one long-lived `git cat-file
 * --batch` process (thousands of files cost one process, not thousands).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CliError } from '../errors.js';

/** Runs git and returns stdout; a failure becomes `onError`'s CliError. */
function git(cwd: string, args: string[], onError: (stderr: string) => CliError): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException;
        reject(e.code === 'ENOENT' ? new CliError('git is not installed or not on PATH; diff reads the refs through git', 'git_missing') : onError(String(stderr).trim().split('\n')[0] ?? ''));
      } else resolve(stdout);
    });
  });
}

/** The repository around `cwd`: its top directory and cwd's path inside it (`''` or `sub/dir/`). */
export async function repositoryOf(cwd: string): Promise<{ top: string; prefix: string }> {
  const out = await git(cwd, ['rev-parse', '--show-toplevel', '--show-prefix'], (msg) => new CliError(`diff needs a git repository: ${msg || 'not inside one'}`, 'not_a_repository'));
  const [top, prefix = ''] = out.split('\n');
  return { top: top!, prefix };
}

/** The commit `ref` names. @throws CliError (git_ref_not_found) when it names none */
export async function resolveCommit(top: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new CliError(`'${ref}' is not a git ref`, 'git_ref_not_found');
  const notFound = (): CliError => new CliError(`git ref '${ref}' does not exist in this repository (a branch, tag or commit; fetch it first if it lives on a remote)`, 'git_ref_not_found');
  const out = await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], notFound).catch((e: unknown) => {
    throw e instanceof CliError && e.code === 'git_missing' ? e : notFound();
  });
  return out.trim();
}

/** Every file of `commit` (paths from the top, '/'-separated) with its blob id. */
export async function listTree(top: string, commit: string): Promise<Map<string, string>> {
  const out = await git(top, ['ls-tree', '-r', '-z', '--full-tree', commit], (msg) => new CliError(`cannot list ${commit}: ${msg}`, 'git_error'));
  const files = new Map<string, string>();
  for (const entry of out.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob') files.set(entry.slice(tab + 1), id!);
  }
  return files;
}

/** Reads blobs by id through one `git cat-file --batch` process. */
export class BlobReader {
  #proc: ChildProcessWithoutNullStreams | undefined;
  #queue: Array<{ resolve: (b: Buffer) => void; reject: (e: Error) => void; id: string }> = [];
  #buf: Buffer = Buffer.alloc(0);
  #failed: Error | undefined;

  constructor(private readonly top: string) {}

  #start(): ChildProcessWithoutNullStreams {
    const p = spawn('git', ['cat-file', '--batch'], { cwd: this.top, stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdout.on('data', (chunk: Buffer) => {
      this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
      this.#drain();
    });
    const fail = (e: Error): void => {
      this.#failed = e;
      for (const q of this.#queue.splice(0)) q.reject(e);
    };
    p.on('error', (e) => fail(new CliError(`cannot run git cat-file: ${e.message}`, 'git_error')));
    p.on('exit', (code) => {
      if (this.#queue.length) fail(new CliError(`git cat-file exited (${code}) before answering`, 'git_error'));
    });
    p.stdin.on('error', () => {}); // reported through 'exit'
    return p;
  }

  #drain(): void {
    while (this.#queue.length) {
      const nl = this.#buf.indexOf(10);
      if (nl < 0) return;
      const header = this.#buf.subarray(0, nl).toString('latin1');
      const q = this.#queue[0]!;
      if (header.endsWith(' missing')) {
        this.#queue.shift();
        this.#buf = this.#buf.subarray(nl + 1);
        q.reject(new CliError(`git object ${q.id} is missing`, 'git_error'));
        continue;
      }
      const size = Number(header.slice(header.lastIndexOf(' ') + 1));
      if (this.#buf.length < nl + 1 + size + 1) return;
      this.#queue.shift();
      q.resolve(Buffer.from(this.#buf.subarray(nl + 1, nl + 1 + size)));
      this.#buf = this.#buf.subarray(nl + 1 + size + 1);
    }
  }

  /** The blob's bytes. */
  read(id: string): Promise<Buffer> {
    if (this.#failed) return Promise.reject(this.#failed);
    this.#proc ??= this.#start();
    return new Promise((resolve, reject) => {
      this.#queue.push({ resolve, reject, id });
      this.#proc!.stdin.write(`${id}\n`);
    });
  }

  /** Ends the git process (idempotent). */
  close(): void {
    this.#proc?.stdin.end();
    this.#proc = undefined;
  }
}
