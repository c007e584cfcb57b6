/** Node entry: reads the WASM core and vocabularies from the package's files. */
import { setAssetLoader } from '../core/assets.js';

// src/runtime and dist/runtime both sit two levels below the package root.
const assets = new URL('../../dist/assets/', import.meta.url);

type Fs = typeof import('node:fs');
let fs: Fs | undefined;

/**
 * node:fs without `import`: an ESM import of node:fs builds its namespace, which loads
 * fs/promises too and costs ~2 ms of ready time; process.getBuiltinModule (Node ≥ 20.16)
 * hands over the already-loaded module.
 */
async function nodeFs(): Promise<Fs> {
  const p = process as { getBuiltinModule?: (id: string) => unknown };
  return (fs ??= (p.getBuiltinModule?.('node:fs') as Fs | undefined) ?? (await import('node:fs')));
}

setAssetLoader({
  async wasm() {
    return WebAssembly.compile((await nodeFs()).readFileSync(new URL('tollgate.wasm', assets)));
  },
  async vocab(name) {
    const buf = (await nodeFs()).readFileSync(new URL(`vocab/${name}.bin`, assets));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
  async vocabSource(name) {
    // Read lazily with synchronous calls on one descriptor: the core asks for its header and
    // directories now and for token groups as text needs them (see assembly/tokenizer/vocab.ts).
    const f = await nodeFs();
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
