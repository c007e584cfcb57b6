/**
 * Deterministic ids shaped like the providers' (`chatcmpl-…`, `msg_01…`, `toolu_01…`, `call_…`,
 * `req_…`): each fake draws them from its own seeded generator, so a test run is reproducible.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Anthropic ids use base58 after the `01` version prefix.
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

/** 32-bit FNV-1a of a string. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Ids {
  private readonly rand: () => number;

  constructor(seed: string) {
    this.rand = prng(fnv1a(seed));
  }

  private chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rand() * alphabet.length)];
    return s;
  }

  /** OpenAI chat completion id. */
  chatCompletion(): string {
    return `chatcmpl-${this.chars(ALNUM, 29)}`;
  }
  /** OpenAI tool call id. */
  toolCall(): string {
    return `call_${this.chars(ALNUM, 24)}`;
  }
  /** OpenAI `x-request-id`. */
  openaiRequest(): string {
    return `req_${this.chars(HEX, 32)}`;
  }
  /** OpenAI `system_fingerprint`. */
  fingerprint(): string {
    return `fp_${this.chars(HEX, 10)}`;
  }
  /** Anthropic message id. */
  message(): string {
    return `msg_01${this.chars(BASE58, 22)}`;
  }
  /** Anthropic tool_use id. */
  toolUse(): string {
    return `toolu_01${this.chars(BASE58, 22)}`;
  }
  /** Anthropic `request-id`. */
  anthropicRequest(): string {
    return `req_011C${this.chars(BASE58, 20)}`;
  }
  /** Gemini `responseId`. */
  geminiResponse(): string {
    return this.chars(ALNUM + '-_', 22);
  }
}
