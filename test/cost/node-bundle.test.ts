/**
 * The Node bundle (dist/runtime/node.js) loads the synchronous cost lookups on first call, with
 * require() of the async-api chunk (src/runtime/node-lookups.ts, swapped in by the bundle
 * script). The other suites run the source, where the lookups are static, so this one runs the
 * built entry, in a fresh Node process as an installed package would be: same answers as the
 * source, the same error classes, and one pricing table shared by both halves of the API.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, parsePrivateKey, signBytes } from '../../scripts/pricing/sign-pricing.js';
import * as src from '../../src/runtime/node.js';
import { ROOT } from '../pricing/helpers.js';

const ENTRY = join(ROOT, 'dist/runtime/node.js');
const IMAGE = { model: 'gpt-4o', width: 1024, height: 768, detail: 'high' } as const;

interface ChildReport {
  version: string;
  model: unknown;
  models: number;
  anthropic: string[];
  image: number;
  unknown: [boolean, string];
  badInput: [boolean, string];
  installed: { version: string; models: number };
  versionAfter: string;
  estimateVersion: string;
}

let report: ChildReport;
let updatedVersion: string;

beforeAll(() => {
  // A signed pricing update with a new version: after loadPricing (async half), the sync
  // lookups must see it.
  const bundle = JSON.parse(readFileSync(join(ROOT, 'dist/assets/pricing.json'), 'utf8')) as { version: string };
  updatedVersion = '2099-01-01+0123456789ab'; // the schema's date+hash form
  expect(bundle.version).not.toBe(updatedVersion);
  const bytes = new TextEncoder().encode(JSON.stringify({ ...bundle, version: updatedVersion }));
  const keys = generateKeyPair();
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-node-bundle-'));
  const script = join(dir, 'child.mjs');
  writeFileSync(
    script,
    `const t = await import(${JSON.stringify(pathToFileURL(ENTRY).href)});
     const caught = (f) => { try { f(); } catch (e) { return e; } throw new Error('did not throw'); };
     const r = {};
     r.version = t.pricingVersion();
     r.model = t.getModel('gpt-4o');
     r.models = t.listModels().length;
     r.anthropic = t.listModels('anthropic').map((m) => m.id);
     r.image = t.imageTokens(${JSON.stringify(IMAGE)});
     const unknown = caught(() => t.getModel('gpt-4oo'));
     r.unknown = [unknown instanceof t.UnknownNameError, unknown.message];
     const bad = caught(() => t.getModel(5));
     r.badInput = [bad instanceof t.CostInputError, bad.message];
     r.installed = await t.loadPricing(new Uint8Array(${JSON.stringify([...bytes])}), ${JSON.stringify(signBytes(bytes, parsePrivateKey(keys.privateKey)))}, ${JSON.stringify(keys.publicKey)});
     r.versionAfter = t.pricingVersion();
     r.estimateVersion = (await t.estimateCost({ model: 'gpt-4o', input: 'hello', outputTokens: 1 })).pricingVersion;
     console.log(JSON.stringify(r));`,
  );
  report = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' })) as ChildReport;
});

describe('Node bundle: synchronous cost lookups load on first call', () => {
  it('leaves the pricing code out of the entry and requires the chunk that has it', () => {
    // The minifier writes the class as `var PricingTable = class {…}`.
    const definesTable = /\bclass PricingTable\b|\bPricingTable\s*=\s*class\b/;
    const entry = readFileSync(ENTRY, 'utf8');
    expect(entry).not.toMatch(definesTable);
    expect(entry).toContain('async-api-node.js');
    expect(readFileSync(join(ROOT, 'dist/runtime/async-api-node.js'), 'utf8')).toMatch(definesTable);
  });

  it('answers as the source does', () => {
    expect(report.version).toBe(src.pricingVersion());
    expect(report.model).toEqual(JSON.parse(JSON.stringify(src.getModel('gpt-4o'))));
    expect(report.models).toBe(src.listModels().length);
    expect(report.anthropic).toEqual(src.listModels('anthropic').map((m) => m.id));
    expect(report.anthropic.length).toBeGreaterThan(0);
    expect(report.image).toBe(src.imageTokens(IMAGE));
  });

  it('throws the entry’s own error classes, with the source’s messages', () => {
    const unknown = (() => { try { src.getModel('gpt-4oo'); } catch (e) { return e as Error; } })();
    expect(report.unknown).toEqual([true, unknown!.message]);
    const bad = (() => { try { src.getModel(5 as unknown as string); } catch (e) { return e as Error; } })();
    expect(report.badInput).toEqual([true, bad!.message]);
  });

  it('shares one pricing table between the synchronous lookups and the async API', () => {
    expect(report.installed.version).toBe(updatedVersion);
    expect(report.versionAfter).toBe(updatedVersion);
    expect(report.estimateVersion).toBe(updatedVersion);
  });
});
