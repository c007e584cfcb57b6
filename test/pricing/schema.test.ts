import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssues, validateProviderFiles } from '../../scripts/pricing/build-pricing.js';
import type { PricingIssue } from '../../src/pricing/checks.js';
import { PRICING_DIR, ROOT, brokenCopy, modelIndex, readProvider } from './helpers.js';

const PROVIDERS = ['anthropic', 'cohere', 'deepseek', 'google', 'groq', 'mistral', 'openai', 'together', 'xai'];

function expectIssue(issues: PricingIssue[], where: string, path: string, message: RegExp): void {
  const hit = issues.find((i) => i.where === where && i.path === path);
  expect(hit, `expected an issue at ${where} ${path}, got:\n${formatIssues(issues)}`).toBeDefined();
  expect(hit!.message).toMatch(message);
}

describe('provider files', () => {
  it('has exactly the expected provider files', () => {
    const files = readdirSync(PRICING_DIR)
      .filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'genai-prices-allowlist.json')
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual(PROVIDERS);
  });

  it('every provider file validates against the schema and the cross-file checks', () => {
    const res = validateProviderFiles();
    expect(formatIssues(res.issues)).toBe('');
    expect(res.ok).toBe(true);
    expect(res.providers.map((p) => p.provider).sort()).toEqual(PROVIDERS);
    for (const p of res.providers) expect(p.models.length, p.provider).toBeGreaterThan(0);
  });
});

describe('broken copies fail with the file and the field named', () => {
  it('unknown field on a model', () => {
    const dir = brokenCopy('openai', (d) => {
      (d.models[modelIndex(d, 'gpt-4o')] as unknown as Record<string, unknown>).input_price = '2.5';
    });
    const res = validateProviderFiles(dir);
    expect(res.ok).toBe(false);
    // The other files still validate; only openai.json is reported.
    expect(res.providers.map((p) => p.provider)).not.toContain('openai');
    expect(res.providers).toHaveLength(PROVIDERS.length - 1);
    expectIssue(res.issues, 'openai.json', `/models/${originalIndex('openai', 'gpt-4o')}/input_price`, /unknown field "input_price"/);
  });

  it('unknown field inside a price period', () => {
    const dir = brokenCopy('anthropic', (d) => {
      (d.models[0]!.prices[0] as unknown as Record<string, unknown>).cache_read = '0.5';
    });
    const res = validateProviderFiles(dir);
    expectIssue(res.issues, 'anthropic.json', '/models/0/prices/0/cache_read', /unknown field "cache_read"/);
  });

  it('missing source', () => {
    const dir = brokenCopy('google', (d) => {
      delete (d.models[1] as unknown as Record<string, unknown>).source;
    });
    const res = validateProviderFiles(dir);
    expect(res.ok).toBe(false);
    expectIssue(res.issues, 'google.json', '/models/1/source', /missing required field "source"/);
  });

  it('missing checked date', () => {
    const dir = brokenCopy('xai', (d) => {
      delete (d.models[0] as unknown as Record<string, unknown>).checked;
    });
    expectIssue(validateProviderFiles(dir).issues, 'xai.json', '/models/0/checked', /missing required field "checked"/);
  });

  it('bad decimal: a JSON number instead of a string', () => {
    const dir = brokenCopy('deepseek', (d) => {
      (d.models[0]!.prices[2] as unknown as Record<string, unknown>).output = 0.42;
    });
    expectIssue(validateProviderFiles(dir).issues, 'deepseek.json', '/models/0/prices/2/output', /must be string/);
  });

  it('bad decimal: too many fraction digits and a malformed number', () => {
    const dir = brokenCopy('mistral', (d) => {
      d.models[0]!.prices[0]!.input = '0.1234567';
      d.models[1]!.prices[0]!.output = '1.5e-6';
    });
    const issues = validateProviderFiles(dir).issues;
    expectIssue(issues, 'mistral.json', '/models/0/prices/0/input', /must match pattern/);
    expectIssue(issues, 'mistral.json', '/models/1/prices/0/output', /must match pattern/);
  });

  it('duplicate alias across two files', () => {
    // gpt-4o-2024-08-06 is already an alias of gpt-4o in openai.json.
    const dir = brokenCopy('together', (d) => {
      d.models[0]!.aliases = ['GPT-4o-2024-08-06'];
    });
    const res = validateProviderFiles(dir);
    expect(res.ok).toBe(false);
    expectIssue(res.issues, 'together.json', '/models/0/aliases/0', /duplicate alias "GPT-4o-2024-08-06": already an alias of "gpt-4o" \(openai\.json/);
  });

  it('alias equal to another model id', () => {
    const dir = brokenCopy('anthropic', (d) => {
      d.models[modelIndex(d, 'claude-opus-4')]!.aliases!.push('claude-opus-4-1');
    });
    const res = validateProviderFiles(dir);
    const i = originalIndex('anthropic', 'claude-opus-4');
    expectIssue(res.issues, 'anthropic.json', `/models/${i}/aliases/2`, /alias "claude-opus-4-1" equals another model's id/);
  });

  it('duplicate id in one file', () => {
    const dir = brokenCopy('cohere', (d) => {
      d.models.push({ ...d.models[0]!, aliases: [] });
    });
    const res = validateProviderFiles(dir);
    expectIssue(res.issues, 'cohere.json', '/models/5/id', /duplicate id "command-a-03-2025"/);
  });

  it('price periods out of order', () => {
    const dir = brokenCopy('openai', (d) => {
      const o3 = d.models[modelIndex(d, 'o3')]!;
      o3.prices.reverse();
    });
    const res = validateProviderFiles(dir);
    expectIssue(res.issues, 'openai.json', `/models/${originalIndex('openai', 'o3')}/prices/1/since`, /not after the previous period's 2025-06-10/);
  });

  it('an impossible calendar date', () => {
    const dir = brokenCopy('groq', (d) => {
      d.models[0]!.prices[0]!.since = '2025-02-30';
    });
    expectIssue(validateProviderFiles(dir).issues, 'groq.json', '/models/0/prices/0/since', /must match format "date"/);
  });

  it('tier thresholds not ascending', () => {
    const dir = brokenCopy('google', (d) => {
      const tiers = d.models[0]!.prices[0]!.tiers!;
      tiers.push({ threshold: 100000, input: '9' });
    });
    expectIssue(validateProviderFiles(dir).issues, 'google.json', '/models/0/prices/0/tiers/1/threshold', /not above the previous 200000/);
  });

  it('an exact tokenizer must name an encoding, an estimate a method', () => {
    const dir = brokenCopy('anthropic', (d) => {
      d.models[0]!.tokenizer = { method: 'claude-o200k-ratio', exact: true } as never;
    });
    const res = validateProviderFiles(dir);
    expect(res.ok).toBe(false);
    expect(res.issues.some((i) => i.where === 'anthropic.json' && i.path.startsWith('/models/0/tokenizer'))).toBe(true);
  });

  it('the CLI exits 1 and prints the file and JSON path', () => {
    const dir = brokenCopy('openai', (d) => {
      (d.models[0] as unknown as Record<string, unknown>).colour = 'blue';
    });
    let status = 0;
    let stderr = '';
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'scripts/pricing/build-pricing.ts'), '--pricing-dir', dir, '--out-dir', join(dir, 'out')],
        { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' },
      );
    } catch (e) {
      const err = e as { status: number; stderr: string };
      status = err.status;
      stderr = err.stderr;
    }
    expect(status).toBe(1);
    expect(stderr).toContain('openai.json: /models/0/colour: unknown field "colour"');
    // Nothing is written when validation fails.
    expect(() => readdirSync(join(dir, 'out'))).toThrow();
  });
});

/** Index of a model in the untouched provider file (edits above never reorder models). */
function originalIndex(provider: string, id: string): number {
  return modelIndex(readProvider(PRICING_DIR, provider), id);
}
