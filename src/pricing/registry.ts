/**
 * In-memory pricing table: model lookup by id or alias, suggestions for
 * unknown names, and selection of the price period in force on a date.
 */
import type { BundleModel, BundleProvider, PricePeriod, PricingBundle } from './types.js';

/** Thrown by {@link PricingTable.require} for a name that is neither an id nor an alias. */
export class UnknownModelError extends Error {
  override name = 'UnknownModelError';
  constructor(
    readonly model: string,
    readonly suggestions: string[],
  ) {
    super(
      suggestions.length > 0
        ? `unknown model '${model}'; did you mean ${suggestions.join(', ')}?`
        : `unknown model '${model}'`,
    );
  }
}

/** Options for {@link PricingTable.get}. */
export interface LookupOptions {
  /**
   * Provider the request goes to. Lets the API name of a hosted model
   * (`openai/gpt-oss-120b` on `groq`) resolve to that host's entry.
   */
  provider?: string;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent swaps), so a
 * transposed pair such as "gtp" for "gpt" costs one edit, like a missing dash.
 * Stops early once the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Pricing data ready for lookups. Immutable once built. */
export class PricingTable {
  /** Bundle version (`<date>+<hash>`), for logs and cache keys. */
  readonly version: string;
  /** Newest `checked` date of the data, as an ISO timestamp. */
  readonly generatedAt: string;
  readonly providers: readonly BundleProvider[];
  readonly models: readonly BundleModel[];
  readonly #byName = new Map<string, BundleModel>();

  /**
   * @throws Error when two models claim the same id or alias; bundles from
   * the build or from {@link loadSignedPricing} never do.
   */
  constructor(bundle: PricingBundle) {
    this.version = bundle.version;
    this.generatedAt = bundle.generated_at;
    this.providers = Object.freeze([...bundle.providers]);
    this.models = Object.freeze([...bundle.models]);
    for (const m of bundle.models) {
      for (const name of [m.id, ...(m.aliases ?? [])]) {
        const key = name.toLowerCase();
        const prev = this.#byName.get(key);
        if (prev && prev !== m) throw new Error(`pricing table: '${name}' names both ${prev.id} and ${m.id}`);
        this.#byName.set(key, m);
      }
    }
  }

  /** Number of models (aliases not counted). */
  get size(): number {
    return this.models.length;
  }

  /**
   * Finds a model by id or alias, case-insensitively. With `provider`, the
   * host-qualified id `<provider>/<name>` is tried first.
   */
  get(name: string, opts: LookupOptions = {}): BundleModel | undefined {
    const key = name.trim().toLowerCase();
    if (opts.provider) {
      const qualified = this.#byName.get(`${opts.provider.toLowerCase()}/${key}`);
      if (qualified) return qualified;
      const plain = this.#byName.get(key);
      return plain && plain.provider === opts.provider.toLowerCase() ? plain : undefined;
    }
    return this.#byName.get(key);
  }

  /** True when {@link get} would find the model. */
  has(name: string, opts: LookupOptions = {}): boolean {
    return this.get(name, opts) !== undefined;
  }

  /** Like {@link get}, but throws an {@link UnknownModelError} with suggestions. */
  require(name: string, opts: LookupOptions = {}): BundleModel {
    const m = this.get(name, opts);
    if (!m) throw new UnknownModelError(name, this.closestMatches(name));
    return m;
  }

  /**
   * Canonical ids of the models whose id or alias is closest to `name`
   * (fewest edits, ignoring case; dashes, dots and underscores count as
   * edits), best first, at most `limit`. Names too far away to be a typo are
   * not suggested, so the result may be empty.
   */
  closestMatches(name: string, limit = 3): string[] {
    const q = name.trim().toLowerCase();
    if (!q) return [];
    // A third of the query length, at least 2: "gpt4o" -> gpt-4o, but not every short id.
    const max = Math.max(2, Math.floor(q.length / 3));
    const best = new Map<string, number>();
    for (const [key, model] of this.#byName) {
      let d = editDistance(q, key, max);
      // A name that extends the query (a missing date suffix) is a good hint too.
      if (d > max && key.startsWith(q) && q.length >= 4) d = max;
      if (d > max) continue;
      const prev = best.get(model.id);
      if (prev === undefined || d < prev) best.set(model.id, d);
    }
    return [...best.entries()]
      .sort((a, b) => a[1] - b[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([id]) => id);
  }

  /**
   * The price period in force on `date` (ISO `YYYY-MM-DD` or a Date; default
   * today, UTC): the last period whose `since` is on or before it. Undefined
   * when the date precedes the first recorded period.
   */
  priceAt(model: BundleModel | string, date: string | Date = todayUtc()): PricePeriod | undefined {
    const m = typeof model === 'string' ? this.require(model) : model;
    const day = typeof date === 'string' ? date.slice(0, 10) : date.toISOString().slice(0, 10);
    let found: PricePeriod | undefined;
    for (const p of m.prices) {
      // Periods are validated to be in ascending order.
      if (p.since <= day) found = p;
      else break;
    }
    return found;
  }

  /** The newest price period of a model, whatever today's date. */
  latestPrice(model: BundleModel | string): PricePeriod {
    const m = typeof model === 'string' ? this.require(model) : model;
    return m.prices[m.prices.length - 1]!;
  }

  /** All models of one provider, in bundle order. */
  byProvider(provider: string): BundleModel[] {
    const p = provider.toLowerCase();
    return this.models.filter((m) => m.provider === p);
  }
}
