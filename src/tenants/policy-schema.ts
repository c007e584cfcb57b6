/**
 * Tenant policy: budgets, rate limits, per-user limits and alerts. Definitions only — the
 * counters live in the tenant's Durable Object (./ledger/tenant-ledger.ts). The same Budget and
 * Limits shapes apply per tenant, per key (on the key record) and per end user.
 */
import { z } from 'zod';

/** USD as a decimal string, e.g. "1.00" (never a float). */
export const UsdAmount = z
  .string()
  .max(40)
  .regex(/^(0|[1-9][0-9]{0,14})(\.[0-9]{1,18})?$/, 'must be a non-negative decimal string of USD, e.g. "1.00"')
  .describe('USD as a decimal string');

export const Period = z.enum(['hour', 'day', 'week', 'month']);
export type Period = z.infer<typeof Period>;

export const BudgetAction = z.enum(['block', 'warn', 'downgrade']);

export const Budget = z
  .strictObject({
    amount: UsdAmount,
    period: Period,
    rolling: z.boolean().default(false).describe('false: calendar periods in the tenant time zone (weeks start on Monday); true: the last hour/day/7 days/30 days'),
    model: z.string().min(1).max(256).optional().describe('Counts only requests for this model (canonical id)'),
    route: z.string().min(1).max(64).optional().describe('Counts only requests for this route'),
    action: BudgetAction.default('block'),
    downgradeTo: z.string().min(1).max(64).optional().describe('Route served instead once the budget is reached (action downgrade)'),
    alerts: z.array(z.number().int().min(1).max(1000)).max(10).default([]).describe('Percentages of the budget that fire an alert once per period, e.g. [50, 80, 100]'),
  })
  .superRefine((b, ctx) => {
    if (b.action === 'downgrade' && !b.downgradeTo) ctx.addIssue({ code: 'custom', path: ['downgradeTo'], message: 'required when action is downgrade' });
    if (b.action !== 'downgrade' && b.downgradeTo) ctx.addIssue({ code: 'custom', path: ['downgradeTo'], message: 'only valid with action downgrade' });
  });
export type Budget = z.infer<typeof Budget>;

const Count = z.number().int().min(1).max(1e12);

export const Limits = z.strictObject({
  requestsPerMinute: Count.optional(),
  tokensPerMinute: Count.optional(),
  tokensPerDay: Count.optional(),
  concurrent: z.number().int().min(1).max(100_000).optional().describe('Requests in flight at once'),
});
export type Limits = z.infer<typeof Limits>;

/** Valid IANA time zone (as the runtime's Intl knows it). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone');

export const TenantPolicy = z.strictObject({
  name: z.string().max(200).optional(),
  status: z.enum(['active', 'disabled']).default('active'),
  timezone: TimeZone.default('UTC'),
  budgets: z.array(Budget).max(32).default([]),
  limits: Limits.default({}),
  users: z
    .strictObject({ budgets: z.array(Budget).max(16).default([]), limits: Limits.default({}) })
    .optional()
    .describe('Limits applied to each end user (x-tollgate-user) separately'),
  models: z.array(z.string().min(1).max(256)).max(256).optional().describe('Models and routes this tenant may use (default: all)'),
  alerts: z
    .strictObject({ webhook: z.url({ protocol: /^https?$/ }).max(2048), secret: z.string().min(1).max(8192).describe('HMAC-SHA-256 signing secret: env:NAME or a literal (encrypted at rest)') })
    .optional(),
});
export type TenantPolicy = z.infer<typeof TenantPolicy>;
