/**
 * Fake Gemini (Google AI Studio API): generateContent, streamGenerateContent and countTokens,
 * key via `x-goog-api-key` or `?key=`, Google error bodies (`{"error":{"code","message","status"}}`).
 */
import type { Provider } from '../core/provider.js';
import { FakeUpstream, type FakeOptions } from '../core/server.js';
import { geminiError } from './errors.js';
import { generateRoutes } from './generate.js';
import { GeminiPromptCounter } from './prompt.js';

export type GeminiFakeOptions = FakeOptions;

export function geminiProvider(): Provider {
  const counter = new GeminiPromptCounter();
  return {
    name: 'gemini',
    sdkBasePath: '',
    routes: generateRoutes(counter),
    credential: (headers, query) => headers['x-goog-api-key'] || query.key || undefined,
    // No key: 403 PERMISSION_DENIED; a wrong key: 400 INVALID_ARGUMENT API_KEY_INVALID.
    authStatus: { missing: 403, invalid: 400 },
    // The Gemini API sends no rate-limit headers; quota errors carry a RetryInfo detail instead.
    commonHeaders: () => ({}),
    error: (spec) => ({ body: geminiError(spec) }),
    streamError: (spec) => `data: ${JSON.stringify(geminiError(spec))}\r\n\r\n`,
    reset: () => counter.reset(),
  };
}

/** Starts a fake Gemini on 127.0.0.1; point `@google/genai` at it with `httpOptions.baseUrl: fake.baseUrl`. */
export function startFakeGemini(options: GeminiFakeOptions = {}): Promise<FakeUpstream> {
  return new FakeUpstream(geminiProvider(), options).listen();
}
