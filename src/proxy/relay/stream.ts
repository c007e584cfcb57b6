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
    const b = await bill(attempted.planned, status === 'ok' ? decoder.providerUsage() : undefined, clientUsage, () => tally.text());
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

  // The client's side: a native identity stream the loop below writes into. workerd pumps its
  // readable half to the socket without calling back into JavaScript per chunk, which a
  // pull-based ReadableStream would (~0.8 ms of CPU per 66-event stream).
  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();

  async function fail(text: string, why: string): Promise<void> {
    attempted.abort.abort();
    reader.cancel().catch(() => undefined);
    const message = `${o.provider}: the stream failed before it finished (${why}); the part already sent is billed.`;
    await writer.write(te.encode(text + encoder.error(message, 'upstream_error', 'upstream_stream_interrupted')));
    await writer.close();
    await finish('upstream_error', why);
  }

  /** A clean end: bill, then the last events with the usage (and our cost) the client asked for. */
  async function endClean(text: string): Promise<void> {
    const b = await finish('ok');
    await writer.write(te.encode(text + encoder.end(b.usage)));
    await writer.close();
  }

  /** The client went away (the response body was cancelled): abort the upstream, bill what was generated. */
  async function clientClosed(): Promise<void> {
    if (finished) return;
    finished = true;
    clearTimeout(watchdog);
    attempted.abort.abort();
    reader.cancel().catch(() => undefined);
    const b = await bill(attempted.planned, undefined, undefined, () => tally.text());
    resolveDone({ status: 'client_closed', bill: b, tally });
  }

  async function pump(): Promise<void> {
    for (;;) {
      const { text, error } = drain();
      if (error) return fail(text, `error event: ${error}`);
      if (sawDone) {
        reader.cancel().catch(() => undefined);
        return endClean(text);
      }
      if (text) await writer.write(te.encode(text));
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await read();
      } catch (err) {
        if (finished) return;
        return fail('', err instanceof IdleTimeout || idle ? `no data for ${o.idleTimeoutMs} ms` : 'connection lost');
      }
      if (finished) return;
      if (r.done) {
        parser.feed(td.decode() + '\n\n');
        const rest = drain();
        if (rest.error) return fail(rest.text, `error event: ${rest.error}`);
        // Hosts that close without a terminator still ended cleanly if every choice finished.
        if (sawDone || tally.finished(o.n)) return endClean(rest.text);
        return fail(rest.text, 'the connection closed mid-stream');
      }
      parser.feed(td.decode(r.value, { stream: true }));
    }
  }

  parser.feed(td.decode(attempted.stream!.first, { stream: true }));
  // A write fails once the client has gone (the body was cancelled): that ends the relay as client_closed.
  writer.closed.catch(() => clientClosed());
  void pump().catch(async (err: unknown) => {
    if (finished) return;
    if (writer.desiredSize === null) return clientClosed();
    try {
      await fail('', err instanceof Error ? err.message : String(err));
    } catch {
      if (!finished) await finish('upstream_error', String(err));
    }
  });
  return { body: readable, done };
}
