/**
 * The Hono app. Routes live one per module under routes/, request/response schemas under
 * schemas/, and every error is rendered by errors.ts (validation hook, onError, notFound,
 * 405), so all failures share the OpenAI error shape.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { corsAndTiming } from './cors.js';
import type { Env } from './env.js';
import { errorResponse as proxyErrorResponse, formatOfPath } from '../proxy/errors.js';
import { ApiError, errorResponse, fromZodError } from './errors.js';
import { admin } from './routes/admin.js';
import { count } from './routes/count.js';
import { docs } from './routes/docs.js';
import { estimate } from './routes/estimate.js';
import { health } from './routes/health.js';
import { models } from './routes/models.js';
import { proxy } from './routes/proxy.js';
import { tokenize } from './routes/tokenize.js';
import { usage } from './routes/usage.js';
import { pricingRefresh } from './pricing-refresh.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Read and discard an oversized body whose Content-Length is at most 8× the limit before
 * answering 413. Answering while the client is still sending makes the runtime close the
 * connection with bytes unread, and the client sees a reset instead of the 413 (HTTP servers
 * such as Node's and nginx's drain for the same reason). Larger bodies are not read.
 */
async function drainDeclaredBody(req: Request, limit: number): Promise<void> {
  const header = req.headers.get('content-length');
  const declared = Number(header);
  // Streamed bodies (no Content-Length) were already being read when the limit was passed.
  if (header === null || !req.body || req.bodyUsed || !Number.isSafeInteger(declared) || declared > limit * 8) return;
  try {
    const reader = req.body.getReader();
    for (let read = 0; read <= declared; ) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away; there is nobody left to answer.
  }
}

export function maxBodyBytes(env: Env | undefined): number {
  const n = Number(env?.MAX_BODY_BYTES);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_BODY_BYTES;
}

export type App = OpenAPIHono<{ Bindings: Env }>;

export function createApp(): App {
  const app: App = new OpenAPIHono<{ Bindings: Env }>({
    // Validation failures become 400s naming the offending field.
    defaultHook: (result) => {
      if (!result.success) throw fromZodError(result.error, result.target, (result as { data?: unknown }).data);
    },
  });

  // Handler time for clients and the benchmark (workerd's clock only advances on I/O), and CORS.
  app.use('*', corsAndTiming());

  // Bodies: at most MAX_BODY_BYTES, whether or not Content-Length is sent (bodyLimit counts
  // streamed bytes when it is absent). One bodyLimit per limit, not one per request.
  const limiters = new Map<number, MiddlewareHandler>();
  const limiterFor = (max: number): MiddlewareHandler => {
    let l = limiters.get(max);
    if (!l) {
      l = bodyLimit({
        maxSize: max,
        onError: async (c) => {
          await drainDeclaredBody(c.req.raw, max);
          throw new ApiError(413, `Request body too large: the limit is ${max} bytes.`, 'invalid_request_error', null, 'request_too_large');
        },
      });
      limiters.set(max, l);
    }
    return l;
  };
  const limitBody: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT') return next();
    // Browsers may send JSON as text/plain (a "simple" request, no preflight): treat a
    // missing or text/plain Content-Type as JSON. Other types get a 415.
    const type = c.req.raw.headers.get('content-type');
    if (!type || (!type.startsWith('application/json') && /^text\/plain\b/i.test(type))) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('content-type', 'application/json');
      c.req.raw = new Request(c.req.raw, { headers });
    }
    return limiterFor(maxBodyBytes(c.env))(c, next);
  };
  app.use('/v1/*', limitBody);
  app.use('/admin/*', limitBody);

  // Signed pricing updates published to KV take effect without a deploy.
  app.use('/v1/*', pricingRefresh);

  app.route('/', health);
  app.route('/', count);
  app.route('/', tokenize);
  app.route('/', estimate);
  app.route('/', models);
  app.route('/', proxy());
  app.route('/', usage());
  app.route('/', admin() as unknown as App);
  app.route('/', docs(app));

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length) {
      c.header('Allow', allowed.join(', '));
      return errorResponse(c, new ApiError(405, `Method ${c.req.method} is not allowed on ${c.req.path}. Allowed: ${allowed.join(', ')}.`, 'invalid_request_error', null, 'method_not_allowed'));
    }
    return errorResponse(c, new ApiError(404, `Invalid URL (${c.req.method} ${c.req.path}). See /docs for the API.`, 'invalid_request_error', null, 'unknown_url'));
  });
  // /v1/messages speaks Anthropic's error shape, even for failures before its handler runs (413, 415).
  app.onError((err, c) => (formatOfPath(c.req.path) === 'anthropic' ? proxyErrorResponse('anthropic', err) : errorResponse(c, err)));
  return app;
}

const patterns = new WeakMap<object, { re: RegExp; method: string }[]>();

/** Methods with a route matching `path` (for 405 + Allow). */
function allowedMethods(app: App, path: string): string[] {
  let list = patterns.get(app);
  if (!list) {
    list = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({
        method: r.method,
        re: new RegExp(
          '^' +
            r.path
              .split(/(:[A-Za-z_]\w*(?:\{[^}]*\})?|\*)/)
              .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? (part.includes('{') ? part.slice(part.indexOf('{') + 1, -1) : '[^/]+') : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
              .join('') +
            '/?$',
        ),
      }));
    patterns.set(app, list);
  }
  const methods = new Set<string>();
  for (const { re, method } of list) if (re.test(path)) methods.add(method);
  if (methods.has('GET')) methods.add('HEAD');
  if (methods.size) methods.add('OPTIONS');
  return [...methods];
}
