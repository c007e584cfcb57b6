/**
 * A fast acceptance check for the Chat Completions body, ahead of the zod schema in
 * ../request.ts. zod cannot compile its parsers on Workers (no `new Function` there), so
 * its interpreted walk costs a visible share of a proxied request's CPU. This check reads
 * the same fields by hand and only ever says "certainly valid": anything it is unsure of
 * goes to zod, which stays the one source of truth for what is rejected and how the 400
 * reads. test/proxy/quick-chat.test.ts checks that it never accepts what zod refuses.
 */
import type { ChatRequestBody } from '../translate/openai-types.js';

const MAX_COUNT = 10_000_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringWithin(v: unknown, min: number, max: number): boolean {
  return typeof v === 'string' && v.length >= min && v.length <= max;
}

function intWithin(v: unknown, min: number, max: number): boolean {
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
}

/** null or undefined, or passes `ok`. */
function nullish(v: unknown, ok: (v: unknown) => boolean): boolean {
  return v === undefined || v === null || ok(v);
}

function toolOk(t: unknown): boolean {
  return isRecord(t) && typeof t.type === 'string' && isRecord(t.function) && stringWithin(t.function.name, 1, 256);
}

/** True only when the chat schema of ../request.ts certainly accepts `body` as it is. */
export function quickChatValid(body: unknown): body is ChatRequestBody {
  if (!isRecord(body) || !stringWithin(body.model, 1, 256)) return false;
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > 100_000) return false;
  for (const m of messages) if (!isRecord(m) || !stringWithin(m.role, 1, 64)) return false;
  if (!nullish(body.stream, (v) => typeof v === 'boolean')) return false;
  if (!nullish(body.stream_options, (v) => isRecord(v) && (v.include_usage === undefined || typeof v.include_usage === 'boolean'))) return false;
  if (!nullish(body.max_tokens, (v) => intWithin(v, 1, MAX_COUNT))) return false;
  if (!nullish(body.max_completion_tokens, (v) => intWithin(v, 1, MAX_COUNT))) return false;
  if (!nullish(body.n, (v) => intWithin(v, 1, 128))) return false;
  if (!nullish(body.service_tier, (v) => stringWithin(v, 0, 64))) return false;
  const tools = body.tools;
  if (tools !== undefined && !(Array.isArray(tools) && tools.length <= 4096 && tools.every(toolOk))) return false;
  return true;
}
