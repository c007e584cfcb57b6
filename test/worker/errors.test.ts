/**
 * The single error mapping (src/worker/errors.ts), exercised directly: failures no request can
 * trigger on purpose in the real worker (a crash) must still be a 500 without internals.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { UnknownNameError } from '../../src/core/errors.js';
import { CostInputError } from '../../src/cost/errors.js';
import { errorResponse, formatPath, toApiError } from '../../src/worker/errors.js';
import { errorFields } from './helpers.js';

describe('errorResponse', () => {
  it('an unexpected exception is a 500 that leaks neither message nor stack', async () => {
    const app = new Hono();
    app.get('/boom', () => {
      throw new Error('secret database password in /srv/app/internal.ts');
    });
    app.onError((err, c) => errorResponse(c, err));
    const originalError = console.error;
    console.error = () => {};
    try {
      const res = await app.request('/boom');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toMatch(/secret|internal\.ts|\bat\s/);
      expect(errorFields(JSON.parse(text))).toEqual({ message: expect.any(String), type: 'server_error', param: null, code: 'internal_error' });
    } finally {
      console.error = originalError;
    }
  });

  it('maps library errors to their statuses and request fields', () => {
    expect(toApiError(new UnknownNameError('model', 'gpt4o', ['gpt-4o']), { model: 'models[3]' })).toMatchObject({ status: 404, param: 'models[3]', code: 'model_not_found' });
    const cost = toApiError(new CostInputError('cache.readTokens', 'too many'));
    expect(cost).toMatchObject({ status: 400, param: 'cache.read_tokens', message: 'cache.read_tokens: too many' });
    expect(toApiError(new CostInputError('outputTokens', 'bad'), { outputTokens: 'max_tokens' })).toMatchObject({ param: 'max_tokens' });
    expect(toApiError(new HTTPException(413))).toMatchObject({ status: 413, code: 'request_too_large' });
    expect(toApiError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toMatchObject({ status: 500, type: 'server_error' });
    expect(toApiError('a string')).toMatchObject({ status: 500 });
  });

  it('formats field paths like messages[0].content', () => {
    expect(formatPath(['messages', 0, 'content', 2, 'text'])).toBe('messages[0].content[2].text');
    expect(formatPath([])).toBe('');
  });
});
