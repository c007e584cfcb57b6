/** What a fake upstream remembers about each request, for tests to assert on. */
import type { Step } from './script.js';

/** How a request's response ended. */
export type Outcome =
  /** Still being answered (or hanging). */
  | 'pending'
  /** The whole response was written. */
  | 'completed'
  /** The client closed the connection before the response ended. */
  | 'aborted'
  /** The fake destroyed the connection on purpose (`reset`). */
  | 'reset'
  /** The fake cut a stream mid-way on purpose (`cutAfterEvents`). */
  | 'cut'
  /** The fake was closed while the request was still open. */
  | 'closed';

export interface RecordedRequest {
  /** 1-based arrival order on this fake. */
  seq: number;
  /** Arrival time, ms since the epoch (Date.now()). */
  time: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Request headers, lower-case names (as the client sent them, secrets included). */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when absent or not JSON). */
  body: any;
  rawBody: string;
  /** The credential the request carried (Bearer token, x-api-key, x-goog-api-key or ?key=). */
  key: string | undefined;
  model: string | undefined;
  stream: boolean;
  /** The scripted step that served it, if any. */
  step: Step | undefined;
  /** Status sent (undefined if none was sent: hang, reset, or aborted before the first byte). */
  status: number | undefined;
  /** SSE events written (streams). */
  events: number;
  /** When the status line left, ms since the epoch. */
  firstByteAt: number | undefined;
  /** When the response ended or the connection closed, ms since the epoch. */
  endedAt: number | undefined;
  outcome: Outcome;
  /** True when the client went away before the response ended. */
  aborted: boolean;
}

/** Copies request headers into a plain record (node joins repeated headers already). */
export function headerRecord(raw: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
