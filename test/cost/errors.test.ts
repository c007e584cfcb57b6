/** Bad input → clear errors naming the field. */
import { describe, expect, it } from 'vitest';
import { CostInputError, UnknownNameError, countChat, estimateCost, getModel, imageTokens, listModels } from '../../src/runtime/node.js';

const bad = async (opts: unknown, field: string, message?: RegExp) => {
  const err = await estimateCost(opts as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CostInputError);
  expect((err as CostInputError).field).toBe(field);
  expect((err as Error).message.startsWith(`${field}: `)).toBe(true);
  if (message) expect((err as Error).message).toMatch(message);
};

describe('token counts', () => {
  it.each([
    [-1, /negative/],
    [Number.NaN, /NaN/],
    [1.5, /whole number/],
    [1e12 + 1, /absurd/],
    [Infinity, /Infinity/],
    ['10', /number/],
  ])('inputTokens %s', async (v, re) => {
    await bad({ model: 'gpt-4o', inputTokens: v }, 'inputTokens', re);
  });
  it('outputTokens, reasoningTokens, cache fields', async () => {
    await bad({ model: 'gpt-4o', outputTokens: -5 }, 'outputTokens', /negative/);
    await bad({ model: 'gpt-4o', outputTokens: 5, reasoningTokens: 6 }, 'reasoningTokens', /exceed/);
    await bad({ model: 'gpt-4o', inputTokens: 10, cache: { readTokens: 0.5 } }, 'cache.readTokens', /whole/);
    await bad({ model: 'gpt-4o', inputTokens: 10, cache: { readTokens: 11 } }, 'cache.readTokens', /exceed/);
    await bad({ model: 'claude-opus-4-1', inputTokens: 10, cache: { readTokens: 6, writeTokens: 5 } }, 'cache.writeTokens', /exceed/);
    await bad({ model: 'gpt-4o', inputTokens: 10, cache: { ttl: '2h' } }, 'cache.ttl');
    await bad({ model: 'gpt-4o', inputTokens: 10, cacheHitRatio: 1.2 }, 'cacheHitRatio');
    await bad({ model: 'gpt-4o', images: [{ width: 0, height: 10 }] }, 'images[0].width');
    await bad({ model: 'gpt-4o', audio: { inputSeconds: -1 } }, 'audio.inputSeconds');
  });
});

describe('fields and models', () => {
  it('unknown fields are rejected, nested ones with their path', async () => {
    await bad({ model: 'gpt-4o', inputTokens: 1, outputTokenz: 2 }, 'outputTokenz', /unknown field/);
    await bad({ model: 'gpt-4o', cache: { reads: 1 } }, 'cache.reads', /unknown field/);
    await bad({ model: 'gpt-4o', images: [{ width: 1, height: 1, quality: 'hd' }] }, 'images[0].quality');
    expect(() => imageTokens({ model: 'gpt-4o', width: 1, height: 1, size: 3 } as never)).toThrow(CostInputError);
    await expect(countChat([], { model: 'gpt-4o', tool: [] } as never)).rejects.toMatchObject({ field: 'tool' });
  });
  it('only one input source; tools need messages; cache xor ratio', async () => {
    await bad({ model: 'gpt-4o', input: 'x', inputTokens: 3 }, 'inputTokens');
    await bad({ model: 'gpt-4o', inputTokens: 3, tools: [] }, 'tools');
    await bad({ model: 'gpt-4o', inputTokens: 3, cache: {}, cacheHitRatio: 0.5 }, 'cacheHitRatio');
  });
  it('missing model / non-object options', async () => {
    await bad({ inputTokens: 3 }, 'model');
    await bad(null, 'options');
  });
  it('unknown models throw UnknownNameError with the closest matches', async () => {
    const err = await estimateCost({ model: 'gpt4o', inputTokens: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownNameError);
    expect((err as UnknownNameError).suggestions[0]).toBe('gpt-4o');
    expect((err as Error).message).toMatch(/Unknown model 'gpt4o'\. Did you mean 'gpt-4o'/);
    expect(() => getModel('claude-sonet-4-5')).toThrow(/Did you mean 'claude-sonnet-4-5'/);
    await expect(countChat([], { model: 'nonsense-model-zzz' })).rejects.toBeInstanceOf(UnknownNameError);
  });
  it('a model without the requested price says which field', async () => {
    await bad({ model: 'text-embedding-3-small', inputTokens: 10, outputTokens: 1 }, 'outputTokens', /no output token price/);
    await bad({ model: 'gpt-5-chat-latest', inputTokens: 10, batch: true }, 'batch', /no Batch API price/);
    await bad({ model: 'gpt-4o', inputTokens: 10, date: '2001-01-01' }, 'date', /no recorded price/);
  });
});

it('getModel resolves aliases; listModels lists canonical entries', () => {
  expect(getModel('claude-sonnet-4-5-20250929').id).toBe('claude-sonnet-4-5');
  expect(getModel('GPT-4o-2024-08-06').id).toBe('gpt-4o');
  const all = listModels();
  expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
  expect(listModels('anthropic').every((m) => m.provider === 'anthropic')).toBe(true);
});
