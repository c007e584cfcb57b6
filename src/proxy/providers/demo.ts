/**
 * The built-in demo provider: an OpenAI-compatible model inside the worker, so every gateway
 * feature can be tried with no provider key (`npm start`). Replies are deterministic text
 * derived from the prompt, cut at max_tokens with the model's tokenizer; streams arrive in
 * word-sized chunks with the configured latency; usage is counted like the real provider would
 * (exactly for OpenAI models); a tool is called when tools are offered on a user turn; and a
 * configured fraction of requests fails with 503 to show fallbacks. Never enabled in a deployed
 * configuration unless the operator adds a provider of type `demo`.
 */
import { countChatDetailed, getModel } from '../../core/index.js';
import { countingEncoding } from '../accounting/encoding.js';
import { OpenAIDecoder } from '../translate/openai-stream.js';
import { contentText, isObject, type ChatChunk, type ChatCompletion, type ChatRequestBody, type ChatUsage, type Json } from '../translate/openai-types.js';
import type { ProviderAdapter, UpstreamRequest } from './types.js';

const SENTENCES = [
  'Tollgate counted this prompt with its own tokenizer before any provider saw it.',
  'Every request is priced exactly, reserved against the budget first and settled to the cent afterwards.',
  'This reply comes from the built-in demo provider, so no API key was needed.',
  'Routes pick a target by cost, latency or weight, and fall back when one fails.',
  'Streams are relayed as they arrive, and their cost is known when the last token passes.',
  'Swap the demo provider for a real one in the configuration when you are ready.',
  'Budgets never overspend: concurrent requests reserve their worst case before they start.',
  'The ledger keeps one row per request, with exact decimal costs for every export.',
];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((ok, fail) => {
    if (ms <= 0) return ok();
    const t = setTimeout(ok, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), fail(signal.reason)), { once: true });
  });

interface DemoOptions {
  latencyMs: number;
  chunkDelayMs: number;
  failureRate: number;
}

function options(up: UpstreamRequest): DemoOptions {
  const raw = up.init.headers['x-demo-options'];
  const o = raw ? (JSON.parse(raw) as Partial<DemoOptions>) : {};
  return { latencyMs: o.latencyMs ?? 0, chunkDelayMs: o.chunkDelayMs ?? 0, failureRate: o.failureRate ?? 0 };
}

async function reply(body: ChatRequestBody): Promise<{ text: string; call?: { name: string; arguments: string }; usage: ChatUsage; finish: 'stop' | 'length' | 'tool_calls' }> {
  const model = getModel(body.model);
  const { enc } = await countingEncoding(model);
  const prompt = await countChatDetailed(body.messages, body.tools ? { model: model.id, tools: body.tools } : { model: model.id });
  const last = body.messages[body.messages.length - 1];
  const usage = (completion: number): ChatUsage => ({ prompt_tokens: prompt.tokens, completion_tokens: completion, total_tokens: prompt.tokens + completion, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } });
  if (body.tools?.length && body.tool_choice !== 'none' && last?.role === 'user') {
    const fn = body.tools[0]!.function;
    const props = isObject(fn.parameters) && isObject(fn.parameters.properties) ? Object.keys(fn.parameters.properties) : [];
    const args: Json = {};
    for (const p of props) args[p] = contentText(last.content).slice(0, 40) || 'demo';
    const call = { name: fn.name, arguments: JSON.stringify(args) };
    return { text: '', call, usage: usage(enc.count(call.name) + enc.count(call.arguments)), finish: 'tool_calls' };
  }
  const seed = hash(contentText(last?.content ?? ''));
  const parts: string[] = [];
  for (let i = 0; i < 4; i++) parts.push(SENTENCES[(seed + i * 3) % SENTENCES.length]!);
  let text = parts.join(' ');
  const max = body.max_completion_tokens ?? body.max_tokens ?? Infinity;
  const ids = enc.encode(text);
  let finish: 'stop' | 'length' = 'stop';
  if (ids.length > max) {
    text = enc.decode(ids.subarray(0, max));
    finish = 'length';
  }
  return { text, usage: usage(Math.min(ids.length, max)), finish };
}

function completion(id: string, model: string, r: Awaited<ReturnType<typeof reply>>): ChatCompletion {
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: r.call ? null : r.text, ...(r.call ? { tool_calls: [{ id: `call_${id.slice(-8)}`, type: 'function' as const, function: r.call }] } : {}), refusal: null },
        finish_reason: r.finish,
        logprobs: null,
      },
    ],
    usage: r.usage,
  };
}

function streamOf(id: string, model: string, r: Awaited<ReturnType<typeof reply>>, includeUsage: boolean, o: DemoOptions, signal: AbortSignal): ReadableStream<Uint8Array> {
  const te = new TextEncoder();
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Json, finish: string | null = null): ChatChunk => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish as never }] });
  const events: Json[] = [chunk({ role: 'assistant', content: '' })];
  if (r.call) {
    events.push(chunk({ tool_calls: [{ index: 0, id: `call_${id.slice(-8)}`, type: 'function', function: { name: r.call.name, arguments: '' } }] }));
    for (const piece of r.call.arguments.match(/.{1,12}/gs) ?? []) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
  } else {
    for (const piece of r.text.match(/\S*\s*/g)?.filter(Boolean) ?? []) events.push(chunk({ content: piece }));
  }
  events.push(chunk({}, r.finish));
  if (includeUsage) events.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: r.usage });
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      if (i > 0) await sleep(o.chunkDelayMs, signal).catch(() => undefined);
      if (signal.aborted) return controller.close();
      if (i < events.length) controller.enqueue(te.encode(`data: ${JSON.stringify(events[i++])}\n\n`));
      else {
        controller.enqueue(te.encode('data: [DONE]\n\n'));
        controller.close();
      }
    },
  });
}

function embeddings(body: Json, model: string, tokens: number): Json {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const dims = typeof body.dimensions === 'number' ? body.dimensions : 8;
  const data = inputs.map((input, index) => {
    let h = hash(JSON.stringify(input));
    const v: number[] = [];
    for (let d = 0; d < dims; d++) {
      h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
      v.push(Math.round(((h / 0xffffffff) * 2 - 1) * 1e6) / 1e6);
    }
    return { object: 'embedding', index, embedding: v };
  });
  return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

async function transport(up: UpstreamRequest, signal: AbortSignal): Promise<Response> {
  const o = options(up);
  await sleep(o.latencyMs, signal);
  if (o.failureRate > 0 && Math.random() < o.failureRate) {
    return Response.json({ error: { message: 'The demo provider failed this request on purpose (failureRate).', type: 'server_error', param: null, code: null } }, { status: 503 });
  }
  const body = JSON.parse(up.init.body) as Json;
  const id = `chatcmpl-demo${hash(up.init.body).toString(36)}${Date.now().toString(36)}`;
  const model = String(body.model);
  if (up.url.endsWith('/embeddings')) {
    const { enc } = await countingEncoding(getModel(model));
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    let tokens = 0;
    for (const x of inputs) tokens += typeof x === 'string' ? enc.count(x) : Array.isArray(x) ? x.length : 1;
    return Response.json(embeddings(body, model, tokens));
  }
  const r = await reply(body as unknown as ChatRequestBody);
  if (body.stream === true) {
    const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
    return new Response(streamOf(id, model, r, includeUsage, o, signal), { headers: { 'content-type': 'text/event-stream' } });
  }
  return Response.json(completion(id, model, r));
}

export const demoAdapter: ProviderAdapter = {
  wire: 'openai',
  unsupported: () => undefined,
  build(req, target) {
    // The demo answers for the priced model (its tokenizer decides the usage it reports).
    const body: Json = { ...req.body, model: target.priced.id };
    if (req.stream) body.stream_options = { include_usage: true };
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-demo-options': JSON.stringify(target.config.demo ?? {}) };
    return { url: `demo://${target.provider}${req.kind === 'embeddings' ? '/embeddings' : '/chat/completions'}`, init: { method: 'POST', headers, body: JSON.stringify(body) } };
  },
  completion: (json) => json as unknown as ChatCompletion,
  decoder: () => new OpenAIDecoder(),
  errorMessage: (status, text) => {
    try {
      return String((JSON.parse(text) as { error: { message: string } }).error.message);
    } catch {
      return `HTTP ${status}`;
    }
  },
  transport,
};
