/**
 * The content a fake answers with, derived deterministically from the request: a sentence
 * quoting the last user message, cut to the output budget (`max_tokens` less reasoning tokens)
 * and at the first stop sequence; a tool call when the request forces one (arguments built from
 * the tool's JSON Schema); or what the test scripted. Every provider renders this plan.
 */
import { FakeHttpError } from './provider.js';
import type { ScriptedReply } from './script.js';
import type { Piece, TextTokenizer } from './tokens.js';

export interface ToolDef {
  name: string;
  /** JSON Schema of the arguments / input. */
  schema: unknown;
}

export interface PlannedToolCall {
  id?: string;
  name: string;
  /** JSON text. */
  arguments: string;
}

export type Finish = 'stop' | 'length' | 'tool_calls' | 'stop_sequence';

export interface PlannedReply {
  /** Visible text split at token boundaries. */
  pieces: Piece[];
  text: string;
  toolCalls: PlannedToolCall[];
  /** Output tokens: visible text plus tool calls, reasoning excluded. */
  outputTokens: number;
  reasoningTokens: number;
  finish: Finish;
  /** The stop sequence that ended the text (Anthropic reports it). */
  stopSequence?: string;
}

export interface PlanInput {
  lastUserText: string;
  /** The request's output budget (max_tokens, max_completion_tokens, maxOutputTokens). */
  maxTokens?: number;
  /** Reasoning tokens the model spends before answering (counted against maxTokens). */
  reasoningTokens?: number;
  stop?: string[];
  /** Name of the tool the request forces (`tool_choice`), or `*` for "any tool". */
  forcedTool?: string;
  tools?: ToolDef[];
  scripted?: ScriptedReply;
  /** Choice index (OpenAI `n`). */
  choice?: number;
  tokenizer: TextTokenizer;
}

const SNIPPET_WORDS = 16;

/** The default reply to a user message. */
export function defaultReplyText(lastUserText: string): string {
  const words = lastUserText.trim().split(/\s+/).filter(Boolean);
  const snippet = words.slice(0, SNIPPET_WORDS).join(' ') + (words.length > SNIPPET_WORDS ? ' …' : '');
  return `This is a deterministic reply from the fake upstream to: "${snippet || 'nothing'}". It has several sentences, so that a stream has several events.`;
}

type Schema = { type?: unknown; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; default?: unknown };

/** A value that satisfies a (simple) JSON Schema: the first enum value, the default, or a placeholder of the type. */
export function exampleValue(schema: unknown, key = 'value'): unknown {
  const s = (schema ?? {}) as Schema;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return `example ${key}`;
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [exampleValue(s.items, key)];
    case 'null':
      return null;
    default: {
      const out: Record<string, unknown> = {};
      const props = s.properties ?? {};
      const keys = s.required?.length ? s.required : Object.keys(props);
      for (const k of keys) out[k] = exampleValue(props[k], k);
      return out;
    }
  }
}

/** Cuts pieces to at most `budget` tokens. */
function cut(pieces: Piece[], budget: number): { pieces: Piece[]; tokens: number; truncated: boolean } {
  let tokens = 0;
  const out: Piece[] = [];
  for (const p of pieces) {
    if (tokens + p.tokens > budget) return { pieces: out, tokens, truncated: true };
    tokens += p.tokens;
    out.push(p);
  }
  return { pieces: out, tokens, truncated: false };
}

export function planReply(input: PlanInput): PlannedReply {
  const tk = input.tokenizer;
  const choice = input.choice ?? 0;
  const scripted = input.scripted;
  let reasoning = Math.max(0, scripted?.reasoningTokens ?? input.reasoningTokens ?? 0);
  const max = input.maxTokens;
  if (max !== undefined && reasoning >= max) {
    // The whole budget went to thinking: no visible output, stopped for length.
    return { pieces: [], text: '', toolCalls: [], outputTokens: 0, reasoningTokens: max, finish: 'length' };
  }

  let toolCalls: PlannedToolCall[] = [];
  let text: string;
  if (scripted?.toolCalls || scripted?.text !== undefined) {
    const t = scripted.text;
    text = Array.isArray(t) ? (t[choice] ?? t[t.length - 1] ?? '') : (t ?? '');
    toolCalls = (scripted.toolCalls ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    }));
  } else if (input.forcedTool) {
    const tool = input.forcedTool === '*' ? input.tools?.[0] : input.tools?.find((t) => t.name === input.forcedTool);
    if (!tool) throw new FakeHttpError(400, 'invalid_request', `tool_choice names a tool that is not in tools: ${input.forcedTool === '*' ? '(none given)' : input.forcedTool}`, 'tool_choice');
    text = '';
    toolCalls = [{ name: tool.name, arguments: JSON.stringify(exampleValue(tool.schema)) }];
  } else {
    text = defaultReplyText(input.lastUserText) + (choice > 0 ? ` (choice ${choice + 1})` : '');
  }

  let finish: Finish = toolCalls.length ? 'tool_calls' : 'stop';
  let stopSequence: string | undefined;
  for (const s of input.stop ?? []) {
    const at = s ? text.indexOf(s) : -1;
    if (at >= 0 && (stopSequence === undefined || at < text.indexOf(stopSequence))) stopSequence = s;
  }
  if (stopSequence !== undefined) {
    text = text.slice(0, text.indexOf(stopSequence));
    toolCalls = [];
    finish = 'stop_sequence';
  }
  let pieces = tk.pieces(text);
  let tokens = pieces.reduce((n, p) => n + p.tokens, 0);
  if (max !== undefined) {
    const c = cut(pieces, max - reasoning);
    if (c.truncated) {
      pieces = c.pieces;
      tokens = c.tokens;
      text = pieces.map((p) => p.text).join('');
      toolCalls = [];
      finish = 'length';
      stopSequence = undefined;
    }
  }
  for (const c of toolCalls) tokens += tk.count(c.name) + tk.count(c.arguments);
  return { pieces, text, toolCalls, outputTokens: tokens, reasoningTokens: reasoning, finish, stopSequence };
}

/** Groups pieces into runs of about `size` tokens (one SSE event each). */
export function groupPieces(pieces: Piece[], size: number): string[] {
  const out: string[] = [];
  let cur = '';
  let n = 0;
  for (const p of pieces) {
    cur += p.text;
    n += p.tokens;
    if (n >= size) {
      out.push(cur);
      cur = '';
      n = 0;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** The text of a message content value: a string, or the `text` of its text parts / blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: any) => (typeof p === 'string' ? p : typeof p?.text === 'string' ? p.text : ''))
    .filter(Boolean)
    .join('\n');
}
