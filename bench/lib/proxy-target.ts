/** What the proxy benchmark drives: an OpenAI-compatible endpoint and how to stop it. */
export interface ProxyTarget {
  /** OpenAI-compatible base URL; requests go to `${url}/chat/completions`. */
  url: string;
  /** Headers every request must carry (gateway auth, routing). */
  headers?: Record<string, string>;
  /** The process whose CPU time (with its descendants) is charged to this target. */
  pid?: number;
  /** A second process doing this target's work off its request path (Tollgate's ledger objects), reported apart. */
  sidePid?: number;
  stop(): Promise<void>;
}

/** Starts a proxy in front of `upstreamUrl`, the fake OpenAI's base URL (`http://127.0.0.1:<port>/v1`). */
export type StartProxy = (upstreamUrl: string) => Promise<ProxyTarget>;
