/**
 * Settles leave an isolate in batches, one per tenant: the first settle opens a batch, the ones
 * that follow within BATCH_MS join it, and one call to the tenant's Durable Object records them
 * all in one commit. At the rates where it matters (hundreds of requests a second) this turns
 * a round trip per request into one per few milliseconds, on both sides; and the call leaves
 * after the response that caused it has been written, instead of before.
 *
 * Nothing is lost by waiting: each request's `waitUntil` awaits the batch holding its record
 * (workerd resumes each waiter in its own request), and the call is made from the request whose
 * timer flushes the batch, which stays alive until the batch is committed.
 */
import type { SettleRequest } from './ledger/protocol.js';
import type { TenantLedger } from './ledger/tenant-ledger.js';

/**
 * How long a batch stays open for more settles. Longer batches cost less per record (a 16 ms
 * window used 5% less CPU per proxied request than a 4 ms one at ~1,000 requests/s, and 40 ms
 * no less than 16: bench/ab-proxy.ts); the price is a ledger row and a released reservation
 * landing up to this much later, which no budget check depends on (a reservation holds at
 * least the actual cost until then).
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

/** Records `req` in the tenant's ledger with the next batch; resolves once it is committed (or given up on, logged). */
export function settleBatched(tenant: string, ledger: () => DurableObjectStub<TenantLedger>, req: SettleRequest): Promise<void> {
  let b = open.get(tenant);
  if (!b) {
    let finish!: () => void;
    const done = new Promise<void>((ok) => (finish = ok));
    const batch: Batch = { reqs: [], done, finish };
    batch.timer = setTimeout(() => void send(tenant, batch, ledger), BATCH_MS);
    open.set(tenant, (b = batch));
  }
  b.reqs.push(req);
  if (b.reqs.length >= MAX_BATCH) {
    clearTimeout(b.timer);
    void send(tenant, b, ledger);
  }
  return b.done;
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
