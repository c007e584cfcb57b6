/**
 * Plan: the targets of a route that can serve this request, in the order to try them.
 * Each target's prompt is counted with its model's tokenizer (once per tokenizer), and the
 * request can be priced with the cost engine at its worst case (prompt + max output): at once
 * where the order depends on it (cheapest, score), else only when asked (a budget reservation,
 * billing a stream without usage), so a request pays for no count or price it does not use.
 * Whether a prompt fits a context window is first answered by a bound on its count (a sum of
 * string lengths, PromptCounter.ceiling); only a prompt the bound cannot clear is counted. Targets that
 * cannot take the request (context window, capability, model kind) are dropped before anything
 * is sent; open circuits go last. Strategies: fallback (configured order), weighted (random by
 * weight), cheapest (this request's worst-case cost), latency (learned time to first byte),
 * score (cost, latency and quality weighted per route).
 */
import { estimateCost, type CostEstimate } from '../../core/index.js';
import { toUnits } from '../accounting/money.js';
import type { CompiledRoute, CompiledTarget } from '../config/load.js';
import { ProxyInputError } from '../errors.js';
import type { HealthView } from '../health/health-view.js';
import { PromptCounter, type PromptCount } from '../accounting/prompt.js';
import { adapterFor } from '../providers/index.js';
import type { ProviderAdapter } from '../providers/types.js';
import type { ParsedRequest } from '../request.js';
import { ApiError } from '../../worker/errors.js';

/** A request priced at its worst case (prompt + max output) on one target. */
export interface WorstCase {
  /** In 1e-24 USD. */
  units: bigint;
  /** The request's service tier, when this model prices it (else standard prices apply). */
  serviceTier?: string;
}

export interface PlannedTarget {
  target: CompiledTarget;
  adapter: ProviderAdapter;
  /**
   * The prompt counted for this target's model: counted once, when first asked for. A request
   * whose count nothing needs (it fits the context window by a bound, reserves nothing, and
   * its provider reports usage) is never tokenized.
   */
  prompt(): Promise<PromptCount>;
  /** The prompt's count if something has needed it by now, else undefined (nothing is counted). */
  promptIfCounted(): PromptCount | undefined;
  /** Output tokens reserved: the client's limit, else the model's max output. */
  maxOutput: number;
  /** The circuit is open: tried only after the other targets. */
  degraded: boolean;
  /** This request's worst case on this target (priced once, on first use). */
  worst(): Promise<WorstCase>;
}

export interface Plan {
  route: CompiledRoute;
  targets: PlannedTarget[];
  /** Targets left out, and why (for the error when none is left). */
  skipped: { label: string; reason: string }[];
  counter: PromptCounter;
  /** The largest worst case over the planned targets (1e-24 USD): what a budget reservation must cover. */
  worstUnits(): Promise<bigint>;
  /** Tokens to reserve against token limits: the largest prompt + max output. */
  worstTokens(): Promise<number>;
}

/** `f` run once, on the first call. */
function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

/** {@link once}, which also tells its value once it has one (and undefined before). */
function memo<T>(f: () => Promise<T>): { get: () => Promise<T>; peek: () => T | undefined } {
  let value: T | undefined;
  const get = once(async () => (value = await f()));
  return { get, peek: () => value };
}

const DEFAULT_MAX_OUTPUT = 4096;

function kindFits(req: ParsedRequest, t: CompiledTarget): string | undefined {
  const kind = t.priced.kind;
  if (req.kind === 'embeddings') return kind === 'embedding' ? undefined : `${t.priced.id} is not an embedding model`;
  return kind === 'chat' ? undefined : `${t.priced.id} is a ${kind} model, not a chat model`;
}

function weightedOrder<T>(items: T[], weight: (t: T) => number, random: () => number): T[] {
  const rest = [...items];
  const out: T[] = [];
  while (rest.length) {
    const total = rest.reduce((s, t) => s + weight(t), 0);
    let r = random() * total;
    let i = 0;
    for (; i < rest.length - 1; i++) {
      r -= weight(rest[i]!);
      if (r < 0) break;
    }
    out.push(rest.splice(i, 1)[0]!);
  }
  return out;
}

/** Worst cases of the targets, for the strategies that order by cost (priced before ordering). */
type Costs = Map<PlannedTarget, bigint>;

async function costsOf(route: CompiledRoute, list: PlannedTarget[]): Promise<Costs> {
  const costs: Costs = new Map();
  if (route.route.strategy === 'cheapest' || route.route.strategy === 'score') for (const p of list) costs.set(p, (await p.worst()).units);
  return costs;
}

function order(route: CompiledRoute, list: PlannedTarget[], costs: Costs, health: HealthView, random: () => number): PlannedTarget[] {
  const strategy = route.route.strategy;
  const cost = (p: PlannedTarget) => costs.get(p)!;
  const byCost = (a: PlannedTarget, b: PlannedTarget) => (cost(a) < cost(b) ? -1 : cost(a) > cost(b) ? 1 : 0);
  // Targets without a latency sample yet go first, so they get measured.
  const lat = (p: PlannedTarget) => health.latency(p.target.label) ?? 0;
  switch (strategy) {
    case 'fallback':
      return list;
    case 'weighted':
      return weightedOrder(list, (p) => p.target.weight, random);
    case 'cheapest':
      return [...list].sort(byCost);
    case 'latency':
      return [...list].sort((a, b) => lat(a) - lat(b));
    case 'score': {
      const w = route.route.weights ?? { cost: 1, latency: 1, quality: 1 };
      const maxCost = list.reduce((m, p) => (cost(p) > m ? cost(p) : m), 1n);
      const maxLat = Math.max(1, ...list.map(lat));
      const score = (p: PlannedTarget) => w.cost * (1 - Number((cost(p) * 1_000_000n) / maxCost) / 1e6) + w.latency * (1 - lat(p) / maxLat) + w.quality * p.target.quality;
      return [...list].sort((a, b) => score(b) - score(a));
    }
  }
}

/**
 * For a model without a public tokenizer, the count from the ratio traffic has taught (its
 * 90th percentile: reservations should rather be high), once enough samples exist.
 */
async function withLearnedRatio(prompt: PromptCount, target: CompiledTarget, counter: PromptCounter, health: HealthView): Promise<PromptCount> {
  if (prompt.exact) return prompt;
  const learned = health.ratio(target.priced.id);
  if (!learned) return prompt;
  const raw = await counter.raw();
  if (raw === undefined) return prompt;
  return { tokens: Math.ceil(raw * learned.p90), exact: false, method: 'learned-ratio', learned };
}

/** The request priced at its worst case, in its service tier when the model prices that tier. */
async function worstCase(target: CompiledTarget, req: ParsedRequest, prompt: number, output: number): Promise<WorstCase> {
  const base = { model: target.priced.id, inputTokens: prompt, outputTokens: output };
  const tier = req.kind === 'chat' ? req.serviceTier : undefined;
  let est: CostEstimate | undefined;
  if (tier) {
    try {
      est = await estimateCost({ ...base, serviceTier: tier as never });
    } catch {
      // Not a tier this model prices (or 'auto'): the provider serves it at standard prices.
    }
  }
  if (est) return { units: toUnits(est.total), serviceTier: tier };
  return { units: toUnits((await estimateCost(base)).total) };
}

/** Plans `req` on `route`. Throws 400 when no target can take it (naming why), 503 when every circuit is open. */
export async function planRequest(route: CompiledRoute, req: ParsedRequest, health: HealthView, now: number, random: () => number = Math.random): Promise<Plan> {
  const counter = new PromptCounter(req);
  const skipped: Plan['skipped'] = [];
  const planned: PlannedTarget[] = [];
  for (const target of route.targets) {
    const adapter = adapterFor(target.config.type);
    const reason = adapter.unsupported(req) ?? kindFits(req, target);
    if (reason) {
      skipped.push({ label: target.label, reason });
      continue;
    }
    const counted = memo(async () => withLearnedRatio(await counter.count(target.priced), target, counter, health));
    const prompt = counted.get;
    const window = target.priced.context_window;
    const overflows = (tokens: number) => Boolean(route.route.contextWindowFallback && window && tokens + (req.maxOutput ?? 0) > window);
    const ceiling = counter.ceiling(target.priced);
    if (ceiling === undefined || overflows(ceiling)) {
      const tokens = (await prompt()).tokens;
      if (overflows(tokens)) {
        skipped.push({ label: target.label, reason: `the prompt (${tokens} tokens${req.maxOutput ? ` + ${req.maxOutput} output` : ''}) exceeds its context window of ${window}` });
        continue;
      }
    }
    const maxOutput = req.kind === 'embeddings' ? 0 : (req.maxOutput ?? target.priced.max_output ?? (window ? Math.max(1, window - (await prompt()).tokens) : DEFAULT_MAX_OUTPUT));
    const state = health.circuit(target.label, now);
    // A half-open circuit keeps its place: its next request is the probe.
    planned.push({ target, adapter, prompt, promptIfCounted: counted.peek, maxOutput, degraded: state === 'open', worst: once(async () => worstCase(target, req, (await prompt()).tokens, maxOutput)) });
  }
  if (planned.length === 0) {
    const why = skipped.map((s) => `${s.label}: ${s.reason}`).join('; ');
    const context = skipped.length > 0 && skipped.every((s) => s.reason.includes('context window'));
    throw new ProxyInputError(
      context ? `This request exceeds the context window of every target of '${route.name}' (${why}). Shorten the prompt or max_tokens.` : `No target of '${route.name}' can serve this request (${why}).`,
      context ? 'messages' : 'model',
      context ? 'context_length_exceeded' : 'unsupported_request',
    );
  }
  const healthy = planned.filter((p) => !p.degraded);
  if (healthy.length === 0 && planned.every((p) => health.circuit(p.target.label, now) === 'open')) {
    throw new ApiError(503, `Every target of '${route.name}' is failing (circuit open); retry shortly.`, 'server_error', null, 'upstream_unavailable', { 'retry-after': '5' });
  }
  const ordered = [...order(route, healthy, await costsOf(route, healthy), health, random), ...planned.filter((p) => p.degraded)];
  const worstTokens = once(async () => {
    let max = 0;
    for (const p of ordered) max = Math.max(max, (await p.prompt()).tokens + p.maxOutput);
    return max;
  });
  const worstUnits = once(async () => {
    let max = 0n;
    for (const p of ordered) {
      const { units } = await p.worst();
      if (units > max) max = units;
    }
    return max;
  });
  return { route, targets: ordered, skipped, counter, worstUnits, worstTokens };
}
