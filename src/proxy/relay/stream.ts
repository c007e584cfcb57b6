/**
 * Relay a committed upstream stream to the client as it arrives: each upstream read is parsed
 * (eventsource-parser), decoded into internal chunks, tallied for accounting, and encoded in the
 * client's wire format — no buffering beyond the event being parsed. Usage is held back and
 * sent at the end with our exact cost (when the client asked for usage).
 *
 * How a stream can end, and what is billed (`done` resolves with it):
 * - clean end: the provider's usage when it sent some, else our count of what passed;
 * - upstream error event, cut connection, or silence longer than the idle timeout: the client
 *   gets an error event in its wire format (never a clean end), and what was delivered is billed;
 * - client disconnect (the body is cancelled): the upstream call is aborted, and what was
 *   generated up to then is billed, with status `client_closed`.
 */
import { createParser } from 'eventsource-parser';
import { OutputTally } from '../accounting/output.js';
import { bill, type Bill } from '../accounting/bill.js';
import type { Attempted } from '../upstream/attempt.js';
import type { ChatChunk, ChatUsage } from '../translate/openai-types.js';
import type { SseEvent, StreamDecoder, StreamEncoder } from '../translate/stream-types.js';

export type StreamStatus = 'ok' | 'client_closed' | 'upstream_error';

export interface StreamResult {
  status: StreamStatus;
  bill: Bill;
  tally: OutputTally;
  /** Why the stream failed (upstream_error). */
  error?: string;
}

export interface RelayOptions {
  attempted: Attempted;
  decoder: StreamDecoder;
  encoder: StreamEncoder;
  /** Choices expected (`n`). */
  n: number;
  idleTimeoutMs: number;
  provider: string;
}

class IdleTimeout extends Error {}

export function relayStream(o: RelayOptions): { body: ReadableStream<Uint8Array>; done: Promise<StreamResult> } {
  const { attempted, decoder, encoder } = o;
  const reader = attempted.stream!.reader;
  const te = new TextEncoder();
  const td = new TextDecoder();
  const tally = new OutputTally();
  const queue: SseEvent[] = [];
  const parser = createParser({ onEvent: (e) => queue.push({ event: e.event, data: e.data }) });
  let clientUsage: ChatUsage | undefined;
  let sawDone = false;
  let finished = false;
  let resolveDone!: (r: StreamResult) => void;
  const done = new Promise<StreamResult>((ok) => (resolveDone = ok));

  async function finish(status: StreamStatus, error?: string): Promise<Bill> {
    finished = true;
    clearTimeout(watchdog);
    const b = await bill(attempted.planned, status === 'ok' ? decoder.providerUsage() : undefined, clientUsage, tally.text());
    resolveDone({ status, bill: b, tally, ...(error ? { error } : {}) });
    return b;
  }

  /** Decodes and encodes the queued events; returns the client text and whether the upstream ended. */
  function drain(): { text: string; error?: string } {
    let text = '';
    while (queue.length) {
      const ev = queue.shift()!;
      const d = decoder.decode(ev);
      if (d.error) return { text, error: d.error.message };
      let modified = false;
      const chunks: ChatChunk[] = [];
      for (const c of d.chunks) {
        if (c.usage) {
          clientUsage = c.usage;
          modified = true;
          if (!c.choices?.length) continue;
          const { usage: _drop, ...rest } = c;
          tally.add(rest as ChatChunk);
          chunks.push(rest as ChatChunk);
          continue;
        }
        tally.add(c);
        chunks.push(c);
      }
      text += encoder.event(ev, chunks, modified);
      if (d.done) {
        sawDone = true;
        queue.length = 0;
        break;
      }
    }
    return { text };
  }

  // One watchdog per stream (not a timer per read: providers send an event per write, so a
  // stream is hundreds of reads): it cancels the upstream once nothing arrived for idleTimeoutMs.
  let lastData = Date.now();
  let idle = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watch = (ms: number) => {
    watchdog = setTimeout(() => {
      if (finished) return;
      const quiet = Date.now() - lastData;
      if (quiet < o.idleTimeoutMs) return watch(o.idleTimeoutMs - quiet);
      idle = true;
      reader.cancel().catch(() => undefined);
    }, ms);
  };
  watch(o.idleTimeoutMs);

  async function read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const r = await reader.read();
    if (idle) throw new IdleTimeout();
    lastData = Date.now();
    return r;
  }

  async function fail(controller: ReadableStreamDefaultController<Uint8Array>, text: string, why: string): Promise<void> {
    attempted.abort.abort();
    reader.cancel().catch(() => undefined);
    const message = `${o.provider}: the stream failed before it finished (${why}); the part already sent is billed.`;
    controller.enqueue(te.encode(text + encoder.error(message, 'upstream_error', 'upstream_stream_interrupted')));
    controller.close();
    await finish('upstream_error', why);
  }

  parser.feed(td.decode(attempted.stream!.first, { stream: true }));

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const { text, error } = drain();
          if (error) return await fail(controller, text, `error event: ${error}`);
          if (sawDone) {
            reader.cancel().catch(() => undefined);
            const b = await finish('ok');
            controller.enqueue(te.encode(text + encoder.end(b.usage)));
            controller.close();
            return;
          }
          if (text) {
            controller.enqueue(te.encode(text));
            return;
          }
          let r: ReadableStreamReadResult<Uint8Array>;
          try {
            r = await read();
          } catch (err) {
            if (finished) return;
            return await fail(controller, '', err instanceof IdleTimeout || idle ? `no data for ${o.idleTimeoutMs} ms` : 'connection lost');
          }
          if (finished) return;
          if (r.done) {
            parser.feed(td.decode() + '\n\n');
            const rest = drain();
            if (rest.error) return await fail(controller, rest.text, `error event: ${rest.error}`);
            // Hosts that close without a terminator still ended cleanly if every choice finished.
            if (sawDone || tally.finished(o.n)) {
              const b = await finish('ok');
              controller.enqueue(te.encode(rest.text + encoder.end(b.usage)));
              controller.close();
              return;
            }
            return await fail(controller, rest.text, 'the connection closed mid-stream');
          }
          parser.feed(td.decode(r.value, { stream: true }));
        }
      } catch (err) {
        if (!finished) {
          try {
            await fail(controller, '', err instanceof Error ? err.message : String(err));
          } catch {
            await finish('upstream_error', String(err));
          }
        }
      }
    },
    async cancel() {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      attempted.abort.abort();
      reader.cancel().catch(() => undefined);
      const b = await bill(attempted.planned, undefined, undefined, tally.text());
      resolveDone({ status: 'client_closed', bill: b, tally });
    },
  });
  return { body, done };
}
