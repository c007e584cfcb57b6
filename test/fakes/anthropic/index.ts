/**
 * Fake Anthropic: Messages (streaming and not) and count_tokens, `x-api-key` +
 * `anthropic-version` checks, `request-id` and `anthropic-ratelimit-*` headers, Anthropic
 * error bodies and the in-stream `error` event.
 */
import type { Provider } from '../core/provider.js';
import { FakeUpstream, type FakeOptions } from '../core/server.js';
import { anthropicErrorBody, anthropicRateHeaders } from './errors.js';
import { event, messagesRoutes, type AnthropicMessagesOptions } from './messages.js';
import { AnthropicPromptCounter } from './prompt.js';

export interface AnthropicFakeOptions extends FakeOptions, AnthropicMessagesOptions {
  /** Tokens an image or document block counts for (default 1600, about a 1092×1092 image). */
  imageTokens?: number;
}

export function anthropicProvider(options: AnthropicFakeOptions = {}): Provider {
  const counter = new AnthropicPromptCounter(options.imageTokens);
  return {
    name: 'anthropic',
    sdkBasePath: '',
    routes: messagesRoutes(counter, options),
    credential(headers) {
      if (headers['x-api-key']) return headers['x-api-key'];
      const m = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
      return m ? m[1].trim() : undefined;
    },
    requestIdHeader: 'request-id',
    newRequestId: (ids) => ids.anthropicRequest(),
    commonHeaders: anthropicRateHeaders,
    error: (spec, requestId) => {
      // Anthropic sends x-should-retry with errors (the official SDK obeys it before the status)
      // and always a retry-after with a 429.
      const retry = spec.status === 429 || spec.status >= 500;
      const headers: Record<string, string> = { 'x-should-retry': String(retry) };
      if (spec.status === 429) headers['retry-after'] = String(Math.ceil(spec.retryAfterSeconds ?? 0));
      return { body: anthropicErrorBody(spec, requestId), headers };
    },
    streamError: (spec) => {
      const { type: _t, ...body } = anthropicErrorBody(spec);
      return event('error', body);
    },
    reset: () => counter.reset(),
  };
}

/** Starts a fake Anthropic on 127.0.0.1; point an SDK at `fake.baseUrl`. */
export function startFakeAnthropic(options: AnthropicFakeOptions = {}): Promise<FakeUpstream> {
  return new FakeUpstream(anthropicProvider(options), options).listen();
}
