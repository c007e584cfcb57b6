/**
 * `npm run bench`: every benchmark, side by side with the npm anchors, in one process (plus
 * fresh child processes where cold-start matters). Suites from other parts of the project
 * (cost engine, worker, playground, proxy) are picked up when present.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './lib/corpus.js';
import { runThroughputBench } from './suites/throughput.js';
import { runReadyBench } from './suites/ready.js';
import { runPathologicalBench } from './suites/pathological.js';
import { runFootprintBench } from './suites/footprint.js';

type Suite = [title: string, run: () => Promise<string[]>];

const suites: Suite[] = [
  ['tokenizer throughput', runThroughputBench],
  ['ready time', runReadyBench],
  ['pathological inputs', runPathologicalBench],
  ['memory and size', runFootprintBench],
];

// Optional suites owned by other modules: [file, exported function].
for (const [file, fn] of [
  ['cost.ts', 'runCostBench'],
  ['worker.ts', 'runWorkerBench'],
  ['playground.ts', 'runPlaygroundBench'],
  ['proxy.ts', 'runProxyBench'],
  ['budgets.ts', 'runBudgetsBench'],
  ['cli.ts', 'runCliBench'],
] as const) {
  const path = join(root, 'bench/suites', file);
  if (existsSync(path)) {
    suites.push([file.replace('.ts', ''), async () => ((await import(pathToFileURL(path).href)) as Record<string, () => Promise<string[]>>)[fn]()]);
  }
}

const only = process.argv.slice(2);
console.log(`tollgate benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
for (const [title, run] of suites) {
  if (only.length && !only.some((o) => title.includes(o))) continue;
  console.log(`== ${title} ==`);
  for (const line of await run()) console.log(line);
}
