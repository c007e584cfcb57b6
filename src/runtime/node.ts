/** Node entry: reads the WASM core, vocabularies and pricing bundle from the package's files. */
import { setAssetLoader } from '../core/assets.js';

// src/runtime and dist/runtime both sit two levels below the package root.
const assets = new URL('../../dist/assets/', import.meta.url);

type Fs = typeof import('node:fs');
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
    return WebAssembly.compile(nodeFs().readFileSync(new URL('tollgate.wasm', assets)));
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
    let size: number;
    try {
      size = f.fstatSync(fd).size;
    } catch (err) {
      f.closeSync(fd);
      throw err;
    }
    return {
      size,
      read(offset, dest) {
        for (let done = 0; done < dest.length; ) {
          const n = f.readSync(fd, dest, done, dest.length - done, offset + done);
          if (n === 0) throw new Error(`tollgate: vocabulary file ${name}.bin ended early`);
          done += n;
        }
      },
      close() {
        f.closeSync(fd);
      },
    };
  },
});

export * from '../core/index.js';
