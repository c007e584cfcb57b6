/**
 * `POST /v1/messages` (non-streaming and `stream: true`) and `POST /v1/messages/count_tokens`.
 * Shapes from the Claude API reference ("Messages", "Count tokens") and "Streaming Messages":
 * a stream is `message_start` (the Message with empty content and the input usage,
 * `output_tokens: 1`), then per content block `content_block_start`, `content_block_delta`s
 * (`text_delta`, or `input_json_delta` with `partial_json` fragments for tool_use, the first
 * one empty), `content_block_stop`; a `ping` after the first block starts; `message_delta`
 * with `stop_reason`, `stop_sequence` and the cumulative usage; `message_stop`. Every event is
 * `event: <type>\ndata: <json>\n\n`.
 */
import { FakeHttpError, type Answer, type Route, type RouteContext } from '../core/provider.js';
import { servedModel } from '../core/models.js';
import { contentText, groupPieces, planReply, type Finish, type ToolDef } from '../core/reply.js';
import { approxTokenizer } from '../core/tokens.js';
import { deepMerge } from '../core/usage.js';
import type { AnthropicPromptCounter } from './prompt.js';

type Obj = Record<string, any>;

const STOP_REASON: Record<Finish, string> = { stop: 'end_turn', stop_sequence: 'stop_sequence', length: 'max_tokens', tool_calls: 'tool_use' };
/** Tokens per text_delta / input_json_delta event (Claude streams a few tokens per event). */
const TOKENS_PER_DELTA = 3;

export interface AnthropicMessagesOptions {
  modelMap?: Record<string, string>;
}

function requireVersion(ctx: RouteContext): void {
  if (!ctx.rec.headers['anthropic-version']) throw new FakeHttpError(400, 'invalid_request', 'anthropic-version: header is required');
}

function requireFields(body: Obj, fields: string[]): void {
  for (const f of fields) if (body?.[f] === undefined) throw new FakeHttpError(400, 'invalid_request', `${f}: Field required`);
  if (!Array.isArray(body.messages)) throw new FakeHttpError(400, 'invalid_request', 'messages: Input should be a valid list');
}

export const event = (type: string, data: Obj) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function forcedTool(choice: Obj | undefined): string | undefined {
  if (choice?.type === 'any') return '*';
  if (choice?.type === 'tool') return choice.name;
  return undefined;
}

export function messagesRoutes(counter: AnthropicPromptCounter, opts: AnthropicMessagesOptions): Route[] {
  const model = (_p: string[], body: any) => (typeof body?.model === 'string' ? body.model : undefined);

  function messages(ctx: RouteContext): Answer {
    requireVersion(ctx);
    const body = ctx.body as Obj;
    requireFields(body, ['model', 'max_tokens', 'messages']);
    const name = ctx.rec.model as string;
    const tools: Obj[] = Array.isArray(body.tools) ? body.tools : [];
    const lastUser = [...(body.messages as Obj[])].reverse().find((m) => m.role === 'user');
    const plan = planReply({
      lastUserText: contentText(lastUser?.content),
      maxTokens: body.max_tokens,
      stop: body.stop_sequences,
      forcedTool: body.tool_choice?.type === 'none' ? undefined : forcedTool(body.tool_choice),
      tools: tools.map((t): ToolDef => ({ name: t.name, schema: t.input_schema })),
      scripted: ctx.step.reply,
      tokenizer: approxTokenizer,
    });
    const input = counter.usage(body, name);
    const computed = {
      input_tokens: input.input_tokens,
      cache_creation_input_tokens: input.cache_creation_input_tokens,
      cache_read_input_tokens: input.cache_read_input_tokens,
      cache_creation: { ephemeral_5m_input_tokens: input.ephemeral_5m_input_tokens, ephemeral_1h_input_tokens: input.ephemeral_1h_input_tokens },
      output_tokens: plan.outputTokens,
      service_tier: 'standard',
    };
    // Anthropic always reports usage; `usage: false` has no meaning here, an object overrides fields.
    const usage = ctx.step.usage ? deepMerge(computed, ctx.step.usage) : computed;
    const blocks: Obj[] = [];
    if (plan.text || !plan.toolCalls.length) blocks.push({ type: 'text', text: plan.text });
    for (const t of plan.toolCalls) blocks.push({ type: 'tool_use', id: t.id ?? ctx.ids.toolUse(), name: t.name, input: JSON.parse(t.arguments) });
    const message = {
      id: ctx.ids.message(),
      type: 'message',
      role: 'assistant',
      model: servedModel(name, opts.modelMap),
      content: blocks,
      stop_reason: STOP_REASON[plan.finish],
      stop_sequence: plan.stopSequence ?? null,
      usage,
    };
    if (!ctx.rec.stream) return { kind: 'json', body: message };

    const events = [event('message_start', { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } })];
    blocks.forEach((b, index) => {
      if (b.type === 'text') {
        events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
        if (index === 0) events.push(event('ping', {}));
        for (const text of groupPieces(plan.pieces, TOKENS_PER_DELTA)) events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
      } else {
        events.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } }));
        if (index === 0) events.push(event('ping', {}));
        const json = JSON.stringify(b.input);
        for (const partial_json of ['', ...groupPieces(approxTokenizer.pieces(json), TOKENS_PER_DELTA)]) {
          events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
        }
      }
      events.push(event('content_block_stop', { index }));
    });
    const { service_tier: _tier, cache_creation: _cc, ...deltaUsage } = usage;
    events.push(event('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence }, usage: deltaUsage }));
    events.push(event('message_stop', {}));
    return { kind: 'sse', events };
  }

  function countTokens(ctx: RouteContext): Answer {
    requireVersion(ctx);
    requireFields(ctx.body, ['model', 'messages']);
    return { kind: 'json', body: { input_tokens: counter.total(ctx.body) } };
  }

  return [
    { method: 'POST', pattern: /^\/v1\/messages\/count_tokens$/, model, handle: countTokens },
    { method: 'POST', pattern: /^\/v1\/messages$/, model, stream: (_p, body) => body?.stream === true, handle: messages },
  ];
}
