import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProviderFile } from '../../src/pricing/types.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const PRICING_DIR = join(ROOT, 'pricing');

/** Copies pricing/ into a fresh temp dir so a test can break files without touching the real ones. */
export function copyPricingDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-pricing-'));
  cpSync(PRICING_DIR, dir, { recursive: true });
  return dir;
}

export function readProvider(dir: string, provider: string): ProviderFile {
  return JSON.parse(readFileSync(join(dir, `${provider}.json`), 'utf8')) as ProviderFile;
}

export function writeProvider(dir: string, data: ProviderFile): void {
  writeFileSync(join(dir, `${data.provider}.json`), `${JSON.stringify(data, null, 2)}\n`);
}

/** Applies `edit` to one provider file inside a copy of pricing/ and returns the copy's path. */
export function brokenCopy(provider: string, edit: (data: ProviderFile) => void): string {
  const dir = copyPricingDir();
  const data = readProvider(dir, provider);
  edit(data);
  writeProvider(dir, data);
  return dir;
}

export function modelIndex(data: ProviderFile, id: string): number {
  const i = data.models.findIndex((m) => m.id === id);
  if (i < 0) throw new Error(`no model ${id} in ${data.provider}`);
  return i;
}
