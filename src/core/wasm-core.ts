/**
 * Thin typed wrapper over the WASM ABI (assembly/index.ts). It owns the one instance,
 * moves strings in as UTF-8 and ids out as typed arrays, and refreshes memory views after
 * calls that may grow memory. Nothing here allocates per call beyond the returned arrays.
 */

import type { VocabSource } from './assets.js';

type EncodeExport = (vocab: number, len: number, mode: number, limit: number, digits?: number) => number;

interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  vocab_header_size: WebAssembly.Global;
  vocab_sizes(ptr: number): number;
  vocab_head_size: WebAssembly.Global;
  vocab_load(ptr: number, len: number): number;
  vocab_load_extensions(vocab: number): void;
  vocab_wanted(vocab: number): number;
  vocab_ranges_ptr: WebAssembly.Global;
  vocab_fetched(vocab: number): number;
  vocab_complete(vocab: number): number;
  vocab_want_all(vocab: number): void;
  input_reserve(size: number): number;
  encode_r50k: EncodeExport;
  encode_cl100k: EncodeExport;
  encode_o200k: EncodeExport;
  encode_deepseek_v3: EncodeExport;
  encode_gemma3: EncodeExport;
  output_ids(): number;
  output_starts(): number;
  decode(vocab: number, count: number, specials: number, nSpecials: number, specialBytes: number): bigint;
  output_bytes(): number;
  piece_cache(on: boolean): void;
}

export const MODE = { ids: 0, count: 1, offsets: 2 } as const;
const NO_LIMIT = 0xffffffff;
/** encode_* result: vocabulary bytes are wanted (see fetchWanted). */
const NEED_DATA = -3;
/** vocab_fetched flag: the whole binary is present. */
const COMPLETE = 1 << 30;
/**
 * Inputs longer than this (UTF-16 units) fetch the whole vocabulary before their first pass:
 * they want more groups than are fetched one by one anyway, and a pass over them that ends
 * incomplete would be wasted.
 */
const FETCH_ALL_ABOVE = 16 * 1024;

/** Created on the first text that needs it: short ASCII text (a typical first count) is copied directly. */
let utf8: TextEncoder | undefined;

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
  /**
   * Per vocabulary handle: where its binary sits in linear memory, and where its bytes come
   * from until the core has all of them.
   */
  private readonly binaries: { base: number; source?: VocabSource }[] = [];

  private constructor(readonly instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as CoreExports;
    this.u8 = new Uint8Array(this.x.memory.buffer);
    // Qwen (3) is cl100k's loop taking one number character per piece.
    const cl100k = this.x.encode_cl100k;
    this.encoders = [this.x.encode_r50k, (v, l, m, lim) => cl100k(v, l, m, lim, 3), this.x.encode_o200k, (v, l, m, lim) => cl100k(v, l, m, lim, 1), this.x.encode_deepseek_v3, this.x.encode_gemma3];
  }

  static async create(module: WebAssembly.Module): Promise<WasmCore> {
    // No imports: each import costs V8 a compiled wrapper (~0.7 ms of a cold start), so the
    // core asks for vocabulary bytes by returning NEED_DATA instead of calling out.
    return new WasmCore(await WebAssembly.instantiate(module));
  }

  /**
   * Copy in the vocabulary bytes the core wants (after NEED_DATA, or vocab_want_all) and tell
   * it they are there. Throws when the source fails; the core keeps wanting the same bytes, so
   * the next call retries.
   */
  private fetchWanted(vocab: number): void {
    const bin = this.binaries[vocab];
    const src = bin?.source;
    const n = this.x.vocab_wanted(vocab);
    if (!bin || !src || n === 0) throw new Error(`tollgate: vocabulary ${vocab} wants bytes it has no source for`);
    // (offset, length) pairs, sorted and with near ranges merged by the core.
    const base = bin.base;
    const mem = this.mem();
    const ranges = new Uint32Array(mem.buffer, this.x.vocab_ranges_ptr.value as number, 2 * n);
    for (let i = 0; i < 2 * n; i += 2) src.read(ranges[i]!, mem.subarray(base + ranges[i]!, base + ranges[i]! + ranges[i + 1]!));
    if (this.x.vocab_fetched(vocab) & COMPLETE) {
      bin.source = undefined;
      src.close?.();
    }
  }

  /** Make vocabulary `vocab`'s whole binary present (decoding needs every token). */
  private fetchAll(vocab: number): void {
    if (this.x.vocab_complete(vocab)) return;
    this.x.vocab_want_all(vocab);
    this.fetchWanted(vocab);
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
   * the core wants it. Returns the vocabulary's handle.
   */
  loadVocab(src: VocabSource): number {
    const corrupt = (why: string) => {
      src.close?.();
      return new Error(`tollgate: corrupt vocabulary binary (${why})`);
    };
    const header = this.x.vocab_header_size.value as number;
    if (src.size !== undefined && src.size < header) throw corrupt(`${src.size} bytes`);
    // The header says how big the whole binary is: read it into scratch memory first.
    const tmp = this.x.input_reserve(header);
    src.read(0, this.mem().subarray(tmp, tmp + header));
    const size = this.x.vocab_sizes(tmp);
    const head = this.x.vocab_head_size.value as number;
    if (size === 0) throw corrupt('not a TGVB v5/v6 header');
    if (src.size !== undefined && src.size !== size) throw corrupt(`${src.size} bytes where the header says ${size}`);
    const headerBytes = this.mem().slice(tmp, tmp + header);
    const ptr = this.x.alloc(size);
    const mem = this.mem();
    mem.set(headerBytes, ptr);
    src.read(header, mem.subarray(ptr + header, ptr + head));
    const handle = this.x.vocab_load(ptr, size);
    if (handle < 0) throw corrupt(`code ${handle}`);
    if (headerBytes[4] === 6) this.x.vocab_load_extensions(handle);
    this.binaries[handle] = { base: ptr, source: src };
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
    return (utf8 ??= new TextEncoder()).encodeInto(text, mem.subarray(ptr, ptr + cap)).written;
  }

  encode(vocab: number, family: number, text: string, mode: number, limit = NO_LIMIT): number {
    const len = this.writeText(text);
    const encode = this.encoders[family]!;
    if (text.length > FETCH_ALL_ABOVE) this.fetchAll(vocab);
    let n = encode(vocab, len, mode, limit);
    // Each pass that met absent groups lists them; copying them in lets the next pass get
    // further (a handful of passes for a first short text, none once the binary is complete).
    while (n === NEED_DATA) {
      this.fetchWanted(vocab);
      n = encode(vocab, len, mode, limit);
    }
    return n;
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
    this.fetchAll(vocab);
    const ptr = this.x.input_reserve(ids.length * 4);
    new Uint32Array(this.mem().buffer, ptr, ids.length).set(ids);
    const n = Number(this.x.decode(vocab, ids.length, specials.ptr, specials.count, specials.bytes));
    if (n < 0) return n;
    const out = this.x.output_bytes();
    return this.mem().subarray(out, out + n);
  }
}
