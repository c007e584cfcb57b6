/**
 * A cached answer replayed to the client in its wire format — as a stream of realistic chunks
 * when the client asked for one — with usage as originally reported and a cost of $0.
 */
import type { CachedAnswer } from '../cache/response-cache.js';
import type { ParsedRequest } from '../request.js';
import { completionToAnthropic, usageToAnthropic } from '../translate/anthropic-response.js';
import type { ChatChunk, ChatCompletion, Json } from '../translate/openai-types.js';
import { encoderFor } from './encoders.js';

function chunksOf(c: ChatCompletion): ChatChunk[] {
  const out: ChatChunk[] = [];
  const base = { id: c.id, object: 'chat.completion.chunk' as const, created: c.created, model: c.model };
  for (const ch of c.choices) {
    out.push({ ...base, choices: [{ index: ch.index, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    const text = typeof ch.message.content === 'string' ? ch.message.content : '';
    for (const piece of text.match(/\S*\s*/g)?.filter(Boolean) ?? []) out.push({ ...base, choices: [{ index: ch.index, delta: { content: piece }, finish_reason: null }] });
    (ch.message.tool_calls ?? []).forEach((tc, i) => {
      out.push({ ...base, choices: [{ index: ch.index, delta: { tool_calls: [{ index: i, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: tc.function.arguments } }] }, finish_reason: null }] });
    });
    out.push({ ...base, choices: [{ index: ch.index, delta: {}, finish_reason: ch.finish_reason ?? 'stop' }] });
  }
  return out;
}

/** The replayed answer: a JSON body, or an SSE stream. */
export function replay(answer: CachedAnswer, req: ParsedRequest, requestId: string): { json?: Json; stream?: ReadableStream<Uint8Array> } {
  const usage = { ...answer.usage, cost: '0', cached: true };
  if (req.kind === 'embeddings') return { json: { ...(answer.body ?? {}), usage: { ...(answer.body?.usage as Json), cost: '0' } } };
  const completion = answer.completion!;
  if (!req.stream) {
    if (req.clientFormat === 'anthropic') {
      const body = completionToAnthropic(completion, req.model);
      body.usage = { ...usageToAnthropic(answer.usage), cost: '0' };
      return { json: body };
    }
    return { json: { ...completion, usage } };
  }
  const encoder = encoderFor(req, 'replay', requestId, answer.usage.prompt_tokens);
  let text = '';
  for (const chunk of chunksOf(completion)) text += encoder.event({ data: '' }, [chunk], true);
  text += encoder.end(usage);
  return { stream: new Response(text).body! };
}
