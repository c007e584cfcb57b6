/**
 * Budget alerts as signed webhooks. The body is JSON; the signature header is
 * `x-tollgate-signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">` under the
 * tenant's alert secret (Stripe's scheme: the receiver recomputes it and checks the time).
 */

export interface BudgetAlert {
  type: 'budget.threshold';
  tenant: string;
  scope: string;
  budget: { amount: string; period: string; rolling: boolean; action: string; model?: string; route?: string };
  /** Percentage of the amount that was crossed. */
  threshold: number;
  /** Spent in the period when it was crossed, exact decimal USD. */
  spent: string;
  periodEnd: string;
  at: string;
}

const te = new TextEncoder();

function hex(buf: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(buf)) s += b.toString(16).padStart(2, '0');
  return s;
}

/** HMAC-SHA-256 of `text` under `secret`, hex. */
export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', te.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, te.encode(text)));
}

/** The signature header value for `body` at `unixSeconds`. */
export async function signWebhook(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

/** Checks a signature header (for receivers and tests). */
export async function verifyWebhook(secret: string, body: string, header: string, toleranceSeconds = 3600, nowSeconds = Math.floor(Date.now() / 1000)): Promise<boolean> {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (expected.length !== parts.v1.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ parts.v1.charCodeAt(i);
  return diff === 0;
}

/** Delay before delivery attempt `n` (1-based) after a failure; undefined: give up. */
export function retryDelayMs(attempt: number): number | undefined {
  const delays = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000];
  return delays[attempt - 1];
}
