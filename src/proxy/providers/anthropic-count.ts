/**
 * One call to Anthropic's token-counting endpoint (`POST {baseUrl}/v1/messages/count_tokens`,
 * answering `{"input_tokens": N}`), for `POST /v1/count` with `count_with: "provider"`.
 *
 * A single attempt with a short deadline and no retries, and no effect on the proxy's health
 * state: counting has its own rate limits at Anthropic, independent of message creation, so a
 * failed count says nothing about the target's ability to serve. Every failure becomes an
 * outcome with a sentence for the client (provider messages with any configured key masked),
 * never a thrown error: the caller answers with its estimate instead.
 */
import type { CompiledTarget } from '../config/load.js';
import type { Json } from '../translate/openai-types.js';
import { anthropicHeaders } from './anthropic.js';
import { joinUrl, messageOf } from './types.js';

export type CountOutcome = { ok: true; tokens: number } | { ok: false; code: 'timeout' | 'provider_error' | 'unreachable'; reason: string };

/** Longest provider message quoted back to the client. */
const MAX_MESSAGE = 300;

export async function anthropicCountTokens(target: CompiledTarget, key: string, body: Json, timeoutMs: number, redact: (text: string) => Promise<string>): Promise<CountOutcome> {
  const url = joinUrl(target.config.baseUrl!, '/v1/messages/count_tokens');
  const signal = AbortSignal.timeout(timeoutMs);
  const who = `Anthropic (provider '${target.provider}')`;
  let status: number;
  let text: string;
  try {
    const res = await fetch(url, { method: 'POST', headers: anthropicHeaders(target, key), body: JSON.stringify(body), signal });
    status = res.status;
    text = await res.text();
  } catch {
    // The error itself is not quoted: it may name the URL, and says nothing the code does not.
    if (signal.aborted) return { ok: false, code: 'timeout', reason: `${who} did not answer the token count within ${timeoutMs} ms.` };
    return { ok: false, code: 'unreachable', reason: `${who} could not be reached for the token count.` };
  }
  if (status !== 200) {
    const message = messageOf(text);
    const quoted = message ? `: ${(await redact(message)).slice(0, MAX_MESSAGE)}` : '';
    return { ok: false, code: 'provider_error', reason: `${who} answered the token count with HTTP ${status}${quoted}` };
  }
  let tokens: unknown;
  try {
    tokens = (JSON.parse(text) as { input_tokens?: unknown }).input_tokens;
  } catch {
    /* reported below */
  }
  if (typeof tokens !== 'number' || !Number.isSafeInteger(tokens) || tokens < 0) return { ok: false, code: 'provider_error', reason: `${who} answered the token count without a valid input_tokens.` };
  return { ok: true, tokens };
}
