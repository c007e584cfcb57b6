/**
 * Anthropic ↔ OpenAI translation on the providers' documented shapes (docs.anthropic.com
 * "Messages", "Tool use", "Streaming Messages"; platform.openai.com "Chat Completions").
 */
import { describe, expect, it } from 'vitest';
import { countTokensBody } from '../../src/proxy/translate/anthropic-count.js';
import { fromAnthropic, toAnthropic } from '../../src/proxy/translate/anthropic-request.js';
import { completionFromAnthropic, completionToAnthropic, finishFromStopReason, stopReasonFromFinish, usageFromAnthropic } from '../../src/proxy/translate/anthropic-response.js';
import { AnthropicDecoder, AnthropicEncoder, AnthropicPassthrough } from '../../src/proxy/translate/anthropic-stream.js';
import type { ChatChunk, ChatRequestBody } from '../../src/proxy/translate/openai-types.js';
import { ProxyInputError } from '../../src/proxy/errors.js';

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Get the current weather in a given location', parameters: { type: 'object', properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } }, required: ['location'] } },
};

describe('OpenAI request → Anthropic', () => {
  it('moves system and developer messages to `system`, keeps turns, maps parameters', () => {
    const req: ChatRequestBody = {
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
      max_tokens: 100,
      temperature: 1.5,
      top_p: 0.9,
      stop: 'END',
      stream: true,
      user: 'u-42',
    };
    expect(toAnthropic(req, { model: 'claude-sonnet-4-5-20250929', defaultMaxTokens: 64000 })).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      system: 'You are terse.\n\nAnswer in French.',
      temperature: 1, // Anthropic's range is 0..1
      top_p: 0.9,
      stop_sequences: ['END'],
      stream: true,
      metadata: { user_id: 'u-42' },
    });
  });

  it('uses the model max output when the client gives no max_tokens', () => {
    const out = toAnthropic({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }, { model: 'x', defaultMaxTokens: 8192 });
    expect(out.max_tokens).toBe(8192);
    expect(toAnthropic({ model: 'x', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 7 }, { model: 'x', defaultMaxTokens: 8192 }).max_tokens).toBe(7);
  });

  it('turns tools, tool_calls and tool results into input_schema, tool_use and tool_result blocks', () => {
    const req: ChatRequestBody = {
      model: 'm',
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      messages: [
        { role: 'user', content: 'What is the weather like in San Francisco?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' },
        { role: 'user', content: 'And tomorrow?' },
      ],
    };
    const out = toAnthropic(req, { model: 'm', defaultMaxTokens: 1024 });
    expect(out.tools).toEqual([{ name: 'get_weather', description: 'Get the current weather in a given location', input_schema: weatherTool.function.parameters }]);
    expect(out.tool_choice).toEqual({ type: 'tool', name: 'get_weather', disable_parallel_tool_use: true });
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is the weather like in San Francisco?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { location: 'San Francisco, CA' } }] },
      // The tool result and the next user text share one user turn (Anthropic alternates roles).
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
    expect(toAnthropic({ ...req, tool_choice: 'required', parallel_tool_calls: undefined }, { model: 'm', defaultMaxTokens: 1 }).tool_choice).toEqual({ type: 'any' });
    expect(toAnthropic({ ...req, tool_choice: 'none', parallel_tool_calls: undefined }, { model: 'm', defaultMaxTokens: 1 }).tool_choice).toEqual({ type: 'none' });
  });

  it('sends data: URL images as base64 sources and other URLs as url sources', () => {
    const out = toAnthropic(
      {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://upload.wikimedia.org/cat.jpg', detail: 'low' } },
            ],
          },
        ],
      },
      { model: 'm', defaultMaxTokens: 10 },
    );
    expect((out.messages as { content: unknown[] }[])[0]!.content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/cat.jpg' } },
    ]);
  });

  it('maps reasoning_effort to extended thinking within max_tokens', () => {
    const out = toAnthropic({ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 20000, reasoning_effort: 'medium', temperature: 0.2 }, { model: 'm', defaultMaxTokens: 1 });
    expect(out.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(out.temperature).toBeUndefined(); // thinking requires the default temperature
  });

  it('rejects what Anthropic cannot take, naming the field', () => {
    expect(() => toAnthropic({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }, { model: 'm', defaultMaxTokens: 1 })).toThrow(ProxyInputError);
    expect(() => toAnthropic({ model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] }, { model: 'm', defaultMaxTokens: 1 })).toThrow(/messages\[0\]\.tool_calls\[0\]\.function\.arguments/);
  });
});

describe('/v1/count input → Anthropic count_tokens body', () => {
  it('text is one user message; nothing but model, messages, system and tools is sent', () => {
    expect(countTokensBody({ text: 'Hi there' }, 'claude-x')).toEqual({ model: 'claude-x', messages: [{ role: 'user', content: 'Hi there' }] });
    const body = countTokensBody({ messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool] }, 'claude-x');
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'tools']);
    expect(body.tools).toEqual([{ name: 'get_weather', description: weatherTool.function.description, input_schema: weatherTool.function.parameters }]);
  });

  it('Responses-style input_text / input_image parts and developer messages are translated', () => {
    const body = countTokensBody(
      {
        messages: [
          { role: 'developer', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'input_text', text: 'What is this?' }, { type: 'input_image', image_url: 'https://example.com/a.png' }] },
        ],
      },
      'claude-x',
    );
    expect(body).toEqual({
      model: 'claude-x',
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] }],
    });
  });

  it('an Anthropic-shaped chat keeps its blocks; system blocks with cache_control stay blocks; Anthropic tools go as they are', () => {
    const cached = { type: 'text', text: 'Long instructions', cache_control: { type: 'ephemeral' } };
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
    const tools = [{ type: 'web_search_20250305', name: 'web_search' }];
    const body = countTokensBody({ messages: [{ role: 'system', content: [cached] }, { role: 'user', content: [image] }], tools }, 'claude-x');
    expect(body).toEqual({ model: 'claude-x', system: [cached], messages: [{ role: 'user', content: [image] }], tools });
  });

  it('what Anthropic cannot take is refused before anything is sent', () => {
    expect(() => countTokensBody({ messages: [{ role: 'narrator', content: 'x' }] }, 'claude-x')).toThrow(ProxyInputError);
  });
});

describe('Anthropic request → OpenAI (for /v1/messages clients)', () => {
  it('is the inverse for system, turns, tools, tool_use and tool_result', () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'Be brief.' }],
      tools: [{ name: 'get_weather', description: 'Get the current weather in a given location', input_schema: weatherTool.function.parameters }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stop_sequences: ['###'],
      metadata: { user_id: 'u1' },
      messages: [
        { role: 'user', content: 'What is the weather like in San Francisco?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { location: 'San Francisco, CA' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'text', text: '15 degrees' }] },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          ],
        },
      ],
    };
    const out = fromAnthropic(body);
    expect(out.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the weather like in San Francisco?' },
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_01', content: '15 degrees' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] },
    ]);
    expect(out.tools).toEqual([weatherTool]);
    expect(out.tool_choice).toBe('required');
    expect(out.parallel_tool_calls).toBe(false);
    expect(out.stop).toEqual(['###']);
    expect(out.user).toBe('u1');
    expect(out.max_tokens).toBe(1024);
    // Round trip back to Anthropic keeps the meaning.
    const back = toAnthropic(out, { model: 'claude-sonnet-4-5', defaultMaxTokens: 1 });
    expect(back.tools).toEqual(body.tools);
    expect(back.system).toBe('Be brief.');
  });
});

describe('responses', () => {
  const message = {
    id: 'msg_01Aq9w938a90dw8q',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [
      { type: 'text', text: "I'll check the weather." },
      { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'celsius' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000 },
  };

  it('Anthropic message → chat completion: text, tool_calls, finish reason, usage including cache', () => {
    const c = completionFromAnthropic(message, 'claude-sonnet-4-5');
    expect(c.choices[0]!.message).toEqual({
      role: 'assistant',
      content: "I'll check the weather.",
      tool_calls: [{ id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } }],
      refusal: null,
    });
    expect(c.choices[0]!.finish_reason).toBe('tool_calls');
    // OpenAI's prompt_tokens include cached and written tokens; Anthropic's input_tokens exclude both.
    expect(c.usage).toEqual({ prompt_tokens: 4195, completion_tokens: 503, total_tokens: 4698, prompt_tokens_details: { cached_tokens: 2000 } });
  });

  it('chat completion → Anthropic message, and stop reasons both ways', () => {
    const back = completionToAnthropic(completionFromAnthropic(message, 'claude-sonnet-4-5'), 'claude-sonnet-4-5');
    expect(back.content).toEqual(message.content);
    expect(back.stop_reason).toBe('tool_use');
    for (const [a, o] of [
      ['end_turn', 'stop'],
      ['stop_sequence', 'stop'],
      ['max_tokens', 'length'],
      ['tool_use', 'tool_calls'],
      ['refusal', 'content_filter'],
    ] as const) expect(finishFromStopReason(a)).toBe(o);
    expect(stopReasonFromFinish('stop')).toBe('end_turn');
    expect(stopReasonFromFinish('length')).toBe('max_tokens');
    expect(stopReasonFromFinish('tool_calls')).toBe('tool_use');
    expect(usageFromAnthropic({ input_tokens: 10, output_tokens: 3 })).toMatchObject({ prompt_tokens: 10, completion_tokens: 3 });
  });
});

/** The documented streaming example with a tool call (docs.anthropic.com "Streaming Messages"). */
const STREAM: { event: string; data: unknown }[] = [
  { event: 'message_start', data: { type: 'message_start', message: { id: 'msg_014p7gG3wDgGV9EUtLvnow3U', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', stop_sequence: null, usage: { input_tokens: 472, output_tokens: 2 }, content: [], stop_reason: null } } },
  { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
  { event: 'ping', data: { type: 'ping' } },
  { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Okay' } } },
  { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ', let me check.' } } },
  { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
  { event: 'content_block_start', data: { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: {} } } },
  { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } } },
  { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"location":' } } },
  { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ' "San Francisco, CA"}' } } },
  { event: 'content_block_stop', data: { type: 'content_block_stop', index: 1 } },
  { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } } },
  { event: 'message_stop', data: { type: 'message_stop' } },
];

function decodeAll(): { chunks: ChatChunk[]; done: boolean; decoder: AnthropicDecoder } {
  const decoder = new AnthropicDecoder('claude-sonnet-4-5');
  const chunks: ChatChunk[] = [];
  let done = false;
  for (const e of STREAM) {
    const d = decoder.decode({ event: e.event, data: JSON.stringify(e.data) });
    chunks.push(...d.chunks);
    done ||= Boolean(d.done);
  }
  return { chunks, done, decoder };
}

describe('streams', () => {
  it('decodes Anthropic events into OpenAI chunks: text, tool call with argument fragments, finish, usage', () => {
    const { chunks, done, decoder } = decodeAll();
    expect(done).toBe(true);
    const deltas = chunks.filter((c) => c.choices.length).map((c) => c.choices[0]!.delta);
    expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('Okay, let me check.');
    const calls = deltas.flatMap((d) => d.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.map((c) => c.function?.arguments ?? '').join('')).toBe('{"location": "San Francisco, CA"}');
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 472, completion_tokens: 89 });
    expect(decoder.providerUsage()).toEqual({ input_tokens: 472, output_tokens: 89 });
  });

  it('reports an error event as an error, and unknown events as nothing', () => {
    const d = new AnthropicDecoder('m');
    expect(d.decode({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' })).toEqual({ chunks: [], error: { message: 'Overloaded', type: 'overloaded_error' } });
    expect(d.decode({ event: 'something_new', data: '{"type":"something_new"}' })).toEqual({ chunks: [] });
    expect(d.providerUsage()).toBeUndefined();
  });

  it('encodes OpenAI chunks as the Anthropic events an SDK accumulates into the same message', () => {
    const { chunks } = decodeAll();
    const enc = new AnthropicEncoder('claude-sonnet-4-5', 'msg_x', 472);
    let text = '';
    for (const c of chunks.filter((c) => !c.usage)) text += enc.event({ data: '' }, [c]);
    text += enc.end({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561, cost: '0.001' });
    const events = text
      .trim()
      .split('\n\n')
      .map((block) => {
        const [ev, data] = block.split('\n');
        return { event: ev!.slice(7), data: JSON.parse(data!.slice(6)) as Record<string, any> };
      });
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[5]!.data.content_block).toEqual({ type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: {} });
    expect(events[9]!.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 472, output_tokens: 89, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost: '0.001' } });
    for (const e of events) expect(e.data.type).toBe(e.event);
  });

  it('passes Anthropic events through to Anthropic clients, adding the cost to the final usage', () => {
    const p = new AnthropicPassthrough();
    let text = '';
    for (const e of STREAM) text += p.event({ event: e.event, data: JSON.stringify(e.data) });
    text += p.end({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561, cost: '0.002751' });
    expect(text).toContain('event: ping');
    expect(text.match(/event: message_delta\ndata: (.*)\n/)![1]).toBe(JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89, cost: '0.002751' } }));
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });
});
