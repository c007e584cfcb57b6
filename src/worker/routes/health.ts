/** Liveness: answers without touching the tokenizer, so it stays cheap under load. */
import { Hono } from 'hono';
import type { Env } from '../env.js';

export const health = new Hono<{ Bindings: Env }>().get('/healthz', (c) =>
  c.json({ status: 'ok', service: 'tollgate', version: '0.1.0' }),
);
