/**
 * JSON Schemas of every command's --json output, shipped as dist/cli/schemas/<name>.schema.json
 * and printed by `tollgate schema <name>`. The tests validate every JSON output against them.
 */
import { cost, costLine, count, document, isoDate, isoTime, money, percent, pricingTable, tokens } from './common.js';

const nullable = <T extends Record<string, unknown>>(s: T): Record<string, unknown> => ({ anyOf: [s, { type: 'null' }] });

const countSchema = document('count', 'tollgate count --json', 'Token counts of prompt files.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'model', 'encoding', 'files', 'total_tokens', 'exact'],
  properties: {
    object: { const: 'count' },
    model: { type: ['string', 'null'], description: 'Model whose tokenizer counted (null with --encoding).' },
    encoding: { type: ['string', 'null'] },
    files: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'kind', 'requests', 'tokens', 'exact', 'method'],
        properties: {
          file: { type: 'string' },
          kind: { enum: ['text', 'chat', 'jsonl'] },
          requests: count,
          tokens: count,
          exact: { type: 'boolean', description: 'false: an estimate (the model has no public tokenizer).' },
          method: { type: 'string', description: 'Encoding (o200k_base, …) or estimation method (claude-o200k-ratio, …).' },
        },
      },
    },
    total_tokens: count,
    exact: { type: 'boolean' },
  },
});

const estimateItem = {
  type: 'object',
  additionalProperties: false,
  required: ['model', 'provider', 'input_tokens', 'output_tokens', 'total', 'currency', 'exact', 'method', 'service_tier', 'price_since', 'pricing_version', 'lines', 'warnings'],
  properties: {
    model: { type: 'string' },
    provider: { type: 'string' },
    input_tokens: count,
    output_tokens: count,
    total: cost,
    currency: { const: 'USD' },
    exact: { type: 'boolean' },
    method: { type: 'string' },
    service_tier: { type: 'string', description: 'The service tier priced: standard, batch, flex, priority or fast.' },
    range: {
      type: 'object',
      description: 'For models priced by time of day when no time was given: the lowest and highest total over the day (total is the highest).',
      additionalProperties: false,
      required: ['min', 'max'],
      properties: { min: cost, max: cost },
    },
    price_since: isoDate,
    pricing_version: { type: 'string' },
    lines: { type: 'array', items: costLine },
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

const estimateSchema = document('estimate', 'tollgate estimate --json', 'One request (or the sum of a JSONL file\'s requests) priced per model, cheapest first.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'requests', 'estimates'],
  properties: {
    object: { const: 'estimate' },
    requests: { type: 'integer', minimum: 1 },
    estimates: { type: 'array', minItems: 1, items: estimateItem },
  },
});

const limits = {
  type: 'object',
  additionalProperties: false,
  required: ['per_request', 'per_month'],
  properties: { per_request: nullable(cost), per_month: nullable(cost) },
} as const;

const checkSchema = document('check', 'tollgate check --json', 'The project priced against its budgets; exit code 1 when ok is false.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'ok', 'currency', 'date', 'pricing', 'budget', 'total', 'prompts', 'violations'],
  properties: {
    object: { const: 'check' },
    ok: { type: 'boolean' },
    currency: { const: 'USD' },
    date: { anyOf: [isoDate, { type: 'null' }], description: 'Price date (null: today).' },
    pricing: pricingTable,
    budget: nullable({ type: 'object', additionalProperties: false, required: ['amount', 'per'], properties: { amount: cost, per: { enum: ['month', 'request'] } } }),
    total: {
      type: 'object',
      additionalProperties: false,
      required: ['monthly_cost', 'limit', 'over'],
      properties: { monthly_cost: cost, limit: nullable(cost), over: { type: 'boolean' } },
    },
    prompts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'model', 'provider', 'files', 'samples', 'input_tokens', 'output_tokens', 'requests_per_month', 'cost_per_request', 'monthly_cost', 'exact', 'limits', 'over', 'warnings'],
        properties: {
          name: { type: 'string' },
          model: { type: 'string' },
          provider: { type: 'string' },
          files: { type: 'array', items: { type: 'string' } },
          samples: { type: 'integer', minimum: 1, description: 'Requests priced (files, JSONL lines); costs are their mean.' },
          input_tokens: tokens,
          output_tokens: count,
          requests_per_month: { type: ['integer', 'null'], minimum: 0 },
          cost_per_request: cost,
          monthly_cost: nullable(cost),
          exact: { type: 'boolean' },
          limits,
          over: { type: 'boolean' },
          warnings: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    violations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['scope', 'per', 'limit', 'actual', 'excess'],
        properties: { scope: { enum: ['project', 'prompt'] }, prompt: { type: 'string' }, per: { enum: ['month', 'request'] }, limit: cost, actual: cost, excess: cost },
      },
    },
  },
});

const diffPrompt = nullable({
  type: 'object',
  additionalProperties: false,
  required: ['model', 'provider', 'files', 'samples', 'input_tokens', 'output_tokens', 'requests_per_month', 'cost_per_request', 'monthly_cost', 'exact', 'warnings'],
  properties: {
    model: { type: 'string' },
    provider: { type: 'string' },
    files: { type: 'array', items: { type: 'string' } },
    samples: { type: 'integer', minimum: 1 },
    input_tokens: tokens,
    output_tokens: count,
    requests_per_month: { type: ['integer', 'null'], minimum: 0 },
    cost_per_request: cost,
    monthly_cost: nullable(cost),
    exact: { type: 'boolean' },
    warnings: { type: 'array', items: { type: 'string' }, description: "The library's warnings for this prompt's estimates (e.g. a deprecated model)." },
  },
});

const refSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ref', 'commit', 'config'],
  properties: { ref: { type: 'string' }, commit: { type: 'string', pattern: '^[0-9a-f]{40,64}$' }, config: { type: ['string', 'null'], description: 'Project file at this ref (null: none).' } },
} as const;

const diffSchema = document('diff', 'tollgate diff --json', 'The project priced at two git refs, prompt by prompt.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'base', 'head', 'currency', 'date', 'pricing', 'headline', 'total', 'prompts', 'policy'],
  properties: {
    object: { const: 'diff' },
    base: refSchema,
    head: refSchema,
    currency: { const: 'USD' },
    date: { anyOf: [isoDate, { type: 'null' }] },
    pricing: pricingTable,
    headline: { type: 'string' },
    total: {
      type: 'object',
      additionalProperties: false,
      required: ['monthly_before', 'monthly_after', 'monthly_change', 'percent_change'],
      properties: { monthly_before: cost, monthly_after: cost, monthly_change: money, percent_change: percent },
    },
    prompts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'status', 'model_changed', 'before', 'after', 'monthly_change', 'percent_change'],
        properties: {
          name: { type: 'string' },
          status: { enum: ['added', 'removed', 'changed', 'unchanged'] },
          model_changed: { type: 'boolean' },
          before: diffPrompt,
          after: diffPrompt,
          monthly_change: money,
          percent_change: percent,
        },
      },
    },
    policy: {
      type: 'object',
      additionalProperties: false,
      required: ['fail_on_increase_percent', 'failed'],
      properties: { fail_on_increase_percent: { type: ['number', 'null'], minimum: 0 }, failed: { type: 'boolean' } },
    },
  },
});

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const decimal = { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$' } as const;

/** FOCUS 1.2 cost-and-usage row as exported (decimals as exact strings; Tags / SkuPriceDetails as serialized JSON, per FOCUS KeyValueFormat). */
const focusRow = {
  type: 'object',
  additionalProperties: false,
  required: [
    'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargeClass',
    'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice',
    'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName',
    'ServiceCategory', 'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'Tags',
    'x_PromptName', 'x_Model', 'x_RequestsPerMonth', 'x_TokenCountExact', 'x_PricingVersion',
  ],
  properties: {
    BilledCost: decimal,
    BillingAccountId: str,
    BillingAccountName: strOrNull,
    BillingCurrency: { const: 'USD' },
    BillingPeriodEnd: isoTime,
    BillingPeriodStart: isoTime,
    ChargeCategory: { const: 'Usage' },
    ChargeClass: { type: 'null' },
    ChargeDescription: str,
    ChargeFrequency: { const: 'Usage-Based' },
    ChargePeriodEnd: isoTime,
    ChargePeriodStart: isoTime,
    ConsumedQuantity: decimal,
    ConsumedUnit: str,
    ContractedCost: decimal,
    ContractedUnitPrice: decimal,
    EffectiveCost: decimal,
    InvoiceIssuerName: str,
    ListCost: decimal,
    ListUnitPrice: decimal,
    PricingCategory: { const: 'Standard' },
    PricingQuantity: decimal,
    PricingUnit: str,
    ProviderName: str,
    PublisherName: str,
    ServiceCategory: { const: 'AI and Machine Learning' },
    ServiceName: str,
    ServiceSubcategory: { const: 'Generative AI' },
    SkuId: str,
    SkuMeter: str,
    SkuPriceDetails: str,
    SkuPriceId: str,
    Tags: str,
    x_PromptName: str,
    x_Model: str,
    x_RequestsPerMonth: { type: 'string', pattern: '^[0-9]+$' },
    x_TokenCountExact: { enum: ['true', 'false'] },
    x_PricingVersion: str,
  },
} as const;

const exportSchema = document('export', 'tollgate export --json', 'Projected monthly costs as FOCUS 1.2 cost-and-usage rows.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'focus_version', 'charge_period', 'pricing', 'rows'],
  properties: {
    object: { const: 'export' },
    focus_version: { const: '1.2' },
    charge_period: { type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { start: isoTime, end: isoTime } },
    pricing: pricingTable,
    rows: { type: 'array', items: focusRow },
  },
});

const pricingListSchema = document('pricing-list', 'tollgate pricing list --json', 'Models of the pricing table in use, with the prices in force today (USD per million tokens).', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'pricing', 'data'],
  properties: {
    object: { const: 'list' },
    pricing: pricingTable,
    data: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'provider', 'name', 'kind', 'aliases', 'price_since', 'input', 'output', 'cached_input', 'cache_write_5m', 'cache_write_1h', 'context_window', 'max_output', 'exact', 'source', 'checked'],
        properties: {
          id: str,
          provider: str,
          name: str,
          kind: { enum: ['chat', 'embedding', 'transcription', 'speech', 'realtime'] },
          aliases: { type: 'array', items: str },
          price_since: isoDate,
          input: nullable(decimal),
          output: nullable(decimal),
          cached_input: nullable(decimal),
          cache_write_5m: nullable(decimal),
          cache_write_1h: nullable(decimal),
          context_window: { type: ['integer', 'null'] },
          max_output: { type: ['integer', 'null'] },
          exact: { type: 'boolean' },
          source: str,
          checked: isoDate,
        },
      },
    },
  },
});

const pricingShowSchema = document('pricing-show', 'tollgate pricing show --json', 'The pricing table in use and, when asked for, one model as the pricing bundle holds it.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'table', 'model'],
  properties: {
    object: { const: 'pricing' },
    table: pricingTable,
    model: nullable({
      type: 'object',
      description: 'The model entry of the pricing bundle (see pricing/schema.json).',
      required: ['id', 'provider', 'name', 'kind', 'prices', 'source', 'checked'],
      properties: { id: str, provider: str, name: str, kind: str, prices: { type: 'array', minItems: 1, items: { type: 'object', required: ['since'], properties: { since: isoDate } } }, source: str, checked: isoDate },
    }),
  },
});

const pricingUpdateSchema = document('pricing-update', 'tollgate pricing update --json', 'A signed pricing table verified and installed for later runs.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'version', 'models', 'path', 'previous_version'],
  properties: { object: { const: 'pricing.update' }, version: str, models: count, path: str, previous_version: str },
});

const pricingResetSchema = document('pricing-reset', 'tollgate pricing reset --json', 'The installed pricing update removed.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'removed', 'path', 'version'],
  properties: { object: { const: 'pricing.reset' }, removed: { type: 'boolean' }, path: str, version: str },
});

const disagreement = {
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'model', 'field', 'ours', 'theirs'],
  properties: { provider: str, model: str, field: str, ours: str, theirs: str, reason: str },
} as const;

const pricingCheckSchema = document('pricing-check', 'tollgate pricing check --json', 'The table in use compared with @pydantic/genai-prices; exit code 1 when unexplained is not empty.', {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'date', 'max_age_days', 'pricing', 'compared', 'disagreements', 'explained', 'unexplained', 'missing', 'stale', 'unusedAllowances'],
  properties: {
    object: { const: 'pricing.check' },
    date: isoDate,
    max_age_days: count,
    pricing: pricingTable,
    compared: count,
    disagreements: { type: 'array', items: disagreement },
    explained: { type: 'array', items: { ...disagreement, required: [...disagreement.required, 'reason'] } },
    unexplained: { type: 'array', items: disagreement },
    missing: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['provider', 'model'], properties: { provider: str, model: str } } },
    stale: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['provider', 'model', 'checked'], properties: { provider: str, model: str, checked: isoDate } } },
    unusedAllowances: { type: 'array', items: { type: 'object', required: ['provider', 'model', 'field', 'reason'], properties: { provider: str, model: str, field: str, reason: str, reviewed: str } } },
  },
});

const usageRow = {
  type: 'object',
  required: ['requests', 'input_tokens', 'cached_tokens', 'output_tokens', 'reasoning_tokens', 'cost'],
  properties: { group: str, requests: count, input_tokens: count, cached_tokens: count, output_tokens: count, reasoning_tokens: count, cost },
} as const;

const statsSchema = document('stats', 'tollgate stats --json', "One day's usage from a Tollgate proxy's usage API, with the daily-limit check.", {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'url', 'tenant', 'date', 'start', 'end', 'group_by', 'data', 'total', 'daily_limit'],
  properties: {
    object: { const: 'stats' },
    url: str,
    tenant: strOrNull,
    date: isoDate,
    start: str,
    end: str,
    group_by: str,
    data: { type: 'array', items: { ...usageRow, required: [...usageRow.required, 'group'] } },
    total: usageRow,
    daily_limit: nullable({ type: 'object', additionalProperties: false, required: ['limit', 'cost', 'exceeded'], properties: { limit: cost, cost, exceeded: { type: 'boolean' } } }),
  },
});

const errorSchema = document('error', 'tollgate … --json (on failure)', 'What every command prints on stdout with --json when it fails (exit code 2); stderr has the same message.', {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['message', 'type', 'code'],
      properties: { message: str, type: str, code: str },
    },
  },
});

export const OUTPUT_SCHEMAS: Record<string, Record<string, unknown>> = {
  count: countSchema,
  estimate: estimateSchema,
  check: checkSchema,
  diff: diffSchema,
  export: exportSchema,
  'pricing-list': pricingListSchema,
  'pricing-show': pricingShowSchema,
  'pricing-update': pricingUpdateSchema,
  'pricing-reset': pricingResetSchema,
  'pricing-check': pricingCheckSchema,
  stats: statsSchema,
  error: errorSchema,
};
