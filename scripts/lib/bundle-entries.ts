/**
 * Bundles the package's runtime entry points (after tsc has emitted declarations) into
 * dist/runtime/{node,browser,workerd}.js, each with the chunks it loads on first use.
 *
 * Import time is part of ready time: Node pays ~0.6 ms per module file and V8 ~25 µs per KB
 * it parses. So each entry is ONE file holding the tokenizer and the synchronous API, and
 * what is only reached through a dynamic import stays out of it:
 * - `async-api-<entry>.js`: chat counting, the cost engine, usage parsing, signed updates;
 * - `options-<entry>.js`: option validation with zod (~20 ms to load).
 * Rolldown places modules shared by an entry and its dynamic chunks in the entry
 * (`preserveEntrySignatures: 'allow-extension'` lets the entry export them to its chunks), so
 * module state (the WASM instance, the pricing table) and error classes exist once and
 * `instanceof` holds.
 *
 * The Node entry goes further (NODE_LAZY_LOOKUPS): Node can require() an ES module
 * synchronously, so even the synchronous cost lookups load on first call, from the async-api
 * chunk.
 *
 * The output stays two levels below the package root, so the entries' '../../dist/assets/…'
 * URLs and static imports keep resolving; the assets themselves are not bundled, except the
 * pricing text the browser and workerd entries embed.
 *
 * An entry exports exactly the public API (the value exports of its .d.ts): the internal
 * bindings its chunks share (the WASM instance, the asset loader…), which Rolldown would export
 * under minified names (`n`, `t`), reach the chunks through a property of the entry's
 * `getEncoding` instead (hideInternalExports).
 */
import { rolldown } from 'rolldown';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { publicValueExports } from './public-exports.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outdir = join(root, 'dist/runtime');
const ENTRIES = ['node', 'browser', 'workerd'] as const;

/**
 * In the Node bundle, the public API's synchronous cost lookups (src/cost/lookups.ts, as
 * src/cost/index.ts imports them) are src/runtime/node-lookups.ts: stubs that require() the
 * async-api chunk, which exports the real lookups. Only the bundle is swapped: the source (and
 * the suites running it) keeps the static lookups; test/cost/node-bundle.test.ts runs the
 * bundle's.
 */
const NODE_LAZY_LOOKUPS = {
  module: join(root, 'src/cost/lookups.ts'),
  importer: join(root, 'src/cost/index.ts'),
  stub: join(root, 'src/runtime/node-lookups.ts'),
  chunk: 'async-api-node.js', // what node-lookups.ts requires
};

/** Where an entry hands its chunks the internal bindings they import (a non-enumerable property). */
const INTERNALS_KEY = 'Symbol.for("tollgate.bundle-internals")';
/** The public export that carries them (every entry has it). */
const CARRIER = 'getEncoding';

// Chunks from an earlier build would linger.
for (const f of readdirSync(outdir)) if (/\.js$/.test(f)) rmSync(join(outdir, f));

// Node reads the nearest package.json of every module it loads to learn its format; the
// package's own (scripts, dependencies, exports) costs ~0.5M instructions of each cold start
// to read and parse, this marker almost nothing. It says only what the package's says.
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);

for (const entry of ENTRIES) {
  const bundle = await rolldown({
    input: { [entry]: join(root, `src/runtime/${entry}.ts`) },
    platform: 'neutral',
    preserveEntrySignatures: 'allow-extension',
    external: [/^node:/, /^cloudflare:/, /\.wasm$/, /\.bin$/, /\/pricing-validator\.js$/],
    transform: { target: 'es2022' },
    logLevel: 'warn',
    plugins:
      entry === 'node'
        ? [
            {
              name: 'node-lazy-lookups',
              async resolveId(source, importer, options) {
                if (importer !== NODE_LAZY_LOOKUPS.importer) return null;
                const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
                return resolved?.id === NODE_LAZY_LOOKUPS.module ? NODE_LAZY_LOOKUPS.stub : null;
              },
            },
          ]
        : [],
  });
  const { output } = await bundle.write({
    dir: outdir,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: `[name]-${entry}.js`,
    // Less text to parse on import; identifiers stay, so stack traces read.
    minify: { compress: true, mangle: false },
    // One non-ASCII character makes V8 hold and scan the whole source as two-byte text.
    charset: 'ascii',
  });
  await bundle.close();
  // Plain copies: the rewrite below replaces their code.
  const chunks = output.filter((o) => o.type === 'chunk').map((c) => ({ fileName: c.fileName, code: c.code, isEntry: c.isEntry, imports: c.imports }));
  hideInternalExports(entry, chunks, publicValueExports(join(outdir, `${entry}.d.ts`)));
  // The entry must stay one file: a common chunk would add a module load to every import.
  const entryChunk = chunks.find((c) => c.isEntry)!;
  if (entryChunk.imports.some((i) => !/^node:|^cloudflare:|\.(wasm|bin)$/.test(i))) {
    throw new Error(`${entry}.js imports ${entryChunk.imports.join(', ')}: it must not depend on a chunk`);
  }
  if (entry === 'node' && !chunks.some((c) => c.fileName === NODE_LAZY_LOOKUPS.chunk)) {
    throw new Error(`node-lookups.ts requires ${NODE_LAZY_LOOKUPS.chunk}, which the build no longer emits`);
  }
  for (const c of chunks) {
    const at = c.code.search(/[^\x00-\x7f]/);
    if (at >= 0) throw new Error(`${c.fileName} has a non-ASCII character at ${at}: ${JSON.stringify(c.code.slice(at - 40, at + 10))}`);
  }
  console.log(`bundled ${chunks.map((c) => `${c.fileName} (${(c.code.length / 1024).toFixed(1)} KB)`).join(', ')}`);
}

interface Chunk {
  fileName: string;
  code: string;
  isEntry: boolean;
}

/** `a as b` / `a` specifiers of an export or import clause, as [name before `as`, name after]. */
function specifiers(clause: string): [string, string][] {
  return clause
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [a, b] = s.split(/\s+as\s+/);
      return [a!, b ?? a!];
    });
}

/**
 * Rewrites the entry so it exports only `publicNames`, and each chunk importing an internal
 * binding from it to read the binding from the carrier's property. The chunks read them once,
 * when they are evaluated (always after the entry), which equals a live import only for
 * bindings never reassigned: checked here.
 */
function hideInternalExports(entry: string, chunks: Chunk[], publicNames: string[]): void {
  const entryChunk = chunks.find((c) => c.isEntry)!;
  const exportStatement = /export\{([^}]*)\};?\s*$/.exec(entryChunk.code);
  if (!exportStatement) throw new Error(`${entry}.js: no export statement at its end`);
  const exported = specifiers(exportStatement[1]!); // [local, exported]
  const isPublic = new Set(publicNames);
  const internal = exported.filter(([, name]) => !isPublic.has(name));
  const missing = publicNames.filter((n) => !exported.some(([, name]) => name === n));
  if (missing.length) throw new Error(`${entry}.js does not export ${missing.join(', ')}, which ${entry}.d.ts declares`);
  const carrier = exported.find(([, name]) => name === CARRIER)![0];
  for (const [local] of internal) {
    const assignments = entryChunk.code.match(new RegExp(`(?<![\\w$.])${local.replace(/\$/g, '\\$')}\\s*(?:[-+*/%&|^]|\\?\\?|\\|\\||&&|<<|>>>?|\\*\\*)?=(?![=>])`, 'g')) ?? [];
    if (assignments.length > 1) throw new Error(`${entry}.js: internal binding ${local} is reassigned; chunks could not share it through ${CARRIER}`);
  }
  const publicClause = exported.filter(([, name]) => isPublic.has(name)).map(([l, n]) => (l === n ? l : `${l} as ${n}`));
  const handOver = internal.length ? `Object.defineProperty(${carrier},${INTERNALS_KEY},{value:{${internal.map(([l, n]) => `${n}:${l}`).join(',')}}});` : '';
  entryChunk.code = `${entryChunk.code.slice(0, exportStatement.index)}${handOver}export{${publicClause.join(',')}};\n`;
  writeFileSync(join(outdir, entryChunk.fileName), entryChunk.code);

  const fromEntry = new RegExp(`import\\{([^}]*)\\}from"\\./${entry}\\.js";?`);
  for (const c of chunks) {
    if (c.isEntry) continue;
    const m = fromEntry.exec(c.code);
    if (!m) continue;
    const imported = specifiers(m[1]!); // [exported, local]
    const hidden = imported.filter(([name]) => !isPublic.has(name));
    if (!hidden.length) continue;
    const kept = imported.filter(([name]) => isPublic.has(name)).map(([n, l]) => (l === n ? n : `${n} as ${l}`));
    const replacement =
      `import{${[...kept, `${CARRIER} as __tollgateEntry`].join(',')}}from"./${entry}.js";` +
      `const{${hidden.map(([n, l]) => `${n}:${l}`).join(',')}}=__tollgateEntry[${INTERNALS_KEY}];`;
    c.code = c.code.slice(0, m.index) + replacement + c.code.slice(m.index + m[0].length);
    writeFileSync(join(outdir, c.fileName), c.code);
  }
}
