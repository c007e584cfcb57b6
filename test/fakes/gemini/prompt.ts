/**
 * Prompt tokens of a Gemini request and implicit caching. Gemini has no public tokenizer, so
 * text counts use the fakes' deterministic rule (core/tokens.ts); an inline image counts 258
 * tokens (Gemini API "Understand and count tokens": images ≤ 384 px). Implicit caching
 * (Gemini API "Context caching", 2.5 models and later): a request that starts with the same
 * contents as a recent one reports the shared prefix as `cachedContentTokenCount`, when it is at
 * least 1024 tokens (2048 for Pro models); prefixes end at content boundaries.
 */
import { fnv1a } from '../core/ids.js';
import { PrefixCache, type Prefix } from '../core/prefix-cache.js';
import { approxTokenizer } from '../core/tokens.js';

type Obj = Record<string, any>;

const count = approxTokenizer.count;
const IMAGE_TOKENS = 258;
const CACHE_TTL_MS = 5 * 60_000;

function partTokens(p: Obj): number {
  if (typeof p?.text === 'string') return count(p.text);
  if (p?.functionCall) return count(String(p.functionCall.name ?? '')) + count(JSON.stringify(p.functionCall.args ?? {}));
  if (p?.functionResponse) return count(String(p.functionResponse.name ?? '')) + count(JSON.stringify(p.functionResponse.response ?? {}));
  if (p?.inlineData || p?.fileData) return IMAGE_TOKENS;
  return count(JSON.stringify(p ?? {}));
}

const contentTokens = (c: Obj | undefined): number => (Array.isArray(c?.parts) ? c.parts.reduce((n: number, p: Obj) => n + partTokens(p), 0) : 0);

/** The request's prompt as [content JSON, tokens] units: system instruction, tools, then contents. */
function units(body: Obj): [string, number][] {
  const out: [string, number][] = [];
  if (body.systemInstruction) out.push([JSON.stringify(body.systemInstruction), contentTokens(body.systemInstruction)]);
  if (Array.isArray(body.tools) && body.tools.length) out.push([JSON.stringify(body.tools), count(JSON.stringify(body.tools))]);
  for (const c of (body.contents ?? []) as Obj[]) out.push([JSON.stringify(c), contentTokens(c)]);
  return out;
}

export function implicitCaching(model: string): boolean {
  return /gemini-(2\.5|[3-9])/.test(model);
}

export class GeminiPromptCounter {
  private readonly cache = new PrefixCache();

  total(body: Obj): number {
    return units(body).reduce((n, [, t]) => n + t, 0);
  }

  /** Prompt tokens and the cached part of them, writing this prompt's prefixes to the cache. */
  usage(body: Obj, model: string): { prompt: number; cached: number } {
    const prefixes: Prefix[] = [];
    let tokens = 0;
    let h = fnv1a(model);
    for (const [json, t] of units(body)) {
      tokens += t;
      h = fnv1a(json, h);
      prefixes.push({ key: `${model}:${tokens}:${h}`, tokens });
    }
    if (!implicitCaching(model)) return { prompt: tokens, cached: 0 };
    const minimum = /pro/.test(model) ? 2048 : 1024;
    const eligible = prefixes.filter((p) => p.tokens >= minimum);
    const cached = this.cache.longest(eligible);
    this.cache.write(eligible, CACHE_TTL_MS);
    return { prompt: tokens, cached };
  }

  reset(): void {
    this.cache.clear();
  }
}
