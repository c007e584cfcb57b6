/** The README's model table is the generated one (current models, grouped by provider, newest first). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { modelTable, TABLE_END, TABLE_START } from '../../scripts/pricing/model-table.js';
import { ROOT } from './helpers.js';

it('README model table matches pricing/ (regenerate with tsx scripts/pricing/model-table.ts 2026-12-02)', () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const got = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END) + TABLE_END.length);
  const want = modelTable('2026-12-02');
  expect(got).toBe(want);
  expect(want).not.toMatch(/`claude-opus-4`|`deepseek-chat`/); // retired
  expect(want.indexOf('claude-fable-5-2')).toBeLessThan(want.indexOf('claude-opus-4-5'));
});
