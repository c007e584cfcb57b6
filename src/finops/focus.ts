/**
 * FOCUS 1.2 (FinOps Open Cost and Usage Specification) columns shared by every Tollgate export:
 * the CLI's projected monthly costs (src/cli/commands/export.ts) and the gateway's actual usage
 * (src/tenants/usage/focus.ts). Each adds its own `x_` extension columns after these.
 */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
] as const;

/** Values every LLM usage row has in common. */
export const FOCUS_LLM_USAGE = {
  BillingCurrency: 'USD',
  ChargeCategory: 'Usage',
  ChargeClass: null,
  ChargeFrequency: 'Usage-Based',
  PricingCategory: 'Standard',
  ServiceCategory: 'AI and Machine Learning',
  ServiceSubcategory: 'Generative AI',
} as const;
