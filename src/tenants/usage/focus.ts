/**
 * Usage as FOCUS 1.2 (FinOps Open Cost and Usage Specification) cost-and-usage rows, one per
 * UTC day × provider × model × key × end user × tag set, or one per request. Costs are the
 * exact decimals of the ledger; Tollgate charges list prices, so BilledCost = EffectiveCost =
 * ListCost = ContractedCost. Tokens are the consumed and priced quantity (input + output).
 * Tollgate-specific columns carry the `x_` prefix the specification reserves for extensions.
 */
import { pricingTable } from '../../cost/table.js';
import { FOCUS_COLUMNS as BASE_COLUMNS, FOCUS_LLM_USAGE } from '../../finops/focus.js';
import type { ChargeRow, LedgerRow } from '../ledger/ledger-sql.js';

export const FOCUS_COLUMNS = [...BASE_COLUMNS, 'RegionId', 'RegionName', 'ResourceId', 'ResourceName', 'ResourceType', 'SkuPriceId', 'SubAccountId', 'SubAccountName', 'Tags', 'x_Requests', 'x_InputTokens', 'x_OutputTokens', 'x_RequestId'] as const;

export type FocusRow = Record<(typeof FOCUS_COLUMNS)[number], string | number | null>;



/** The provider's display name from the pricing table (`openai` → OpenAI). */
function providerName(id: string): string {
  return pricingTable().providers.find((p) => p.id === id)?.name ?? (id === 'demo' ? 'Tollgate demo' : id);
}

function monthOf(day: string): { start: string; end: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(y, m - 1, 1)).toISOString(), end: new Date(Date.UTC(y, m, 1)).toISOString() };
}

interface Common {
  tenant: string;
  tenantName?: string;
  provider: string | null;
  model: string | null;
  keyId: string;
  user: string | null;
  tags: Record<string, string>;
  cost: string;
  inputTokens: number;
  outputTokens: number;
  requests: number;
  start: string;
  end: string;
  billingDay: string;
  requestId: string | null;
}

function row(c: Common): FocusRow {
  const provider = c.provider ? providerName(c.provider) : 'Tollgate cache';
  const month = monthOf(c.billingDay);
  const tokens = c.inputTokens + c.outputTokens;
  return {
    ...FOCUS_LLM_USAGE,
    BilledCost: c.cost,
    BillingAccountId: 'tollgate',
    BillingAccountName: 'Tollgate gateway',
    BillingPeriodStart: month.start,
    BillingPeriodEnd: month.end,
    ChargeDescription: `${c.model ?? 'cached answers'}: ${c.requests} request${c.requests === 1 ? '' : 's'}, ${c.inputTokens} input and ${c.outputTokens} output tokens`,
    ChargePeriodStart: c.start,
    ChargePeriodEnd: c.end,
    ConsumedQuantity: tokens,
    ConsumedUnit: 'Tokens',
    ContractedCost: c.cost,
    ContractedUnitPrice: null,
    EffectiveCost: c.cost,
    InvoiceIssuerName: provider,
    ListCost: c.cost,
    ListUnitPrice: null,
    PricingQuantity: tokens,
    PricingUnit: 'Tokens',
    ProviderName: provider,
    PublisherName: provider,
    RegionId: null,
    RegionName: null,
    ResourceId: c.keyId,
    ResourceName: c.user ? `${c.keyId} (user ${c.user})` : c.keyId,
    ResourceType: 'Gateway API key',
    ServiceName: c.model ? `${provider} ${c.model}` : 'Tollgate response cache',
    SkuId: c.model ? `${c.provider}/${c.model}` : 'cache',
    SkuPriceId: null,
    SubAccountId: c.tenant,
    SubAccountName: c.tenantName ?? c.tenant,
    Tags: JSON.stringify({ tenant: c.tenant, key: c.keyId, ...(c.user ? { user: c.user } : {}), ...c.tags }),
    x_Requests: c.requests,
    x_InputTokens: c.inputTokens,
    x_OutputTokens: c.outputTokens,
    x_RequestId: c.requestId,
  };
}

export function focusFromCharge(tenant: string, r: ChargeRow, tenantName?: string): FocusRow {
  const start = `${r.day}T00:00:00.000Z`;
  const end = new Date(Date.parse(start) + 86_400_000).toISOString();
  return row({ tenant, ...(tenantName ? { tenantName } : {}), provider: r.provider, model: r.model, keyId: r.keyId, user: r.user, tags: r.tags, cost: r.cost, inputTokens: r.inputTokens, outputTokens: r.outputTokens, requests: r.requests, start, end, billingDay: r.day, requestId: null });
}

export function focusFromRecord(tenant: string, r: LedgerRow, tenantName?: string): FocusRow {
  const end = new Date(Date.parse(r.at) + Math.max(1, r.latencyMs)).toISOString();
  return row({ tenant, ...(tenantName ? { tenantName } : {}), provider: r.provider ?? null, model: r.model ?? null, keyId: r.keyId, user: r.user ?? null, tags: r.tags, cost: r.cost, inputTokens: r.promptTokens, outputTokens: r.outputTokens, requests: 1, start: r.at, end, billingDay: r.at.slice(0, 10), requestId: r.requestId });
}
