/**
 * Token counts the real OpenAI API would report, computed with the `tiktoken` npm package
 * (the oracle the project's tokenizer is checked against; the fakes never use the project's
 * own code). Prompt tokens follow the openai-cookbook "How to count tokens with tiktoken"
 * formula: 3 per message + the tokens of every value (+1 per `name`), +3 reply priming, and
 * for tools func_init 7 (10 for gpt-3.5/gpt-4), "name:description", prop_init 3, per property
 * prop_key 3 + "key:type:description", enum_init -3, enum_item 3 + value, func_end 12.
 * Non-string values other than `content` count as their JSON text; an image part counts as
 * `imageTokens` (85, gpt-4o's low-detail base, unless the fake is configured otherwise).
 */
import { get_encoding, get_encoding_name_for_model, type Tiktoken, type TiktokenEncoding, type TiktokenModel } from 'tiktoken';
import { fnv1a } from '../core/ids.js';
import type { Prefix } from '../core/prefix-cache.js';
import { memo, type Piece, type TextTokenizer } from '../core/tokens.js';

const encodings = new Map<TiktokenEncoding, Tiktoken>();

/** tiktoken's encoding for a model; unknown names fall back by family prefix, then to o200k_base. */
export function encodingName(model: string): TiktokenEncoding {
  try {
    return get_encoding_name_for_model(model as TiktokenModel);
  } catch {
    if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o|gpt-oss|ft:gpt-4o)/.test(model)) return 'o200k_base';
    if (/^(gpt-4|gpt-3\.5|ft:gpt-4|ft:gpt-3\.5|text-embedding)/.test(model)) return 'cl100k_base';
    return 'o200k_base';
  }
}

function encoding(name: TiktokenEncoding): Tiktoken {
  let e = encodings.get(name);
  if (!e) {
    e = get_encoding(name);
    encodings.set(name, e);
  }
  return e;
}

const tokenizers = new Map<TiktokenEncoding, TextTokenizer>();

/** A TextTokenizer over tiktoken; pieces are whole characters (a character split across tokens stays in one piece). */
export function tiktokenizer(model: string): TextTokenizer {
  const name = encodingName(model);
  let t = tokenizers.get(name);
  if (!t) {
    const enc = encoding(name);
    const pieces = memo(256, (text: string): Piece[] => {
      const out: Piece[] = [];
      const td = new TextDecoder();
      let pending = 0;
      for (const id of enc.encode_ordinary(text)) {
        pending++;
        const s = td.decode(enc.decode_single_token_bytes(id), { stream: true });
        if (s) {
          out.push({ text: s, tokens: pending });
          pending = 0;
        }
      }
      const rest = td.decode();
      if (rest || pending) out.push({ text: rest, tokens: pending });
      return out;
    });
    const count = memo(1024, (text: string) => enc.encode_ordinary(text).length);
    t = { count: (s) => (s ? count(s) : 0), pieces };
    tokenizers.set(name, t);
  }
  return t;
}

export interface PromptCount {
  tokens: number;
  /** Cacheable prefixes: 1024 tokens, then every 128 (OpenAI prompt caching granularity). */
  prefixes: Prefix[];
}

type Obj = Record<string, any>;
const CACHE_MIN = 1024;
const CACHE_STEP = 128;

/** Builds the prompt as a token-id sequence (overheads as placeholder ids) and counts it. */
function promptSequence(model: string, messages: Obj[], tools: Obj[] | undefined, imageTokens: number): number[] {
  const enc = encoding(encodingName(model));
  const seq: number[] = [];
  const push = (text: string) => {
    for (const id of enc.encode_ordinary(text)) seq.push(id);
  };
  const filler = (n: number, salt: number) => {
    for (let i = 0; i < n; i++) seq.push(0x8000_0000 + ((salt + i) & 0x7fff_ffff));
  };
  if (tools?.length) filler(toolTokens(enc, tools, encodingName(model) === 'cl100k_base'), fnv1a(JSON.stringify(tools)));
  for (const m of messages) {
    filler(3, fnv1a(String(m.role)));
    for (const [k, v] of Object.entries(m)) {
      if (v === null || v === undefined) continue;
      if (k === 'content' && Array.isArray(v)) {
        for (const part of v as Obj[]) {
          if (typeof part === 'string') push(part);
          else if (typeof part?.text === 'string') push(part.text);
          else if (part?.type === 'image_url' || part?.type === 'input_image') filler(imageTokens, fnv1a(JSON.stringify(part)));
        }
      } else push(typeof v === 'string' ? v : JSON.stringify(v));
      if (k === 'name') filler(1, 1);
    }
  }
  filler(3, 2);
  return seq;
}

const strip = (s: string) => (s.endsWith('.') ? s.slice(0, -1) : s);

function toolTokens(enc: Tiktoken, tools: Obj[], legacy: boolean): number {
  const count = (s: string) => enc.encode_ordinary(s).length;
  let n = 0;
  for (const tool of tools) {
    const fn: Obj = tool.function ?? tool;
    n += legacy ? 10 : 7;
    n += count(`${fn.name}:${strip(typeof fn.description === 'string' ? fn.description : '')}`);
    const props: Obj = fn.parameters?.properties ?? {};
    const keys = Object.keys(props);
    if (keys.length) {
      n += 3;
      for (const key of keys) {
        const p: Obj = props[key] ?? {};
        n += 3;
        if (Array.isArray(p.enum)) {
          n -= 3;
          for (const item of p.enum) n += 3 + count(typeof item === 'string' ? item : JSON.stringify(item));
        }
        const type = p.type === undefined ? '' : typeof p.type === 'string' ? p.type : JSON.stringify(p.type);
        n += count(`${key}:${type}:${strip(typeof p.description === 'string' ? p.description : '')}`);
      }
    }
  }
  return n + 12;
}

const counted = memo(512, (key: string): PromptCount => {
  const { model, messages, tools, imageTokens } = JSON.parse(key) as { model: string; messages: Obj[]; tools?: Obj[]; imageTokens: number };
  const seq = promptSequence(model, messages, tools, imageTokens);
  const prefixes: Prefix[] = [];
  let h1 = 0x811c9dc5;
  let h2 = 0x12345678;
  for (let i = 0; i < seq.length; i++) {
    h1 = Math.imul(h1 ^ seq[i], 0x01000193) >>> 0;
    h2 = (Math.imul(h2, 31) + seq[i]) >>> 0;
    const len = i + 1;
    if (len >= CACHE_MIN && (len - CACHE_MIN) % CACHE_STEP === 0) prefixes.push({ key: `${model}:${len}:${h1}:${h2}`, tokens: len });
  }
  return { tokens: seq.length, prefixes };
});

/** prompt_tokens of a chat request as OpenAI reports them, with the cacheable prefixes. */
export function countChatPrompt(model: string, messages: Obj[], tools: Obj[] | undefined, imageTokens: number): PromptCount {
  return counted(JSON.stringify({ model, messages, tools, imageTokens }));
}

/** Tokens of an embeddings input (string, strings, token array or token arrays). */
export function countEmbeddingInput(model: string, input: unknown): number[] {
  const enc = encoding(encodingName(model));
  const items: unknown[] = typeof input === 'string' ? [input] : Array.isArray(input) && input.length && typeof input[0] === 'number' ? [input] : (input as unknown[]);
  return items.map((x) => (typeof x === 'string' ? enc.encode_ordinary(x).length : Array.isArray(x) ? x.length : 0));
}
