/**
 * How a fake counts and splits text. OpenAI models use tiktoken (see ../openai/tiktoken.ts);
 * Claude and Gemini have no public tokenizer, so their fakes use a simple deterministic rule
 * (`approxTokenizer`): a token is up to 4 non-space characters with the whitespace before them.
 */

/** A run of text worth `tokens` tokens (usually 1; more when one character spans tokens). */
export interface Piece {
  text: string;
  tokens: number;
}

export interface TextTokenizer {
  count(text: string): number;
  /** The text split at token boundaries; the pieces join back to the text. */
  pieces(text: string): Piece[];
}

const APPROX = /\s*[^\s]{1,4}|\s+/gu;

/** ~4 characters per token, additive over pieces, so truncation and streaming agree with counts. */
export const approxTokenizer: TextTokenizer = {
  count(text) {
    if (!text) return 0;
    let n = 0;
    APPROX.lastIndex = 0;
    while (APPROX.exec(text)) n++;
    return n;
  },
  pieces(text) {
    return (text.match(APPROX) ?? []).map((t) => ({ text: t, tokens: 1 }));
  },
};

/** Memoizes `fn` on a string key, keeping at most `max` entries (oldest dropped first). */
export function memo<V>(max: number, fn: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      v = fn(key);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(key, v);
    }
    return v;
  };
}
