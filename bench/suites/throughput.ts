/**
 * count() throughput on mixed 4 KB documents and on 1 MB documents, ours vs the anchors; and on
 * text each tokenizer has not seen (unseen.ts).
 */
import { docs4k, doc1mb, utf8Bytes, TEXT_KINDS } from '../lib/corpus.js';
import { fmt, secondsPerCall, table } from '../lib/measure.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../lib/corpus.js';
import { unseenThroughput } from '../lib/unseen.js';
import { counters, openWeightCounters, OPEN_WEIGHT_ANCHORS, type Counter, type Enc } from '../lib/tokenizers.js';

export async function runThroughputBench(): Promise<string[]> {
  const out: string[] = [];
  const docs = docs4k();
  const big = doc1mb();
  const docBytes = utf8Bytes(docs);
  const bigBytes = Buffer.byteLength(big);
  const sets: [string, () => Promise<Counter[]>][] = (['o200k_base', 'cl100k_base'] as Enc[]).map((e) => [e, () => counters(e)]);
  for (const e of Object.keys(OPEN_WEIGHT_ANCHORS) as (keyof typeof OPEN_WEIGHT_ANCHORS)[]) {
    if (existsSync(join(root, 'dist/assets/vocab', `${e}.bin`))) sets.push([e, () => openWeightCounters(e)]);
  }
  for (const [enc, make] of sets) {
    const cs = await make();
    const rows = [['tokenizer', `${docs.length}×~4KB docs`, 'ours is', '1 MB doc', 'ours is']];
    const results = [];
    for (const c of cs) {
      await c.before?.();
      const small = secondsPerCall(() => {
        for (const d of docs) c.count(d);
      }, 300, 5);
      const large = secondsPerCall(() => c.count(big), 300, 3);
      await c.after?.();
      results.push({ c, small, large });
    }
    const ours = results[0];
    for (const r of results) {
      rows.push([
        r.c.name,
        fmt.mbps(docBytes, r.small),
        r === ours ? '' : fmt.ratio(r.small / ours.small),
        fmt.mbps(bigBytes, r.large),
        r === ours ? '' : fmt.ratio(r.large / ours.large),
      ]);
    }
    out.push(
      `count() throughput, ${enc} (median of rounds over the same documents, so every tokenizer's`,
      `merge cache is warm; "cold" disables ours to show first-sight speed; "ours is" = anchor time / our time):`,
      ...table(rows),
      '',
    );
  }
  out.push(...unseenTables());
  return out;
}

/** Our throughput on unseen text must stay at least this many times tiktoken's. */
const UNSEEN_TARGET = 20;

function unseenTables(): string[] {
  const out: string[] = [];
  for (const enc of ['o200k_base', 'cl100k_base'] as Enc[]) {
    const names = ['tollgate', 'tiktoken', 'js-tiktoken', 'gpt-tokenizer', 'ai-tokenizer'];
    const byName = unseenThroughput(enc, names);
    const results = names.map((name) => ({ name, ...byName.get(name)! }));
    const ours = results[0]!;
    const rows = [['tokenizer', 'unseen half, once', 'ours is']];
    for (const r of results) rows.push([r.name, fmt.mbps(r.bytes, r.ms / 1000), r === ours ? '' : fmt.ratio(r.ms / ours.ms)]);
    const vsTiktoken = results[1]!.ms / ours.ms;
    const byKind = TEXT_KINDS.map((kind) => {
      const o = ours.byKind.get(kind)!;
      return `${kind} ${(o.bytes / 1024).toFixed(0)} KB: ${fmt.ratio(results[1]!.byKind.get(kind)!.ms / o.ms)}`;
    });
    out.push(
      `count() on unseen text, ${enc}: fresh processes warm up on one half of the corpus and count the other half once`,
      `(per-document median over 5 processes, summed; target ≥ ${UNSEEN_TARGET}× tiktoken: ${vsTiktoken >= UNSEEN_TARGET ? 'ok' : 'MISSED'}, ${fmt.ratio(vsTiktoken)}):`,
      ...table(rows),
      `ours vs tiktoken by kind of document: ${byKind.join('; ')}`,
      '',
    );
  }
  return out;
}
