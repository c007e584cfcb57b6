/**
 * Checks JSON Schema cannot express: uniqueness across files, ordering of
 * price periods and tiers, and that every money string is a decimal the
 * engine can represent. Shared by the build (provider files) and by the
 * run-time loader (signed bundles), so both reject the same mistakes.
 */

/** One problem found, located by a JSON Pointer inside `where`. */
export interface PricingIssue {
  /** File name or other label of the document the issue is in. */
  where: string;
  /** JSON Pointer to the offending field, e.g. `/models/3/aliases/0`. */
  path: string;
  message: string;
}

/** A model to check, with the document and pointer it lives at. */
export interface LocatedModel {
  where: string;
  path: string;
  model: unknown;
}

/** A dated alias to check, with the document and pointer it lives at. */
export interface LocatedAlias {
  where: string;
  path: string;
  alias: unknown;
}

/** Keys whose string values are money (or a multiplier) anywhere under `prices`. */
const DECIMAL_KEYS = new Set([
  'input',
  'output',
  'cached_input',
  'cache_write_5m',
  'cache_write_30m',
  'cache_write_1h',
  'cache_write_12h',
  'per_thousand',
  'cache_storage_per_hour',
  'reasoning',
  'multiplier',
  'per_minute',
  'per_million_characters',
  'per_request',
  'price',
  'input_per_minute',
  'output_per_minute',
]);

const DECIMAL_RE = /^(0|[1-9][0-9]*)(\.[0-9]{1,6})?$/;
const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** True when `s` is a decimal string the fixed-point engine can hold exactly. */
export function isDecimalString(s: unknown): s is string {
  if (typeof s !== 'string' || !DECIMAL_RE.test(s)) return false;
  // Integer part must stay far below 2^53 units once scaled by 10^6.
  return s.split('.')[0]!.length <= 9;
}

/** True when `s` is `YYYY-MM-DD` and names a real calendar day. */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2025-02-30 over to March; a round trip exposes it.
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walkDecimals(node: unknown, path: string, where: string, out: PricingIssue[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walkDecimals(v, `${path}/${i}`, where, out));
    return;
  }
  if (!isRecord(node)) return;
  for (const [k, v] of Object.entries(node)) {
    const p = `${path}/${escapePointer(k)}`;
    if (DECIMAL_KEYS.has(k) && typeof v === 'string' && !isDecimalString(v)) {
      out.push({ where, path: p, message: `"${v}" is not a decimal string (digits, optional point, at most 6 fraction digits)` });
    }
    walkDecimals(v, p, where, out);
  }
}

/**
 * Runs every cross-record check over `models` (possibly from many files) and
 * returns all issues found, in document order. An empty array means the set
 * is consistent.
 */
export function findModelIssues(models: LocatedModel[], datedAliases: LocatedAlias[] = []): PricingIssue[] {
  const issues: PricingIssue[] = [];
  const ids = new Set<string>();
  for (const { model } of models) if (isRecord(model) && typeof model.id === 'string') ids.add(model.id);
  // Names are compared case-insensitively because lookups are.
  const seen = new Map<string, { where: string; path: string; isId: boolean; owner: string }>();

  for (const { where, path, model } of models) {
    if (!isRecord(model)) continue;
    const id = typeof model.id === 'string' ? model.id : undefined;

    const claim = (name: string, p: string, isId: boolean): void => {
      const key = name.toLowerCase();
      const prev = seen.get(key);
      if (prev) {
        const what = isId ? 'id' : 'alias';
        const prevWhat = prev.isId ? 'the id of' : 'an alias of';
        const detail =
          !isId && prev.isId
            ? `alias "${name}" equals another model's id (${prev.where} ${prev.path})`
            : `duplicate ${what} "${name}": already ${prevWhat} "${prev.owner}" (${prev.where} ${prev.path})`;
        issues.push({ where, path: p, message: detail });
        return;
      }
      seen.set(key, { where, path: p, isId, owner: id ?? name });
    };

    if (id !== undefined) claim(id, `${path}/id`, true);

    if (Array.isArray(model.aliases)) {
      model.aliases.forEach((alias, i) => {
        if (typeof alias !== 'string') return;
        const p = `${path}/aliases/${i}`;
        if (id !== undefined && alias.toLowerCase() === id.toLowerCase()) {
          issues.push({ where, path: p, message: `alias "${alias}" repeats the model's own id` });
          return;
        }
        claim(alias, p, false);
      });
    }

    if (typeof model.checked === 'string' && !isCalendarDate(model.checked)) {
      issues.push({ where, path: `${path}/checked`, message: `"${model.checked}" is not a calendar date` });
    }
    for (const k of ['deprecated', 'retired'] as const) {
      if (typeof model[k] === 'string' && !isCalendarDate(model[k])) issues.push({ where, path: `${path}/${k}`, message: `"${String(model[k])}" is not a calendar date` });
    }
    if (typeof model.deprecated === 'string' && typeof model.retired === 'string' && model.retired < model.deprecated) {
      issues.push({ where, path: `${path}/retired`, message: `retired ${model.retired} is before deprecated ${model.deprecated}` });
    }
    if (typeof model.replacement === 'string' && !ids.has(model.replacement)) {
      issues.push({ where, path: `${path}/replacement`, message: `replacement "${model.replacement}" is not the id of a priced model` });
    }

    if (!Array.isArray(model.prices)) continue;
    let prevSince: string | undefined;
    model.prices.forEach((period, i) => {
      const pp = `${path}/prices/${i}`;
      if (!isRecord(period)) return;
      const since = period.since;
      if (typeof since === 'string') {
        if (!isCalendarDate(since)) {
          issues.push({ where, path: `${pp}/since`, message: `"${since}" is not a calendar date` });
        } else {
          // ISO dates order lexicographically, so string comparison is exact.
          if (prevSince !== undefined && since <= prevSince) {
            issues.push({ where, path: `${pp}/since`, message: `since ${since} is not after the previous period's ${prevSince}; periods must be in ascending order` });
          }
          prevSince = since;
        }
      }
      checkTiers(period.tiers, `${pp}/tiers`, where, issues);
      if (isRecord(period.service_tiers)) {
        for (const [name, sp] of Object.entries(period.service_tiers)) {
          if (isRecord(sp)) checkTiers(sp.tiers, `${pp}/service_tiers/${name}/tiers`, where, issues);
        }
      }
      if (Array.isArray(period.time_of_day)) checkWindows(period.time_of_day, `${pp}/time_of_day`, where, issues);
    });
    walkDecimals(model.prices, `${path}/prices`, where, issues);
  }

  datedAliases.forEach(({ where, path, alias: a }) => {
    if (!isRecord(a) || typeof a.alias !== 'string') return;
    const key = a.alias.toLowerCase();
    const prev = seen.get(key);
    if (prev) issues.push({ where, path: `${path}/alias`, message: `dated alias "${a.alias}" is already ${prev.isId ? 'the id of' : 'an alias of'} "${prev.owner}" (${prev.where} ${prev.path})` });
    else seen.set(key, { where, path: `${path}/alias`, isId: false, owner: a.alias });
    if (!Array.isArray(a.targets)) return;
    let prevSince = '';
    a.targets.forEach((t, i) => {
      if (!isRecord(t)) return;
      if (typeof t.model === 'string' && !ids.has(t.model)) issues.push({ where, path: `${path}/targets/${i}/model`, message: `"${t.model}" is not the id of a priced model` });
      if (typeof t.since === 'string') {
        if (!isCalendarDate(t.since)) issues.push({ where, path: `${path}/targets/${i}/since`, message: `"${t.since}" is not a calendar date` });
        else if (t.since <= prevSince) issues.push({ where, path: `${path}/targets/${i}/since`, message: `since ${t.since} is not after the previous target's ${prevSince}; targets must be in ascending order` });
        prevSince = t.since;
      }
    });
  });
  return issues;
}

function checkTiers(tiers: unknown, path: string, where: string, issues: PricingIssue[]): void {
  if (!Array.isArray(tiers)) return;
  // Compare the first prompt size each tier applies to, so "> 200000" and "≥ 200001" count as equal.
  let prevFrom = 0;
  let prevThreshold = 0;
  tiers.forEach((tier, j) => {
    if (!isRecord(tier) || typeof tier.threshold !== 'number') return;
    const from = tier.inclusive === true ? tier.threshold : tier.threshold + 1;
    if (from <= prevFrom) {
      issues.push({ where, path: `${path}/${j}/threshold`, message: `threshold ${tier.threshold} is not above the previous ${prevThreshold}; tiers must be in ascending order` });
    }
    prevFrom = from;
    prevThreshold = tier.threshold;
  });
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Minutes of the day [0, 1440) that `w` covers, as a bitmap, or undefined for an empty window. */
function windowMinutes(w: Record<string, unknown>): Uint8Array | undefined {
  if (typeof w.start !== 'string' || typeof w.end !== 'string') return undefined;
  const s = minutes(w.start);
  const e = minutes(w.end);
  if (s === e) return undefined;
  const out = new Uint8Array(1440);
  for (let m = s; m !== e; m = (m + 1) % 1440) out[m] = 1;
  return out;
}

function checkWindows(windows: unknown[], path: string, where: string, issues: PricingIssue[]): void {
  const covered = new Uint8Array(1440);
  windows.forEach((w, i) => {
    if (!isRecord(w)) return;
    const mins = windowMinutes(w);
    if (!mins) {
      issues.push({ where, path: `${path}/${i}/end`, message: 'a time-of-day window must not be empty (start equals end)' });
      return;
    }
    for (let m = 0; m < 1440; m++) {
      if (mins[m] && covered[m]) {
        issues.push({ where, path: `${path}/${i}`, message: 'time-of-day windows overlap' });
        return;
      }
      covered[m] |= mins[m]!;
    }
    if (w.multiplier !== undefined && w.input !== undefined) {
      issues.push({ where, path: `${path}/${i}/multiplier`, message: 'give either multiplier or explicit prices, not both' });
    }
  });
}
