/** The Hono app: routes are mounted here, each in its own module under routes/. */
import { Hono } from 'hono';
import type { Env } from './env.js';
import { health } from './routes/health.js';

export function createApp() {
  const app = new Hono<{ Bindings: Env }>();
  app.route('/', health);
  return app;
}
