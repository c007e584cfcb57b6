/**
 * Settles leave an isolate in batches, one per tenant: the first settle opens a batch, the ones
 * that follow within BATCH_MS join it, and one call to the tenant's Durable Object records them
 * all in one commit. At the rates where it matters (hundreds of requests a second) this turns
 * a round trip per request into one per few milliseconds, on both sides; and the call leaves
 * after the response that caused it has been written, instead of before.
 *
 * Nothing is lost by waiting. The call is made from the request that opened the batch (its
 * timer) or from the one that filled it, and only those two need their `waitUntil` on the
 * batch: it keeps the request making the call alive until the batch is committed. A request
 * that only joins a batch hands its record over and is done; a `waitUntil` per joining request
 * cost 5% of a proxied request's CPU (bench/ab-proxy.ts) and protected nothing the opener's does not.
 */
import type { SettleRequest } from './ledger/protocol.js';
import type { TenantLedger } from './ledger/tenant-ledger.js';

/**
 * How long a batch stays open for more settles. Longer batches cost less per record (a 16 ms
 * window used 5% less CPU per proxied request than a 4 ms one at ~1,000 requests/s, and 40 ms
 * no less than 16: bench/ab-proxy.ts); the price is a ledger row and a released reservation
 * landing up to this much later. Budgets are never at risk (a reservation holds at least the
 * actual cost until then), and a reserve that only such reservations stand in the way of waits
 * for them to land (SETTLE_GRACE_MS in ./ledger/tenant-ledger.ts).
 */
const BATCH_MS = 16;
/** A batch this large leaves at once. */
const MAX_BATCH = 128;
/** Attempts per batch before its records are logged as lost (transient DO errors are retried). */
const ATTEMPTS = 5;

interface Batch {
  reqs: SettleRequest[];
  done: Promise<void>;
  finish: () => void;
  timer?: ReturnType<typeof setTimeout>;
}

const open = new Map<string, Batch>();

/**
 * Records `req` in the tenant's ledger with the next batch. Returns the batch's completion
 * (committed, or given up on and logged) when this request must keep itself alive for it —
 * it opened the batch, or filled it and makes the call — and undefined when it only joined.
 */
export function settleBatched(tenant: string, ledger: () => DurableObjectStub<TenantLedger>, req: SettleRequest): Promise<void> | undefined {
  let b = open.get(tenant);
  let opened = false;
  if (!b) {
    let finish!: () => void;
    const done = new Promise<void>((ok) => (finish = ok));
    const batch: Batch = { reqs: [], done, finish };
    batch.timer = setTimeout(() => void send(tenant, batch, ledger), BATCH_MS);
    open.set(tenant, (b = batch));
    opened = true;
  }
  b.reqs.push(req);
  if (b.reqs.length >= MAX_BATCH) {
    clearTimeout(b.timer);
    void send(tenant, b, ledger);
    return b.done;
  }
  return opened ? b.done : undefined;
}

async function send(tenant: string, b: Batch, ledger: () => DurableObjectStub<TenantLedger>): Promise<void> {
  if (open.get(tenant) === b) open.delete(tenant);
  // The stub is made here, in the request that sends: a stub belongs to the request that made it.
  const stub = ledger();
  // As one JSON string: Workers RPC copies a string at once, where it would walk every field of every record.
  const batch = JSON.stringify(b.reqs);
  for (let attempt = 1; ; attempt++) {
    try {
      await stub.settleMany(batch, attempt === 1);
      break;
    } catch (err) {
      if (attempt >= ATTEMPTS) {
        for (const r of b.reqs) console.error(JSON.stringify({ tollgate: 'settle_failed', tenant, requestId: r.record.requestId, cost: r.record.cost, error: String(err) }));
        break;
      }
      await new Promise((ok) => setTimeout(ok, 100 * 2 ** (attempt - 1)));
    }
  }
  b.finish();
}
