/**
 * Runs one fake upstream as its own process (benchmarks, manual runs with `wrangler dev`):
 *
 *   npx tsx test/fakes/serve.ts openai [--port 8100] [--keys sk-a,sk-b] [--event-delay-ms 0]
 *
 * Prints one JSON line `{"provider","url","baseUrl","pid"}` once listening, then serves until
 * SIGTERM / SIGINT. Scripting is for in-process tests; a served fake answers normally.
 */
import { parseArgs } from 'node:util';
import { startFakeAnthropic } from './anthropic/index.js';
import type { FakeOptions } from './core/server.js';
import { startFakeGemini } from './gemini/index.js';
import { startFakeOpenAI } from './openai/index.js';

const starters = { openai: startFakeOpenAI, anthropic: startFakeAnthropic, gemini: startFakeGemini } as const;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '0' },
    keys: { type: 'string' },
    'event-delay-ms': { type: 'string', default: '0' },
  },
});
const provider = positionals[0] as keyof typeof starters;
if (!(provider in starters)) {
  console.error(`usage: serve.ts <${Object.keys(starters).join('|')}> [--port N] [--keys a,b] [--event-delay-ms N]`);
  process.exit(2);
}
// A served fake may answer millions of requests: remember only the last few.
const options: FakeOptions = { port: Number(values.port), eventDelayMs: Number(values['event-delay-ms']), keys: values.keys?.split(','), recordLimit: 100 };
const fake = await starters[provider](options);
console.log(JSON.stringify({ provider, url: fake.url, baseUrl: fake.baseUrl, pid: process.pid }));
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => void fake.close().then(() => process.exit(0)));
