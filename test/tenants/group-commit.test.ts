/** GroupCommit: queued writes run together after the delay, in order; a keyed write replaces the one queued under its key. */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/tenants/ledger/group-commit.js';

describe('GroupCommit', () => {
  it('runs queued writes once, together, after the delay; flushed() resolves after them', async () => {
    const c = new GroupCommit(5);
    const log: string[] = [];
    c.queue(() => log.push('a'));
    c.queue(() => log.push('b'));
    expect(log).toEqual([]);
    const done = c.flushed().then(() => log.push('flushed'));
    await done;
    expect(log).toEqual(['a', 'b', 'flushed']);
    await c.flushed(); // nothing queued: resolves at once, runs nothing again
    expect(log).toEqual(['a', 'b', 'flushed']);
  });

  it('keeps only the last keyed write per key, and a keyed write still counts as pending', async () => {
    const c = new GroupCommit(5);
    const log: string[] = [];
    c.queueKeyed('c|x', () => log.push('x=1'));
    c.queueKeyed('c|y', () => log.push('y=1'));
    c.queueKeyed('c|x', () => log.push('x=2'));
    c.queue(() => log.push('row'));
    let flushed = false;
    const p = c.flushed().then(() => (flushed = true));
    expect(flushed).toBe(false);
    await p;
    expect(log).toEqual(['row', 'x=2', 'y=1']);
  });

  it('flushNow writes at once and cancels the timer', async () => {
    const c = new GroupCommit(50);
    const log: string[] = [];
    c.queueKeyed('r|1', () => log.push('save'));
    c.queueKeyed('r|1', () => log.push('delete'));
    c.flushNow();
    expect(log).toEqual(['delete']);
    await new Promise((r) => setTimeout(r, 80));
    expect(log).toEqual(['delete']);
  });
});
