/** Scripted usage overrides: deep-merged, in the provider's own field names, over the computed usage. */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with `over` merged in (objects recursively, everything else replaced). */
export function deepMerge<T extends Obj>(base: T, over: Obj | undefined): T {
  if (!over) return base;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  return out as T;
}

/**
 * Merges a scripted override and recomputes the total field from its parts unless the override
 * sets the total itself.
 */
export function withOverride<T extends Obj>(usage: T, over: Obj | undefined, total: keyof T & string, sum: (u: T) => number): T {
  if (!over) return usage;
  const merged = deepMerge(usage, over);
  if (!(total in over)) (merged as Obj)[total] = sum(merged);
  return merged;
}
