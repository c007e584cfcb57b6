/**
 * Where a project's files come from: the working tree, or a git ref read through git (no
 * checkout). Both answer the same two questions, so pricing code never knows which it reads.
 * Paths are '/'-separated and relative to the source's root (the current directory for the
 * working tree, the repository top for a ref).
 */
import { readFileSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { CliError } from '../errors.js';
import { BlobReader, listTree, repositoryOf, resolveCommit } from './git.js';

export interface ProjectSource {
  /** `working tree` or `main (1a2b3c4)`. */
  readonly label: string;
  /** The ref and commit, for a git source. */
  readonly ref?: { name: string; commit: string };
  /** How a path is named in messages: `prompts/a.md`, `main:prompts/a.md`. */
  describe(path: string): string;
  /** The file's bytes, or undefined when there is no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Files matching a glob (relative to `dir`), sorted, as root-relative paths. */
  glob(pattern: string, dir: string): Promise<string[]>;
  /** Path of a file given relative to the current directory. */
  fromCwd(path: string): string;
  close(): void;
}

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/** The files on disk, relative to the current directory. */
export class WorkingTree implements ProjectSource {
  readonly label = 'working tree';
  describe(path: string): string {
    return path;
  }
  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      // Synchronous on purpose: pricing is CPU-bound on one thread, and fs.promises.readFile
      // spends four thread-pool round trips (open, fstat, read, close) per small file — a
      // fifth of a 10,000-file run.
      return readFileSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new CliError(`cannot read ${path}: ${(e as Error).message}`, 'unreadable_file');
    }
  }
  async glob(pattern: string, dir: string): Promise<string[]> {
    const found = await glob([pattern], { cwd: dir || '.', onlyFiles: true, expandDirectories: false, dot: false });
    return found.map((f) => toPosix(posix.normalize(posix.join(dir, f)))).sort();
  }
  fromCwd(path: string): string {
    return toPosix(posix.normalize(toPosix(path)));
  }
  close(): void {}
}

/** The files of a commit, read through git. */
export class GitTree implements ProjectSource {
  readonly label: string;
  /** How the ref is named in messages: its label, or the ref (a commit id shortened). */
  readonly name: string;
  #reader: BlobReader;
  private constructor(
    private readonly top: string,
    /** The current directory inside the repository ('' or 'sub/dir/'). */
    private readonly prefix: string,
    readonly ref: { name: string; commit: string },
    private readonly files: Map<string, string>,
    label?: string,
  ) {
    this.name = label ?? (/^[0-9a-f]{40,64}$/.test(ref.name) ? ref.name.slice(0, 7) : ref.name);
    this.label = this.name.startsWith(ref.commit.slice(0, 7)) ? this.name : `${this.name} (${ref.commit.slice(0, 7)})`;
    this.#reader = new BlobReader(top);
  }

  /**
   * The tree of `ref` in the repository around `cwd`, named `label` in messages.
   * @throws CliError for unknown refs
   */
  static async open(cwd: string, ref: string, label?: string): Promise<GitTree> {
    const { top, prefix } = await repositoryOf(cwd);
    const commit = await resolveCommit(top, ref);
    return new GitTree(top, prefix, { name: ref, commit }, await listTree(top, commit), label);
  }

  describe(path: string): string {
    return `${this.name}:${path}`;
  }
  async read(path: string): Promise<Uint8Array | undefined> {
    const id = this.files.get(path);
    return id === undefined ? undefined : this.#reader.read(id);
  }
  async glob(pattern: string, dir: string): Promise<string[]> {
    const full = posix.normalize(posix.join(dir, pattern));
    if (full.startsWith('../')) throw new CliError(`${pattern} points outside the repository`, 'invalid_config');
    const match = picomatch(full, { dot: false });
    const out: string[] = [];
    for (const path of this.files.keys()) if (match(path)) out.push(path);
    return out.sort();
  }
  fromCwd(path: string): string {
    const abs = resolve(this.top, this.prefix, path);
    const rel = toPosix(relative(this.top, abs));
    if (rel.startsWith('..')) throw new CliError(`${path} is outside the repository ${this.top}`, 'invalid_input');
    return rel;
  }
  close(): void {
    this.#reader.close();
  }
}
