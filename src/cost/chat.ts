/**
 * Chat token counting with the openai-cookbook formula ("How to count tokens with tiktoken"):
 * 3 tokens per message plus the tokens of every value in it, +1 per `name`, +3 reply priming
 * (`<|start|>assistant<|message|>`); tool definitions add func_init (7 for gpt-4o and newer,
 * 10 for gpt-3.5 / gpt-4) + tokens of "name:description" per function, prop_init 3 when it has
 * properties, per property prop_key 3 + tokens of "key:type:description", enum_init −3 and
 * per enum value enum_item 3 + its tokens, and func_end 12 once after all functions.
 * Trailing periods of descriptions are dropped, as in the cookbook.
 *
 * OpenAI (`content` string or parts: text, image_url, input_text, input_image) and Anthropic
 * (`content` blocks: text, image, tool_use, tool_result, thinking) shapes are accepted. Image
 * parts are counted with the model's image rule; their size comes from `width`/`height` on
 * the part (or its image_url object) or is read from a data: URL / base64 source.
 * Non-string values other than content (tool_calls, …) are counted as their JSON text.
 * For models without a public tokenizer the text count is scaled by the model's estimation
 * method (see ./tokens.ts); image tokens are not scaled.
 */
import type { Encoding } from '../core/encoding.js';
import { lookupModelEncoding } from '../core/models.js';
import { UnknownNameError } from '../core/errors.js';
import type { BundleModel, ImageRule } from '../pricing/types.js';
import { CostInputError } from './errors.js';
import { CHAT_FORMAT } from './chat-format.js';
import { sniffImageSize } from './image-size.js';
import { imageTokensForRule } from './images.js';
import { pricingTable } from './table.js';
import { counterFor, encodingOf, type Counter } from './tokens.js';
import type { ImageDetail } from './types.js';

/** Options of {@link countChat}. */
export interface CountChatOptions {
  model: string;
  /** Tool (function) definitions, OpenAI `{type:'function', function}` or Anthropic `{name, input_schema}`. */
  tools?: unknown[];
}

/** A chat count with its provenance. */
export interface ChatCount {
  tokens: number;
  /** Of which image tokens. */
  imageTokens: number;
  exact: boolean;
  method: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Ctx {
  enc: Encoding;
  rule: ImageRule | undefined;
  modelId: string;
  images: number;
}

/** Resolves a model for counting: a priced model, or any OpenAI model name the tokenizer knows. */
function resolveCounter(model: unknown): { counter: Counter; entry?: BundleModel; id: string } {
  if (typeof model !== 'string') throw new CostInputError('model', `must be a string, got ${model === null ? 'null' : typeof model}`);
  const t = pricingTable();
  const entry = t.get(model);
  if (entry) {
    const counter = counterFor(entry);
    if (!counter) throw new CostInputError('model', `${entry.id} is not priced per token (no tokenizer); chat counting does not apply`);
    return { counter, entry, id: entry.id };
  }
  const enc = lookupModelEncoding(model);
  if (enc) return { counter: { encoding: enc, exact: true, method: enc, scale: (n) => n }, id: model };
  throw new UnknownNameError('model', model, t.closestMatches(model));
}

function imageOf(part: Obj, path: string, ctx: Ctx): number {
  if (!ctx.rule) throw new CostInputError(path, `${ctx.modelId} has no image pricing rule (it does not take image input)`);
  const iu = part.image_url;
  const src = part.source;
  let width = part.width;
  let height = part.height;
  let detail: unknown = part.detail;
  let data: string | undefined;
  if (isObj(iu)) {
    width ??= iu.width;
    height ??= iu.height;
    detail ??= iu.detail;
    if (typeof iu.url === 'string') data = iu.url;
  } else if (typeof iu === 'string') data = iu;
  if (isObj(src) && typeof src.data === 'string') data = src.data;
  if (width === undefined || height === undefined) {
    const size = data && (data.startsWith('data:') || isObj(src)) ? sniffImageSize(data) : undefined;
    if (!size) throw new CostInputError(path, 'image size unknown: give width and height on the part (remote images cannot be measured)');
    width = size.width;
    height = size.height;
  }
  for (const [k, v] of [['width', width], ['height', height]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1_000_000) throw new CostInputError(`${path}.${k}`, `must be a positive integer number of pixels, got ${String(v)}`);
  }
  detail ??= 'auto';
  if (detail !== 'low' && detail !== 'high' && detail !== 'auto') throw new CostInputError(`${path}.detail`, `must be 'low', 'high' or 'auto', got ${String(detail)}`);
  if (ctx.rule.rule === 'per-image') {
    ctx.images++;
    return 0;
  }
  return imageTokensForRule(ctx.rule, width as number, height as number, detail as ImageDetail);
}

/** Text tokens (raw, unscaled) and image tokens of a content value. */
function content(value: unknown, path: string, ctx: Ctx, out: { text: number; image: number }): void {
  if (typeof value === 'string') {
    out.text += ctx.enc.count(value);
    return;
  }
  if (!Array.isArray(value)) {
    if (isObj(value)) return content([value], path, ctx, out);
    throw new CostInputError(path, `must be a string or an array of content parts, got ${value === null ? 'null' : typeof value}`);
  }
  value.forEach((part, j) => {
    const p = `${path}[${j}]`;
    if (typeof part === 'string') {
      out.text += ctx.enc.count(part);
      return;
    }
    if (!isObj(part)) throw new CostInputError(p, 'must be a content part object');
    switch (part.type) {
      case 'text':
      case 'input_text':
      case 'output_text':
        if (typeof part.text !== 'string') throw new CostInputError(`${p}.text`, 'must be a string');
        out.text += ctx.enc.count(part.text);
        return;
      case 'thinking':
        if (typeof part.thinking === 'string') out.text += ctx.enc.count(part.thinking);
        return;
      case 'image_url':
      case 'input_image':
      case 'image':
        out.image += imageOf(part, p, ctx);
        return;
      case 'tool_use':
        out.text += ctx.enc.count(String(part.name ?? '')) + ctx.enc.count(JSON.stringify(part.input ?? {}));
        return;
      case 'tool_result':
        if (part.content !== undefined) content(part.content, `${p}.content`, ctx, out);
        return;
      default:
        throw new CostInputError(`${p}.type`, `unsupported content part type ${JSON.stringify(part.type)}; expected text, image_url, input_text, input_image, image, tool_use, tool_result or thinking`);
    }
  });
}

function stripPeriod(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** Raw tokens of tool definitions per the cookbook's num_tokens_for_tools. */
function toolTokens(tools: unknown[], ctx: Ctx, legacy: boolean): number {
  if (tools.length === 0) return 0;
  const F = CHAT_FORMAT;
  let n = 0;
  tools.forEach((tool, i) => {
    const path = `tools[${i}]`;
    if (!isObj(tool)) throw new CostInputError(path, 'must be a tool definition object');
    const fn = isObj(tool.function) ? tool.function : tool;
    if (typeof fn.name !== 'string') throw new CostInputError(`${path}.name`, 'must be a string');
    const desc = typeof fn.description === 'string' ? fn.description : '';
    n += legacy ? F.funcInitLegacy : F.funcInit;
    n += ctx.enc.count(`${fn.name}:${stripPeriod(desc)}`);
    const schema = isObj(fn.parameters) ? fn.parameters : isObj(fn.input_schema) ? fn.input_schema : {};
    const props = isObj(schema.properties) ? schema.properties : {};
    const keys = Object.keys(props);
    if (keys.length > 0) {
      n += F.propInit;
      for (const key of keys) {
        n += F.propKey;
        const p = isObj(props[key]) ? (props[key] as Obj) : {};
        if ('enum' in p && Array.isArray(p.enum)) {
          n += F.enumInit;
          for (const item of p.enum) n += F.enumItem + ctx.enc.count(typeof item === 'string' ? item : JSON.stringify(item));
        }
        const pdesc = typeof p.description === 'string' ? p.description : '';
        const ptype = p.type === undefined ? '' : typeof p.type === 'string' ? p.type : JSON.stringify(p.type);
        n += ctx.enc.count(`${key}:${ptype}:${stripPeriod(pdesc)}`);
      }
    }
  });
  return n + F.funcEnd;
}

/** countChatDetailed (documented where the package exports it, lazy-api.ts). */
export async function countChatDetailed(messages: unknown, opts: CountChatOptions): Promise<ChatCount> {
  if (!isObj(opts)) throw new CostInputError('options', 'must be an object with a model');
  for (const k of Object.keys(opts)) if (k !== 'model' && k !== 'tools') throw new CostInputError(k, 'unknown field; expected model, tools');
  if (!Array.isArray(messages)) throw new CostInputError('messages', 'must be an array of messages');
  if (opts.tools !== undefined && !Array.isArray(opts.tools)) throw new CostInputError('tools', 'must be an array of tool definitions');
  const { counter, entry, id } = resolveCounter(opts.model);
  const enc = await encodingOf(counter);
  const rule = entry ? pricingTable().latestPrice(entry).image : undefined;
  const ctx: Ctx = { enc, rule, modelId: id, images: 0 };
  const F = CHAT_FORMAT;
  const acc = { text: 0, image: 0 };
  let overhead = 0;
  messages.forEach((msg, i) => {
    const path = `messages[${i}]`;
    if (!isObj(msg)) throw new CostInputError(path, 'must be a message object');
    overhead += F.tokensPerMessage;
    for (const [key, value] of Object.entries(msg)) {
      if (value === undefined || value === null) continue;
      if (key === 'content') content(value, `${path}.content`, ctx, acc);
      else acc.text += enc.count(typeof value === 'string' ? value : JSON.stringify(value));
      if (key === 'name') overhead += F.tokensPerName;
    }
  });
  overhead += F.replyPriming;
  const tools = opts.tools ? toolTokens(opts.tools, ctx, counter.encoding === 'cl100k_base') : 0;
  const tokens = counter.scale(acc.text + overhead + tools) + acc.image;
  return { tokens, imageTokens: acc.image, exact: counter.exact, method: counter.method };
}

/** countChat (documented where the package exports it, lazy-api.ts). */
export async function countChat(messages: unknown[], opts: CountChatOptions): Promise<number> {
  return (await countChatDetailed(messages, opts)).tokens;
}
