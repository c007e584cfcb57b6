/**
 * In-memory pricing table: model lookup by id or alias, suggestions for
 * unknown names, and selection of the price period in force on a date.
 */
import { closestMatches } from '../core/closest.js';
import type { BundleDatedAlias, BundleModel, BundleProvider, PricePeriod, PricingBundle } from './types.js';

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

const DAY_MS = 86_400_000;
/** The UTC day last formatted, and the millisecond range it covers: every estimate asks for it. */
let today = { day: '', from: 0, until: 0 };
/** The last timestamp string turned into a day (a gateway prices each request at its own time, several times). */
let lastStamp = { text: '', day: '' };

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayUtc(): string {
  const now = Date.now();
  if (now < today.from || now >= today.until) {
    const from = now - (now % DAY_MS);
    today = { day: new Date(from).toISOString().slice(0, 10), from, until: from + DAY_MS };
  }
  return today.day;
}

/** `YYYY-MM-DD` of a day given as an ISO date, an ISO timestamp or a Date (UTC). */
export function dayOf(date: string | Date | undefined): string {
  if (date === undefined) return todayUtc();
  if (typeof date !== 'string') return date.toISOString().slice(0, 10);
  if (date.length <= 10) return date;
  if (date !== lastStamp.text) lastStamp = { text: date, day: new Date(date).toISOString().slice(0, 10) };
  return lastStamp.day;
}

/** What a name resolved to on a day: the model, and the dated alias it went through, if any. */
export interface Resolution {
  model: BundleModel;
  /** The dated alias the name is (`deepseek-chat`), when it is one. */
  alias?: BundleDatedAlias;
  /** The alias's target in force on the day, when it is one. */
  since?: string;
}

/** Pricing data ready for lookups. Immutable once built. */
export class PricingTable {
  /** Bundle version (`<date>+<hash>`), for logs and cache keys. */
  readonly version: string;
  /** Newest `checked` date of the data, as an ISO timestamp. */
  readonly generatedAt: string;
  readonly providers: readonly BundleProvider[];
  readonly models: readonly BundleModel[];
  readonly datedAliases: readonly BundleDatedAlias[];
  readonly #byName = new Map<string, BundleModel>();
  readonly #dated = new Map<string, BundleDatedAlias>();
  readonly #byId = new Map<string, BundleModel>();

  /**
   * @throws Error when two models claim the same id or alias; bundles from
   * the build or from {@link loadSignedPricing} never do.
   */
  constructor(bundle: PricingBundle) {
    this.version = bundle.version;
    this.generatedAt = bundle.generated_at;
    this.providers = Object.freeze([...bundle.providers]);
    this.models = Object.freeze([...bundle.models]);
    this.datedAliases = Object.freeze([...(bundle.dated_aliases ?? [])]);
    for (const m of bundle.models) this.#byId.set(m.id, m);
    for (const a of this.datedAliases) this.#dated.set(a.alias.toLowerCase(), a);
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
    return this.resolve(name, undefined, opts)?.model;
  }

  /**
   * Resolves a name on `date` (default today): an id or static alias names its model; a dated
   * alias names the target in force that day (its first target before its first since).
   */
  resolve(name: string, date?: string | Date, opts: LookupOptions = {}): Resolution | undefined {
    const key = name.trim().toLowerCase();
    if (opts.provider) {
      const qualified = this.#byName.get(`${opts.provider.toLowerCase()}/${key}`);
      if (qualified) return { model: qualified };
      const plain = this.resolve(name, date);
      return plain && plain.model.provider === opts.provider.toLowerCase() ? plain : undefined;
    }
    const m = this.#byName.get(key);
    if (m) return { model: m };
    const a = this.#dated.get(key);
    if (!a) return undefined;
    const day = dayOf(date);
    let target = a.targets[0]!;
    for (const t of a.targets) if (t.since <= day) target = t;
    const model = this.#byId.get(target.model);
    return model ? { model, alias: a, since: target.since } : undefined;
  }

  /** The dated alias named `name`, if it is one. */
  datedAlias(name: string): BundleDatedAlias | undefined {
    return this.#dated.get(name.trim().toLowerCase());
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
   * Canonical ids of the models whose id or alias is closest to `name`, best
   * first, at most `limit`: the core's `closestMatches` (the same suggestions
   * every Tollgate error gives) over all ids and aliases, reported by
   * canonical id, each model once. Names too far away to be a typo are not
   * suggested, so the result may be empty.
   */
  closestMatches(name: string, limit = 3): string[] {
    const q = name.trim();
    if (!q) return [];
    const out: string[] = [];
    for (const key of closestMatches(q, [...this.#byName.keys(), ...this.#dated.keys()], Infinity)) {
      const id = this.#byName.get(key)?.id ?? this.#dated.get(key)!.alias;
      if (!out.includes(id)) out.push(id);
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * The price period in force on `date` (ISO `YYYY-MM-DD`, an ISO timestamp or a Date; default
   * today, UTC): the last period whose `since` is on or before it. Undefined when the date
   * precedes the first recorded period.
   */
  priceAt(model: BundleModel | string, date: string | Date = todayUtc()): PricePeriod | undefined {
    const m = typeof model === 'string' ? this.require(model) : model;
    const day = dayOf(date);
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
