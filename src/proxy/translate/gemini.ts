/**
 * Google Gemini `generateContent` / `streamGenerateContent?alt=sse` ↔ the internal (OpenAI)
 * shapes (ai.google.dev "Generating content" API reference). Roles user/model, system and
 * developer messages → `systemInstruction`, images → `inlineData` (data: URLs) or `fileData`,
 * tools → `functionDeclarations` (JSON Schema as `parametersJsonSchema`), tool calls ↔
 * `functionCall` / `functionResponse`, finish reasons, and `usageMetadata` (promptTokenCount
 * includes cached tokens; output = candidates + thoughts).
 */
import { ProxyInputError } from '../errors.js';
import { contentText, isObject, type ChatChunk, type ChatCompletion, type ChatRequestBody, type ChatToolCall, type ChatUsage, type ChunkChoice, type FinishReason, type Json } from './openai-types.js';
import type { Decoded, SseEvent, StreamDecoder } from './stream-types.js';

const EFFORT_BUDGET: Record<string, number> = { minimal: 0, low: 1024, medium: 8192, high: 24576 };

function part(p: unknown, where: string): Json {
  if (!isObject(p)) throw new ProxyInputError(`${where}: must be a content part`, where);
  if (p.type === 'text') return { text: String(p.text ?? '') };
  if (p.type === 'image_url') {
    const iu = p.image_url;
    const url = typeof iu === 'string' ? iu : isObject(iu) ? String(iu.url ?? '') : '';
    const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
    if (m) return { inlineData: { mimeType: m[1], data: m[2] } };
    return { fileData: { fileUri: url, mimeType: /\.png$/i.test(url) ? 'image/png' : /\.webp$/i.test(url) ? 'image/webp' : /\.gif$/i.test(url) ? 'image/gif' : 'image/jpeg' } };
  }
  throw new ProxyInputError(`${where}.type: content part '${String(p.type)}' cannot be sent to a Gemini model`, `${where}.type`);
}

function parts(content: unknown, where: string): Json[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) return [];
  return content.map((p, i) => part(p, `${where}[${i}]`));
}

/** The internal request as a Gemini generateContent body. */
export function toGemini(req: ChatRequestBody): Json {
  const system: Json[] = [];
  const contents: { role: 'user' | 'model'; parts: Json[] }[] = [];
  const callNames = new Map<string, string>();
  const push = (role: 'user' | 'model', ps: Json[]) => {
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...ps);
    else contents.push({ role, parts: ps });
  };
  req.messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    if (m.role === 'system' || m.role === 'developer') system.push(...parts(m.content, `${where}.content`));
    else if (m.role === 'user') push('user', parts(m.content, `${where}.content`));
    else if (m.role === 'assistant') {
      const ps = parts(m.content, `${where}.content`);
      for (const tc of m.tool_calls ?? []) {
        callNames.set(tc.id, tc.function.name);
        let args: unknown = {};
        try {
          args = tc.function.arguments ? JSON.parse(tc.function.arguments) : {};
        } catch {
          throw new ProxyInputError(`${where}.tool_calls: arguments are not valid JSON`, `${where}.tool_calls`);
        }
        ps.push({ functionCall: { name: tc.function.name, args } });
      }
      push('model', ps);
    } else if (m.role === 'tool') {
      const text = contentText(m.content);
      let response: unknown;
      try {
        response = JSON.parse(text);
      } catch {
        response = undefined;
      }
      push('user', [{ functionResponse: { name: callNames.get(m.tool_call_id ?? '') ?? m.name ?? 'tool', response: isObject(response) ? response : { result: text } } }]);
    } else throw new ProxyInputError(`${where}.role: '${m.role}' is not a chat role`, `${where}.role`);
  });
  const out: Json = { contents };
  if (system.length) out.systemInstruction = { parts: system };
  const gen: Json = {};
  const max = req.max_completion_tokens ?? req.max_tokens;
  if (max != null) gen.maxOutputTokens = max;
  if (req.temperature != null) gen.temperature = req.temperature;
  if (req.top_p != null) gen.topP = req.top_p;
  if (req.stop != null) gen.stopSequences = Array.isArray(req.stop) ? req.stop : [req.stop];
  if (req.n != null && req.n > 1) gen.candidateCount = req.n;
  if (req.seed != null) gen.seed = req.seed;
  const rf = req.response_format;
  if (rf?.type === 'json_object') gen.responseMimeType = 'application/json';
  if (rf?.type === 'json_schema') {
    gen.responseMimeType = 'application/json';
    if (rf.json_schema?.schema) gen.responseJsonSchema = rf.json_schema.schema;
  }
  if (req.reasoning_effort && EFFORT_BUDGET[req.reasoning_effort] !== undefined) gen.thinkingConfig = { thinkingBudget: EFFORT_BUDGET[req.reasoning_effort] };
  if (Object.keys(gen).length) out.generationConfig = gen;
  if (req.tools?.length) {
    out.tools = [{ functionDeclarations: req.tools.map((t) => ({ name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), ...(t.function.parameters ? { parametersJsonSchema: t.function.parameters } : {}) })) }];
  }
  const tc = req.tool_choice;
  if (tc !== undefined) {
    const cfg: Json = tc === 'none' ? { mode: 'NONE' } : tc === 'required' ? { mode: 'ANY' } : tc === 'auto' ? { mode: 'AUTO' } : { mode: 'ANY', allowedFunctionNames: [tc.function.name] };
    out.toolConfig = { functionCallingConfig: cfg };
  }
  return out;
}

export function finishFromGemini(reason: unknown, hasCalls: boolean): FinishReason {
  if (reason === undefined || reason === null || reason === 'FINISH_REASON_UNSPECIFIED') return null;
  if (hasCalls) return 'tool_calls';
  switch (reason) {
    case 'STOP':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      return 'stop';
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Gemini usageMetadata as OpenAI usage. */
export function usageFromGemini(u: Json): ChatUsage {
  const prompt = num(u.promptTokenCount) + num(u.toolUsePromptTokenCount);
  const thoughts = num(u.thoughtsTokenCount);
  const completion = num(u.candidatesTokenCount) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: num(u.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

interface CandidateDelta {
  index: number;
  text: string;
  thought: string;
  calls: { name: string; args: unknown }[];
  finish: unknown;
}

function candidates(resp: Json): CandidateDelta[] {
  const out: CandidateDelta[] = [];
  for (const c of Array.isArray(resp.candidates) ? resp.candidates : []) {
    if (!isObject(c)) continue;
    const d: CandidateDelta = { index: num(c.index), text: '', thought: '', calls: [], finish: c.finishReason };
    const ps = isObject(c.content) && Array.isArray(c.content.parts) ? c.content.parts : [];
    for (const p of ps) {
      if (!isObject(p)) continue;
      if (typeof p.text === 'string') {
        if (p.thought === true) d.thought += p.text;
        else d.text += p.text;
      } else if (isObject(p.functionCall)) d.calls.push({ name: String(p.functionCall.name ?? ''), args: p.functionCall.args ?? {} });
    }
    out.push(d);
  }
  return out;
}

/** A generateContent response as a chat completion. */
export function completionFromGemini(resp: Json, model: string, id: string): ChatCompletion {
  const choices = candidates(resp).map((c) => {
    const calls: ChatToolCall[] = c.calls.map((call, i) => ({ id: `call_${c.index}_${i}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
    return {
      index: c.index,
      message: { role: 'assistant' as const, content: c.text || (calls.length ? null : ''), ...(calls.length ? { tool_calls: calls } : {}), refusal: null },
      finish_reason: finishFromGemini(c.finish ?? 'STOP', calls.length > 0),
      logprobs: null,
    };
  });
  const out: ChatCompletion = { id: String(resp.responseId ?? id), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, choices };
  if (isObject(resp.usageMetadata)) out.usage = usageFromGemini(resp.usageMetadata);
  return out;
}

/** A Gemini SSE stream → internal chunks. It ends cleanly once every candidate has a finishReason. */
export class GeminiDecoder implements StreamDecoder {
  private readonly started = new Set<number>();
  private readonly finished = new Set<number>();
  private readonly calls = new Map<number, number>();
  private usage: Json | undefined;
  private readonly created = Math.floor(Date.now() / 1000);

  private complete = false;

  constructor(
    private readonly model: string,
    private readonly id: string,
    private readonly n: number,
  ) {}

  providerUsage(): unknown {
    return this.complete ? this.usage : undefined;
  }

  decode(ev: SseEvent): Decoded {
    let resp: unknown;
    try {
      resp = JSON.parse(ev.data);
    } catch {
      return { chunks: [], error: { message: 'the upstream sent a stream event that is not JSON' } };
    }
    if (!isObject(resp)) return { chunks: [] };
    if (isObject(resp.error)) return { chunks: [], error: { message: String(resp.error.message ?? 'upstream error'), type: String(resp.error.status ?? 'api_error') } };
    if (isObject(resp.usageMetadata)) this.usage = resp.usageMetadata;
    const choices: ChunkChoice[] = [];
    for (const c of candidates(resp)) {
      const delta: ChunkChoice['delta'] = {};
      if (!this.started.has(c.index)) {
        this.started.add(c.index);
        delta.role = 'assistant';
      }
      if (c.text) delta.content = c.text;
      if (c.thought) delta.reasoning_content = c.thought;
      if (c.calls.length) {
        let n = this.calls.get(c.index) ?? 0;
        delta.tool_calls = c.calls.map((call) => {
          const i = n++;
          return { index: i, id: `call_${c.index}_${i}`, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.args) } };
        });
        this.calls.set(c.index, n);
      }
      const finish = finishFromGemini(c.finish, (this.calls.get(c.index) ?? 0) > 0);
      if (finish) this.finished.add(c.index);
      choices.push({ index: c.index, delta, finish_reason: finish });
    }
    const chunks: ChatChunk[] = choices.length ? [{ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices }] : [];
    const done = this.finished.size >= Math.max(1, this.n);
    this.complete = done;
    if (done && this.usage) chunks.push({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage: usageFromGemini(this.usage) });
    return { chunks, done };
  }
}
