/** countChat against tiktoken + the openai-cookbook formula, and the API-verified totals the cookbook prints. */
import { describe, expect, it } from 'vitest';
import { countChat, countChatDetailed } from '../../src/runtime/node.js';
import { oracle } from '../helpers/oracle.js';
import type { EncodingName } from '../../src/core/encodings.js';

type Msg = Record<string, string>;

/** The cookbook's num_tokens_from_messages + num_tokens_for_tools, written against tiktoken. */
function cookbook(messages: Msg[], tools: any[], encoding: EncodingName, funcInit: number): number {
  const enc = oracle(encoding);
  const n = (s: string) => enc.encode(s).length;
  let total = 0;
  for (const m of messages) {
    total += 3;
    for (const [k, v] of Object.entries(m)) {
      total += n(v);
      if (k === 'name') total += 1;
    }
  }
  total += 3;
  if (tools.length > 0) {
    for (const t of tools) {
      total += funcInit;
      const f = t.function;
      const desc = f.description.endsWith('.') ? f.description.slice(0, -1) : f.description;
      total += n(`${f.name}:${desc}`);
      const props = f.parameters.properties;
      if (Object.keys(props).length > 0) {
        total += 3;
        for (const key of Object.keys(props)) {
          total += 3;
          const p = props[key];
          if ('enum' in p) {
            total += -3;
            for (const item of p.enum) total += 3 + n(item);
          }
          const pd = p.description.endsWith('.') ? p.description.slice(0, -1) : p.description;
          total += n(`${key}:${p.type}:${pd}`);
        }
      }
    }
    total += 12;
  }
  return total;
}

const jargon: Msg[] = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

const weatherTools = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: { type: 'string', description: 'The unit of temperature to return', enum: ['celsius', 'fahrenheit'] },
        },
        required: ['location'],
      },
    },
  },
];
const weatherMessages: Msg[] = [
  { role: 'system', content: 'You are a helpful assistant that can answer to questions about the weather.' },
  { role: 'user', content: "What's the weather like in San Francisco?" },
];

const moreTools = [
  ...weatherTools,
  {
    type: 'function',
    function: {
      name: 'book_table',
      description: 'Book a restaurant table.',
      parameters: {
        type: 'object',
        properties: {
          restaurant: { type: 'string', description: 'Name of the restaurant.' },
          people: { type: 'integer', description: 'How many guests' },
          time: { type: 'string', description: 'Slot', enum: ['18:00', '19:30', '21:00'] },
        },
      },
    },
  },
  { type: 'function', function: { name: 'ping', description: 'No arguments', parameters: { type: 'object', properties: {} } } },
];

const sets: [string, Msg[]][] = [
  ['jargon (names)', jargon],
  ['weather', weatherMessages],
  ['unicode + empty', [{ role: 'user', content: '' }, { role: 'assistant', content: '中文 テキスト 👨‍👩‍👧 — ok' }, { role: 'user', name: 'bob', content: 'a'.repeat(300) }]],
];

describe('matches the cookbook formula over tiktoken', () => {
  for (const [label, msgs] of sets) {
    it(`${label}: gpt-4o, gpt-4o-mini, gpt-4, gpt-3.5-turbo, gpt-5`, async () => {
      expect(await countChat(msgs, { model: 'gpt-4o' })).toBe(cookbook(msgs, [], 'o200k_base', 7));
      expect(await countChat(msgs, { model: 'gpt-4o-mini' })).toBe(cookbook(msgs, [], 'o200k_base', 7));
      expect(await countChat(msgs, { model: 'gpt-5' })).toBe(cookbook(msgs, [], 'o200k_base', 7));
      expect(await countChat(msgs, { model: 'gpt-4' })).toBe(cookbook(msgs, [], 'cl100k_base', 10));
      expect(await countChat(msgs, { model: 'gpt-3.5-turbo' })).toBe(cookbook(msgs, [], 'cl100k_base', 10));
    });
    it(`${label} with tools`, async () => {
      expect(await countChat(msgs, { model: 'gpt-4o', tools: moreTools })).toBe(cookbook(msgs, moreTools, 'o200k_base', 7));
      expect(await countChat(msgs, { model: 'gpt-4', tools: moreTools })).toBe(cookbook(msgs, moreTools, 'cl100k_base', 10));
    });
  }

  it('reproduces the prompt_tokens the OpenAI API reported in the cookbook', async () => {
    expect(await countChat(jargon, { model: 'gpt-4' })).toBe(129);
    expect(await countChat(jargon, { model: 'gpt-3.5-turbo' })).toBe(129);
    expect(await countChat(jargon, { model: 'gpt-4o' })).toBe(124);
    expect(await countChat(jargon, { model: 'gpt-4o-mini' })).toBe(124);
    expect(await countChat(weatherMessages, { model: 'gpt-4', tools: weatherTools })).toBe(105);
    expect(await countChat(weatherMessages, { model: 'gpt-3.5-turbo', tools: weatherTools })).toBe(105);
    expect(await countChat(weatherMessages, { model: 'gpt-4o', tools: weatherTools })).toBe(101);
    expect(await countChat(weatherMessages, { model: 'gpt-4o-mini', tools: weatherTools })).toBe(101);
  });
});

describe('message shapes', () => {
  it('content-part arrays count like the joined text parts; image parts use imageTokens', async () => {
    const enc = oracle('o200k_base');
    const parts = [
      { role: 'user', content: [{ type: 'text', text: 'What is in this image?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' }, width: 1024, height: 1024 }] },
    ];
    const want = 3 + enc.encode('user').length + enc.encode('What is in this image?').length + 765 + 3;
    expect(await countChat(parts, { model: 'gpt-4o' })).toBe(want);
  });

  it('reads image sizes from data: URLs (PNG header)', async () => {
    const png = new Uint8Array(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 2048);
    new DataView(png.buffer).setUint32(20, 4096);
    const url = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    const n = await countChat([{ role: 'user', content: [{ type: 'image_url', image_url: { url, detail: 'high' } }] }], { model: 'gpt-4o' });
    expect(n).toBe(3 + oracle('o200k_base').encode('user').length + 1105 + 3);
  });

  it('Anthropic messages and tools: estimated (o200k × 1.20), image blocks by the Anthropic rule, not scaled', async () => {
    const enc = oracle('o200k_base');
    const msgs = [{ role: 'user', content: [{ type: 'text', text: 'Describe this.' }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' }, width: 750, height: 1000 }] }];
    const tools = [{ name: 'lookup', description: 'Look it up.', input_schema: { type: 'object', properties: { q: { type: 'string', description: 'query' } } } }];
    const c = await countChatDetailed(msgs, { model: 'claude-sonnet-4-5', tools });
    const raw = 3 + enc.encode('user').length + enc.encode('Describe this.').length + 3 + 7 + enc.encode('lookup:Look it up').length + 3 + 3 + enc.encode('q:string:query').length + 12;
    expect(c).toEqual({ tokens: Math.ceil((raw * 120) / 100) + 1000, imageTokens: 1000, exact: false, method: 'claude-o200k-ratio' });
  });

  it('remote images without a size are an error, not a guess', async () => {
    await expect(countChat([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }], { model: 'gpt-4o' })).rejects.toMatchObject({
      name: 'CostInputError',
      field: 'messages[0].content[0]',
    });
  });
});
