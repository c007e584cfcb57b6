/** The proxy benchmarks' requests: a system message and a ~4 KB user prompt from the benchmark corpus. */
import { docs4k } from './corpus.js';

export const MODEL = 'gpt-4o-mini';

/** ~4 KB user prompts (3.9–4.3 KB of UTF-8) from the benchmark corpus. */
export function prompts(): string[] {
  return docs4k()
    .filter((d) => {
      const n = Buffer.byteLength(d);
      return n >= 3900 && n <= 4300;
    })
    .slice(0, 8);
}

export function bodies(stream: boolean): string[] {
  return prompts().map((content) =>
    JSON.stringify({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content },
      ],
      max_tokens: 64,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  );
}

