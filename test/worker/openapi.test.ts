/** GET /openapi.json (generated from the validating zod schemas) and the /docs page it renders. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './helpers.js';

let api: Api;
let doc: any;
beforeAll(async () => {
  api = await startApi('openapi');
  const r = await api.get('/openapi.json');
  expect(r.status).toBe(200);
  doc = r.body;
});
afterAll(async () => {
  await api?.mf.dispose();
});

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

const OPERATIONS: [string, string, string | null][] = [
  ['/v1/count', 'post', 'CountRequest'],
  ['/v1/tokenize', 'post', 'TokenizeRequest'],
  ['/v1/estimate', 'post', 'EstimateRequest'],
  ['/v1/models', 'get', null],
  ['/v1/models/{id}', 'get', null],
];

describe('openapi.json', () => {
  it('is an OpenAPI 3.1 document with info and every API path', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [path, method] of OPERATIONS) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(Object.keys(doc.paths).some((p) => p.includes('{.+}'))).toBe(false);
  });

  it('every $ref resolves and every component schema is referenced', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const r of all) {
      expect(r).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[r.split('/').pop()!], r).toBeDefined();
    }
    const used = new Set(all.map((r) => r.split('/').pop()));
    for (const name of Object.keys(doc.components.schemas)) expect(used.has(name), `${name} unreferenced`).toBe(true);
  });

  it('request bodies reference the schemas that validate them', async () => {
    for (const [path, method, schema] of OPERATIONS) {
      const op = doc.paths[path][method];
      expect(op.responses['200'].content['application/json'].schema).toBeDefined();
      if (!schema) continue;
      expect(op.requestBody.required).toBe(true);
      expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${schema}` });
      for (const status of ['400', '404', '413']) expect(op.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
    // The document and the validator agree: each documented field is accepted with the right
    // type, and an undocumented one is rejected.
    const est = doc.components.schemas.EstimateRequest;
    expect(est.additionalProperties).toBe(false);
    expect(Object.keys(est.properties)).toEqual(
      expect.arrayContaining(['model', 'models', 'input', 'messages', 'input_tokens', 'output_tokens', 'max_tokens', 'cache', 'cache_hit_ratio', 'batch', 'images', 'audio']),
    );
    expect(est.properties.models.maxItems).toBe(32);
    const count = doc.components.schemas.CountRequest;
    expect(Object.keys(count.properties).sort()).toEqual(['count_with', 'encoding', 'messages', 'model', 'text', 'tools']);
    expect(count.properties.count_with.enum).toEqual(['tollgate', 'provider']);
    expect(doc.components.schemas.CountResponse.properties.provider_count).toEqual({ $ref: '#/components/schemas/ProviderCount' });
    expect(count.properties.messages.maxItems).toBeGreaterThan(0);
    const bad = await api.post('/v1/count', { model: 'gpt-4o', text: 'x', undocumented: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('undocumented');
  });

  it('documents the id path parameter and the provider query parameter', () => {
    const one = doc.paths['/v1/models/{id}'].get;
    expect(one.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]));
    const list = doc.paths['/v1/models'].get;
    expect(list.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'provider', in: 'query' })]));
  });

  it('the Error schema is the OpenAI error envelope', () => {
    const err = doc.components.schemas.Error;
    expect(err.required).toEqual(['error']);
    expect(Object.keys(err.properties.error.properties).sort()).toEqual(['code', 'message', 'param', 'type']);
  });
});

describe('/docs', () => {
  it('renders every operation and schema as self-contained HTML', async () => {
    const res = await api.fetch('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    for (const [path, method] of OPERATIONS) expect(html).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
    for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    // Field descriptions from the zod schemas appear in the tables.
    expect(html).toContain('<code>cache_hit_ratio</code>');
    expect(html).toContain('Alias of <code>output_tokens</code>');
    // Offline and CSP-friendly: no scripts, no external resources.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });
});
