/**
 * What a test can script for the next requests a fake upstream receives: a normal answer with
 * chosen content, an HTTP error in the provider's shape, or a transport fault (delay, hang,
 * reset, a stream cut mid-way, an in-stream error). Steps are provider-neutral; each provider
 * renders them in its own wire format.
 */

/** A tool call the fake should answer with (arguments as JSON text or an object). */
export interface ScriptedToolCall {
  name: string;
  arguments: string | Record<string, unknown>;
  /** Provider-style id (`call_…`, `toolu_…`); generated when absent. */
  id?: string;
}

/** Content of a scripted answer; anything left out is derived from the request as usual. */
export interface ScriptedReply {
  /** Visible text; one string per choice when `n` > 1 (OpenAI). */
  text?: string | string[];
  /** Answer with these tool calls (after `text`, if any). */
  toolCalls?: ScriptedToolCall[];
  /** Reasoning / thinking tokens to report (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`). */
  reasoningTokens?: number;
}

/** One scripted behaviour. An empty step is the normal, derived answer. */
export interface Step {
  /** Answer with this HTTP status and the provider's error body (no content). */
  status?: number;
  /** Override the error body's message / type / code (OpenAI `code`, Gemini `status`). */
  error?: { message?: string; type?: string; code?: string | null };
  /** `retry-after` header, seconds. */
  retryAfter?: number;
  /** `retry-after-ms` header (OpenAI's SDK honours it before `retry-after`). */
  retryAfterMs?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Wait this long before the first byte (status line and headers included). */
  delayMs?: number;
  /** Streams: send headers at once, wait this long before the first event (time to first token). */
  firstEventDelayMs?: number;
  /** Streams: pause between events. */
  eventDelayMs?: number;
  /** Never answer: keep the connection open until the client gives up or the fake closes. */
  hang?: boolean;
  /** Destroy the connection without answering (the client sees a reset / "socket hang up"). */
  reset?: boolean;
  /** Streams: destroy the socket after this many SSE events, with no terminator. */
  cutAfterEvents?: number;
  /**
   * Streams: after this many events send the provider's in-stream error (Anthropic `event: error`,
   * OpenAI `data: {"error":…}`, Gemini `data: {"error":…}`) and end the response.
   */
  streamError?: { afterEvents: number; status?: number; type?: string; message?: string };
  /** Scripted content (text, tool calls, reasoning tokens). */
  reply?: ScriptedReply;
  /**
   * Usage as the provider reports it: `false` leaves it out (OpenAI: no usage chunk even when
   * `include_usage` is set; Gemini: no `usageMetadata`); an object is deep-merged, in the
   * provider's own field names, over the computed usage, and totals are recomputed unless given.
   */
  usage?: false | Record<string, unknown>;
}

/** Which requests a scripted step applies to. */
export interface Match {
  /** Only requests made with this credential. */
  key?: string;
  /** Only requests for this model (as the client named it). */
  model?: string;
  /** Only requests whose path contains this string or matches this pattern. */
  path?: string | RegExp;
  /** How many requests the step serves (default 1; `Infinity` until `reset()`). */
  times?: number;
}

/** The request facts a match is checked against. */
export interface MatchTarget {
  key: string | undefined;
  model: string | undefined;
  path: string;
}

interface Entry {
  step: Step;
  match: Match;
  left: number;
}

function matches(m: Match, t: MatchTarget): boolean {
  if (m.key !== undefined && m.key !== t.key) return false;
  if (m.model !== undefined && m.model !== t.model) return false;
  if (m.path !== undefined && !(typeof m.path === 'string' ? t.path.includes(m.path) : m.path.test(t.path))) return false;
  return true;
}

/** Scripted steps in the order they were queued; the first matching one serves a request. */
export class Script {
  private entries: Entry[] = [];

  add(step: Step, match: Match = {}): void {
    const left = match.times ?? 1;
    if (!(left > 0)) throw new Error(`Match.times must be > 0, got ${left}`);
    this.entries.push({ step, match, left });
  }

  /** The step for a request (consumed), or undefined for the normal answer. */
  take(target: MatchTarget): Step | undefined {
    const i = this.entries.findIndex((e) => matches(e.match, target));
    if (i < 0) return undefined;
    const e = this.entries[i];
    if (--e.left <= 0) this.entries.splice(i, 1);
    return e.step;
  }

  /** Steps not yet served (a test can assert its script was used up). */
  get pending(): number {
    return this.entries.reduce((n, e) => n + (Number.isFinite(e.left) ? e.left : 1), 0);
  }

  clear(): void {
    this.entries = [];
  }
}
