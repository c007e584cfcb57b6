/** Bindings and variables the worker receives (see wrangler.toml). */
export interface Env {
  ASSETS?: Fetcher;
  TOLLGATE_KV?: KVNamespace;
  /** Largest accepted request body in bytes (default 1 MiB). */
  MAX_BODY_BYTES?: string;
}
