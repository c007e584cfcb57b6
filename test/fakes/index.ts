/**
 * Fake LLM upstreams for the proxy's tests and benchmarks: OpenAI (and OpenAI-compatible
 * hosts), Anthropic and Gemini on 127.0.0.1, speaking each wire format as the provider documents
 * it, with scripted faults and a record of every request. See docs/fake-upstreams.md.
 *
 *   const fakes = await startFakeUpstreams({ openai: { keys: ['sk-a', 'sk-b'] } });
 *   fakes.openai.enqueue({ status: 429, retryAfter: 1 }, { key: 'sk-a' });
 *   … point the proxy's provider base URLs at fakes.openai.baseUrl, fakes.anthropic.url, fakes.gemini.url …
 *   expect(fakes.openai.requests.map((r) => r.key)).toEqual(['sk-a', 'sk-b']);
 *   await fakes.close();
 */
import { startFakeAnthropic, type AnthropicFakeOptions } from './anthropic/index.js';
import type { FakeUpstream } from './core/server.js';
import { startFakeGemini, type GeminiFakeOptions } from './gemini/index.js';
import { startFakeOpenAI, type OpenAIFakeOptions } from './openai/index.js';

export { FakeUpstream, type FakeOptions } from './core/server.js';
export type { Step, Match, ScriptedReply, ScriptedToolCall } from './core/script.js';
export type { RecordedRequest, Outcome } from './core/record.js';
export { startFakeOpenAI, type OpenAIFakeOptions } from './openai/index.js';
export { startFakeAnthropic, type AnthropicFakeOptions } from './anthropic/index.js';
export { startFakeGemini, type GeminiFakeOptions } from './gemini/index.js';
export { defaultReplyText } from './core/reply.js';

export interface FakeUpstreams {
  openai: FakeUpstream;
  anthropic: FakeUpstream;
  gemini: FakeUpstream;
  /** Forget scripts, requests and caches on all three. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts all three fakes (each on its own port). */
export async function startFakeUpstreams(
  options: { openai?: OpenAIFakeOptions; anthropic?: AnthropicFakeOptions; gemini?: GeminiFakeOptions } = {},
): Promise<FakeUpstreams> {
  const started = await Promise.allSettled([startFakeOpenAI(options.openai), startFakeAnthropic(options.anthropic), startFakeGemini(options.gemini)]);
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((f) => f.close()));
    throw failed.reason;
  }
  const [openai, anthropic, gemini] = ok;
  return {
    openai,
    anthropic,
    gemini,
    reset: () => ok.forEach((f) => f.reset()),
    close: async () => {
      await Promise.all(ok.map((f) => f.close()));
    },
  };
}
