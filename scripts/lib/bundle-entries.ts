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
 */
import { rolldown } from 'rolldown';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  const chunks = output.filter((o) => o.type === 'chunk');
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
