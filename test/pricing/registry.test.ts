import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, loadProviderSchema, validateProviderFiles } from '../../scripts/pricing/build-pricing.js';
import { editDistance } from '../../src/core/closest.js';
import { PricingTable, UnknownModelError } from '../../src/pricing/registry.js';
import type { PricingBundle } from '../../src/pricing/types.js';

let bundle: PricingBundle;
let table: PricingTable;

beforeAll(() => {
  const res = validateProviderFiles();
  if (!res.ok) throw new Error(JSON.stringify(res.issues));
  bundle = buildBundle(res.providers, loadProviderSchema());
  table = new PricingTable(bundle);
});

describe('editDistance (shared with the tokenizer, src/core/closest.ts)', () => {
  it('counts insertions, deletions and substitutions as one edit each, ignoring case', () => {
    expect(editDistance('gpt4o', 'gpt-4o')).toBe(1);
    expect(editDistance('gpt-4o', 'gpt4o')).toBe(1);
    expect(editDistance('GPT-4o', 'gpt-4o')).toBe(0);
    expect(editDistance('gtp-4o', 'gpt-4o')).toBe(2);
    expect(editDistance('claude', 'claude')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('PricingTable lookups', () => {
  it('finds models by id and by alias, case-insensitively', () => {
    expect(table.get('gpt-4o')?.provider).toBe('openai');
    expect(table.get('GPT-4o-2024-11-20')?.id).toBe('gpt-4o');
    expect(table.get('Claude-Opus-4-0')?.id).toBe('claude-opus-4');
    expect(table.get('  gemini-2.0-flash-001 ')?.id).toBe('gemini-2.0-flash');
    expect(table.get('gpt-4o-2024-05-13')?.id).toBe('gpt-4o-2024-05-13');
    expect(table.get('no-such-model')).toBeUndefined();
    expect(table.has('deepseek-reasoner')).toBe(true);
  });

  it('resolves a hosted model by API name when the provider is given', () => {
    expect(table.get('openai/gpt-oss-120b')).toBeUndefined();
    expect(table.get('openai/gpt-oss-120b', { provider: 'groq' })?.id).toBe('groq/openai/gpt-oss-120b');
    expect(table.get('meta-llama/llama-4-scout-17b-16e-instruct', { provider: 'together' })?.id).toBe(
      'together/meta-llama/Llama-4-Scout-17B-16E-Instruct',
    );
    // A first-party name is still found with its own provider, and not with another.
    expect(table.get('gpt-4o', { provider: 'openai' })?.id).toBe('gpt-4o');
    expect(table.get('gpt-4o', { provider: 'groq' })).toBeUndefined();
  });

  it('lists models per provider', () => {
    const anthropic = table.byProvider('anthropic');
    expect(anthropic.length).toBe(bundle.models.filter((m) => m.provider === 'anthropic').length);
    expect(anthropic.every((m) => m.provider === 'anthropic')).toBe(true);
  });

  it('refuses a bundle in which two models claim the same name', () => {
    const bad = structuredClone(bundle);
    bad.models[1]!.aliases = [bad.models[0]!.id];
    expect(() => new PricingTable(bad)).toThrow(/names both/);
  });
});

describe('closestMatches', () => {
  it('suggests gpt-4o first for gpt4o', () => {
    expect(table.closestMatches('gpt4o')[0]).toBe('gpt-4o');
  });

  it('maps typos and alternative spellings to canonical ids', () => {
    expect(table.closestMatches('claude-sonet-4-5')[0]).toBe('claude-sonnet-4-5');
    expect(table.closestMatches('gemini-2.5pro')[0]).toBe('gemini-2.5-pro');
    expect(table.closestMatches('o4mini')[0]).toBe('o4-mini');
    expect(table.closestMatches('deepseek-chta')[0]).toBe('deepseek-chat');
    // Matched through an alias, reported by canonical id.
    expect(table.closestMatches('claude-3-5-haiku-lates')[0]).toBe('claude-3-5-haiku');
  });

  it('returns each model once, at most `limit`, and nothing for unrelated names', () => {
    const m = table.closestMatches('gpt-4', 5);
    expect(m.length).toBeLessThanOrEqual(5);
    expect(new Set(m).size).toBe(m.length);
    expect(m[0]).toBe('gpt-4');
    expect(table.closestMatches('zzzzzzzzzzzz')).toEqual([]);
    expect(table.closestMatches('')).toEqual([]);
  });

  it('require() throws an UnknownModelError that names suggestions', () => {
    let err: unknown;
    try {
      table.require('gpt4o');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownModelError);
    expect((err as Error).message).toMatch(/^unknown model 'gpt4o'; did you mean gpt-4o(, [a-z0-9.-]+)*\?$/);
    expect((err as UnknownModelError).suggestions[0]).toBe('gpt-4o');
    expect(() => table.require('qqqqqqqqqqqqqq')).toThrow(/^unknown model 'qqqqqqqqqqqqqq'$/);
  });
});

describe('price period selection', () => {
  it('picks the last period whose since is on or before the date', () => {
    expect(table.priceAt('o3', '2025-04-16')?.input).toBe('10');
    expect(table.priceAt('o3', '2025-06-09')?.input).toBe('10');
    expect(table.priceAt('o3', '2025-06-10')?.input).toBe('2');
    expect(table.priceAt('o3', new Date('2026-01-01T12:00:00Z'))?.input).toBe('2');
    expect(table.priceAt('deepseek-chat', '2025-09-10')?.input).toBe('0.56');
    expect(table.priceAt('deepseek-chat', '2025-09-29')?.input).toBe('0.28');
    expect(table.priceAt('deepseek-reasoner', '2025-03-01')?.output).toBe('2.19');
  });

  it('returns undefined before the first recorded period', () => {
    expect(table.priceAt('o3', '2025-04-15')).toBeUndefined();
    expect(table.priceAt('gpt-4o', '2020-01-01')).toBeUndefined();
  });

  it('defaults to today and resolves aliases', () => {
    expect(table.priceAt('o3-2025-04-16')).toBe(table.latestPrice('o3'));
    expect(() => table.priceAt('gpt4o')).toThrow(UnknownModelError);
  });
});
