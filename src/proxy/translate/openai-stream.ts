/**
 * OpenAI Chat Completions streams: decoding upstream chunks (OpenAI and every compatible host)
 * and encoding internal chunks for OpenAI clients. `data: [DONE]` is the clean end; an event
 * whose data carries `error` is an error (OpenAI's SDK raises it as an APIError).
 */
import { isObject, type ChatChunk } from './openai-types.js';
import { sse, type Decoded, type FinalUsage, type SseEvent, type StreamDecoder, type StreamEncoder } from './stream-types.js';

export class OpenAIDecoder implements StreamDecoder {
  private usage: unknown;

  providerUsage(): unknown {
    return this.usage;
  }

  decode(ev: SseEvent): Decoded {
    const data = ev.data.trim();
    if (data === '[DONE]') return { chunks: [], done: true };
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return { chunks: [], error: { message: 'the upstream sent a stream event that is not JSON' } };
    }
    if (!isObject(json)) return { chunks: [] };
    if (isObject(json.error)) return { chunks: [], error: { message: String(json.error.message ?? 'upstream error'), type: String(json.error.type ?? 'upstream_error') } };
    if (isObject(json.usage)) this.usage = json.usage;
    return { chunks: [json as unknown as ChatChunk] };
  }
}

/** Internal chunks as OpenAI SSE. With an OpenAI upstream (`passthrough`) an event is relayed as it came. */
export class OpenAIEncoder implements StreamEncoder {
  private readonly meta: { id: string; model: string; created: number };
  private seen = false;

  constructor(
    /** The client asked for usage (`stream_options.include_usage`). */
    private readonly includeUsage: boolean,
    private readonly passthrough: boolean,
    /** id, model and created for a stream that sent no chunk (the usage chunk repeats the stream's). */
    fallback: { id: string; model: string; created: number },
  ) {
    this.meta = { ...fallback };
  }

  event(ev: SseEvent, chunks: ChatChunk[], modified: boolean): string {
    if (!this.seen && chunks[0]) {
      this.seen = true;
      Object.assign(this.meta, { id: chunks[0].id, model: chunks[0].model, created: chunks[0].created });
    }
    if (this.passthrough && !modified && chunks.length === 1) return sse(ev.data);
    let out = '';
    for (const c of chunks) out += sse(JSON.stringify(c));
    return out;
  }

  end(usage: FinalUsage): string {
    if (!this.includeUsage) return sse('[DONE]');
    const m = this.meta;
    const chunk: ChatChunk = { id: m.id, object: 'chat.completion.chunk', created: m.created, model: m.model, choices: [], usage };
    return sse(JSON.stringify(chunk)) + sse('[DONE]');
  }

  error(message: string, type: string, code: string): string {
    return sse(JSON.stringify({ error: { message, type, param: null, code } }));
  }
}
