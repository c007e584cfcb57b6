/**
 * Group commit for a Durable Object's storage. A Durable Object holds every outgoing message
 * while a storage write is being confirmed (its output gate), so writing on every reserve and
 * settle would make each request wait for its own commit — and every other request's reply
 * wait for it too. Instead writes are queued and applied together, in one synchronous batch
 * (one transaction), at most `delayMs` after the first: one commit for many requests.
 * A caller that must not answer before its write is durable awaits `flushed()`; its reply is
 * then held by the output gate until the batch is confirmed.
 */
export class GroupCommit {
  private ops: (() => void)[] = [];
  private waiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly delayMs: number) {}

  /** Queues a write (a synchronous function of SQL statements). */
  queue(op: () => void): void {
    this.ops.push(op);
    this.schedule();
  }

  /** Resolves once everything queued so far has been written. */
  flushed(): Promise<void> {
    if (this.ops.length === 0) return Promise.resolve();
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
    const waiters = this.waiters;
    this.ops = [];
    this.waiters = [];
    for (const op of ops) op();
    for (const ok of waiters) ok();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flushNow(), this.delayMs);
  }
}
