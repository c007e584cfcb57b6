/**
 * Prompt caching as the providers bill it: a request whose prompt starts with a prefix an
 * earlier request wrote (and that has not expired) reads those tokens from the cache.
 * Each provider decides where prefixes may end (OpenAI: 1024 tokens then every 128; Anthropic:
 * at `cache_control` breakpoints; Gemini: at content boundaries) and keys them by content.
 */

export interface Prefix {
  /** Identifies the prompt up to here (a hash of its content). */
  key: string;
  /** Tokens of the prompt up to here. */
  tokens: number;
}

export class PrefixCache {
  private readonly written = new Map<string, number>();

  /** Tokens of the longest prefix that is cached now (0 if none). */
  longest(prefixes: Prefix[], now = Date.now()): number {
    let best = 0;
    for (const p of prefixes) {
      const until = this.written.get(p.key);
      if (until !== undefined && until > now && p.tokens > best) best = p.tokens;
    }
    return best;
  }

  /** Caches these prefixes for `ttlMs` (a hit refreshes them, as the providers do). */
  write(prefixes: Prefix[], ttlMs: number, now = Date.now()): void {
    for (const p of prefixes) this.written.set(p.key, Math.max(this.written.get(p.key) ?? 0, now + ttlMs));
  }

  clear(): void {
    this.written.clear();
  }
}
