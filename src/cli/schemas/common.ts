/** Pieces shared by the CLI's JSON Schemas (draft 2020-12). */

export const SCHEMA_DRAFT = 'https://json-schema.org/draft/2020-12/schema';
export const SCHEMA_BASE = 'https://tollgate.dev/schemas/cli/';

/** An exact decimal amount of USD as a string, e.g. "0.000375" (may be negative for changes). */
export const money = { type: 'string', pattern: '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$', description: 'Exact decimal amount of USD.' } as const;
/** A non-negative exact decimal amount of USD. */
export const cost = { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', description: 'Exact decimal amount of USD.' } as const;
/** A percent change with two fraction digits, or null when there was nothing before. */
export const percent = { type: ['string', 'null'], pattern: '^-?(0|[1-9][0-9]*)(\\.[0-9]{1,2})?$', description: 'Change in percent (two fraction digits); null when the base was zero.' } as const;
export const count = { type: 'integer', minimum: 0 } as const;
/** Token counts per request can be a mean over several samples, hence a number. */
export const tokens = { type: 'number', minimum: 0 } as const;
export const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
export const isoTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' } as const;

/** One line of a cost breakdown (as the library's CostLine, snake_case). */
export const costLine = {
  type: 'object',
  additionalProperties: false,
  required: ['component', 'quantity', 'unit', 'unit_price', 'cost'],
  properties: {
    component: { type: 'string', description: 'input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, image, audio_input, audio_output, …' },
    quantity: { type: 'number', minimum: 0 },
    unit: { type: 'string', description: 'token | image | minute | character | request' },
    unit_price: cost,
    cost,
  },
} as const;

/** Which pricing table priced the output. */
export const pricingTable = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'version', 'built_in_version'],
  properties: {
    source: { enum: ['built-in', 'installed'] },
    version: { type: 'string' },
    built_in_version: { type: 'string' },
    path: { type: 'string' },
    installed_version: { type: 'string' },
    installed_at: { type: 'string' },
    note: { type: 'string' },
  },
} as const;

export function document(name: string, title: string, description: string, body: Record<string, unknown>): Record<string, unknown> {
  return { $schema: SCHEMA_DRAFT, $id: `${SCHEMA_BASE}${name}.schema.json`, title, description, ...body };
}
