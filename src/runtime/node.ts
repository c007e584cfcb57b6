/** Node entry: reads the WASM core and vocabularies from the package's files. */
import { readFile } from 'node:fs/promises';
import { setAssetLoader } from '../core/assets.js';

// src/runtime and dist/runtime both sit two levels below the package root.
const assets = new URL('../../dist/assets/', import.meta.url);

setAssetLoader({
  async wasm() {
    return WebAssembly.compile(await readFile(new URL('tollgate.wasm', assets)));
  },
  async vocab(name) {
    const buf = await readFile(new URL(`vocab/${name}.bin`, assets));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
});

export * from '../core/index.js';
