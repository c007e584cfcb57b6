/**
 * The planner answers "does the prompt fit this context window?" with PromptCounter.ceiling
 * (a bound from string lengths) and tokenizes only when the bound does not clear the window.
 * That is only sound if the bound is never below the count: checked here for every kind of
 * counter (each exact encoding, each estimate, learned ratios) over random chats built from the
 * characters that cost the most tokens per UTF-16 unit (lone surrogates, NFC-expanding code
 * points for Qwen, characters outside Gemma's vocabulary, emoji, CJK), and for the requests
 * the bound must stay out of (tools, images, tool calls).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getModel, type ModelInfo } from '../../src/runtime/node.js';
import { PromptCounter } from '../../src/proxy/accounting/prompt.js';
import { MAX_RATIO } from '../../src/proxy/health/token-ratio.js';
import { parseChat, type ParsedRequest } from '../../src/proxy/request.js';

/** One chat model per counter kind (exact encodings and estimation methods). */
const MODELS = [
  'gpt-4.1', // o200k_base
  'gpt-3.5-turbo', // cl100k_base
  'groq/openai/gpt-oss-120b', // o200k_harmony
  'groq/llama-3.1-8b-instant', // llama3
  'groq/qwen/qwen3-32b', // qwen2 (NFC first)
  'deepseek-chat', // deepseek_v3
  'gemini-2.0-flash', // gemma3 (SentencePiece, byte fallback)
  'claude-3-5-haiku', // claude-o200k-ratio
  'gemini-3-flash-preview', // gemini-o200k-ratio
  'command-a-03-2025', // o200k-approx
];

/** Characters that are expensive per UTF-16 unit in some encoding. */
const costly = fc.constantFrom(
  '\uD800', // lone surrogates: U+FFFD, 3 bytes
  '\uDFFF',
  '\uFB2C', // NFC: three code points (Qwen)
  '\u0958', // NFC: two code points
  '\u1E9B\u0323',
  '\u0344',
  '中',
  '𝕏', // astral: 4 bytes in 2 units
  '😀',
  '👩‍👩‍👧',
  '\u0085',
  '\u00A0',
  ' ',
  '\n',
  '\t',
  '7',
  '\u0E01', // Thai
  '\u0915\u094D', // Devanagari
  '\uE000', // private use: outside most vocabularies
  '\u{10FFFD}',
);
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(costly, { maxLength: 60 }).map((a) => a.join('')),
  fc.constantFrom('', 'Hello, world!', 'The quick brown fox jumps over the lazy dog.', '    \n\n\t  ', '1234567890'.repeat(5)),
);
const content = fc.oneof(text, fc.array(text.map((t) => ({ type: 'text', text: t })), { maxLength: 3 }));
const message = fc.record({ role: fc.constantFrom('system', 'user', 'assistant', 'developer'), content, name: fc.option(fc.constantFrom('alice', 'bob_2'), { nil: undefined }) }, { requiredKeys: ['role', 'content'] });
const chat = fc.array(message, { minLength: 1, maxLength: 5 });

function request(messages: unknown[], extra: Record<string, unknown> = {}): ParsedRequest {
  const body = { model: 'gpt-4.1', messages, ...extra };
  return parseChat(body, JSON.stringify(body));
}

const models = new Map<string, ModelInfo>(MODELS.map((id) => [id, getModel(id)]));

describe('PromptCounter.ceiling', () => {
  it('is never below the count, for every kind of counter', async () => {
    await fc.assert(
      fc.asyncProperty(chat, async (messages) => {
        const counter = new PromptCounter(request(messages));
        for (const model of models.values()) {
          const ceiling = counter.ceiling(model);
          expect(ceiling, model.id).toBeTypeOf('number');
          const { tokens } = await counter.count(model);
          expect(tokens, `${model.id} ${JSON.stringify(messages)}`).toBeLessThanOrEqual(ceiling!);
        }
        // A learned ratio scales the o200k count by at most MAX_RATIO.
        const raw = await counter.raw();
        expect(Math.ceil(raw! * MAX_RATIO)).toBeLessThanOrEqual(counter.ceiling(models.get('claude-3-5-haiku')!)!);
      }),
      { numRuns: 300 },
    );
  });

  it('holds on long runs of the costliest characters', async () => {
    for (const c of ['\uD800', '\uFB2C', '\uE000', '𝕏', '中', ' ', '\n', 'a', '7']) {
      const counter = new PromptCounter(request([{ role: 'user', content: c.repeat(3000) }]));
      for (const model of models.values()) expect((await counter.count(model)).tokens, `${model.id} ${c}`).toBeLessThanOrEqual(counter.ceiling(model)!);
    }
  });

  it('clears a typical prompt against a large window by a wide margin, without tokenizing', () => {
    const counter = new PromptCounter(request([{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'word '.repeat(800) }]));
    const gpt = models.get('gpt-4.1')!;
    expect(counter.ceiling(gpt)).toBeLessThan(gpt.context_window! / 50);
  });

  it('gives no bound where the count has no simple one (tools, images, tool calls, other parts)', () => {
    const model = models.get('gpt-4.1')!;
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } } }];
    expect(new PromptCounter(request([{ role: 'user', content: 'hi' }], { tools })).ceiling(model)).toBeUndefined();
    expect(new PromptCounter(request([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }])).ceiling(model)).toBeUndefined();
    const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] };
    expect(new PromptCounter(request([{ role: 'user', content: 'hi' }, call])).ceiling(model)).toBeUndefined();
    expect(new PromptCounter(request([{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }])).ceiling(model)).toBeUndefined();
  });
});
