/**
 * Where the WASM core and vocabulary binaries come from. Each runtime entry point
 * (src/runtime/*) installs a loader: Node reads files next to the package, browsers and
 * bundlers fetch `new URL(…, import.meta.url)`, workerd uses static module imports because
 * Workers forbid compiling WASM from bytes at run time.
 */
import type { VocabName } from './encodings.js';

export interface AssetLoader {
  /** The compiled core (a Module, so workerd can pass a statically imported one). */
  wasm(): Promise<WebAssembly.Module>;
  /** A vocabulary binary. */
  vocab(name: VocabName): Promise<Uint8Array>;
  /**
   * Optional: the binary as a source the core reads ranges of when it needs them (Node reads
   * the file lazily, so a cold start reads tens of kilobytes, not 1.5 MB). Without it, `vocab()`'s
   * bytes are the source.
   */
  vocabSource?(name: VocabName): Promise<VocabSource>;
  /**
   * The built-in pricing bundle (`dist/assets/pricing.json`) as JSON text, read synchronously
   * the first time a price is needed. Node reads the file; browser and workerd entries embed
   * it. Loaders without it serve tokenizers only.
   */
  pricing?(): string;
}

/** A vocabulary binary the WASM core reads ranges of, synchronously, as it needs them. */
export interface VocabSource {
  /** Size of the whole binary in bytes, if known up front (checked against its header; the header says it anyway). */
  readonly size?: number;
  /** Copy bytes [offset, offset + dest.length) of the binary into `dest`. */
  read(offset: number, dest: Uint8Array): void;
  /** Called once no further read will come. */
  close?(): void;
}

/** A source over bytes already in memory. */
export function bytesSource(bin: Uint8Array): VocabSource {
  return {
    size: bin.length,
    read(offset, dest) {
      if (offset + dest.length > bin.length) throw new Error(`tollgate: vocabulary binary ends at ${bin.length}, before ${offset + dest.length}`);
      dest.set(bin.subarray(offset, offset + dest.length));
    },
  };
}

let loader: AssetLoader | undefined;

/** Install the runtime's asset loader (done by the package entry point; exposed for custom hosts). */
export function setAssetLoader(l: AssetLoader): void {
  loader = l;
}

export function getAssetLoader(): AssetLoader {
  if (!loader) throw new Error('tollgate: no asset loader installed; import tollgate through its package entry point');
  return loader;
}
