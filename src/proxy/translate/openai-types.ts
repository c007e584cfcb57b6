/**
 * The internal request/response/stream shapes of the gateway: OpenAI Chat Completions, the
 * format every client library speaks. Only the fields the gateway reads or writes are typed;
 * everything else passes through untouched.
 */

export type Json = Record<string, unknown>;

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | string;
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  [k: string]: unknown;
}

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'low' | 'high' | 'auto' } }
  | { type: string; [k: string]: unknown };

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Json; strict?: boolean };
}

export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  tools?: ChatTool[];
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: { name?: string; schema?: Json; strict?: boolean } };
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high' | string | null;
  service_tier?: string | null;
  user?: string;
  [k: string]: unknown;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number; [k: string]: unknown };
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number; [k: string]: unknown };
  [k: string]: unknown;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call' | null;

export interface ChatChoice {
  index: number;
  message: { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[]; refusal?: string | null; [k: string]: unknown };
  finish_reason: FinishReason;
  logprobs?: unknown;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: ChatUsage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  [k: string]: unknown;
}

export interface ChunkToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChunkChoice {
  index: number;
  delta: { role?: 'assistant'; content?: string | null; tool_calls?: ChunkToolCallDelta[]; refusal?: string | null; reasoning_content?: string; [k: string]: unknown };
  finish_reason: FinishReason;
  logprobs?: unknown;
}

export interface ChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChunkChoice[];
  usage?: ChatUsage | null;
  system_fingerprint?: string | null;
  [k: string]: unknown;
}

/** An error inside a stream (OpenAI sends `data: {"error": …}`). */
export interface StreamError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a message's content (strings and text parts). */
export function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const p of content) if (isObject(p) && p.type === 'text' && typeof p.text === 'string') s += p.text;
  return s;
}
