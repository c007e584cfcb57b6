/**
 * Cost engine benchmark: estimates per second for a ~4 KB chat priced across every model
 * (text counted once per encoding, then priced per model), and pricing-table load time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateCost, getEncoding, listModels, countChat } from '../../src/runtime/node.js';
import { compileTable } from '../../src/cost/compiled-table.js';
import { counterFor } from '../../src/cost/tokens.js';
import { PricingTable } from '../../src/pricing/registry.js';
import type { PricingBundle } from '../../src/pricing/types.js';
import { root } from '../lib/corpus.js';

function chat4k(): { role: string; content: string }[] {
  const para =
    'The quarterly report shows revenue up 12% year over year, driven by subscriptions in Europe and Asia. ' +
    'Operating costs rose 4%, mostly cloud spend; headcount stayed flat. Customers asked for SSO, audit logs and an EU region. ';
  const msgs = [{ role: 'system', content: 'You are a concise financial analyst. Answer in bullet points.' }];
  while (JSON.stringify(msgs).length < 4096) msgs.push({ role: msgs.length % 2 ? 'user' : 'assistant', content: para });
  return msgs;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function runCostBench(): Promise<string[]> {
  const messages = chat4k();
  const models = listModels().filter((m) => counterFor(m) && m.prices.at(-1)!.input !== undefined);

  // Count once per encoding (raw), then scale per model's method.
  const raw = new Map<string, number>();
  const t0 = performance.now();
  for (const m of models) {
    const c = counterFor(m)!;
    if (!raw.has(c.encoding)) {
      await getEncoding(c.encoding);
      raw.set(c.encoding, await countChat(messages, { model: c.encoding === 'cl100k_base' ? 'gpt-4' : c.encoding === 'o200k_harmony' ? 'gpt-oss-120b' : 'gpt-4o' }));
    }
  }
  const countMs = performance.now() - t0;
  const plan = models.map((m) => {
    const c = counterFor(m)!;
    return { model: m.id, inputTokens: c.scale(raw.get(c.encoding)!), outputTokens: m.prices.at(-1)!.output ? 500 : 0 };
  });

  for (const p of plan) await estimateCost(p); // warm up
  const rounds = 200;
  const t1 = performance.now();
  for (let r = 0; r < rounds; r++) for (const p of plan) await estimateCost(p);
  const priceMs = performance.now() - t1;
  const perSec = (rounds * plan.length) / (priceMs / 1000);

  const text = readFileSync(join(root, 'dist/assets/pricing.json'), 'utf8');
  const loads: number[] = [];
  for (let i = 0; i < 30; i++) {
    const s = performance.now();
    compileTable(new PricingTable(JSON.parse(text) as PricingBundle));
    loads.push(performance.now() - s);
  }

  return [
    `Cost estimation (${plan.length} token-priced models, ~${JSON.stringify(messages).length} B chat):`,
    `  count chat once per encoding (${raw.size} encodings, cold) : ${countMs.toFixed(1)} ms`,
    `  estimates/s (priced per model, counts given)      : ${Math.round(perSec).toLocaleString('en-US')}`,
    `  one 4 KB chat priced across every model           : ${((priceMs / rounds) * 1000).toFixed(0)} µs`,
    `  pricing table load (JSON.parse + index + compile) : ${median(loads).toFixed(2)} ms (median of 30)`,
    '',
  ];
}
