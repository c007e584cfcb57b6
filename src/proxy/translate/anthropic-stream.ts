/**
 * Anthropic Messages streams (docs.anthropic.com "Streaming Messages"):
 * `message_start` → `content_block_start` → `content_block_delta` (text_delta, input_json_delta,
 * thinking_delta) → `content_block_stop` … → `message_delta` (stop_reason, cumulative usage) →
 * `message_stop`, with `ping` anywhere and `error` ending the stream.
 *
 * - AnthropicDecoder: an Anthropic upstream → internal chunks (tool_use blocks become
 *   tool_calls deltas with their index; input_json_delta becomes argument fragments).
 * - AnthropicEncoder: internal chunks → Anthropic events for /v1/messages clients.
 * - AnthropicPassthrough: an Anthropic upstream to an Anthropic client: events as they came,
 *   the final message_delta's usage gaining our `cost`.
 */
import { finishFromStopReason, stopReasonFromFinish, usageFromAnthropic, usageToAnthropic } from './anthropic-response.js';
import { isObject, type ChatChunk, type ChunkChoice, type FinishReason, type Json } from './openai-types.js';
import { sse, type Decoded, type FinalUsage, type SseEvent, type StreamDecoder, type StreamEncoder } from './stream-types.js';

export class AnthropicDecoder implements StreamDecoder {
  private id = '';
  private usage: Json = {};
  private readonly toolIndex = new Map<number, number>();
  private created = Math.floor(Date.now() / 1000);
  private final = false;

  constructor(private readonly model: string) {}

  providerUsage(): unknown {
    return this.final ? this.usage : undefined;
  }

  private chunk(delta: ChunkChoice['delta'], finish: FinishReason = null): ChatChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, finish_reason: finish }] };
  }

  decode(ev: SseEvent): Decoded {
    let data: Json;
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (!isObject(parsed)) return { chunks: [] };
      data = parsed;
    } catch {
      return { chunks: [], error: { message: 'the upstream sent a stream event that is not JSON' } };
    }
    const type = ev.event ?? String(data.type ?? '');
    switch (type) {
      case 'message_start': {
        const msg = isObject(data.message) ? data.message : {};
        this.id = String(msg.id ?? '');
        if (isObject(msg.usage)) this.usage = { ...msg.usage };
        return { chunks: [this.chunk({ role: 'assistant', content: '' })] };
      }
      case 'content_block_start': {
        const block = isObject(data.content_block) ? data.content_block : {};
        if (block.type === 'tool_use') {
          const ti = this.toolIndex.size;
          this.toolIndex.set(Number(data.index), ti);
          return { chunks: [this.chunk({ tool_calls: [{ index: ti, id: String(block.id), type: 'function', function: { name: String(block.name), arguments: '' } }] })] };
        }
        if (block.type === 'text' && typeof block.text === 'string' && block.text) return { chunks: [this.chunk({ content: block.text })] };
        return { chunks: [] };
      }
      case 'content_block_delta': {
        const d = isObject(data.delta) ? data.delta : {};
        if (d.type === 'text_delta') return { chunks: [this.chunk({ content: String(d.text ?? '') })] };
        if (d.type === 'input_json_delta') {
          const ti = this.toolIndex.get(Number(data.index));
          if (ti === undefined) return { chunks: [] };
          return { chunks: [this.chunk({ tool_calls: [{ index: ti, function: { arguments: String(d.partial_json ?? '') } }] })] };
        }
        if (d.type === 'thinking_delta') return { chunks: [this.chunk({ reasoning_content: String(d.thinking ?? '') })] };
        return { chunks: [] };
      }
      case 'message_delta': {
        const d = isObject(data.delta) ? data.delta : {};
        // message_delta usage is cumulative; it may restate the input counts.
        if (isObject(data.usage)) for (const [k, v] of Object.entries(data.usage)) if (v !== null && v !== undefined) this.usage[k] = v;
        this.final = true;
        const usage = usageFromAnthropic(this.usage);
        const usageChunk: ChatChunk = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage };
        return { chunks: [this.chunk({}, finishFromStopReason(d.stop_reason)), usageChunk] };
      }
      case 'message_stop':
        return { chunks: [], done: true };
      case 'error': {
        const e = isObject(data.error) ? data.error : {};
        return { chunks: [], error: { message: String(e.message ?? 'upstream error'), type: String(e.type ?? 'api_error') } };
      }
      default:
        return { chunks: [] }; // ping, content_block_stop, and event types added later
    }
  }
}

/** Anthropic events for a /v1/messages client, from internal chunks. */
export class AnthropicEncoder implements StreamEncoder {
  private started = false;
  private index = -1;
  private open: 'text' | 'tool' | 'thinking' | null = null;
  private readonly toolBlocks = new Map<number, number>();
  private finish: FinishReason | undefined;

  constructor(
    private readonly model: string,
    private readonly id: string,
    /** Our count of the prompt, shown in message_start until the real usage arrives. */
    private readonly promptTokens: number,
  ) {}

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const message = { id: this.id, type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: this.promptTokens, output_tokens: 0 } };
    return sse(JSON.stringify({ type: 'message_start', message }), 'message_start');
  }

  private close(): string {
    if (this.open === null) return '';
    this.open = null;
    return sse(JSON.stringify({ type: 'content_block_stop', index: this.index }), 'content_block_stop');
  }

  private openBlock(kind: 'text' | 'tool' | 'thinking', block: Json): string {
    const out = this.close();
    this.index++;
    this.open = kind;
    return out + sse(JSON.stringify({ type: 'content_block_start', index: this.index, content_block: block }), 'content_block_start');
  }

  private delta(delta: Json, index = this.index): string {
    return sse(JSON.stringify({ type: 'content_block_delta', index, delta }), 'content_block_delta');
  }

  event(_ev: SseEvent, chunks: ChatChunk[]): string {
    let out = this.start();
    for (const c of chunks) {
      const choice = c.choices.find((ch) => ch.index === 0);
      if (!choice) continue;
      const d = choice.delta ?? {};
      if (typeof d.reasoning_content === 'string' && d.reasoning_content) {
        if (this.open !== 'thinking') out += this.openBlock('thinking', { type: 'thinking', thinking: '' });
        out += this.delta({ type: 'thinking_delta', thinking: d.reasoning_content });
      }
      if (typeof d.content === 'string' && d.content) {
        if (this.open !== 'text') out += this.openBlock('text', { type: 'text', text: '' });
        out += this.delta({ type: 'text_delta', text: d.content });
      }
      for (const tc of d.tool_calls ?? []) {
        if (tc.id !== undefined || !this.toolBlocks.has(tc.index)) {
          out += this.openBlock('tool', { type: 'tool_use', id: tc.id ?? `toolu_${tc.index}`, name: tc.function?.name ?? '', input: {} });
          this.toolBlocks.set(tc.index, this.index);
        }
        const args = tc.function?.arguments;
        if (args) out += this.delta({ type: 'input_json_delta', partial_json: args }, this.toolBlocks.get(tc.index));
      }
      if (choice.finish_reason) {
        this.finish = choice.finish_reason;
        out += this.close();
      }
    }
    return out;
  }

  end(usage: FinalUsage): string {
    let out = this.start() + this.close();
    const u = { ...usageToAnthropic(usage), cost: usage.cost, ...(usage.counted ? { counted: true } : {}) };
    out += sse(JSON.stringify({ type: 'message_delta', delta: { stop_reason: stopReasonFromFinish(this.finish ?? 'stop'), stop_sequence: null }, usage: u }), 'message_delta');
    return out + sse(JSON.stringify({ type: 'message_stop' }), 'message_stop');
  }

  error(message: string, type: string): string {
    return this.start() + sse(JSON.stringify({ type: 'error', error: { type, message } }), 'error');
  }
}

/** An Anthropic upstream relayed to an Anthropic client as it came; the closing events carry our cost. */
export class AnthropicPassthrough implements StreamEncoder {
  private held: Json | undefined;

  event(ev: SseEvent): string {
    const type = ev.event;
    if (type === 'message_delta') {
      try {
        this.held = JSON.parse(ev.data) as Json;
      } catch {
        return sse(ev.data, type);
      }
      return '';
    }
    if (type === 'message_stop') return '';
    return sse(ev.data, type);
  }

  end(usage: FinalUsage): string {
    const held = this.held ?? { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: {} };
    const u = isObject(held.usage) ? held.usage : usageToAnthropic(usage);
    held.usage = { ...u, cost: usage.cost, ...(usage.counted ? { counted: true } : {}) };
    return sse(JSON.stringify(held), 'message_delta') + sse(JSON.stringify({ type: 'message_stop' }), 'message_stop');
  }

  error(message: string, type: string): string {
    return sse(JSON.stringify({ type: 'error', error: { type, message } }), 'error');
  }
}
