/**
 * HTTP behaviour of the worker inside workerd: every error status and its OpenAI error
 * shape, body limits with and without Content-Length, CORS, unknown routes and methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorFields, startApi, type Api } from './helpers.js';

let api: Api;
let small: Api; // MAX_BODY_BYTES = 2000
beforeAll(async () => {
  [api, small] = await Promise.all([startApi('http'), startApi('http-small', { MAX_BODY_BYTES: '2000' })]);
});
afterAll(async () => {
  await Promise.all([api?.mf.dispose(), small?.mf.dispose()]);
});

function streamOf(text: string, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= bytes.length) return c.close();
      c.enqueue(bytes.subarray(i, i + chunk));
      i += chunk;
    },
  });
}

describe('400 invalid_request_error', () => {
  it('malformed JSON', async () => {
    const res = await api.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "gpt-4o", "text": ' });
    expect(res.status).toBe(400);
    const e = errorFields(await res.json());
    expect(e.type).toBe('invalid_request_error');
    expect(e.code).toBe('invalid_json');
    expect(e.message).toMatch(/JSON/);
  });

  it.each([
    ['/v1/count', { model: 'gpt-4o', text: 42 }, 'text', 'invalid_value'],
    ['/v1/count', { model: 'gpt-4o' }, 'text', 'invalid_value'],
    ['/v1/count', { text: 'hi' }, 'model', 'invalid_value'],
    ['/v1/count', { model: 'gpt-4o', encoding: 'o200k_base', text: 'x' }, 'encoding', 'invalid_value'],
    ['/v1/count', { model: 'gpt-4o', text: 'x', messages: [{ role: 'user', content: 'x' }] }, 'messages', 'invalid_value'],
    ['/v1/count', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }, { role: 'user', content: 7 }] }, 'messages[1].content', 'invalid_value'],
    ['/v1/count', { model: 'gpt-4o', messages: [{ content: 'x' }] }, 'messages[0].role', 'missing_required_parameter'],
    ['/v1/count', { model: 'gpt-4o', messages: [] }, 'messages', 'invalid_value'],
    ['/v1/count', { model: 'gpt-4o', text: 'x', txet: 'y' }, 'txet', 'unknown_parameter'],
    ['/v1/count', { model: ['gpt-4o'], text: 'x' }, 'model', 'invalid_value'],
    ['/v1/count', { model: 'x'.repeat(300), text: 'x' }, 'model', 'invalid_value'],
    ['/v1/tokenize', { encoding: 'o200k_base' }, 'text', 'missing_required_parameter'],
    ['/v1/tokenize', { encoding: null, text: 'x' }, 'encoding', 'invalid_value'],
    ['/v1/count', { encoding: 'o200k_base', messages: [{ role: 'user', content: 'x' }] }, 'encoding', 'invalid_value'],
    ['/v1/count', { model: 'whisper-1', text: 'x' }, 'model', 'model_not_tokenized'],
    ['/v1/tokenize', { model: 'claude-sonnet-4-5', text: 'x' }, 'model', 'tokenizer_not_public'],
    ['/v1/count', { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] }, 'messages[0].content[0].text', 'invalid_value'],
  ])('%s %j → param %s', async (path, body, param, code) => {
    const r = await api.post(path, body);
    expect(r.status).toBe(400);
    const e = errorFields(r.body);
    expect(e).toMatchObject({ type: 'invalid_request_error', param });
    expect(e.code).toBe(code);
    expect(e.message).toContain(param);
  });

  it('a body that is not an object', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await api.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect(errorFields(await res.json()).type).toBe('invalid_request_error');
    }
  });

  it('caps array sizes so no request does more than linear work', async () => {
    const messages = Array.from({ length: 5000 }, () => ({ role: 'user', content: 'x' }));
    const r = await api.post('/v1/count', { model: 'gpt-4o', messages });
    expect(r.status).toBe(400);
    expect(errorFields(r.body).param).toBe('messages');
  });
});

describe('404', () => {
  it('unknown model lists the closest models', async () => {
    const r = await api.post('/v1/count', { model: 'gpt4o', text: 'x' });
    expect(r.status).toBe(404);
    const e = errorFields(r.body);
    expect(e).toMatchObject({ type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
    expect(e.message).toMatch(/'gpt4o'/);
    expect(e.message).toMatch(/Did you mean .*'gpt-4o'/);
  });

  it('unknown encoding lists the closest encodings', async () => {
    const r = await api.post('/v1/tokenize', { encoding: 'cl100k', text: 'x' });
    expect(r.status).toBe(404);
    const e = errorFields(r.body);
    expect(e).toMatchObject({ param: 'encoding', code: 'encoding_not_found' });
    expect(e.message).toMatch(/Did you mean 'cl100k_base'/);
  });

  it('unknown route', async () => {
    for (const [method, path] of [
      ['GET', '/v2/count'],
      ['POST', '/v1/nope'],
      ['GET', '/v1/'],
    ]) {
      const res = await api.fetch(path, { method });
      expect(res.status).toBe(404);
      const e = errorFields(await res.json());
      expect(e).toMatchObject({ type: 'invalid_request_error', code: 'unknown_url' });
      expect(e.message).toContain(path);
    }
  });
});

describe('405', () => {
  it('wrong method names the allowed ones', async () => {
    for (const [method, path, allow] of [
      ['GET', '/v1/count', 'POST'],
      ['PUT', '/v1/tokenize', 'POST'],
      ['DELETE', '/v1/estimate', 'POST'],
      ['POST', '/v1/models', 'GET'],
      ['POST', '/healthz', 'GET'],
      ['PATCH', '/openapi.json', 'GET'],
    ]) {
      const res = await api.fetch(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toContain(allow);
      const e = errorFields(await res.json());
      expect(e).toMatchObject({ type: 'invalid_request_error', code: 'method_not_allowed' });
    }
  });
});

describe('413', () => {
  const big = JSON.stringify({ encoding: 'o200k_base', text: 'x'.repeat(1_100_000) });

  it('with Content-Length over the default 1 MiB', async () => {
    const res = await api.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(errorFields(await res.json())).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large' });
  });

  it('without Content-Length (streamed body) over the limit', async () => {
    const res = await api.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamOf(big), duplex: 'half' });
    expect(res.status).toBe(413);
    expect(errorFields(await res.json())).toMatchObject({ code: 'request_too_large' });
  });

  it('a streamed body under the limit is accepted', async () => {
    const res = await api.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamOf(JSON.stringify({ encoding: 'o200k_base', text: 'x'.repeat(500_000) })), duplex: 'half' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tokens: number }).tokens).toBeGreaterThan(0);
  });

  it('honours MAX_BODY_BYTES from the environment, with and without Content-Length', async () => {
    const body = JSON.stringify({ encoding: 'o200k_base', text: 'y'.repeat(2500) });
    const a = await small.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(a.status).toBe(413);
    expect(errorFields(await a.json()).message).toContain('2000');
    // One chunk: the worker answers 413 as soon as the limit is passed, without draining the
    // rest, and a client still writing further chunks may see the connection reset instead.
    const b = await small.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamOf(body, 1 << 20), duplex: 'half' });
    expect(b.status).toBe(413);
    const ok = await small.post('/v1/count', { encoding: 'o200k_base', text: 'y'.repeat(1500) });
    expect(ok.status).toBe(200);
  });
});

it('415 for a non-JSON content type', async () => {
  const res = await api.fetch('/v1/count', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<count/>' });
  expect(res.status).toBe(415);
  expect(errorFields(await res.json())).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_media_type' });
});

describe('CORS', () => {
  it('answers preflight requests', async () => {
    const res = await api.fetch('/v1/estimate', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('sets Access-Control-Allow-Origin on successes and on errors', async () => {
    const ok = await api.fetch('/v1/count', { method: 'POST', headers: { origin: 'https://app.example', 'content-type': 'application/json' }, body: JSON.stringify({ encoding: 'o200k_base', text: 'hi' }) });
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    const bad = await api.fetch('/v1/count', { method: 'POST', headers: { origin: 'https://app.example', 'content-type': 'application/json' }, body: '{' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
    const missing = await api.fetch('/v1/models/nope-model', { headers: { origin: 'https://app.example' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    // Browsers may read the gateway's own headers, and every response says how long the handler took.
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-tollgate-cost');
    expect(ok.headers.get('server-timing')).toMatch(/^app;dur=\d/);
  });
});

describe('service routes', () => {
  it('GET /healthz', async () => {
    const r = await api.get('/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', service: 'tollgate' });
  });

  it('GET / serves the playground from static assets', async () => {
    const res = await api.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/<!doctype html>/i);
  });

  it('Server-Timing reports handler time', async () => {
    const res = await api.fetch('/healthz');
    expect(res.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d+)?$/);
  });
});
