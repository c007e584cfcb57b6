/**
 * GET /openapi.json (generated from the zod schemas that validate requests) and GET /docs
 * (an HTML page rendered from that same document by the worker; no external scripts).
 */
import { Hono } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from '../env.js';
import { renderDocs, type OpenApiDocument } from '../docs-html.js';

export const API_INFO = {
  title: 'Tollgate API',
  version: '0.1.0',
  description:
    'Exact token counting and LLM cost estimation at the edge. Counts for models with a public tokenizer are identical to tiktoken; others are labelled estimates. Every error has the OpenAI shape `{"error": {"message", "type", "param", "code"}}`.',
  license: { name: 'MIT' },
};

export function docs(app: OpenAPIHono<{ Bindings: Env }>) {
  let cached: OpenApiDocument | undefined;
  let html: string | undefined;
  const document = (): OpenApiDocument => {
    cached ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: API_INFO,
      tags: [
        { name: 'Tokens', description: 'Count and tokenize text and chats.' },
        { name: 'Cost', description: 'Estimate what a request will cost.' },
        { name: 'Models', description: 'Known models with prices, context windows and tokenizers.' },
        { name: 'Service', description: 'Health and documentation.' },
      ],
    }) as unknown as OpenApiDocument;
    return cached;
  };
  return new Hono<{ Bindings: Env }>()
    .get('/openapi.json', (c) => c.json(document()))
    .get('/docs', (c) => {
      html ??= renderDocs(document());
      return c.html(html);
    });
}
