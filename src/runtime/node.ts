/** Node entry: reads the WASM core, vocabularies and pricing bundle from the package's files. */
import { setAssetLoader } from '../core/assets.js';

// src/runtime and dist/runtime both sit two levels below the package root.
const assets = new URL('../../dist/assets/', import.meta.url);

type Fs = typeof import('node:fs');

/** Bytes of a vocabulary file read when it is opened: the header and directories of every binary (o200k_base's are 62 KiB). */
const READ_AHEAD = 64 * 1024;
let fs: Fs | undefined;

/**
 * node:fs without `import`: an ESM import of node:fs builds its namespace, which loads
 * fs/promises too and costs ~2 ms of ready time; process.getBuiltinModule (Node ≥ 20.16,
 * below package.json's engines) hands over the already-loaded module, synchronously.
 */
function nodeFs(): Fs {
  fs ??= (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:fs') as Fs | undefined;
  if (!fs) throw new Error('tollgate: this runtime lacks process.getBuiltinModule (Node ≥ 20.16 has it)');
  return fs;
}

setAssetLoader({
  async wasm() {
    // Synchronous: V8 compiles WASM functions lazily, so compiling is only decoding and
    // validating ~70 KB (~0.3 ms), less than the hand-offs to and from a compile thread.
    return new WebAssembly.Module(nodeFs().readFileSync(new URL('tollgate.wasm', assets)));
  },
  pricing() {
    return nodeFs().readFileSync(new URL('pricing.json', assets), 'utf8');
  },
  async vocab(name) {
    const buf = nodeFs().readFileSync(new URL(`vocab/${name}.bin`, assets));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
  async vocabSource(name) {
    // Read lazily with synchronous calls on one descriptor: the core asks for its header and
    // directories now and for token groups as text needs them (see assembly/tokenizer/vocab.ts).
    const f = nodeFs();
    const fd = f.openSync(new URL(`vocab/${name}.bin`, assets), 'r');
    const readAt = (offset: number, dest: Uint8Array): number => {
      let done = 0;
      while (done < dest.length) {
        const n = f.readSync(fd, dest, done, dest.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    };
    // The header and directories (the first ~45 KB) are read at once, while the core is
    // still compiling: the core's first reads are served from here.
    let ahead: Uint8Array;
    try {
      ahead = new Uint8Array(READ_AHEAD);
      ahead = ahead.subarray(0, readAt(0, ahead));
    } catch (err) {
      f.closeSync(fd);
      throw err;
    }
    return {
      read(offset, dest) {
        if (offset + dest.length <= ahead.length) {
          dest.set(ahead.subarray(offset, offset + dest.length));
        } else if (readAt(offset, dest) < dest.length) {
          throw new Error(`tollgate: vocabulary file ${name}.bin ended early`);
        }
      },
      close() {
        f.closeSync(fd);
      },
    };
  },
});

export * from '../core/index.js';
