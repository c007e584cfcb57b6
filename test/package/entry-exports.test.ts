/**
 * Each built runtime entry (dist/runtime/{node,browser,workerd}.js) exports exactly its public
 * API: the value exports its declaration file declares. The bundle script hides the internal
 * bindings the entries share with their chunks (scripts/lib/bundle-entries.ts); a stray name
 * (Rolldown's minified `n`, `t`) would show up here. Node and browser entries are imported and
 * their namespaces listed; the workerd entry imports a `.wasm` module Node cannot load, so its
 * single export statement is read from the file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publicValueExports } from '../../scripts/lib/public-exports.js';
import { root } from '../helpers/workerd.js';

const runtime = join(root, 'dist/runtime');

/** Object.keys of the entry's namespace, in a fresh Node process (as `import 'tollgate'` sees it). */
function namespaceKeys(entry: string): string[] {
  const url = pathToFileURL(join(runtime, `${entry}.js`)).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(url)}))))`], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return (JSON.parse(out.trim().split('\n').pop()!) as string[]).sort();
}

/** Exported names of a bundled file: its one `export{…}` statement (Rolldown writes no other). */
function exportStatementNames(entry: string): string[] {
  const code = readFileSync(join(runtime, `${entry}.js`), 'utf8');
  const statements = code.match(/(?:^|[;}\n])\s*export\s*(?:\{|default\b|const\b|let\b|var\b|function\b|class\b|\*)/g) ?? [];
  expect(statements).toHaveLength(1);
  const clause = /export\{([^}]*)\};?\s*$/.exec(code)![1]!;
  return clause
    .split(',')
    .map((s) => s.trim().split(/\s+as\s+/).pop()!)
    .sort();
}

describe('built entries export exactly the documented API', () => {
  it.each(['node', 'browser'])('%s.js', (entry) => {
    const documented = publicValueExports(join(runtime, `${entry}.d.ts`));
    expect(documented).toContain('getEncoding');
    expect(namespaceKeys(entry)).toEqual(documented);
    expect(exportStatementNames(entry)).toEqual(documented);
  });

  it('workerd.js', () => {
    const documented = publicValueExports(join(runtime, 'workerd.d.ts'));
    expect(documented).toContain('getEncoding');
    expect(exportStatementNames('workerd')).toEqual(documented);
  });

  it('the hidden bindings still reach the chunks: open-weight specs, cost lookups and the async cost API', () => {
    const url = pathToFileURL(join(runtime, 'node.js')).href;
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)});
         const e = await m.getEncoding('llama3');
         const est = await m.estimateCost({ model: 'gpt-4o', input: 'hello', outputTokens: 1 });
         console.log(JSON.stringify([e.count('hello world'), m.getModel('gpt-4o').id, est.inputTokens]));`,
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([2, 'gpt-4o', 1]);
  });
});
