/**
 * The body of Anthropic's token-counting request for what `POST /v1/count` was given.
 * `POST /v1/messages/count_tokens` takes `model`, `messages`, `system` and `tools` — not
 * `max_tokens` or sampling fields (Claude API reference, "Count tokens in a Message").
 *
 * - `text`: one user message holding the text (the count then includes that message's framing).
 * - A chat in Anthropic's own shape (any content block OpenAI has no equivalent of: `image`
 *   with a `source`, `tool_use`, `tool_result`, `document`, …): sent as it is, only system and
 *   developer messages lifted to the top-level `system`, and fields other than role and content
 *   left out (Anthropic refuses unknown fields).
 * - An OpenAI-shaped chat: translated like a proxied request (./anthropic-request.ts).
 * - Tools: OpenAI function tools get `input_schema`; Anthropic tools go as they are.
 */
import { toAnthropic, toolToAnthropic } from './anthropic-request.js';
import { isObject, type ChatMessage, type ChatTool, type Json } from './openai-types.js';

export interface CountInput {
  text?: string;
  messages?: unknown[];
  tools?: unknown[];
}

/** Content part types of OpenAI's chat formats (Chat Completions, and Responses' input_* parts). */
const OPENAI_PARTS = new Set(['text', 'image_url', 'input_text', 'input_image']);

function isAnthropicShaped(messages: ChatMessage[]): boolean {
  return messages.some((m) => Array.isArray(m.content) && m.content.some((p) => isObject(p) && !OPENAI_PARTS.has(String(p.type))));
}

/** Responses-style `input_text` / `input_image` parts as their Chat Completions equivalents. */
function chatPart(p: unknown): unknown {
  if (!isObject(p)) return p;
  if (p.type === 'input_text') return { ...p, type: 'text' };
  if (p.type === 'input_image') return { ...p, type: 'image_url' };
  return p;
}

function fromOpenAI(messages: ChatMessage[], model: string): { messages: unknown; system?: unknown } {
  const normalized = messages.map((m) => (Array.isArray(m.content) ? { ...m, content: m.content.map(chatPart) as ChatMessage['content'] } : m));
  // max_tokens is required by the translator's output shape only; count_tokens does not take it.
  const body = toAnthropic({ model, messages: normalized }, { model, defaultMaxTokens: 1 });
  return { messages: body.messages, ...(body.system !== undefined ? { system: body.system } : {}) };
}

function asIs(messages: ChatMessage[]): { messages: unknown; system?: unknown } {
  const system: unknown[] = [];
  const turns: Json[] = [];
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') {
      if (typeof m.content === 'string') system.push({ type: 'text', text: m.content });
      else if (Array.isArray(m.content)) system.push(...m.content);
    } else turns.push({ role: m.role, content: m.content ?? '' });
  }
  if (!system.length) return { messages: turns };
  const allText = system.every((b) => isObject(b) && b.type === 'text' && Object.keys(b).length === 2);
  return { messages: turns, system: allText ? system.map((b) => (b as { text: string }).text).join('\n\n') : system };
}

function tool(t: unknown): unknown {
  return isObject(t) && isObject(t.function) ? toolToAnthropic(t as unknown as ChatTool) : t;
}

/** The count_tokens request body for `input` and the provider's model name. Throws ProxyInputError for what cannot be sent to Anthropic. */
export function countTokensBody(input: CountInput, model: string): Json {
  if (input.messages === undefined) return { model, messages: [{ role: 'user', content: input.text ?? '' }] };
  const messages = input.messages as ChatMessage[];
  const chat = isAnthropicShaped(messages) ? asIs(messages) : fromOpenAI(messages, model);
  const out: Json = { model, ...chat };
  if (input.tools?.length) out.tools = input.tools.map(tool);
  return out;
}
