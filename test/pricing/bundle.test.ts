import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPricing, type BuildOutput } from '../../scripts/pricing/build-pricing.js';
import type { BundleModel, PricingBundle } from '../../src/pricing/types.js';

let out: BuildOutput;
let bundle: PricingBundle;
const byId = (id: string): BundleModel => {
  const m = bundle.models.find((x) => x.id === id);
  if (!m) throw new Error(`no model ${id}`);
  return m;
};
const latest = (id: string) => byId(id).prices.at(-1)!;
const dec = (s: string | undefined): number => {
  expect(s, 'price present').toBeTypeOf('string');
  return Number(s);
};

beforeAll(() => {
  const res = buildPricing({ outDir: mkdtempSync(join(tmpdir(), 'tollgate-bundle-')) });
  if (!res.ok) throw new Error(JSON.stringify(res.issues));
  out = res.output;
  bundle = JSON.parse(readFileSync(join(out.outDir, 'pricing.json'), 'utf8')) as PricingBundle;
});

describe('bundle', () => {
  it('contains at least 130 models from all nine providers', () => {
    expect(bundle.models.length).toBeGreaterThanOrEqual(130);
    expect(bundle.providers.map((p) => p.id)).toEqual(['anthropic', 'cohere', 'deepseek', 'google', 'groq', 'mistral', 'openai', 'together', 'xai']);
    for (const p of bundle.providers) {
      expect(bundle.models.filter((m) => m.provider === p.id).length, p.id).toBeGreaterThan(0);
      expect(p.notes.length, `${p.id} notes`).toBeGreaterThan(40);
    }
  });

  it('every model has an https source and a real checked date not in the future', () => {
    for (const m of bundle.models) {
      expect(m.source, m.id).toMatch(/^https:\/\/\S+$/);
      expect(m.checked, m.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(m.checked)), m.id).toBe(false);
      expect(m.checked <= '2026-12-02', m.id).toBe(true);
    }
  });

  it('generated_at and version derive from the newest checked date, not the clock', () => {
    const newest = bundle.models.map((m) => m.checked).sort().at(-1)!;
    expect(bundle.generated_at).toBe(`${newest}T00:00:00Z`);
    expect(bundle.version).toMatch(new RegExp(`^${newest}\\+[0-9a-f]{12}$`));
  });

  it('is byte-for-byte reproducible', () => {
    const again = buildPricing({ outDir: mkdtempSync(join(tmpdir(), 'tollgate-bundle-')) });
    if (!again.ok) throw new Error('second build failed');
    expect(again.output.bundleJson).toBe(out.bundleJson);
    expect(readFileSync(join(again.output.outDir, 'pricing-validator.js'), 'utf8')).toBe(
      readFileSync(join(out.outDir, 'pricing-validator.js'), 'utf8'),
    );
  });

  it('is sorted by provider then id and every model carries its provider', () => {
    const keys = bundle.models.map((m) => `${m.provider}\u0000${m.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(bundle.models.every((m) => bundle.providers.some((p) => p.id === m.provider))).toBe(true);
  });

  it('standalone validator has no run-time imports and accepts the bundle', async () => {
    const src = readFileSync(join(out.outDir, 'pricing-validator.js'), 'utf8');
    expect(src).not.toMatch(/\brequire\(/);
    expect(src).not.toMatch(/^\s*import\s/m);
    expect(src).not.toMatch(/new Function/);
    const mod = (await import(pathToFileURL(join(out.outDir, 'pricing-validator.js')).href)) as {
      default: ((d: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string }> | null };
    };
    expect(mod.default(bundle)).toBe(true);
    const broken = structuredClone(bundle) as unknown as { models: Array<Record<string, unknown>> };
    delete broken.models[3]!.provider;
    expect(mod.default(broken)).toBe(false);
    expect(mod.default.errors![0]).toMatchObject({ instancePath: '/models/3', keyword: 'required' });
  });
});

describe('prices that DESIGN.md calls out', () => {
  it('gpt-4o is 2.50 / 10 with cached 1.25 and batch 50%', () => {
    const p = latest('gpt-4o');
    expect([p.input, p.output, p.cached_input]).toEqual(['2.5', '10', '1.25']);
    expect(p.batch).toEqual({ multiplier: '0.5' });
    expect(byId('gpt-4o').aliases).toContain('gpt-4o-2024-08-06');
  });

  it('OpenAI cached input is 50% (4o family), 75% (4.1, o3, o4-mini), 90% (gpt-5)', () => {
    const ratio = (id: string) => dec(latest(id).cached_input) / dec(latest(id).input);
    for (const id of ['gpt-4o', 'gpt-4o-mini', 'o1', 'o3-mini']) expect(ratio(id), id).toBeCloseTo(0.5, 9);
    for (const id of ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3', 'o4-mini']) expect(ratio(id), id).toBeCloseTo(0.25, 9);
    for (const id of ['gpt-5', 'gpt-5-mini', 'gpt-5-nano']) expect(ratio(id), id).toBeCloseTo(0.1, 9);
  });

  it('every Claude model follows the cache multipliers (write 5m 1.25x, 1h 2x, read 0.1x except where Anthropic lists otherwise; Haiku 3 5m write 0.30)', () => {
    const claude = bundle.models.filter((m) => m.provider === 'anthropic');
    expect(claude.length).toBeGreaterThanOrEqual(20);
    // Anthropic's own exceptions to the 0.1x read price.
    const read: Record<string, number> = { 'claude-fable-5-1': 0.025, 'claude-opus-5-5': 0.05, 'claude-sonnet-5-5': 0.05, 'claude-fable-5-2': 0.025, 'claude-3-haiku': 0.12 };
    for (const m of claude) {
      for (const p of m.prices) {
        const input = dec(p.input);
        expect(dec(p.cached_input), m.id).toBeCloseTo(input * (read[m.id] ?? 0.1), 9);
        expect(dec(p.cache_write_1h), m.id).toBeCloseTo(input * 2, 9);
        expect(dec(p.cache_write_5m), m.id).toBeCloseTo(m.id === 'claude-3-haiku' ? 0.3 : input * 1.25, 9);
        expect(p.batch, m.id).toEqual({ multiplier: '0.5' });
        expect(m.tokenizer, m.id).toEqual({ method: 'claude-o200k-ratio', exact: false });
      }
    }
  });

  it('Claude Sonnet 4 / 4.5 above 200k input: input 2x, output 1.5x, whole request', () => {
    for (const id of ['claude-sonnet-4', 'claude-sonnet-4-5']) {
      const prices = byId(id).prices;
      // Sonnet 4.5's last period (from 2026-04-30) has no >200K tier: the 1M beta was retired.
      const p = id === 'claude-sonnet-4-5' ? prices.at(-2)! : prices.at(-1)!;
      expect(p.tiers, id).toEqual([
        { threshold: 200000, input: '6', output: '22.5', cached_input: '0.6', cache_write_5m: '7.5', cache_write_1h: '12' },
      ]);
    }
    // Opus has no long-context tier.
    expect(latest('claude-opus-4-1').tiers).toBeUndefined();
  });

  it('Gemini 2.5 Pro has its >200k tier', () => {
    const p = latest('gemini-2.5-pro');
    expect([p.input, p.output]).toEqual(['1.25', '10']);
    expect(p.tiers).toEqual([{ threshold: 200000, input: '2.5', output: '15', cached_input: '0.25' }]);
    expect(p.image).toEqual({ rule: 'gemini' });
    expect(p.audio?.input_tokens_per_second).toBe(32);
  });

  it('DeepSeek keeps its price history (V3 names served by V4 Flash, then retired) and peak windows at 2x', () => {
    for (const id of ['deepseek-chat', 'deepseek-reasoner']) {
      const m = byId(id);
      expect(m.prices.map((p) => p.since), id).toEqual([id === 'deepseek-chat' ? '2025-02-09' : '2025-01-20', '2025-09-05', '2025-09-29', '2026-04-24']);
      expect(dec(m.prices.at(-2)!.cached_input) / dec(m.prices.at(-2)!.input)).toBeCloseTo(0.1, 9);
      expect(m).toMatchObject({ retired: '2026-07-24', replacement: 'deepseek-v4-flash' });
    }
    for (const id of ['deepseek-flash', 'deepseek-v4-pro']) {
      const p = latest(id);
      for (const w of p.time_of_day!) {
        expect(dec(w.input)).toBeCloseTo(dec(p.input) * 2, 9);
        expect(dec(w.output)).toBeCloseTo(dec(p.output) * 2, 9);
        expect(w.weekdays).toEqual([1, 2, 3, 4, 5]);
      }
    }
  });

  it('image rules match the documented constants', () => {
    expect(latest('gpt-4o').image).toEqual({ rule: 'openai-tile', base: 85, tile: 170 });
    expect(latest('gpt-4o-mini').image).toEqual({ rule: 'openai-tile', base: 2833, tile: 5667 });
    expect(latest('o3').image).toEqual({ rule: 'openai-tile', base: 75, tile: 150 });
    expect(latest('gpt-5').image).toEqual({ rule: 'openai-tile', base: 70, tile: 140 });
    expect(latest('gpt-4.1-mini').image).toEqual({ rule: 'openai-patch', multiplier: '1.62', cap: 1536 });
    expect(latest('gpt-4.1-nano').image).toEqual({ rule: 'openai-patch', multiplier: '2.46', cap: 1536 });
    expect(latest('o4-mini').image).toEqual({ rule: 'openai-patch', multiplier: '1.72', cap: 1536 });
  });

  it('per-minute and per-character models are priced that way', () => {
    expect(latest('whisper-1').per_minute).toBe('0.006');
    expect(latest('tts-1').per_million_characters).toBe('15');
    expect(latest('tts-1-hd').per_million_characters).toBe('30');
    expect(latest('gpt-realtime').audio).toMatchObject({ input: '32', output: '64', input_tokens_per_second: 10, output_tokens_per_second: 20 });
  });

  it('only models with a tokenizer we ship are marked exact: OpenAI family, Llama 3.x, Qwen, DeepSeek V3.x, Gemini 2.x', () => {
    const openWeight: Record<string, RegExp> = { llama3: /llama-3\.[0-9]/i, qwen2: /qwen[23]/i, deepseek_v3: /deepseek-(chat|reasoner)$|DeepSeek-V3/, gemma3: /^gemini-(2\.[05]-|3-pro-preview$)|gemma-3/ };
    for (const m of bundle.models) {
      if (!m.tokenizer?.exact) continue;
      const enc = m.tokenizer.encoding;
      if (enc in openWeight) {
        expect(m.id, enc).toMatch(openWeight[enc]!);
        continue;
      }
      const gptOss = /gpt-oss/.test(m.id);
      expect(m.provider === 'openai' || gptOss, m.id).toBe(true);
      if (gptOss) expect(m.tokenizer).toEqual({ encoding: 'o200k_harmony', exact: true });
    }
    expect(byId('groq/llama-3.3-70b-versatile').tokenizer).toEqual({ encoding: 'llama3', exact: true });
    expect(byId('groq/qwen/qwen3-32b').tokenizer).toEqual({ encoding: 'qwen2', exact: true });
    expect(byId('deepseek-chat').tokenizer).toEqual({ encoding: 'deepseek_v3', exact: true });
    // other tokenizers (Llama 4, DeepSeek V4, Gemini 3 Flash preview and 3.1+) stay labelled estimates
    expect(byId('groq/meta-llama/llama-4-scout-17b-16e-instruct').tokenizer).toEqual({ method: 'o200k-approx', exact: false });
    expect(byId('deepseek-v4-pro').tokenizer).toEqual({ method: 'o200k-approx', exact: false });
    // Gemini 2.x and 3 Pro preview: the models @google/genai counts with the Gemma 3 model
    for (const id of ['gemini-2.0-flash', 'gemini-2.0-flash-lite', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview']) {
      expect(byId(id).tokenizer, id).toEqual({ encoding: 'gemma3', exact: true });
    }
    expect(byId('gemini-3-flash-preview').tokenizer).toEqual({ method: 'gemini-o200k-ratio', exact: false });
    expect(byId('gemini-3.1-pro-preview').tokenizer).toEqual({ method: 'gemini-o200k-ratio', exact: false });
    expect(byId('gpt-4').tokenizer).toEqual({ encoding: 'cl100k_base', exact: true });
  });

  it('hosted open models are provider-qualified and keep the API name separately', () => {
    const groq = byId('groq/openai/gpt-oss-120b');
    const together = byId('together/openai/gpt-oss-120b');
    expect(groq.api_model).toBe('openai/gpt-oss-120b');
    expect(together.api_model).toBe('openai/gpt-oss-120b');
    expect(latest(groq.id).output).not.toBe(latest(together.id).output);
  });
});
