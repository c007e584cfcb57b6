/**
 * Special-token handling around the WASM encoder, mirroring tiktoken: `encode` rejects
 * special-token text unless allowed, allowed specials are split out before BPE, and
 * `encodeOrdinary` never looks for them. The specials of an encoding share a prefix ("<|"
 * for OpenAI's, "<" at least for every encoding here), so the common case costs one indexOf.
 * The same splitter finds Hugging Face's non-special added tokens, which every encode matches.
 */
import { DisallowedSpecialTokenError } from './errors.js';

export type AllowedSpecial = 'all' | readonly string[] | ReadonlySet<string>;

export class SpecialTokens {
  readonly ids: ReadonlyMap<string, number>;
  /** Built on the first text that contains the common prefix (most never do; this keeps getEncoding fast). */
  private matcher?: RegExp;
  /** What every token starts with ("<|" for OpenAI's and Llama's): text without it has none. */
  private readonly prefix: string;

  constructor(tokens: Record<string, number>) {
    this.ids = new Map(Object.entries(tokens));
    this.prefix = commonPrefix([...this.ids.keys()]);
  }

  private pattern(): RegExp {
    // Longest first so a token that prefixes another cannot shadow it.
    this.matcher ??= new RegExp([...this.ids.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return this.matcher;
  }

  /** The name of token `id` (first name registered for it). */
  nameOf(id: number): string {
    this.names ??= new Map([...this.ids].reverse().map(([k, v]) => [v, k]));
    return this.names.get(id)!;
  }
  private names?: Map<number, string>;

  /** Resolve the caller's allowed set, rejecting names that are not specials of this encoding. */
  allowed(allowed: AllowedSpecial | undefined): ReadonlySet<string> {
    if (allowed === undefined) return EMPTY;
    if (allowed === 'all') return new Set(this.ids.keys());
    const set = allowed instanceof Set ? allowed : new Set(allowed as readonly string[]);
    for (const t of set) {
      if (typeof t !== 'string' || !this.ids.has(t)) throw new TypeError(`'${String(t)}' is not a special token of this encoding`);
    }
    return set;
  }

  /**
   * Split `text` into ordinary segments and allowed special tokens. Throws if a special
   * token that is not allowed occurs anywhere (tiktoken's `disallowed_special="all"`).
   */
  split(text: string, allowed: ReadonlySet<string>): (string | number)[] {
    if (this.ids.size === 0 || text.indexOf(this.prefix) === -1) return [text];
    const parts: (string | number)[] = [];
    let last = 0;
    const matcher = this.pattern();
    matcher.lastIndex = 0;
    for (let m = matcher.exec(text); m; m = matcher.exec(text)) {
      const tok = m[0];
      if (!allowed.has(tok)) throw new DisallowedSpecialTokenError(tok);
      if (m.index > last) parts.push(text.slice(last, m.index));
      parts.push(this.ids.get(tok)!);
      last = m.index + tok.length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function commonPrefix(names: string[]): string {
  if (!names.length) return '';
  let p = names[0]!;
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The (id, UTF-8 bytes) pairs decoding needs, one per id: the first name wins for ids with
 * two names (o200k_harmony's 200018).
 */
export function specialTableEntries(tokens: Record<string, number>): [number, Uint8Array][] {
  const encoder = new TextEncoder();
  const seen = new Set<number>();
  const out: [number, Uint8Array][] = [];
  for (const [tok, id] of Object.entries(tokens)) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push([id, encoder.encode(tok)]);
  }
  return out;
}
