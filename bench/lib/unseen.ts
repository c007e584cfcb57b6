/**
 * Throughput on text a tokenizer has not seen: each tokenizer in fresh processes (unseen-child.ts)
 * counts one half of the corpus to warm up, then the other half once. Repeating the same
 * documents, as the other throughput tables do, flatters every tokenizer with a cache.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { docs4k, halves, root, textKind, utf8Bytes, type TextKind } from './corpus.js';
import { median } from './fresh-process.js';
import type { Enc } from './tokenizers.js';

export interface Unseen {
  bytes: number;
  /** Sum over documents of each one's median time (ms) across the processes. */
  ms: number;
  /** The same figures for each kind of document (corpus.ts, textKind). */
  byKind: Map<TextKind, { bytes: number; ms: number }>;
}

/** One fresh process of tokenizer `name`: the unseen half's bytes and each document's time. */
function unseenOnce(enc: Enc, name: string): { bytes: number; ms: number[] } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/lib/unseen-child.ts'), enc, name], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as { bytes: number; ms: number[] };
}

/**
 * `runs` fresh processes of each tokenizer in `names`, taken in rounds (one process of each per
 * round, the order rotating), so that a slow phase of a shared machine hits every tokenizer rather
 * than one, and no tokenizer always runs right after the same other. Per-document medians, summed.
 */
export function unseenThroughput(enc: Enc, names: string[], runs = 5): Map<string, Unseen> {
  const results = new Map(names.map((n) => [n, [] as { bytes: number; ms: number[] }[]]));
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      results.get(name)!.push(unseenOnce(enc, name));
    }
  }
  const unseenDocs = halves(docs4k()).unseen;
  const out = new Map<string, Unseen>();
  for (const [name, runsOf] of results) {
    let ms = 0;
    const byKind = new Map<TextKind, { bytes: number; ms: number }>();
    unseenDocs.forEach((doc, i) => {
      const m = median(runsOf.map((r) => r.ms[i]!));
      ms += m;
      const kind = textKind(doc);
      const sum = byKind.get(kind) ?? { bytes: 0, ms: 0 };
      sum.bytes += utf8Bytes([doc]);
      sum.ms += m;
      byKind.set(kind, sum);
    });
    out.set(name, { bytes: runsOf[0]!.bytes, ms, byKind });
  }
  return out;
}
