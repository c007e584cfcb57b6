/**
 * Streams through the gateway: upstream server-sent events are decoded into internal chunks
 * (OpenAI `chat.completion.chunk` objects; usage travels in a chunk with `choices: []`, as
 * OpenAI sends it), and internal chunks are encoded into the client's wire format.
 */
import type { ChatChunk, ChatUsage } from './openai-types.js';

/** One server-sent event as parsed from the wire. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** What one upstream event means. */
export interface Decoded {
  chunks: ChatChunk[];
  /** The upstream signalled a complete, clean end ([DONE], message_stop, a final finishReason). */
  done?: boolean;
  /** The upstream reported an error inside the stream. */
  error?: { message: string; type?: string };
}

/** Upstream wire format → internal chunks (stateful, one per stream). */
export interface StreamDecoder {
  decode(ev: SseEvent): Decoded;
  /** The provider's own final usage object once the stream reported it (priced as the provider bills), else undefined. */
  providerUsage(): unknown;
}

/** Usage as the client will see it at the end of a stream: provider usage plus our cost. */
export type FinalUsage = ChatUsage & { cost: string; counted?: boolean };

/**
 * Internal chunks → client wire format text (stateful, one per stream). Usage never reaches
 * `event`: the relay holds it and hands the final usage, with our cost, to `end`.
 */
export interface StreamEncoder {
  /**
   * Output for one upstream event: the raw event, its content/finish chunks, and whether the
   * relay changed them (removed usage), which rules out relaying the raw event.
   */
  event(ev: SseEvent, chunks: ChatChunk[], modified: boolean): string;
  /** The clean end of the stream, with the final usage (the encoder decides whether the client sees it). */
  end(usage: FinalUsage): string;
  /** An error ending the stream (the client's SDK raises it). */
  error(message: string, type: string, code: string): string;
}

export const sse = (data: string, event?: string): string => (event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`);
