/**
 * `models/{model}:generateContent`, `:streamGenerateContent` (`?alt=sse`, or a streamed JSON
 * array without it) and `:countTokens`, on `/v1beta` and `/v1`. Shapes from the Gemini API
 * reference ("Generating content": GenerateContentResponse, Candidate, FinishReason,
 * UsageMetadata; "Counting tokens"): `candidates[].content.parts[]` with `text` or
 * `functionCall {name, args}`, `finishReason` STOP / MAX_TOKENS, `usageMetadata` with
 * promptTokenCount (cached tokens included), candidatesTokenCount, thoughtsTokenCount and
 * cachedContentTokenCount only when non-zero, totalTokenCount = prompt + candidates + thoughts;
 * `modelVersion`, `responseId`. A stream sends the same object per chunk, `data: <json>\r\n\r\n`:
 * early chunks carry text and the prompt usage, the last one the finishReason and full usage.
 */
import { FakeHttpError, type Answer, type Route, type RouteContext } from '../core/provider.js';
import { groupPieces, planReply, type Finish, type PlannedReply, type ToolDef } from '../core/reply.js';
import { approxTokenizer } from '../core/tokens.js';
import { withOverride } from '../core/usage.js';
import type { GeminiPromptCounter } from './prompt.js';

type Obj = Record<string, any>;

const FINISH: Record<Finish, string> = { stop: 'STOP', stop_sequence: 'STOP', tool_calls: 'STOP', length: 'MAX_TOKENS' };
/** Tokens per streamed chunk (Gemini streams sizeable chunks). */
const TOKENS_PER_CHUNK = 8;

/** Thinking tokens: thinking models think by default; a budget of 0 turns it off where allowed. */
function thoughts(model: string, cfg: Obj | undefined): number {
  const thinks = /gemini-(2\.5|[3-9])/.test(model);
  if (!thinks) return 0;
  const budget = cfg?.thinkingBudget;
  if (budget === 0 && !/pro/.test(model)) return 0;
  if (cfg?.thinkingLevel === 'low') return 32;
  if (cfg?.thinkingLevel === 'high') return 256;
  const dflt = /flash-lite/.test(model) ? 0 : 96;
  return typeof budget === 'number' && budget > 0 ? Math.min(budget, 96) : dflt;
}

function forcedTool(cfg: Obj | undefined): string | undefined {
  const fc = cfg?.functionCallingConfig;
  if (fc?.mode !== 'ANY') return undefined;
  return Array.isArray(fc.allowedFunctionNames) && fc.allowedFunctionNames.length ? fc.allowedFunctionNames[0] : '*';
}

function parts(plan: PlannedReply): Obj[] {
  const out: Obj[] = [];
  if (plan.text) out.push({ text: plan.text });
  for (const t of plan.toolCalls) out.push({ functionCall: { name: t.name, args: JSON.parse(t.arguments) } });
  return out;
}

function candidate(index: number, p: Obj[], finish?: string): Obj {
  // A candidate with nothing to show (all budget spent thinking) has a content without parts.
  return { content: p.length ? { parts: p, role: 'model' } : { role: 'model' }, ...(finish ? { finishReason: finish } : {}), index };
}

export function generateRoutes(counter: GeminiPromptCounter): Route[] {
  const pattern = (method: string) => new RegExp(`^/(?:v1beta|v1)/models/([^/:]+):${method}$`);
  const model = (params: string[]) => decodeURIComponent(params[0]);

  function generate(ctx: RouteContext): Answer {
    const body = ctx.body as Obj;
    if (!Array.isArray(body?.contents) || body.contents.length === 0) throw new FakeHttpError(400, 'invalid_request', '* GenerateContentRequest.contents: contents is not specified\n');
    const name = ctx.rec.model as string;
    const gen: Obj = body.generationConfig ?? {};
    const tools: ToolDef[] = ((body.tools ?? []) as Obj[]).flatMap((t) =>
      ((t.functionDeclarations ?? []) as Obj[]).map((d) => ({ name: d.name, schema: d.parametersJsonSchema ?? d.parameters })),
    );
    const lastUser = [...(body.contents as Obj[])].reverse().find((c) => (c.role ?? 'user') === 'user');
    const userText = ((lastUser?.parts ?? []) as Obj[]).map((p) => p.text ?? '').join('');
    const thinking = thoughts(name, gen.thinkingConfig);
    const plans: PlannedReply[] = [];
    for (let i = 0; i < (gen.candidateCount ?? 1); i++) {
      plans.push(
        planReply({
          lastUserText: userText,
          maxTokens: gen.maxOutputTokens,
          reasoningTokens: thinking,
          stop: gen.stopSequences,
          forcedTool: forcedTool(body.toolConfig),
          tools,
          scripted: ctx.step.reply,
          choice: i,
          tokenizer: approxTokenizer,
        }),
      );
    }
    const { prompt, cached } = counter.usage(body, name);
    const candidates = plans.reduce((n, p) => n + p.outputTokens, 0);
    const thoughtsTotal = plans.reduce((n, p) => n + p.reasoningTokens, 0);
    const details = [{ modality: 'TEXT', tokenCount: prompt }];
    const computed: Obj = {
      promptTokenCount: prompt,
      candidatesTokenCount: candidates,
      totalTokenCount: prompt + candidates + thoughtsTotal,
      promptTokensDetails: details,
      ...(thoughtsTotal ? { thoughtsTokenCount: thoughtsTotal } : {}),
      ...(cached ? { cachedContentTokenCount: cached, cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cached }] } : {}),
    };
    const usage =
      ctx.step.usage === false
        ? undefined
        : withOverride(computed, ctx.step.usage, 'totalTokenCount', (u) => Number(u.promptTokenCount ?? 0) + Number(u.candidatesTokenCount ?? 0) + Number(u.thoughtsTokenCount ?? 0));
    const tail = { modelVersion: name, responseId: ctx.ids.geminiResponse() };

    if (!ctx.rec.stream) {
      return {
        kind: 'json',
        body: { candidates: plans.map((p, i) => candidate(i, parts(p), FINISH[p.finish])), ...(usage ? { usageMetadata: usage } : {}), ...tail },
      };
    }

    // Early chunks: text runs (and tool calls, which Gemini sends whole) with the prompt usage;
    // the last chunk: finishReason and the full usage.
    const early: Obj | undefined = usage && { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount, promptTokensDetails: usage.promptTokensDetails };
    const chunks: Obj[] = [];
    plans.forEach((p, i) => {
      const runs: Obj[][] = groupPieces(p.pieces, TOKENS_PER_CHUNK).map((text) => [{ text }]);
      if (p.toolCalls.length) runs.push(p.toolCalls.map((t) => ({ functionCall: { name: t.name, args: JSON.parse(t.arguments) } })));
      if (!runs.length) runs.push([]);
      runs.forEach((r, k) => {
        const last = i === plans.length - 1 && k === runs.length - 1;
        const u = last ? usage : early;
        chunks.push({ candidates: [candidate(i, r, k === runs.length - 1 ? FINISH[p.finish] : undefined)], ...(u ? { usageMetadata: u } : {}), ...tail });
      });
    });
    if (ctx.query.alt === 'sse') return { kind: 'sse', events: chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`) };
    // Without alt=sse the API streams one JSON array.
    return {
      kind: 'sse',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      events: chunks.map((c, i) => (i === 0 ? '[' : ',\r\n') + JSON.stringify(c) + (i === chunks.length - 1 ? ']' : '')),
    };
  }

  function countTokens(ctx: RouteContext): Answer {
    const body = ctx.body as Obj;
    const req: Obj = body?.generateContentRequest ?? body ?? {};
    if (!Array.isArray(req.contents)) throw new FakeHttpError(400, 'invalid_request', '* CountTokensRequest.contents: contents is not specified\n');
    const total = counter.total(req);
    return { kind: 'json', body: { totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] } };
  }

  return [
    { method: 'POST', pattern: pattern('generateContent'), model, handle: generate },
    { method: 'POST', pattern: pattern('streamGenerateContent'), model, stream: () => true, handle: generate },
    { method: 'POST', pattern: pattern('countTokens'), model, handle: countTokens },
  ];
}
