/**
 * Group commit for a Durable Object's storage. A Durable Object holds every outgoing message
 * while a storage write is being confirmed (its output gate), so writing on every reserve and
 * settle would make each request wait for its own commit — and every other request's reply
 * wait for it too. Instead writes are queued and applied together, in one synchronous batch
 * (one transaction), at most `delayMs` after the first: one commit for many requests.
 * A caller that must not answer before its write is durable awaits `flushed()`; its reply is
 * then held by the output gate until the batch is confirmed.
 *
 * Writes of one row (a counter, a reservation) can be queued under a key: a later write with
 * the same key replaces the earlier one, so a counter bumped by fifty settles is written once
 * per commit, and a reservation made and released within one commit costs no statement at all.
 */
export class GroupCommit {
  private ops: (() => void)[] = [];
  private keyed = new Map<string, () => void>();
  private waiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly delayMs: number) {}

  /** Queues a write (a synchronous function of SQL statements). */
  queue(op: () => void): void {
    this.ops.push(op);
    this.schedule();
  }

  /** Queues the write of one row under `key`, replacing a write of that row still queued. */
  queueKeyed(key: string, op: () => void): void {
    this.keyed.set(key, op);
    this.schedule();
  }

  /** Resolves once everything queued so far has been written. */
  flushed(): Promise<void> {
    if (this.ops.length === 0 && this.keyed.size === 0) return Promise.resolve();
    return new Promise((ok) => {
      this.waiters.push(ok);
      this.schedule();
    });
  }

  /** Writes everything queued now (before a read of what was queued). */
  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ops = this.ops;
    const keyed = this.keyed;
    const waiters = this.waiters;
    this.ops = [];
    this.keyed = new Map();
    this.waiters = [];
    // One failing write must neither stop the others nor leave the waiters hanging.
    for (const op of [...ops, ...keyed.values()]) {
      try {
        op();
      } catch (err) {
        console.error(JSON.stringify({ tollgate: 'storage_write_failed', error: String(err) }));
      }
    }
    for (const ok of waiters) ok();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flushNow(), this.delayMs);
  }
}
