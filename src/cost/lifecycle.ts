/**
 * Which model a name means on a day, and what a caller must be told about it: dated aliases
 * (`deepseek-chat`, `mistral-medium-latest`) resolve to the target in force that day, and
 * deprecated, retired or re-priced models carry human-readable warnings on every estimate.
 */
import { UnknownNameError } from '../core/errors.js';
import { dayOf } from '../pricing/registry.js';
import type { BundleModel } from '../pricing/types.js';
import { CostInputError } from './errors.js';
import { pricingTable } from './table.js';

/** A model resolved for a day, with the warnings the name and the model carry. */
export interface ResolvedModel {
  model: BundleModel;
  /** `YYYY-MM-DD` the prices are taken for. */
  day: string;
  warnings: string[];
  /** The dated alias the name went through, if any. */
  alias?: string;
}

/**
 * Resolves `name` for `date` (default today, UTC).
 * @throws UnknownNameError with the closest names
 */
export function resolveModel(name: unknown, date?: string | Date): ResolvedModel {
  if (typeof name !== 'string') throw new CostInputError('model', `must be a string, got ${name === null ? 'null' : typeof name}`);
  const t = pricingTable();
  const day = dayOf(date);
  const r = t.resolve(name, day);
  if (!r) throw new UnknownNameError('model', name, t.closestMatches(name));
  const warnings: string[] = [];
  if (r.alias) {
    const history = r.alias.targets.length > 1 ? ` (it has named ${r.alias.targets.map((x) => `${x.model} from ${x.since}`).join(', ')})` : '';
    warnings.push(`'${r.alias.alias}' is an alias whose target changes over time: on ${day} it means ${r.model.id}${history}. Name the model itself to pin its prices.`);
  }
  warnings.push(...lifecycleWarnings(r.model, day));
  return { model: r.model, day, warnings, ...(r.alias ? { alias: r.alias.alias } : {}) };
}

/** Warnings about `model` on `day`: deprecated, retired, or prices about to change. */
export function lifecycleWarnings(model: BundleModel, day: string): string[] {
  const out: string[] = [];
  const use = model.replacement ? `; the provider's replacement is ${model.replacement}` : '';
  if (model.retired && model.retired <= day) {
    out.push(`${model.id} was retired on ${model.retired}: requests to it fail now; this is its last price, for history${use}.`);
  } else if (model.deprecated && model.deprecated <= day) {
    const when = model.retired ? ` and retires on ${model.retired}` : '';
    out.push(`${model.id} is deprecated (since ${model.deprecated})${when}${use}.`);
  }
  const next = model.prices.find((p) => p.since > day);
  if (next) out.push(`${model.id}'s prices change on ${next.since}; this estimate uses the prices in force on ${day}.`);
  return out;
}
