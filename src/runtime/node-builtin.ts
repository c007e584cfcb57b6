/**
 * A Node built-in module without `import`: an ESM import of node:fs builds its namespace,
 * which loads fs/promises too and costs ~2 ms of ready time; process.getBuiltinModule
 * (Node ≥ 20.16, below package.json's engines) hands over the already-loaded module,
 * synchronously.
 */
export function nodeBuiltin<T>(id: string): T {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (!get) throw new Error('tollgate: this runtime lacks process.getBuiltinModule (Node 20.16 and later have it)');
  return get(id) as T;
}
