/**
 * Special-token handling around the WASM encoder, mirroring tiktoken: `encode` rejects
 * special-token text unless allowed, allowed specials are split out before BPE, and
 * `encodeOrdinary` never looks for them. All specials in every encoding start with "<|",
 * so the common case (no "<|" in the text) costs one indexOf.
 */
import { DisallowedSpecialTokenError } from './errors.js';

export type AllowedSpecial = 'all' | readonly string[] | ReadonlySet<string>;

export class SpecialTokens {
  readonly ids: ReadonlyMap<string, number>;
  /** Built on the first text that contains "<|" (most never do; this keeps getEncoding fast). */
  private matcher?: RegExp;

  constructor(tokens: Record<string, number>) {
    this.ids = new Map(Object.entries(tokens));
  }

  private pattern(): RegExp {
    // Longest first so a token that prefixes another cannot shadow it.
    this.matcher ??= new RegExp([...this.ids.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return this.matcher;
  }

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
    if (text.indexOf('<|') === -1) return [text];
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
