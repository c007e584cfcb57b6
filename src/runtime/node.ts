/** Node entry: reads the WASM core and vocabularies from the package's files. */
import { readFileSync } from 'node:fs';
import { setAssetLoader } from '../core/assets.js';

// src/runtime and dist/runtime both sit two levels below the package root.
const assets = new URL('../../dist/assets/', import.meta.url);

setAssetLoader({
  async wasm() {
    return WebAssembly.compile(readFileSync(new URL('tollgate.wasm', assets)));
  },
  async vocab(name) {
    // Synchronous reads: node:fs is already loaded by the module loader, node:fs/promises is not.
    const buf = readFileSync(new URL(`vocab/${name}.bin`, assets));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
});

export * from '../core/index.js';
