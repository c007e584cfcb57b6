/**
 * The public tokenizer object: one encoding (vocabulary + pre-tokenizer + specials) bound to
 * the shared WASM core. Same behaviour in every runtime.
 */
import type { EncodingName, EncodingSpec } from './encodings.js';
import { SpecialTokens, specialTableEntries, type AllowedSpecial } from './special-tokens.js';
import { MODE, type SpecialTable, type WasmCore } from './wasm-core.js';

export interface EncodeOptions {
  /** Special tokens to encode as such: 'all' or a list of names. Others in the text throw. */
  allowedSpecial?: AllowedSpecial;
}

/** Tokens with their UTF-16 ranges in the input, for highlighting. */
export interface Tokenized {
  ids: Uint32Array;
  /** starts[i]..ends[i] is token i's range in the input string (UTF-16 units). */
  starts: Uint32Array;
  ends: Uint32Array;
}

// Non-fatal: invalid UTF-8 becomes U+FFFD, like tiktoken. ignoreBOM keeps a leading U+FEFF as
// text. Created on the first decode, not at import.
let decoder: TextDecoder | undefined;

function assertText(text: unknown, fn: string): asserts text is string {
  if (typeof text !== 'string') throw new TypeError(`${fn}: text must be a string, got ${text === null ? 'null' : typeof text}`);
}

export class Encoding {
  /** Encoding name, e.g. 'o200k_base'. */
  readonly name: EncodingName;
  // Both built on first use: counting never needs them, and getEncoding is part of a cold start.
  private specialsCache?: SpecialTokens;
  private specialTable?: SpecialTable;

  /** @internal Created by `getEncoding`. */
  constructor(
    private readonly core: WasmCore,
    private readonly vocab: number,
    private readonly spec: EncodingSpec,
  ) {
    this.name = spec.name;
  }

  /** Special token names and ids. */
  get specialTokens(): ReadonlyMap<string, number> {
    return this.specials.ids;
  }

  private get specials(): SpecialTokens {
    return (this.specialsCache ??= new SpecialTokens(this.spec.specialTokens));
  }

  /**
   * Token ids of `text`. Special-token text (e.g. `<|endoftext|>`) throws unless listed in
   * `allowedSpecial`, exactly like tiktoken's `encode`.
   */
  encode(text: string, options: EncodeOptions = {}): Uint32Array {
    assertText(text, 'encode');
    const parts = this.specials.split(text, this.specials.allowed(options.allowedSpecial));
    if (parts.length === 1 && typeof parts[0] === 'string') return this.encodeOrdinary(parts[0]);
    const chunks: Uint32Array[] = [];
    let total = 0;
    for (const p of parts) {
      const ids = typeof p === 'number' ? Uint32Array.of(p) : this.encodeOrdinary(p);
      chunks.push(ids);
      total += ids.length;
    }
    const out = new Uint32Array(total);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /** Token ids of `text`, treating special-token text as ordinary text. */
  encodeOrdinary(text: string): Uint32Array {
    assertText(text, 'encodeOrdinary');
    const n = this.core.encode(this.vocab, this.spec.family, text, MODE.ids);
    return this.core.ids(n);
  }

  /** Number of tokens `encodeOrdinary(text)` would return, without building the array. */
  count(text: string): number {
    assertText(text, 'count');
    return this.core.encode(this.vocab, this.spec.family, text, MODE.count);
  }

  /**
   * The token count if it is at most `limit`, else `false`. Stops tokenizing as soon as the
   * limit is passed, so checking a huge input against a small budget is cheap.
   */
  isWithinLimit(text: string, limit: number): number | false {
    assertText(text, 'isWithinLimit');
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError('isWithinLimit: limit must be a non-negative integer');
    const n = this.core.encode(this.vocab, this.spec.family, text, MODE.count, Math.min(limit, 0xfffffffe));
    return n < 0 ? false : n;
  }

  /** Ids plus each token's UTF-16 range in `text` (ordinary encoding), for highlighting. */
  tokenize(text: string): Tokenized {
    assertText(text, 'tokenize');
    const n = this.core.encode(this.vocab, this.spec.family, text, MODE.offsets);
    const ids = this.core.ids(n);
    const starts = this.core.starts(n);
    const ends = new Uint32Array(n);
    for (let i = 0; i + 1 < n; i++) ends[i] = starts[i + 1];
    if (n > 0) ends[n - 1] = text.length;
    return { ids, starts, ends };
  }

  /** UTF-8 bytes of `ids` concatenated (specials included). RangeError on an unknown id. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    return this.decodeView(ids).slice();
  }

  /** Text of `ids`; byte sequences that are not valid UTF-8 become U+FFFD, as in tiktoken. */
  decode(ids: ArrayLike<number>): string {
    return (decoder ??= new TextDecoder('utf-8', { ignoreBOM: true })).decode(this.decodeView(ids));
  }

  /** Decoded bytes as a view into WASM memory, valid until the next call into the core. */
  private decodeView(ids: ArrayLike<number>): Uint8Array {
    if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') throw new TypeError('decode: ids must be an array of token ids');
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`decode: ids[${i}] = ${String(id)} is not a token id`);
    }
    this.specialTable ??= this.core.registerSpecials(specialTableEntries(this.spec.specialTokens));
    const r = this.core.decode(this.vocab, ids, this.specialTable);
    if (typeof r === 'number') {
      const i = -r - 1;
      throw new RangeError(`decode: ids[${i}] = ${ids[i]} is not a token of ${this.name}`);
    }
    return r;
  }

  /** Bytes of linear memory the shared WASM core uses. */
  wasmMemoryBytes(): number {
    return this.core.memoryBytes();
  }
}
