/**
 * Anthropic Messages requests ↔ the internal (OpenAI Chat Completions) request.
 *
 * - `toAnthropic`: for an Anthropic upstream. System and developer messages become the
 *   top-level `system`; content parts become blocks (images from data: URLs as base64 sources,
 *   others as url sources); assistant `tool_calls` become `tool_use` blocks and `tool`
 *   messages `tool_result` blocks in a user turn; tools get `input_schema`; consecutive turns
 *   of one role are merged, as Anthropic expects alternation.
 * - `fromAnthropic`: for a client of `/v1/messages`, the reverse.
 * Reference: docs.anthropic.com "Messages" and "Tool use", platform.openai.com "Chat Completions".
 */
import { ProxyInputError } from '../errors.js';
import { contentText, isObject, type ChatMessage, type ChatRequestBody, type ChatTool, type ContentPart, type Json } from './openai-types.js';

type Block = Json & { type: string };

/** Default max_tokens when the client gives none (Anthropic requires it): the model's max output. */
export interface AnthropicRequestOptions {
  model: string;
  defaultMaxTokens: number;
}

const EFFORT_BUDGET: Record<string, number> = { minimal: 1024, low: 2048, medium: 8192, high: 24576 };

function dataUrl(url: string): { media_type: string; data: string } | undefined {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { media_type: m[1]!, data: m[2]! } : undefined;
}

function partToBlock(p: ContentPart, where: string): Block {
  if (p.type === 'text') return { type: 'text', text: String((p as { text: unknown }).text ?? '') };
  if (p.type === 'image_url') {
    const iu = (p as { image_url: unknown }).image_url;
    const url = typeof iu === 'string' ? iu : isObject(iu) && typeof iu.url === 'string' ? iu.url : '';
    const inline = dataUrl(url);
    return inline ? { type: 'image', source: { type: 'base64', ...inline } } : { type: 'image', source: { type: 'url', url } };
  }
  throw new ProxyInputError(`${where}.type: content part '${p.type}' cannot be sent to an Anthropic model`, where);
}

function toBlocks(content: ChatMessage['content'], where: string): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((p, i) => partToBlock(p, `${where}[${i}]`));
}

function parseArguments(args: string, where: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args);
  } catch {
    throw new ProxyInputError(`${where}: tool call arguments are not valid JSON`, where);
  }
}

/** An OpenAI function tool as an Anthropic tool (`input_schema`; an empty object schema when none). */
export function toolToAnthropic(t: ChatTool): Json {
  return { name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), input_schema: t.function.parameters ?? { type: 'object', properties: {} } };
}

/** The internal request as an Anthropic Messages request body. */
export function toAnthropic(req: ChatRequestBody, opts: AnthropicRequestOptions): Json {
  const system: Block[] = [];
  const turns: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  req.messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(...toBlocks(m.content, `${where}.content`));
        break;
      case 'user':
        push('user', toBlocks(m.content, `${where}.content`));
        break;
      case 'assistant': {
        const blocks = toBlocks(m.content, `${where}.content`);
        for (const [j, tc] of (m.tool_calls ?? []).entries()) {
          blocks.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input: parseArguments(tc.function.arguments, `${where}.tool_calls[${j}].function.arguments`) });
        }
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: m.tool_call_id ?? '', content: contentText(m.content) }]);
        break;
      default:
        throw new ProxyInputError(`${where}.role: '${m.role}' is not a chat role`, `${where}.role`);
    }
  });

  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? opts.defaultMaxTokens;
  const out: Json = { model: opts.model, max_tokens: maxTokens, messages: turns };
  if (system.length) out.system = system.every((b) => b.type === 'text') ? system.map((b) => b.text).join('\n\n') : system;
  if (req.temperature != null) out.temperature = Math.min(req.temperature, 1);
  if (req.top_p != null) out.top_p = req.top_p;
  if (req.stop != null) out.stop_sequences = Array.isArray(req.stop) ? req.stop : [req.stop];
  if (req.stream) out.stream = true;
  if (req.user) out.metadata = { user_id: req.user };
  if (req.tools?.length) {
    out.tools = req.tools.map(toolToAnthropic);
  }
  const tc = req.tool_choice;
  if (tc !== undefined) {
    const choice: Json = tc === 'none' ? { type: 'none' } : tc === 'required' ? { type: 'any' } : tc === 'auto' ? { type: 'auto' } : { type: 'tool', name: tc.function.name };
    if (req.parallel_tool_calls === false && choice.type !== 'none') choice.disable_parallel_tool_use = true;
    out.tool_choice = choice;
  } else if (req.parallel_tool_calls === false && req.tools?.length) {
    out.tool_choice = { type: 'auto', disable_parallel_tool_use: true };
  }
  if (req.reasoning_effort && EFFORT_BUDGET[req.reasoning_effort]) {
    // Extended thinking needs budget_tokens < max_tokens (and at least 1024).
    const budget = Math.min(EFFORT_BUDGET[req.reasoning_effort]!, maxTokens - 1);
    if (budget >= 1024) {
      out.thinking = { type: 'enabled', budget_tokens: budget };
      delete out.temperature;
      delete out.top_p;
    }
  }
  return out;
}

// ─── /v1/messages clients: Anthropic → internal ────────────────────────────────────────────

function blockToPart(b: Block, where: string): ContentPart | undefined {
  switch (b.type) {
    case 'text':
      return { type: 'text', text: String(b.text ?? '') };
    case 'image': {
      const src = isObject(b.source) ? b.source : {};
      if (src.type === 'base64') return { type: 'image_url', image_url: { url: `data:${String(src.media_type)};base64,${String(src.data)}` } };
      if (src.type === 'url') return { type: 'image_url', image_url: { url: String(src.url) } };
      throw new ProxyInputError(`${where}.source.type: image source '${String(src.type)}' is not supported`, `${where}.source.type`);
    }
    case 'thinking':
    case 'redacted_thinking':
      return undefined; // Earlier reasoning is not input to other providers.
    default:
      throw new ProxyInputError(`${where}.type: content block '${b.type}' can only be sent to an Anthropic model`, `${where}.type`);
  }
}

function blocksOf(content: unknown, where: string): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new ProxyInputError(`${where}: must be a string or an array of content blocks`, where);
  return content.map((b, i) => {
    if (!isObject(b) || typeof b.type !== 'string') throw new ProxyInputError(`${where}[${i}]: must be a content block with a type`, `${where}[${i}]`);
    return b as Block;
  });
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b) => (isObject(b) && b.type === 'text' ? String(b.text ?? '') : '')).join('');
}

/** An Anthropic Messages request body as the internal request. */
export function fromAnthropic(body: Json): ChatRequestBody {
  const messages: ChatMessage[] = [];
  if (body.system !== undefined) {
    const text = typeof body.system === 'string' ? body.system : blocksOf(body.system, 'system').map((b) => String(b.text ?? '')).join('\n\n');
    if (text) messages.push({ role: 'system', content: text });
  }
  const turns = body.messages;
  if (!Array.isArray(turns)) throw new ProxyInputError('messages: must be an array of messages', 'messages');
  turns.forEach((t, i) => {
    const where = `messages[${i}]`;
    if (!isObject(t) || (t.role !== 'user' && t.role !== 'assistant')) throw new ProxyInputError(`${where}.role: must be 'user' or 'assistant'`, `${where}.role`);
    const blocks = blocksOf(t.content, `${where}.content`);
    if (t.role === 'assistant') {
      const parts: ContentPart[] = [];
      const calls: NonNullable<ChatMessage['tool_calls']> = [];
      blocks.forEach((b, j) => {
        if (b.type === 'tool_use') calls.push({ id: String(b.id), type: 'function', function: { name: String(b.name), arguments: JSON.stringify(b.input ?? {}) } });
        else {
          const p = blockToPart(b, `${where}.content[${j}]`);
          if (p) parts.push(p);
        }
      });
      const text = parts.map((p) => (p.type === 'text' ? (p as { text: string }).text : '')).join('');
      messages.push({ role: 'assistant', content: text || (calls.length ? null : ''), ...(calls.length ? { tool_calls: calls } : {}) });
      return;
    }
    let parts: ContentPart[] = [];
    const flush = () => {
      if (parts.length) messages.push({ role: 'user', content: parts.every((p) => p.type === 'text') ? parts.map((p) => (p as { text: string }).text).join('') : parts });
      parts = [];
    };
    blocks.forEach((b, j) => {
      if (b.type === 'tool_result') {
        flush();
        messages.push({ role: 'tool', tool_call_id: String(b.tool_use_id ?? ''), content: toolResultText(b.content) });
      } else {
        const p = blockToPart(b, `${where}.content[${j}]`);
        if (p) parts.push(p);
      }
    });
    flush();
  });

  const out: ChatRequestBody = { model: String(body.model), messages };
  if (typeof body.max_tokens === 'number') out.max_tokens = body.max_tokens;
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  if (Array.isArray(body.stop_sequences)) out.stop = body.stop_sequences as string[];
  if (body.stream === true) out.stream = true;
  if (isObject(body.metadata) && typeof body.metadata.user_id === 'string') out.user = body.metadata.user_id;
  if (Array.isArray(body.tools)) {
    out.tools = body.tools.filter(isObject).map(
      (t): ChatTool => ({ type: 'function', function: { name: String(t.name), ...(typeof t.description === 'string' ? { description: t.description } : {}), parameters: (isObject(t.input_schema) ? t.input_schema : {}) as Json } }),
    );
  }
  if (isObject(body.tool_choice)) {
    const tc = body.tool_choice;
    out.tool_choice = tc.type === 'any' ? 'required' : tc.type === 'none' ? 'none' : tc.type === 'tool' ? { type: 'function', function: { name: String(tc.name) } } : 'auto';
    if (tc.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  }
  if (isObject(body.thinking) && body.thinking.type === 'enabled') {
    const budget = Number(body.thinking.budget_tokens);
    out.reasoning_effort = budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
  }
  return out;
}
