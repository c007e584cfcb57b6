/**
 * Plan: the targets of a route that can serve this request, in the order to try them.
 * Each target's prompt is counted with its model's tokenizer (once per tokenizer) and the
 * request priced with the cost engine at its worst case (prompt + max output). Targets that
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

export interface PlannedTarget {
  target: CompiledTarget;
  adapter: ProviderAdapter;
  prompt: PromptCount;
  /** Output tokens reserved: the client's limit, else the model's max output. */
  maxOutput: number;
  /** Worst-case cost of this request on this target, exact decimal USD. */
  worstCost: string;
  /** In 1e-24 USD. */
  worstUnits: bigint;
  /** The circuit is open: tried only after the other targets. */
  degraded: boolean;
  /** The request's service tier, when this model prices it (else standard prices apply). */
  serviceTier?: string;
}

export interface Plan {
  route: CompiledRoute;
  targets: PlannedTarget[];
  /** Targets left out, and why (for the error when none is left). */
  skipped: { label: string; reason: string }[];
  counter: PromptCounter;
  /** The largest worst case over the planned targets: what a budget reservation must cover. */
  worstUnits: bigint;
  worstCost: string;
  /** Tokens to reserve against token limits: the largest prompt + max output. */
  worstTokens: number;
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

function order(route: CompiledRoute, list: PlannedTarget[], health: HealthView, random: () => number): PlannedTarget[] {
  const strategy = route.route.strategy;
  const byCost = (a: PlannedTarget, b: PlannedTarget) => (a.worstUnits < b.worstUnits ? -1 : a.worstUnits > b.worstUnits ? 1 : 0);
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
      const maxCost = list.reduce((m, p) => (p.worstUnits > m ? p.worstUnits : m), 1n);
      const maxLat = Math.max(1, ...list.map(lat));
      const score = (p: PlannedTarget) => w.cost * (1 - Number((p.worstUnits * 1_000_000n) / maxCost) / 1e6) + w.latency * (1 - lat(p) / maxLat) + w.quality * p.target.quality;
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
async function worstCase(target: CompiledTarget, req: ParsedRequest, prompt: number, output: number): Promise<{ est: CostEstimate; serviceTier?: string }> {
  const base = { model: target.priced.id, inputTokens: prompt, outputTokens: output };
  const tier = req.kind === 'chat' ? req.serviceTier : undefined;
  if (tier) {
    try {
      return { est: await estimateCost({ ...base, serviceTier: tier as never }), serviceTier: tier };
    } catch {
      // Not a tier this model prices (or 'auto'): the provider serves it at standard prices.
    }
  }
  return { est: await estimateCost(base) };
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
    const prompt = await withLearnedRatio(await counter.count(target.priced), target, counter, health);
    const window = target.priced.context_window;
    if (route.route.contextWindowFallback && window && prompt.tokens + (req.maxOutput ?? 0) > window) {
      skipped.push({ label: target.label, reason: `the prompt (${prompt.tokens} tokens${req.maxOutput ? ` + ${req.maxOutput} output` : ''}) exceeds its context window of ${window}` });
      continue;
    }
    const maxOutput = req.kind === 'embeddings' ? 0 : (req.maxOutput ?? target.priced.max_output ?? (window ? Math.max(1, window - prompt.tokens) : DEFAULT_MAX_OUTPUT));
    const { est, serviceTier } = await worstCase(target, req, prompt.tokens, maxOutput);
    const state = health.circuit(target.label, now);
    // A half-open circuit keeps its place: its next request is the probe.
    planned.push({ target, adapter, prompt, maxOutput, worstCost: est.total, worstUnits: toUnits(est.total), degraded: state === 'open', ...(serviceTier ? { serviceTier } : {}) });
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
  const ordered = [...order(route, healthy, health, random), ...planned.filter((p) => p.degraded)];
  let worstUnits = 0n;
  let worstCost = '0';
  let worstTokens = 0;
  for (const p of ordered) {
    if (p.worstUnits > worstUnits) {
      worstUnits = p.worstUnits;
      worstCost = p.worstCost;
    }
    worstTokens = Math.max(worstTokens, p.prompt.tokens + p.maxOutput);
  }
  return { route, targets: ordered, skipped, counter, worstUnits, worstCost, worstTokens };
}
