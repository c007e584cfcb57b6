/**
 * Thin typed wrapper over the WASM ABI (assembly/index.ts). It owns the one instance,
 * moves strings in as UTF-8 and ids out as typed arrays, and refreshes memory views after
 * calls that may grow memory. Nothing here allocates per call beyond the returned arrays.
 */

type EncodeExport = (vocab: number, len: number, mode: number, limit: number) => number;

interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  vocab_header_bytes(): number;
  vocab_head_bytes(ptr: number): number;
  vocab_load(ptr: number, len: number): number;
  input_reserve(size: number): number;
  encode_r50k: EncodeExport;
  encode_cl100k: EncodeExport;
  encode_o200k: EncodeExport;
  output_ids(): number;
  output_starts(): number;
  decode(vocab: number, count: number, specials: number, nSpecials: number, specialBytes: number): bigint;
  output_bytes(): number;
  piece_cache(on: boolean): void;
}

import type { VocabSource } from './assets.js';

export const MODE = { ids: 0, count: 1, offsets: 2 } as const;
const NO_LIMIT = 0xffffffff;
const utf8 = new TextEncoder();

/** A special-token table registered in WASM memory for decoding. */
export interface SpecialTable {
  ptr: number;
  count: number;
  bytes: number;
}

export class WasmCore {
  private readonly x: CoreExports;
  /** Encode exports indexed by pre-tokenizer family (FAMILY in encodings.ts). */
  private readonly encoders: readonly EncodeExport[];
  private u8: Uint8Array;
  /** Vocabulary binaries by handle, until the core has fetched all of one. */
  private readonly sources: (VocabSource | undefined)[] = [];

  private constructor(readonly instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as CoreExports;
    this.u8 = new Uint8Array(this.x.memory.buffer);
    this.encoders = [this.x.encode_r50k, this.x.encode_cl100k, this.x.encode_o200k];
  }

  static async create(module: WebAssembly.Module): Promise<WasmCore> {
    let core: WasmCore | undefined;
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort(_msg: number, _file: number, line: number, col: number): never {
          throw new Error(`tollgate wasm abort at ${line}:${col}`);
        },
        vocab_fetch(vocab: number, offset: number, len: number, dest: number, last: number): void {
          core!.fetch(vocab, offset >>> 0, len >>> 0, dest >>> 0, last !== 0);
        },
      },
    });
    return (core = new WasmCore(instance));
  }

  /** The core asks for more of a vocabulary binary (see VocabSource). */
  private fetch(vocab: number, offset: number, len: number, dest: number, last: boolean): void {
    const src = this.sources[vocab];
    if (!src) throw new Error(`tollgate: vocabulary ${vocab} has no source to read from`);
    src.read(offset, this.mem().subarray(dest, dest + len));
    if (last) {
      this.sources[vocab] = undefined;
      src.close?.();
    }
  }

  private mem(): Uint8Array {
    if (this.u8.buffer !== this.x.memory.buffer) this.u8 = new Uint8Array(this.x.memory.buffer);
    return this.u8;
  }

  /** Turn the merged-piece cache on or off (off also clears it). */
  setPieceCache(on: boolean): void {
    this.x.piece_cache(on);
  }

  /** Bytes of linear memory in use (for the memory benchmark and leak tests). */
  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /**
   * Register a vocabulary binary: its header and group directories are read now, the rest as
   * the core needs it. Returns the vocabulary's handle.
   */
  loadVocab(src: VocabSource): number {
    const corrupt = (why: string) => {
      src.close?.();
      return new Error(`tollgate: corrupt vocabulary binary (${why})`);
    };
    const header = this.x.vocab_header_bytes();
    if (src.size < header) throw corrupt(`${src.size} bytes`);
    const ptr = this.x.alloc(src.size);
    src.read(0, this.mem().subarray(ptr, ptr + header));
    const head = this.x.vocab_head_bytes(ptr);
    if (head > src.size) throw corrupt('directory past the end');
    src.read(header, this.mem().subarray(ptr + header, ptr + head));
    const handle = this.x.vocab_load(ptr, src.size);
    if (handle < 0) throw corrupt(`code ${handle}`);
    this.sources[handle] = src;
    return handle;
  }

  registerSpecials(specials: [number, Uint8Array][]): SpecialTable {
    const sorted = [...specials].sort((a, b) => a[0] - b[0]);
    let total = 0;
    for (const [, b] of sorted) total += b.length;
    const table = this.x.alloc(sorted.length * 12);
    const bytes = this.x.alloc(total);
    const mem = this.mem();
    const view = new DataView(mem.buffer);
    let off = 0;
    sorted.forEach(([id, b], i) => {
      view.setUint32(table + i * 12, id, true);
      view.setUint32(table + i * 12 + 4, off, true);
      view.setUint32(table + i * 12 + 8, b.length, true);
      mem.set(b, bytes + off);
      off += b.length;
    });
    return { ptr: table, count: sorted.length, bytes };
  }

  /** Copy `text` in as UTF-8 (lone surrogates become U+FFFD, as in tiktoken); returns its byte length. */
  private writeText(text: string): number {
    // Worst case 3 bytes per UTF-16 unit.
    const cap = text.length * 3;
    const ptr = this.x.input_reserve(cap);
    const mem = this.mem();
    if (text.length < 64) {
      // encodeInto's fixed cost dominates tiny strings; ASCII is copied directly.
      let i = 0;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        mem[ptr + i] = c;
      }
      if (i === text.length) return i;
    }
    return utf8.encodeInto(text, mem.subarray(ptr, ptr + cap)).written;
  }

  encode(vocab: number, family: number, text: string, mode: number, limit = NO_LIMIT): number {
    const len = this.writeText(text);
    return this.encoders[family]!(vocab, len, mode, limit);
  }

  ids(count: number): Uint32Array {
    const p = this.x.output_ids();
    return new Uint32Array(this.mem().buffer, p, count).slice();
  }

  starts(count: number): Uint32Array {
    const p = this.x.output_starts();
    return new Uint32Array(this.mem().buffer, p, count).slice();
  }

  /** Decode ids to UTF-8 bytes; returns the index of the first unknown id as a negative number on error. */
  decode(vocab: number, ids: ArrayLike<number>, specials: SpecialTable): Uint8Array | number {
    const ptr = this.x.input_reserve(ids.length * 4);
    new Uint32Array(this.mem().buffer, ptr, ids.length).set(ids);
    const n = Number(this.x.decode(vocab, ids.length, specials.ptr, specials.count, specials.bytes));
    if (n < 0) return n;
    const out = this.x.output_bytes();
    return this.mem().subarray(out, out + n);
  }
}
