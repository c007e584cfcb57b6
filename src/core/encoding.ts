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

const NO_LIMIT = 0xffffffff;

function concat(parts: Uint32Array[]): Uint32Array {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const c of parts) total += c.length;
  const out = new Uint32Array(total);
  let o = 0;
  for (const c of parts) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

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
    return concat(parts.map((p) => (typeof p === 'number' ? Uint32Array.of(p) : this.encodeOrdinary(p))));
  }

  /** Token ids of `text`, treating special-token text as ordinary text. */
  encodeOrdinary(text: string): Uint32Array {
    assertText(text, 'encodeOrdinary');
    const segments = this.spec.segments;
    if (!segments) return this.core.ids(this.core.encode(this.vocab, this.spec.family, text, MODE.ids));
    return concat(segments(text).map((p) => (typeof p === 'number' ? Uint32Array.of(p) : this.core.ids(this.core.encode(this.vocab, this.spec.family, p, MODE.ids)))));
  }

  /** Number of tokens `encodeOrdinary(text)` would return, without building the array. */
  count(text: string): number {
    assertText(text, 'count');
    if (!this.spec.segments) return this.core.encode(this.vocab, this.spec.family, text, MODE.count);
    return this.limited(text, NO_LIMIT) as number;
  }

  /**
   * The token count if it is at most `limit`, else `false`. Stops tokenizing as soon as the
   * limit is passed, so checking a huge input against a small budget is cheap.
   */
  isWithinLimit(text: string, limit: number): number | false {
    assertText(text, 'isWithinLimit');
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError('isWithinLimit: limit must be a non-negative integer');
    return this.limited(text, Math.min(limit, NO_LIMIT - 1));
  }

  private limited(text: string, limit: number): number | false {
    const segments = this.spec.segments;
    if (!segments) {
      const n = this.core.encode(this.vocab, this.spec.family, text, MODE.count, limit);
      return n < 0 ? false : n;
    }
    let n = 0;
    for (const p of segments(text)) {
      const m = typeof p === 'number' ? 1 : this.core.encode(this.vocab, this.spec.family, p, MODE.count, limit - n);
      if (m < 0 || m > limit - n) return false;
      n += m;
    }
    return n;
  }

  /**
   * Ids plus each token's UTF-16 range in `text` (ordinary encoding), for highlighting. Where
   * the model normalises text (Qwen: NFC) and that changed a segment, its tokens' ranges are
   * those of the normalised segment, clamped into the input segment.
   */
  tokenize(text: string): Tokenized {
    assertText(text, 'tokenize');
    const idParts: Uint32Array[] = [];
    const startParts: Uint32Array[] = [];
    let at = 0; // UTF-16 offset of the segment in `text`
    for (const [p, length] of this.spec.rawSegments ? this.spec.rawSegments(text) : [[text, text.length] as const]) {
      if (typeof p === 'number') {
        idParts.push(Uint32Array.of(p));
        startParts.push(Uint32Array.of(at));
      } else {
        const seg = this.spec.normalize ? this.spec.normalize(p) : p;
        const n = this.core.encode(this.vocab, this.spec.family, seg, MODE.offsets);
        const starts = this.core.starts(n);
        for (let i = 0; i < n; i++) starts[i] = at + Math.min(starts[i]!, length);
        idParts.push(this.core.ids(n));
        startParts.push(starts);
      }
      at += length;
    }
    const ids = concat(idParts);
    const starts = concat(startParts);
    const n = ids.length;
    const ends = new Uint32Array(n);
    for (let i = 0; i + 1 < n; i++) ends[i] = starts[i + 1];
    if (n > 0) ends[n - 1] = text.length;
    return { ids, starts, ends };
  }

  /**
   * UTF-8 bytes of `ids` concatenated (specials included), through the model's decoder where it
   * has one (Gemma 3: `▁` is a space). RangeError on an unknown id.
   */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    const view = this.decodeView(ids);
    return this.spec.decodeBytes ? this.spec.decodeBytes(view) : view.slice();
  }

  /** Text of `ids`; byte sequences that are not valid UTF-8 become U+FFFD, as in tiktoken. */
  decode(ids: ArrayLike<number>): string {
    const view = this.decodeView(ids);
    return (decoder ??= new TextDecoder('utf-8', { ignoreBOM: true })).decode(this.spec.decodeBytes ? this.spec.decodeBytes(view) : view);
  }

  /** Decoded bytes as a view into WASM memory, valid until the next call into the core. */
  private decodeView(ids: ArrayLike<number>): Uint8Array {
    if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') throw new TypeError('decode: ids must be an array of token ids');
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`decode: ids[${i}] = ${String(id)} is not a token id`);
    }
    this.specialTable ??= this.core.registerSpecials(specialTableEntries({ ...this.spec.specialTokens, ...this.spec.addedTokens }));
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
