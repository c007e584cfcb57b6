/**
 * The prompt of a request counted for a target model, before anything is sent: the planner
 * uses it to skip targets whose context window it exceeds and to price the request, the
 * budget reservation to reserve its worst case, and the relay to bill a stream whose upstream
 * reports no usage. Counting never rejects a request the provider would accept: parts the
 * counter cannot size (remote images, audio, files) are counted as their worst case or as text.
 */
import { CHAT_FORMAT, countChatDetailed, imageTokens, type ModelInfo } from '../../core/index.js';
import { countingEncoding } from './encoding.js';
import { MAX_RATIO } from '../health/token-ratio.js';
import type { ParsedRequest } from '../request.js';
import { isObject, type ChatMessage, type Json } from '../translate/openai-types.js';

export interface PromptCount {
  tokens: number;
  /** The count is the provider's own (an exact tokenizer, no unsized parts). */
  exact: boolean;
  method: string;
  /** `learned-ratio` counts: the ratio used (p90 of what traffic taught), and how many samples it rests on. */
  learned?: { ratio: number; p10: number; p90: number; samples: number };
}

/** The reference model whose cookbook count is the raw o200k count that learned ratios scale. */
export const RATIO_REFERENCE_MODEL = 'gpt-4o';

/** The largest billed image for the model: a remote image of unknown size is reserved as this. */
function worstImageSize(model: ModelInfo): { width: number; height: number } {
  let best = { width: 2048, height: 2048 };
  let bestTokens = -1;
  for (const size of [best, { width: 2048, height: 768 }]) {
    try {
      const t = imageTokens({ model: model.id, ...size, detail: 'high' });
      if (t > bestTokens) {
        bestTokens = t;
        best = size;
      }
    } catch {
      return best; // no image rule: the counter reports it
    }
  }
  return best;
}

/** Messages with every unsized image given the worst-case size (so counting cannot fail on them). */
function sizeImages(messages: unknown[], model: ModelInfo): { messages: unknown[]; sized: boolean } {
  let sized = false;
  let worst: { width: number; height: number } | undefined;
  const out = messages.map((m) => {
    if (!isObject(m) || !Array.isArray(m.content)) return m;
    let changed = false;
    const content = m.content.map((p: unknown) => {
      if (!isObject(p) || p.type !== 'image_url') return p;
      const iu = p.image_url;
      const url = typeof iu === 'string' ? iu : isObject(iu) && typeof iu.url === 'string' ? iu.url : '';
      if (url.startsWith('data:') || (isObject(iu) && iu.width !== undefined)) return p;
      worst ??= worstImageSize(model);
      changed = true;
      sized = true;
      return { ...p, ...worst };
    });
    return changed ? { ...(m as Json), content } : m;
  });
  return { messages: out, sized };
}

async function fallbackCount(req: ParsedRequest, model: ModelInfo): Promise<PromptCount> {
  const { enc } = await countingEncoding(model);
  const text = req.kind === 'chat' ? JSON.stringify(req.body.messages) + (req.body.tools ? JSON.stringify(req.body.tools) : '') : req.texts.join('\n');
  return { tokens: enc.count(text), exact: false, method: 'json-text' };
}

/** Tokens of the request's prompt for `model`. */
export async function countPrompt(req: ParsedRequest, model: ModelInfo): Promise<PromptCount> {
  try {
    if (req.kind === 'embeddings') {
      const { enc, exact, name } = await countingEncoding(model);
      let tokens = req.givenTokens;
      for (const text of req.texts) tokens += enc.count(text);
      return { tokens, exact, method: name };
    }
    const { messages, sized } = sizeImages(req.body.messages, model);
    const c = await countChatDetailed(messages, req.body.tools ? { model: model.id, tools: req.body.tools } : { model: model.id });
    return { tokens: c.tokens, exact: c.exact && !sized, method: c.method };
  } catch {
    return fallbackCount(req, model);
  }
}

/**
 * Tokens a counter can produce per UTF-16 unit of text, at most. Every encoding we count with
 * splits UTF-8 bytes into tokens of at least one byte (byte-level BPE; Gemma's SentencePiece
 * falls back to one token per byte), and a UTF-16 unit is at most 3 bytes (a surrogate pair, 2
 * units, is 4). Qwen normalizes to NFC first, which can turn one code point into three (Unicode's
 * bound for NFC), so 9.
 */
function tokensPerUnit(model: ModelInfo): number {
  const t = model.tokenizer;
  return t?.exact && t.encoding === 'qwen2' ? 9 : 3;
}

/**
 * What countChatDetailed counts for a plain chat (string values, text parts only), summed:
 * UTF-16 units of its text, or undefined when the messages hold anything else (images, tool
 * calls, other parts), whose count has no such simple bound.
 */
function plainTextUnits(messages: ChatMessage[]): number | undefined {
  let units = 0;
  for (const m of messages) {
    if (!isObject(m)) return undefined;
    for (const key in m) {
      const v = m[key];
      if (v === undefined || v === null) continue;
      if (typeof v === 'string') units += v.length;
      else if (key === 'content' && Array.isArray(v)) {
        for (const p of v) {
          if (!isObject(p) || p.type !== 'text' || typeof p.text !== 'string') return undefined;
          units += p.text.length;
        }
      } else return undefined;
    }
  }
  return units;
}

/** Counts per distinct tokenizer: targets sharing one are counted once. */
export class PromptCounter {
  private readonly counts = new Map<string, Promise<PromptCount>>();
  private rawCount: Promise<number | undefined> | undefined;
  /** UTF-16 units of a plain chat's text (-1: not a plain chat). */
  private units: number | undefined;
  readonly hasImages: boolean;

  constructor(private readonly req: ParsedRequest) {
    this.hasImages = req.kind === 'chat' && req.body.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => isObject(p) && p.type === 'image_url'));
  }

  /**
   * The prompt's o200k count by the same formula (messages, tools; no images), which a learned
   * ratio turns into a provider's count. Undefined when it cannot be had (images, embeddings).
   */
  raw(): Promise<number | undefined> {
    this.rawCount ??= (async () => {
      if (this.req.kind !== 'chat' || this.hasImages) return undefined;
      try {
        const c = await countChatDetailed(this.req.body.messages, this.req.body.tools ? { model: RATIO_REFERENCE_MODEL, tools: this.req.body.tools } : { model: RATIO_REFERENCE_MODEL });
        return c.tokens;
      } catch {
        return undefined;
      }
    })();
    return this.rawCount;
  }

  /**
   * A number of tokens the prompt's count for `model` cannot exceed, known without tokenizing
   * (a sum of string lengths), or undefined for requests where no such bound is cheap (tools,
   * images, embeddings). It answers "does the prompt fit the context window?" for all but the
   * largest prompts, so a request whose count nothing else needs is never tokenized.
   */
  ceiling(model: ModelInfo): number | undefined {
    if (this.req.kind !== 'chat' || this.hasImages || this.req.body.tools?.length || !model.tokenizer) return undefined;
    this.units ??= plainTextUnits(this.req.body.messages) ?? -1;
    if (this.units < 0) return undefined;
    // The cookbook formula's framing: per message (and its name, at most), and the reply's priming.
    const F = CHAT_FORMAT;
    const raw = this.units * tokensPerUnit(model) + this.req.body.messages.length * (F.tokensPerMessage + F.tokensPerName) + F.replyPriming;
    // Estimates scale an o200k count: by their method's constant (at most 1.2) or a learned ratio.
    return model.tokenizer?.exact ? raw : Math.ceil(raw * MAX_RATIO);
  }

  count(model: ModelInfo): Promise<PromptCount> {
    // The image rule differs per model, so requests with images are counted per model.
    const key = this.hasImages ? model.id : JSON.stringify(model.tokenizer ?? null);
    let c = this.counts.get(key);
    if (!c) {
      c = countPrompt(this.req, model);
      this.counts.set(key, c);
    }
    return c;
  }
}
