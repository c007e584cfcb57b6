/**
 * Anthropic Messages responses ↔ internal (OpenAI) chat completions, and the two usage shapes.
 * Stop reasons: end_turn / stop_sequence / pause_turn → stop, max_tokens → length,
 * tool_use → tool_calls, refusal → content_filter. Usage: Anthropic's input_tokens EXCLUDE
 * cache reads and writes, OpenAI's prompt_tokens include them.
 */
import { isObject, type ChatCompletion, type ChatToolCall, type ChatUsage, type FinishReason, type Json } from './openai-types.js';

export function finishFromStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case null:
    case undefined:
      return null;
    default:
      return 'stop';
  }
}

export function stopReasonFromFinish(reason: FinishReason | string | undefined): string | null {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case null:
    case undefined:
      return null;
    default:
      return 'end_turn';
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Anthropic usage → OpenAI usage (prompt_tokens includes cache reads and writes). */
export function usageFromAnthropic(u: Json): ChatUsage {
  const read = num(u.cache_read_input_tokens);
  const write = num(u.cache_creation_input_tokens);
  const prompt = num(u.input_tokens) + read + write;
  const completion = num(u.output_tokens);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: read } };
}

/** OpenAI usage → Anthropic usage (input_tokens excludes cached tokens). */
export function usageToAnthropic(u: ChatUsage): Json {
  const cached = num(u.prompt_tokens_details?.cached_tokens);
  return { input_tokens: Math.max(0, u.prompt_tokens - cached), output_tokens: u.completion_tokens, cache_read_input_tokens: cached, cache_creation_input_tokens: 0 };
}

/** An Anthropic message (non-streaming response) as a chat completion. */
export function completionFromAnthropic(msg: Json, model: string): ChatCompletion {
  let text = '';
  const calls: ChatToolCall[] = [];
  for (const b of Array.isArray(msg.content) ? msg.content : []) {
    if (!isObject(b)) continue;
    if (b.type === 'text') text += String(b.text ?? '');
    else if (b.type === 'tool_use') calls.push({ id: String(b.id), type: 'function', function: { name: String(b.name), arguments: JSON.stringify(b.input ?? {}) } });
  }
  const out: ChatCompletion = {
    id: String(msg.id ?? ''),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text || (calls.length ? null : ''), ...(calls.length ? { tool_calls: calls } : {}), refusal: null },
        finish_reason: finishFromStopReason(msg.stop_reason),
        logprobs: null,
      },
    ],
  };
  if (isObject(msg.usage)) out.usage = usageFromAnthropic(msg.usage);
  return out;
}

function parseInput(args: string): unknown {
  try {
    return args.trim() ? JSON.parse(args) : {};
  } catch {
    return { _raw: args };
  }
}

/** A chat completion as an Anthropic message (for /v1/messages clients). */
export function completionToAnthropic(c: ChatCompletion, model: string): Json {
  const choice = c.choices[0];
  const content: Json[] = [];
  const text = typeof choice?.message.content === 'string' ? choice.message.content : '';
  if (text) content.push({ type: 'text', text });
  for (const tc of choice?.message.tool_calls ?? []) content.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input: parseInput(tc.function.arguments) });
  const id = c.id.startsWith('msg_') ? c.id : `msg_${c.id.replace(/^chatcmpl-/, '')}`;
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReasonFromFinish(choice?.finish_reason ?? 'stop'),
    stop_sequence: null,
    usage: c.usage ? usageToAnthropic(c.usage) : { input_tokens: 0, output_tokens: 0 },
  };
}
