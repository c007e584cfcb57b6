// Module types for the static asset imports wrangler bundles (see wrangler.toml [[rules]]).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.bin' {
  const data: ArrayBuffer;
  export default data;
}
declare module 'cloudflare:workers' {
  /** The running Worker's bindings (workerd). */
  export const env: unknown;
}
