/**
 * The shared server core of the fake upstreams: node:http on 127.0.0.1 (port 0 by default),
 * one provider per server. It records every request, serves scripted steps (errors, delays,
 * hangs, resets, cut or failing streams) and otherwise lets the provider answer. `close()`
 * destroys every open socket, so a test always stops cleanly, also when it failed mid-stream.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Ids } from './ids.js';
import { FakeHttpError, type Answer, type ErrorSpec, type Provider, type RateState, type Route } from './provider.js';
import { headerRecord, type RecordedRequest } from './record.js';
import { Script, type Match, type Step } from './script.js';

/** Options every fake takes. */
export interface FakeOptions {
  /** Accepted credentials; when absent any non-empty credential is accepted. */
  keys?: string[];
  /** Known models; when given, other models get the provider's "model not found" (404). */
  models?: string[];
  /** Enforce a per-key request rate: past it, answer 429 with `retry-after` until the minute window resets. */
  rateLimit?: { requestsPerMinute: number };
  /** Default pause between streamed events (a step's `eventDelayMs` overrides it). */
  eventDelayMs?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Seed for generated ids (default: the provider's name). */
  seed?: string;
  /** Keep only the most recent N recorded requests (long benchmark runs); default: all. */
  recordLimit?: number;
}

const DEFAULT_RATE_LIMIT = 10_000;
const WINDOW_MS = 60_000;

interface Waiter {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

export class FakeUpstream {
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  readonly ids: Ids;
  private readonly script = new Script();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<Waiter>();
  private readonly windows = new Map<string, { start: number; used: number }>();
  private origin = '';
  private seq = 0;
  private closed = false;

  constructor(
    readonly provider: Provider,
    private readonly options: FakeOptions = {},
  ) {
    this.ids = new Ids(options.seed ?? provider.name);
    this.server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      this.onRequest(req, res).catch((err) => {
        console.error(`fake ${provider.name}: internal error`, err);
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(err));
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Start listening; resolves once the port is known. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('fake upstream: no TCP address');
    this.origin = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    return this;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.origin;
  }

  /** What an official SDK takes as its base URL (OpenAI: `<url>/v1`). */
  get baseUrl(): string {
    return this.origin + this.provider.sdkBasePath;
  }

  get port(): number {
    return Number(new URL(this.origin).port);
  }

  /** Serve `step` to the next matching request (`match.times` requests; default 1). */
  enqueue(step: Step, match: Match = {}): this {
    this.script.add(step, match);
    return this;
  }

  /** Serve `step` to every matching request until `reset()`. */
  always(step: Step, match: Omit<Match, 'times'> = {}): this {
    this.script.add(step, { ...match, times: Infinity });
    return this;
  }

  /** Scripted steps not yet served (a test can assert its script was used up). */
  get pendingSteps(): number {
    return this.script.pending;
  }

  /** Forget scripted steps, recorded requests, rate windows and the provider's caches. */
  reset(): void {
    this.script.clear();
    this.requests.length = 0;
    this.seq = 0;
    this.windows.clear();
    this.provider.reset?.();
  }

  /** The most recent request, or throws if none arrived. */
  get lastRequest(): RecordedRequest {
    const r = this.requests.at(-1);
    if (!r) throw new Error(`fake ${this.provider.name}: no request received`);
    return r;
  }

  /** Resolves when `predicate` holds (checked every few ms); rejects after `timeoutMs`. */
  async waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.requests)) {
      if (Date.now() > deadline) throw new Error(`fake ${this.provider.name}: condition not met within ${timeoutMs} ms (${this.requests.length} requests recorded)`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Stop listening and destroy every open connection (hanging and streaming ones too). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waiters.clear();
    for (const r of this.requests) if (r.outcome === 'pending') r.outcome = 'closed';
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const w: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          resolve();
        }, ms),
      };
      this.waiters.add(w);
    });
  }

  /** Counts the request in its key's minute window; `over` when an enforced limit is passed. */
  private rate(key: string | undefined): { state: RateState; over: boolean } {
    const enforced = this.options.rateLimit?.requestsPerMinute;
    const limit = enforced ?? DEFAULT_RATE_LIMIT;
    const now = Date.now();
    const id = key ?? '';
    let w = this.windows.get(id);
    if (!w || now - w.start >= WINDOW_MS) {
      w = { start: now, used: 0 };
      this.windows.set(id, w);
    }
    w.used++;
    return {
      state: { limit, remaining: Math.max(0, limit - w.used), resetMs: WINDOW_MS - (now - w.start) },
      over: enforced !== undefined && w.used > enforced,
    };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now();
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // the client went away while sending its body
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const headers = headerRecord(req.headers);
    let body: any;
    let badJson = false;
    if (rawBody.length) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        badJson = true;
      }
    }
    const p = this.provider;
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of p.routes) {
      const m = r.method === req.method ? r.pattern.exec(url.pathname) : null;
      if (m) {
        route = r;
        params = m.slice(1);
        break;
      }
    }
    const model = route && !badJson ? route.model?.(params, body) : undefined;
    const rec: RecordedRequest = {
      seq: ++this.seq,
      time,
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers,
      body,
      rawBody,
      key: p.credential(headers, query),
      model,
      stream: route && !badJson ? (route.stream?.(params, body, query) ?? false) : false,
      step: undefined,
      status: undefined,
      events: 0,
      firstByteAt: undefined,
      endedAt: undefined,
      outcome: 'pending',
      aborted: false,
    };
    this.requests.push(rec);
    if (this.options.recordLimit !== undefined && this.requests.length > this.options.recordLimit) this.requests.shift();
    res.on('close', () => {
      rec.endedAt ??= Date.now();
      if (rec.outcome === 'pending') {
        if (res.writableFinished) rec.outcome = 'completed';
        else {
          rec.outcome = 'aborted';
          rec.aborted = true;
        }
      }
    });

    const requestId = p.newRequestId?.(this.ids);
    const rate = this.rate(rec.key);
    const base: Record<string, string> = { ...p.commonHeaders(rate.state) };
    if (p.requestIdHeader && requestId) base[p.requestIdHeader] = requestId;
    const fail = (spec: ErrorSpec, extra: Record<string, string> = {}) => this.sendError(res, rec, spec, { ...base, ...extra }, requestId);

    if (!route) return fail({ status: 404, kind: 'not_found', message: undefined });
    if (badJson) return fail({ status: 400, kind: 'invalid_request', message: 'We could not parse the JSON body of your request.' });
    const auth = p.authStatus ?? { missing: 401, invalid: 401 };
    if (rec.key === undefined || rec.key === '') return fail({ status: auth.missing, kind: 'missing_key' });
    if (this.options.keys && !this.options.keys.includes(rec.key)) return fail({ status: auth.invalid, kind: 'invalid_key', key: rec.key });
    if (this.options.models && model !== undefined && !this.options.models.includes(model)) return fail({ status: 404, kind: 'model_not_found', model });

    const step = this.script.take({ key: rec.key, model, path: rec.path }) ?? {};
    rec.step = Object.keys(step).length ? step : undefined;
    const extra = { ...step.headers };
    if (step.retryAfter !== undefined) extra['retry-after'] = String(step.retryAfter);
    if (step.retryAfterMs !== undefined) extra['retry-after-ms'] = String(step.retryAfterMs);

    if (rate.over && step.status === undefined) {
      const secs = Math.ceil(rate.state.resetMs / 1000);
      return fail({ status: 429, kind: 'rate_limit', key: rec.key, model, retryAfterSeconds: secs }, { 'retry-after': String(secs), ...extra });
    }
    if (step.reset) {
      rec.outcome = 'reset';
      rec.endedAt = Date.now();
      req.socket.resetAndDestroy();
      return;
    }
    if (step.hang) return; // answered by nobody: the client gives up, or close() destroys the socket
    if (step.delayMs) {
      await this.sleep(step.delayMs);
      if (res.destroyed) return;
    }
    if (step.status !== undefined) {
      const kind = step.status === 429 ? 'rate_limit' : step.status === 529 || step.status === 503 ? 'overloaded' : step.status >= 500 ? 'server_error' : 'status';
      return fail(
        {
          status: step.status,
          kind,
          message: step.error?.message,
          type: step.error?.type,
          code: step.error?.code,
          key: rec.key,
          model,
          retryAfterSeconds: step.retryAfter ?? (step.retryAfterMs !== undefined ? step.retryAfterMs / 1000 : undefined),
        },
        extra,
      );
    }

    let answer: Answer;
    try {
      answer = route.handle({ rec, body, params, query, step, ids: this.ids });
    } catch (err) {
      if (err instanceof FakeHttpError) return fail({ status: err.status, kind: err.kind, message: err.explicitMessage, param: err.param, key: rec.key, model });
      throw err;
    }
    const outHeaders = { ...base, ...answer.headers, ...extra };
    if (answer.kind === 'json') {
      const text = JSON.stringify(answer.body);
      this.head(res, rec, answer.status ?? 200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...outHeaders });
      res.end(text);
      return;
    }
    await this.stream(res, rec, answer.events, step, outHeaders);
  }

  private head(res: ServerResponse, rec: RecordedRequest, status: number, headers: Record<string, string>): void {
    rec.status = status;
    rec.firstByteAt = Date.now();
    res.writeHead(status, headers);
  }

  /** `headers`: the common ones plus what the step scripted, which win over the provider's own. */
  private sendError(res: ServerResponse, rec: RecordedRequest, spec: ErrorSpec, headers: Record<string, string>, requestId: string | undefined): void {
    const { body, headers: own } = this.provider.error(spec, requestId);
    const text = JSON.stringify(body);
    this.head(res, rec, spec.status, { ...own, ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  private async stream(res: ServerResponse, rec: RecordedRequest, events: string[], step: Step, headers: Record<string, string>): Promise<void> {
    this.head(res, rec, 200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    res.flushHeaders();
    if (step.firstEventDelayMs) await this.sleep(step.firstEventDelayMs);
    const gap = step.eventDelayMs ?? this.options.eventDelayMs ?? 0;
    for (let i = 0; i <= events.length; i++) {
      if (res.destroyed) return;
      if (step.streamError && i === step.streamError.afterEvents) {
        const se = step.streamError;
        res.end(this.provider.streamError({ status: se.status ?? 529, kind: 'overloaded', type: se.type, message: se.message }));
        return;
      }
      if (step.cutAfterEvents !== undefined && i === step.cutAfterEvents) {
        rec.outcome = 'cut';
        rec.endedAt = Date.now();
        res.socket?.destroy();
        return;
      }
      if (i === events.length) break;
      if (step.cutAfterEvents === i + 1) {
        // Wait until the event reached the socket, so the cut right after it cannot swallow it.
        await new Promise<void>((resolve) => res.write(events[i], () => resolve()));
      } else if (!res.write(events[i])) {
        await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      rec.events++;
      if (gap && i < events.length - 1) await this.sleep(gap);
    }
    if (!res.destroyed) res.end();
  }
}
