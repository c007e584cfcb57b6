/**
 * Fake OpenAI (and OpenAI-compatible host): chat completions, embeddings and the model list,
 * Bearer-key auth, `x-request-id` and `x-ratelimit-*` headers, OpenAI error bodies.
 */
import type { Provider } from '../core/provider.js';
import { FakeUpstream, type FakeOptions } from '../core/server.js';
import { SNAPSHOTS } from '../core/models.js';
import { chatRoute, type OpenAIChatOptions } from './chat.js';
import { embeddingsRoute } from './embeddings.js';
import { openaiError, openaiRateHeaders } from './errors.js';
import { openaiPath } from './paths.js';

export type OpenAIFakeOptions = FakeOptions & OpenAIChatOptions;

export function openaiProvider(options: OpenAIFakeOptions = {}): Provider {
  const chat = chatRoute(options);
  return {
    name: 'openai',
    sdkBasePath: '/v1',
    routes: [
      chat.route,
      embeddingsRoute,
      {
        method: 'GET',
        pattern: openaiPath('models'),
        handle: () => ({
          kind: 'json',
          body: {
            object: 'list',
            data: (options.models ?? Object.keys(SNAPSHOTS).filter((m) => !m.startsWith('claude'))).map((id) => ({ id, object: 'model', created: 1715367049, owned_by: 'system' })),
          },
        }),
      },
    ],
    credential(headers) {
      const m = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
      return m ? m[1].trim() : undefined;
    },
    requestIdHeader: 'x-request-id',
    newRequestId: (ids) => ids.openaiRequest(),
    commonHeaders: openaiRateHeaders,
    error: (spec) => ({ body: openaiError(spec) }),
    streamError: (spec) => `data: ${JSON.stringify(openaiError(spec))}\n\n`,
    reset: chat.reset,
  };
}

/** Starts a fake OpenAI on 127.0.0.1; point an SDK at `fake.baseUrl` (`…/v1`). */
export function startFakeOpenAI(options: OpenAIFakeOptions = {}): Promise<FakeUpstream> {
  return new FakeUpstream(openaiProvider(options), options).listen();
}
