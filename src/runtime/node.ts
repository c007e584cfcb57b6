/** Node entry: reads the WASM core, vocabularies and pricing bundle from the package's files. */
import { setAssetLoader } from '../core/assets.js';
import { nodeBuiltin } from './node-builtin.js';

// src/runtime and dist/runtime both sit two levels below the package root. A path string, not
// a URL: fs would convert a URL to a path on every call.
const assets = `${import.meta.dirname}/../../dist/assets/`;

type Fs = typeof import('node:fs');

/** Room for the core (~72 KB): read in one call, without asking the file's size first. */
const WASM_MAX_BYTES = 256 * 1024;
let fs: Fs | undefined;

function nodeFs(): Fs {
  return (fs ??= nodeBuiltin<Fs>('node:fs'));
}

/** Read bytes [offset, offset + dest.length) of `fd` into `dest`; returns how many there were. */
function readAt(f: Fs, fd: number, offset: number, dest: Uint8Array): number {
  let done = 0;
  while (done < dest.length) {
    const n = f.readSync(fd, dest, done, dest.length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

setAssetLoader({
  async wasm() {
    const f = nodeFs();
    const fd = f.openSync(`${assets}tollgate.wasm`, 'r');
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      // Pages of the buffer past the file are never touched, so its size costs nothing.
      bytes = new Uint8Array(WASM_MAX_BYTES);
      const n = readAt(f, fd, 0, bytes);
      if (n === bytes.length) throw new Error(`tollgate: tollgate.wasm is larger than ${WASM_MAX_BYTES} bytes`);
      bytes = bytes.subarray(0, n);
    } finally {
      f.closeSync(fd);
    }
    // Synchronous: V8 compiles WASM functions lazily, so compiling is only decoding and
    // validating ~70 KB (~0.3 ms), less than the hand-offs to and from a compile thread.
    return new WebAssembly.Module(bytes);
  },
  pricing() {
    return nodeFs().readFileSync(`${assets}pricing.json`, 'utf8');
  },
  async vocab(name) {
    const buf = nodeFs().readFileSync(`${assets}vocab/${name}.bin`);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
  async vocabSource(name) {
    // Read lazily with synchronous calls on one descriptor: the core asks for its header and
    // directories now and for token groups as text needs them (see assembly/tokenizer/vocab.ts).
    const f = nodeFs();
    const fd = f.openSync(`${assets}vocab/${name}.bin`, 'r');
    return {
      read(offset, dest) {
        if (readAt(f, fd, offset, dest) < dest.length) throw new Error(`tollgate: vocabulary file ${name}.bin ended early`);
      },
      close() {
        f.closeSync(fd);
      },
    };
  },
});

export * from '../core/index.js';
