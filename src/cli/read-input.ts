/** Files named on the command line (or `-` for standard input), read for count and estimate. */
import { nodeBuiltin } from '../runtime/node-builtin.js';
import { CliError } from './errors.js';
import { kindOf, requestsOf, type FileKind, type FileRequest } from './project/inputs.js';

// Synchronous: the files are read one after another anyway, and node:fs/promises is a module
// of its own that a CommonJS process has not loaded (~19M instructions of `tollgate count`'s
// start-up).
const readFile = (path: string): Buffer => nodeBuiltin<typeof import('node:fs')>('node:fs').readFileSync(path);

/** A file argument's bytes and how to name it. */
export async function readArg(path: string): Promise<{ name: string; bytes: Uint8Array }> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return { name: '(stdin)', bytes: Buffer.concat(chunks) };
  }
  try {
    return { name: path, bytes: readFile(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file`, 'file_not_found');
    if (code === 'EISDIR') throw new CliError(`${path} is a directory; give files (a shell glob like ${path}/*.md works)`, 'file_not_found');
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`, 'unreadable_file');
  }
}

/** The requests in a file argument; `as` overrides the kind its extension implies. */
export async function requestsOfArg(path: string, as?: FileKind): Promise<{ name: string; kind: FileKind; requests: FileRequest[] }> {
  const { name, bytes } = await readArg(path);
  const kind = as ?? (path === '-' ? 'text' : kindOf(path));
  return { name, kind, requests: requestsOf(bytes, name, kind) };
}
