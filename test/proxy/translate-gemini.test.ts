/** Gemini ↔ OpenAI translation on the documented shapes (ai.google.dev "Generating content", "Function calling"). */
import { describe, expect, it } from 'vitest';
import { completionFromGemini, finishFromGemini, GeminiDecoder, toGemini, usageFromGemini } from '../../src/proxy/translate/gemini.js';
import type { ChatChunk } from '../../src/proxy/translate/openai-types.js';

describe('OpenAI request → Gemini', () => {
  it('maps roles, systemInstruction, images, tools, tool calls and results, and generation config', () => {
    const out = toGemini({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'You are a cat.' },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"answer":"a cat"}' },
        { role: 'tool', tool_call_id: 'call_1', content: 'plain text' },
      ],
      max_tokens: 256,
      temperature: 0.5,
      top_p: 0.8,
      stop: ['x'],
      n: 2,
      seed: 7,
      response_format: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'object' } } },
      tools: [{ type: 'function', function: { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
      tool_choice: 'required',
      reasoning_effort: 'low',
    });
    expect(out).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }] },
        { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { q: 'cat' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { answer: 'a cat' } } }, { functionResponse: { name: 'lookup', response: { result: 'plain text' } } }] },
      ],
      systemInstruction: { parts: [{ text: 'You are a cat.' }] },
      generationConfig: { maxOutputTokens: 256, temperature: 0.5, topP: 0.8, stopSequences: ['x'], candidateCount: 2, seed: 7, responseMimeType: 'application/json', responseJsonSchema: { type: 'object' }, thinkingConfig: { thinkingBudget: 1024 } },
      tools: [{ functionDeclarations: [{ name: 'lookup', description: 'Look up', parametersJsonSchema: { type: 'object', properties: { q: { type: 'string' } } } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
  });
});

describe('Gemini responses and streams → OpenAI', () => {
  const response = {
    candidates: [
      { content: { parts: [{ text: 'thinking…', thought: true }, { text: 'A cat.' }], role: 'model' }, finishReason: 'STOP', index: 0 },
      { content: { parts: [{ functionCall: { name: 'lookup', args: { q: 'cat' } } }], role: 'model' }, finishReason: 'STOP', index: 1 },
    ],
    usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, thoughtsTokenCount: 30, cachedContentTokenCount: 40, totalTokenCount: 150 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'abc',
  };

  it('maps candidates to choices, function calls to tool_calls, and usage (output = candidates + thoughts)', () => {
    const c = completionFromGemini(response, 'gemini-2.5-flash', 'req');
    expect(c.id).toBe('abc');
    expect(c.choices[0]).toMatchObject({ index: 0, message: { content: 'A cat.' }, finish_reason: 'stop' });
    expect(c.choices[1]).toMatchObject({ index: 1, message: { content: null, tool_calls: [{ type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } }] }, finish_reason: 'tool_calls' });
    expect(c.usage).toEqual({ prompt_tokens: 100, completion_tokens: 50, total_tokens: 150, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 30 } });
    expect(usageFromGemini({ promptTokenCount: 5, toolUsePromptTokenCount: 2 }).prompt_tokens).toBe(7);
    for (const [g, o] of [
      ['STOP', 'stop'],
      ['MAX_TOKENS', 'length'],
      ['SAFETY', 'content_filter'],
      ['RECITATION', 'content_filter'],
      ['OTHER', 'stop'],
    ] as const) expect(finishFromGemini(g, false)).toBe(o);
    expect(finishFromGemini(undefined, false)).toBeNull();
  });

  it('decodes an SSE stream and ends it once every candidate finished', () => {
    const d = new GeminiDecoder('gemini-2.5-flash', 'id', 1);
    const events = [
      { candidates: [{ content: { parts: [{ text: 'Hel' }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 1 } },
      { candidates: [{ content: { parts: [{ text: 'lo' }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2 } },
      { candidates: [{ content: { parts: [{ text: '!' }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 3, totalTokenCount: 12 } },
    ];
    const chunks: ChatChunk[] = [];
    let done = false;
    for (const e of events) {
      expect(done).toBe(false);
      const r = d.decode({ data: JSON.stringify(e) });
      chunks.push(...r.chunks);
      done = Boolean(r.done);
    }
    expect(done).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello!');
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3 });
    expect(d.providerUsage()).toEqual({ promptTokenCount: 9, candidatesTokenCount: 3, totalTokenCount: 12 });
    expect(new GeminiDecoder('m', 'i', 1).decode({ data: '{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}' }).error).toEqual({ message: 'Resource exhausted', type: 'RESOURCE_EXHAUSTED' });
  });
});
