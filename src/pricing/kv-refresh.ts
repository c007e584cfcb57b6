/**
 * How a deployed worker picks up a signed pricing update without a deploy: the release flow
 * (docs/pricing-updates.md) writes the bundle and its signature to KV under two keys; each
 * isolate looks at most once per `intervalMs` and installs the bundle through `loadPricing`
 * when its version differs from the one in force. A missing, forged or invalid update is
 * ignored (the table in force stays), and the reason is returned for logging.
 */

/** The part of a Workers KV namespace this needs. */
export interface KvReader {
  get(key: string, type: 'text'): Promise<string | null>;
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
}

/** KV keys of a published update. */
export const PRICING_KV_KEYS = { bundle: 'pricing:bundle', signature: 'pricing:bundle.sig', version: 'pricing:version' } as const;

/** What one refresh did. */
export type RefreshResult =
  | { status: 'skipped' }
  | { status: 'unchanged'; version: string }
  | { status: 'absent' }
  | { status: 'installed'; version: string }
  | { status: 'rejected'; error: string };

type Loader = (bytes: Uint8Array, signatureB64: string, publicKeyB64: string) => Promise<{ version: string; models: number }>;

/** Per-isolate refresher: cheap when nothing changed (one small KV read per interval). */
export class PricingRefresher {
  #lastCheck = -Infinity;
  #inFlight: Promise<RefreshResult> | undefined;

  constructor(
    private readonly load: Loader,
    private readonly currentVersion: () => string,
    private readonly intervalMs = 60_000,
  ) {}

  /** Checks KV when the interval has passed; concurrent callers share one check. */
  refresh(kv: KvReader, publicKeyB64: string, now = Date.now()): Promise<RefreshResult> {
    if (now - this.#lastCheck < this.intervalMs) return Promise.resolve({ status: 'skipped' });
    this.#lastCheck = now;
    this.#inFlight ??= this.#check(kv, publicKeyB64).finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #check(kv: KvReader, publicKeyB64: string): Promise<RefreshResult> {
    const version = await kv.get(PRICING_KV_KEYS.version, 'text');
    if (version === null) return { status: 'absent' };
    if (version === this.currentVersion()) return { status: 'unchanged', version };
    const [bytes, sig] = await Promise.all([kv.get(PRICING_KV_KEYS.bundle, 'arrayBuffer'), kv.get(PRICING_KV_KEYS.signature, 'text')]);
    if (bytes === null || sig === null) return { status: 'absent' };
    try {
      const res = await this.load(new Uint8Array(bytes), sig.trim(), publicKeyB64);
      return { status: 'installed', version: res.version };
    } catch (err) {
      return { status: 'rejected', error: (err as Error).message };
    }
  }
}
