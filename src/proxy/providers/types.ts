/**
 * A provider adapter: how to call one wire format (URL, headers, body) and how to read its
 * answers into the internal shapes. Translation only; sending, retrying and timing out are the
 * attempt loop's job (../upstream/attempt.ts).
 */
import type { CompiledTarget } from '../config/load.js';
import type { ParsedRequest } from '../request.js';
import type { ChatCompletion, Json } from '../translate/openai-types.js';
import type { StreamDecoder } from '../translate/stream-types.js';

export type Wire = 'openai' | 'anthropic' | 'gemini';

export interface UpstreamRequest {
  url: string;
  init: RequestInit & { headers: Record<string, string>; body: string };
}

export interface ProviderAdapter {
  /** The wire format the upstream speaks (a client speaking the same one gets events relayed as they come). */
  wire: Wire;
  /** Why this provider cannot serve the request (the planner skips it), or undefined. */
  unsupported(req: ParsedRequest): string | undefined;
  /** The upstream HTTP request for `req` sent to `target` with `key`. */
  build(req: ParsedRequest, target: CompiledTarget, key: string): UpstreamRequest;
  /** A non-streaming chat answer as the internal completion. */
  completion(json: Json, target: CompiledTarget, requestId: string): ChatCompletion;
  /** A decoder for the upstream's stream. */
  decoder(target: CompiledTarget, requestId: string, req: ParsedRequest): StreamDecoder;
  /** The message of an upstream error body (never the body itself: it may echo input). */
  errorMessage(status: number, text: string): string;
  /** Sends the request instead of fetch (the built-in demo provider answers in-process). */
  transport?: (up: UpstreamRequest, signal: AbortSignal) => Promise<Response>;
}

/** `base` + `path` without doubled slashes. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** The `message` of a JSON error body in either common shape, else a bounded excerpt. */
export function messageOf(text: string): string | undefined {
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (j && typeof j.error === 'object' && j.error && typeof j.error.message === 'string') return j.error.message;
    if (typeof j.error === 'string') return j.error;
    if (typeof j.message === 'string') return j.message;
  } catch {
    /* not JSON */
  }
  return undefined;
}
