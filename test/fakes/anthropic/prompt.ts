/**
 * Input tokens of a Messages request and how prompt caching splits them. Claude has no public
 * tokenizer, so text is counted with the fakes' deterministic rule (core/tokens.ts); the rest
 * follows Anthropic's docs:
 *  - tool use adds a system prompt of 346 tokens (`tool_choice` auto/none) or 313 (any/tool)
 *    ("Tool use with Claude" → pricing, Claude 4 models);
 *  - prompt caching ("Prompt caching"): prefixes end at `cache_control` breakpoints, in the
 *    order tools → system → messages; a breakpoint whose prefix was written earlier (and has
 *    not expired: 5 minutes, or 1 hour with `ttl: "1h"`) is read, the rest up to the last
 *    breakpoint is written; prefixes shorter than the model's minimum (1024 tokens, 2048 for
 *    Haiku) are not cached. `input_tokens` excludes both cache reads and cache writes.
 */
import { fnv1a } from '../core/ids.js';
import type { Prefix } from '../core/prefix-cache.js';
import { PrefixCache } from '../core/prefix-cache.js';
import { approxTokenizer } from '../core/tokens.js';

type Obj = Record<string, any>;
type Ttl = '5m' | '1h';

interface Unit {
  json: string;
  tokens: number;
  breakpoint?: Ttl;
}

const count = approxTokenizer.count;
const TTL_MS: Record<Ttl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

function withoutCacheControl(o: Obj): string {
  const { cache_control: _cc, ...rest } = o;
  return JSON.stringify(rest);
}

function blockTokens(b: Obj, imageTokens: number): number {
  switch (b?.type) {
    case 'text':
      return count(String(b.text ?? ''));
    case 'tool_use':
      return count(String(b.name ?? '')) + count(JSON.stringify(b.input ?? {}));
    case 'tool_result':
      return 3 + (typeof b.content === 'string' ? count(b.content) : Array.isArray(b.content) ? b.content.reduce((n: number, c: Obj) => n + blockTokens(c, imageTokens), 0) : 0);
    case 'image':
    case 'document':
      return imageTokens;
    case 'thinking':
      return count(String(b.thinking ?? ''));
    default:
      return count(JSON.stringify(b ?? ''));
  }
}

function breakpointOf(o: Obj): Ttl | undefined {
  const cc = o?.cache_control;
  if (!cc || cc.type !== 'ephemeral') return undefined;
  return cc.ttl === '1h' ? '1h' : '5m';
}

/** The prompt as cacheable units, in Anthropic's prefix order. */
function units(body: Obj, imageTokens: number): Unit[] {
  const out: Unit[] = [];
  const tools: Obj[] = Array.isArray(body.tools) ? body.tools : [];
  if (tools.length) {
    const forced = body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool';
    out.push({ json: `tool-system:${forced}`, tokens: forced ? 313 : 346 });
    for (const t of tools) out.push({ json: withoutCacheControl(t), tokens: count(JSON.stringify({ name: t.name, description: t.description, input_schema: t.input_schema })), breakpoint: breakpointOf(t) });
  }
  if (typeof body.system === 'string') out.push({ json: JSON.stringify(body.system), tokens: count(body.system) });
  else if (Array.isArray(body.system)) for (const b of body.system) out.push({ json: withoutCacheControl(b), tokens: blockTokens(b, imageTokens), breakpoint: breakpointOf(b) });
  for (const m of (body.messages ?? []) as Obj[]) {
    out.push({ json: `role:${m.role}`, tokens: 3 });
    if (typeof m.content === 'string') out.push({ json: JSON.stringify(m.content), tokens: count(m.content) });
    else if (Array.isArray(m.content)) for (const b of m.content) out.push({ json: withoutCacheControl(b), tokens: blockTokens(b, imageTokens), breakpoint: breakpointOf(b) });
  }
  return out;
}

export interface InputUsage {
  /** All input tokens (what count_tokens reports). */
  total: number;
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  ephemeral_5m_input_tokens: number;
  ephemeral_1h_input_tokens: number;
}

export class AnthropicPromptCounter {
  private readonly cache = new PrefixCache();

  constructor(private readonly imageTokens = 1600) {}

  /** Input tokens with no caching (count_tokens). */
  total(body: Obj): number {
    return units(body, this.imageTokens).reduce((n, u) => n + u.tokens, 0);
  }

  /** Input usage of a request, reading and writing the cache. */
  usage(body: Obj, model: string): InputUsage {
    const us = units(body, this.imageTokens);
    const minimum = /haiku/.test(model) ? 2048 : 1024;
    const breakpoints: (Prefix & { ttl: Ttl })[] = [];
    let tokens = 0;
    let h = fnv1a(model);
    for (const u of us) {
      tokens += u.tokens;
      h = fnv1a(u.json, h);
      if (u.breakpoint && tokens >= minimum) breakpoints.push({ key: `${model}:${tokens}:${h}`, tokens, ttl: u.breakpoint });
    }
    const read = this.cache.longest(breakpoints);
    const written = { '5m': 0, '1h': 0 };
    let covered = read;
    for (const b of breakpoints) {
      if (b.tokens > covered) {
        written[b.ttl] += b.tokens - covered;
        covered = b.tokens;
      }
      this.cache.write([b], TTL_MS[b.ttl]);
    }
    const creation = written['5m'] + written['1h'];
    return {
      total: tokens,
      input_tokens: tokens - read - creation,
      cache_read_input_tokens: read,
      cache_creation_input_tokens: creation,
      ephemeral_5m_input_tokens: written['5m'],
      ephemeral_1h_input_tokens: written['1h'],
    };
  }

  reset(): void {
    this.cache.clear();
  }
}
