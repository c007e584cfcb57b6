/**
 * The playground build: `npm run build:demo` writes dist/demo, which the worker serves as
 * static assets (wrangler.toml [assets]). `tollgate` resolves to the browser runtime source,
 * exactly the module the package's "browser" export compiles from, so the WASM core and the
 * vocabularies are emitted as hashed assets through `new URL(…, import.meta.url)`.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: [{ find: /^tollgate$/, replacement: here('../src/runtime/browser.ts') }],
  },
  // Pre-bundling would move the runtime away from its assets; serve it as source instead.
  optimizeDeps: { exclude: ['tollgate'] },
  server: { fs: { allow: [here('..')] } },
  // The compute worker imports tollgate, whose cost code loads on first call (a dynamic import):
  // module workers keep that as a separate chunk.
  worker: {
    format: 'es',
    plugins: () => [],
  },
  build: {
    outDir: here('../dist/demo'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
