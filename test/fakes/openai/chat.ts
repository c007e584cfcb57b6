/**
 * `POST /v1/chat/completions`, non-streaming and `stream: true`, as OpenAI sends it.
 * Shapes from the OpenAI API reference ("Create chat completion", "The chat completion object",
 * "The chat completion chunk object", "stream_options.include_usage"):
 *  - first chunk per choice: `delta: {role: "assistant", content: "", refusal: null}` (content
 *    null and the first tool call when the answer is a tool call);
 *  - one chunk per token of text; tool calls as `tool_calls: [{index, id, type, function: {name,
 *    arguments: ""}}]`, then `{index, function: {arguments: <fragment>}}` chunks;
 *  - a chunk with an empty delta and `finish_reason`;
 *  - only with `stream_options.include_usage`: every chunk carries `usage: null` and a last
 *    chunk has `choices: []` and the usage; then `data: [DONE]`.
 * Chunks carry `obfuscation` padding as the API has since 2025 (off with
 * `stream_options.include_obfuscation: false`).
 */
import { FakeHttpError, type Answer, type Route, type RouteContext } from '../core/provider.js';
import { openaiPath } from './paths.js';
import { PrefixCache } from '../core/prefix-cache.js';
import { contentText, planReply, type Finish, type PlannedReply, type ToolDef } from '../core/reply.js';
import { isOpenAIReasoningModel, servedModel } from '../core/models.js';
import { withOverride } from '../core/usage.js';
import { countChatPrompt, tiktokenizer } from './tiktoken.js';

export interface OpenAIChatOptions {
  /**
   * Usage in streams: `on-request` (OpenAI: only with `stream_options.include_usage`), `never`
   * (hosts that ignore the option), `always` (hosts that send it unasked).
   */
  streamUsage?: 'on-request' | 'never' | 'always';
  /** Simulate prompt caching (cached_tokens for repeated prefixes ≥ 1024 tokens); default true. */
  promptCache?: boolean;
  /** Tokens an image part counts for (default 85: gpt-4o's low-detail base). */
  imageTokens?: number;
  /** Extra alias → served model entries. */
  modelMap?: Record<string, string>;
  /** Send `obfuscation` padding in chunks (default true, as the API does). */
  obfuscation?: boolean;
}

/** Reasoning tokens a reasoning model spends per `reasoning_effort` (deterministic stand-ins). */
const REASONING_BY_EFFORT: Record<string, number> = { minimal: 0, low: 32, medium: 128, high: 512 };
const CACHE_TTL_MS = 5 * 60_000;
const PADDING = 'q7Xk2LmP9sVb4Tz';

type Obj = Record<string, any>;

export interface OpenAIUsage extends Obj {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: { reasoning_tokens: number; audio_tokens: number; accepted_prediction_tokens: number; rejected_prediction_tokens: number };
}

const finishReason = (f: Finish) => (f === 'stop_sequence' ? 'stop' : f);

function validate(body: Obj, model: string | undefined): void {
  if (typeof model !== 'string' || !model) throw new FakeHttpError(400, 'invalid_request', 'you must provide a model parameter', null);
  if (!Array.isArray(body.messages)) throw new FakeHttpError(400, 'invalid_request', "Missing required parameter: 'messages'.", 'messages');
  if (body.messages.length === 0) throw new FakeHttpError(400, 'invalid_request', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages');
  if (body.stream_options != null && body.stream !== true)
    throw new FakeHttpError(400, 'invalid_request', "The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  if (body.max_tokens != null && isOpenAIReasoningModel(model))
    throw new FakeHttpError(400, 'invalid_request', "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens');
  const n = body.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 128) throw new FakeHttpError(400, 'invalid_request', `Invalid 'n': integer between 1 and 128 expected, got ${n}.`, 'n');
}

function forcedTool(choice: unknown): string | undefined {
  if (choice === 'required') return '*';
  if (choice && typeof choice === 'object') return (choice as Obj).function?.name;
  return undefined;
}

export function chatRoute(opts: OpenAIChatOptions): { route: Route; reset(): void } {
  const cache = new PrefixCache();
  const usageMode = opts.streamUsage ?? 'on-request';

  function handle(ctx: RouteContext): Answer {
    const body = ctx.body as Obj;
    const model = ctx.rec.model as string;
    validate(body, model);
    const messages = body.messages as Obj[];
    const tools: Obj[] | undefined = Array.isArray(body.tools) && body.tools.length ? body.tools : undefined;
    const tokenizer = tiktokenizer(model);
    const prompt = countChatPrompt(model, messages, tools, opts.imageTokens ?? 85);
    let cached = 0;
    if (opts.promptCache !== false) {
      cached = cache.longest(prompt.prefixes);
      cache.write(prompt.prefixes, CACHE_TTL_MS);
    }
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const toolDefs: ToolDef[] = (tools ?? []).map((t) => ({ name: t.function?.name, schema: t.function?.parameters }));
    const reasoning = isOpenAIReasoningModel(model) ? (REASONING_BY_EFFORT[body.reasoning_effort ?? 'medium'] ?? 128) : 0;
    const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : undefined;
    const forced = body.tool_choice === 'none' ? undefined : forcedTool(body.tool_choice);
    const choices: PlannedReply[] = [];
    for (let i = 0; i < (body.n ?? 1); i++) {
      choices.push(
        planReply({
          lastUserText: contentText(lastUser?.content),
          maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
          reasoningTokens: reasoning,
          stop,
          forcedTool: forced,
          tools: toolDefs,
          scripted: ctx.step.reply,
          choice: i,
          tokenizer,
        }),
      );
    }
    for (const c of choices) for (const t of c.toolCalls) t.id ??= ctx.ids.toolCall();
    const completion = choices.reduce((n, c) => n + c.outputTokens + c.reasoningTokens, 0);
    const reasoningTotal = choices.reduce((n, c) => n + c.reasoningTokens, 0);
    const computed: OpenAIUsage = {
      prompt_tokens: prompt.tokens,
      completion_tokens: completion,
      total_tokens: prompt.tokens + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoningTotal, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const usage = ctx.step.usage === false ? undefined : withOverride(computed, ctx.step.usage, 'total_tokens', (u) => u.prompt_tokens + u.completion_tokens);
    const head = {
      id: ctx.ids.chatCompletion(),
      created: Math.floor(Date.now() / 1000),
      model: servedModel(model, opts.modelMap),
    };
    const fingerprint = ctx.ids.fingerprint();

    if (!ctx.rec.stream) {
      return {
        kind: 'json',
        body: {
          id: head.id,
          object: 'chat.completion',
          created: head.created,
          model: head.model,
          choices: choices.map((c, index) => ({
            index,
            message: {
              role: 'assistant',
              content: c.toolCalls.length && !c.text ? null : c.text,
              refusal: null,
              annotations: [],
              ...(c.toolCalls.length
                ? { tool_calls: c.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } })) }
                : {}),
            },
            logprobs: null,
            finish_reason: finishReason(c.finish),
          })),
          // Non-streaming answers always carry usage; `usage: false` is for streams only.
          usage: usage ?? computed,
          service_tier: 'default',
          system_fingerprint: fingerprint,
        },
      };
    }

    const includeUsage = usageMode === 'always' || (usageMode === 'on-request' && body.stream_options?.include_usage === true);
    const obfuscate = opts.obfuscation !== false && body.stream_options?.include_obfuscation !== false;
    let nth = 0;
    const chunk = (choicesPart: Obj[], extra: Obj = {}): string => {
      const c: Obj = {
        id: head.id,
        object: 'chat.completion.chunk',
        created: head.created,
        model: head.model,
        service_tier: 'default',
        system_fingerprint: fingerprint,
        choices: choicesPart,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      };
      if (obfuscate) c.obfuscation = PADDING.slice(0, 1 + ((nth++ * 7) % PADDING.length));
      return `data: ${JSON.stringify(c)}\n\n`;
    };
    const perChoice = choices.map((c, index) => {
      const ev: string[] = [];
      const delta = (d: Obj, finish: string | null = null) => chunk([{ index, delta: d, logprobs: null, finish_reason: finish }]);
      const startCall = (t: (typeof c.toolCalls)[number], i: number) => ({ index: i, id: t.id, type: 'function', function: { name: t.name, arguments: '' } });
      if (c.text || !c.toolCalls.length) {
        ev.push(delta({ role: 'assistant', content: '', refusal: null }));
        for (const p of c.pieces) ev.push(delta({ content: p.text }));
      } else {
        ev.push(delta({ role: 'assistant', content: null, tool_calls: [startCall(c.toolCalls[0], 0)], refusal: null }));
      }
      c.toolCalls.forEach((t, i) => {
        if (i > 0 || c.text) ev.push(delta({ tool_calls: [startCall(t, i)] }));
        for (const frag of tokenizer.pieces(t.arguments)) ev.push(delta({ tool_calls: [{ index: i, function: { arguments: frag.text } }] }));
      });
      ev.push(delta({}, finishReason(c.finish)));
      return ev;
    });
    // Choices are generated in parallel: interleave their chunks.
    const events: string[] = [];
    for (let i = 0; perChoice.some((e) => i < e.length); i++) for (const e of perChoice) if (i < e.length) events.push(e[i]);
    if (includeUsage && usage) events.push(chunk([], { usage }));
    events.push('data: [DONE]\n\n');
    return { kind: 'sse', events };
  }

  return {
    route: {
      method: 'POST',
      pattern: openaiPath('chat/completions'),
      model: (_p, body) => (typeof body?.model === 'string' ? body.model : undefined),
      stream: (_p, body) => body?.stream === true,
      handle,
    },
    reset: () => cache.clear(),
  };
}
