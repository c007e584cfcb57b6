/**
 * The JSON Schema of the project file (tollgate.yml / tollgate.json). Published as
 * dist/cli/schemas/tollgate.schema.json (`tollgate schema config`); the CLI validates with a
 * validator generated from it at build time, so the rules users read are the rules applied.
 */
import { document, isoDate } from './common.js';

const MAX_TOKENS = 1_000_000_000_000;
const tokenCount = { type: 'integer', minimum: 0, maximum: MAX_TOKENS } as const;
const usdAmount = {
  description: 'USD, as a decimal string ("0.25") or a number.',
  anyOf: [
    { type: 'string', pattern: '^\\$?(0|[1-9][0-9]*)(\\.[0-9]{1,24})?$' },
    { type: 'number', minimum: 0 },
  ],
} as const;
const nonEmpty = { type: 'string', pattern: '\\S' } as const;
const tags = {
  type: 'object',
  description: 'Key/value tags carried into exports (FOCUS Tags) and reports.',
  propertyNames: { pattern: '^[^\\s=]+$' },
  additionalProperties: { type: ['string', 'number', 'boolean'] },
} as const;
const budget = {
  type: 'object',
  description: 'Spending limits checked by `tollgate check`.',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    per_request: { ...usdAmount, description: 'Most a single request of a prompt may cost (USD).' },
    per_month: { ...usdAmount, description: 'Most a prompt (or, at the top level, the whole project) may cost per month (USD).' },
  },
} as const;

/** Settings a prompt takes and `defaults` provides. */
const settings = {
  model: { ...nonEmpty, description: 'Model id or alias from the pricing table, e.g. gpt-4o, claude-sonnet-4-5.' },
  output_tokens: { ...tokenCount, description: 'Expected output tokens per request (reasoning included).' },
  reasoning_tokens: { ...tokenCount, description: 'Part of output_tokens that is reasoning.' },
  input_tokens: { ...tokenCount, description: 'Prompt tokens per request, for prompts without a file.' },
  requests_per_month: { type: 'integer', minimum: 0, maximum: MAX_TOKENS, description: 'How often the prompt is sent; monthly cost = cost per request × this.' },
  cache: {
    type: 'object',
    description: 'Prompt caching: a hit ratio, or tokens read from / written to the cache per request.',
    additionalProperties: false,
    properties: {
      hit_ratio: { type: 'number', minimum: 0, maximum: 1, description: 'Fraction of the input tokens read from the cache.' },
      read_tokens: tokenCount,
      write_tokens: tokenCount,
      ttl: { enum: ['5m', '30m', '1h', '12h'], description: 'Lifetime of cache writes (Anthropic 5m / 1h, OpenAI 30m / 12h).' },
    },
    not: { anyOf: [{ required: ['hit_ratio', 'read_tokens'] }, { required: ['hit_ratio', 'write_tokens'] }] },
  },
  batch: { type: 'boolean', description: 'Sent through the provider\'s Batch API (discounted prices).' },
  service_tier: { ...nonEmpty, description: 'Service tier the requests use: standard, flex, priority, batch, fast (or the request\'s service_tier value).' },
  images: {
    type: 'array',
    description: 'Images sent with every request: a file (size read from its header) or a pixel size.',
    items: {
      type: 'object',
      additionalProperties: false,
      properties: {
        file: nonEmpty,
        width: { type: 'integer', minimum: 1 },
        height: { type: 'integer', minimum: 1 },
        detail: { enum: ['low', 'high', 'auto'] },
      },
      oneOf: [{ required: ['file'], not: { anyOf: [{ required: ['width'] }, { required: ['height'] }] } }, { required: ['width', 'height'], not: { required: ['file'] } }],
    },
  },
  audio: {
    type: 'array',
    description: 'Audio sent with every request: a file (duration read from it) or seconds.',
    items: {
      type: 'object',
      additionalProperties: false,
      properties: { file: nonEmpty, seconds: { type: 'number', minimum: 0 } },
      oneOf: [{ required: ['file'], not: { required: ['seconds'] } }, { required: ['seconds'], not: { required: ['file'] } }],
    },
  },
  tags,
  budget,
} as const;

export const projectSchema = document(
  'tollgate',
  'Tollgate project file',
  'tollgate.yml (or .yaml / .json): the LLM calls of a repository, priced by `tollgate check`, `diff` and `export`.',
  {
    type: 'object',
    additionalProperties: false,
    required: ['prompts'],
    properties: {
      $schema: { type: 'string' },
      version: { const: 1, description: 'Version of this file format.' },
      project: { ...nonEmpty, description: 'Name of the project (FOCUS BillingAccountId in exports).' },
      date: { ...isoDate, description: 'Price prompts at the prices in force on this day (default: today).' },
      currency: { const: 'USD', description: 'Currency of budgets and reports; prices are in USD.' },
      tags,
      budget,
      defaults: { type: 'object', additionalProperties: false, properties: settings, description: 'Settings every prompt inherits.' },
      prompts: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { ...nonEmpty, description: 'Unique name of the prompt (the call site).' },
            file: {
              description: 'Prompt file(s), globs relative to this file: text or Markdown, JSON chat messages (+ tools), or JSONL with one request per line. Every match is a sample; the cost per request is their mean.',
              anyOf: [nonEmpty, { type: 'array', minItems: 1, items: nonEmpty }],
            },
            ...settings,
          },
        },
      },
    },
  },
);
