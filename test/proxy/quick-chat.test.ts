/**
 * The fast acceptance check for chat bodies (src/proxy/validate/quick-chat.ts) may only accept
 * what the zod schema accepts: over random bodies built from valid and invalid values of every
 * field it reads, quick-accept implies zod-accept. It must also accept ordinary requests, or
 * it saves nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenAIChat } from '../../src/proxy/request.js';
import { quickChatValid } from '../../src/proxy/validate/quick-chat.js';

const junk = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 3 }), fc.constant([]), fc.constant({}), fc.constant(''));
/** Mostly valid values, sometimes a broken one: every field must often be valid at once for bodies to reach the accepting side. */
const mostly = <T,>(valid: fc.Arbitrary<T>, ...broken: fc.Arbitrary<unknown>[]) => fc.oneof({ arbitrary: valid as fc.Arbitrary<unknown>, weight: 12 }, ...broken.map((arbitrary) => ({ arbitrary, weight: 1 })));
const str = (min: number, max: number) => mostly(fc.string({ minLength: min, maxLength: max }), fc.string({ minLength: max + 1, maxLength: max + 3 }), fc.constant(''));
const count = mostly(fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 3 }), fc.constant(10_000_000)), fc.constantFrom(0, -1, 10_000_001, 2.5), junk);
const message = mostly(fc.record({ role: mostly(str(1, 64), junk), content: fc.oneof(fc.string(), junk) }, { requiredKeys: ['content'] }), junk, fc.constant([{ role: 'user' }]));
const tool = mostly(fc.record({ type: mostly(fc.constant('function'), junk), function: mostly(fc.record({ name: mostly(str(1, 256), junk) }, { requiredKeys: [] }), junk) }, { requiredKeys: [] }), junk);
const body = fc.record(
  {
    model: mostly(str(1, 256), junk),
    messages: mostly(fc.array(message, { minLength: 1, maxLength: 4 }), fc.constant([]), junk),
    stream: mostly(fc.boolean(), junk),
    stream_options: mostly(fc.record({ include_usage: mostly(fc.boolean(), junk) }, { requiredKeys: [] }), junk),
    max_tokens: count,
    max_completion_tokens: count,
    n: mostly(fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 128 })), fc.constantFrom(0, -1, 129, 1.5), junk),
    tools: mostly(fc.array(tool, { maxLength: 3 }), junk),
    service_tier: mostly(str(0, 64), junk),
    temperature: junk,
  },
  { requiredKeys: ['model', 'messages'] },
);

describe('quickChatValid', () => {
  it('never accepts a body the zod schema refuses', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(body, junk, fc.array(junk)), (b) => {
        if (!quickChatValid(b)) return;
        accepted++;
        const r = OpenAIChat.safeParse(b);
        expect(r.success, JSON.stringify(b)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // The generator must reach the accepting side often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(200);
  });

  it('accepts ordinary requests (so the fast path is the common path)', () => {
    const ordinary = [
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
      { model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'What is in this image?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }], max_tokens: 64, stream: true, stream_options: { include_usage: true } },
      { model: 'smart', messages: [{ role: 'user', content: 'Weather?' }], tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }], max_completion_tokens: 200, n: 2, service_tier: 'flex', temperature: 0.2 },
      { model: 'gpt-4o', messages: [{ role: 'assistant', content: null, tool_calls: [] }, { role: 'tool', tool_call_id: 'x', content: '{}' }], stream: null, stream_options: null, max_tokens: null },
    ];
    for (const b of ordinary) {
      expect(OpenAIChat.safeParse(b).success).toBe(true);
      expect(quickChatValid(b)).toBe(true);
    }
  });
});
