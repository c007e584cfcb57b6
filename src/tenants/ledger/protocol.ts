/**
 * What the worker and a tenant's Durable Object say to each other: one `reserve` before the
 * upstream call and one `settle` after it. The worker sends the policy it has cached, so the
 * object never reads KV on the hot path; the object holds every counter.
 */
import type { UsageRecord } from '../../proxy/accounting/record.js';
import type { Budget, Limits } from '../policy-schema.js';

/** Whose counter: the tenant, one key (`key:<id>`), or one end user (`user:<id>`). */
export type Scope = string;

export interface ScopedLimits {
  scope: Scope;
  limits: Limits;
}

export interface ScopedBudget {
  scope: Scope;
  budget: Budget;
}

export interface ReserveRequest {
  requestId: string;
  now: number;
  keyId: string;
  /** Route or model name as requested, and the models that may serve it (budget filters). */
  route: string;
  models: string[];
  /** Worst-case cost in 1e-24 USD, as a decimal integer string. */
  worstUnits: string;
  /** Worst-case tokens (prompt + max output), for token limits. */
  worstTokens: number;
  limits: ScopedLimits[];
  budgets: ScopedBudget[];
  timezone: string;
  ttlMs: number;
  /** A downgrade already happened: downgrade budgets no longer refuse. */
  downgraded?: boolean;
}

/** OpenAI-style rate-limit header values. */
export interface RateInfo {
  limitRequests?: number;
  remainingRequests?: number;
  resetRequestsMs?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
}

export type ReserveResult =
  | {
      ok: true;
      reservationId: string;
      rate: RateInfo;
      /** Smallest remaining amount of the budgets that apply, decimal USD (after this reservation). */
      budgetRemaining?: string;
      /** Budgets over their amount whose action is warn. */
      warnings: string[];
    }
  | {
      ok: false;
      status: 401 | 403 | 429;
      code: 'budget_exceeded' | 'rate_limit_exceeded' | 'key_revoked' | 'key_disabled' | 'concurrency_limit_exceeded' | 'request_too_large';
      message: string;
      retryAfterMs?: number;
      rate: RateInfo;
      /** A downgrade budget is reached: serve from this route instead. */
      downgradeTo?: string;
      /**
       * Refused only because of requests still in flight (their reservations or in-flight
       * slots): it may pass once they settle, so the object waits briefly before refusing.
       */
      inFlight?: boolean;
    };

export interface AlertTarget {
  url: string;
  /** The signing secret, resolved by the worker (never stored by the object: it stores signatures). */
  secret: string;
}

export interface SettleRequest {
  reservationId: string;
  record: UsageRecord;
  /** Actual tokens, for token limits. */
  tokens: number;
  /** Where threshold alerts go, when the tenant has them. */
  alerts?: AlertTarget;
  /** The reserve request's budgets (alert thresholds are evaluated against them). */
  budgets: ScopedBudget[];
  timezone: string;
}

export type KeyStatus = 'active' | 'disabled' | 'revoked';
