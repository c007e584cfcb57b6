/**
 * Throughput on text a tokenizer has not seen: each tokenizer in fresh processes (unseen-child.ts)
 * counts one half of the corpus to warm up, then the other half once. Repeating the same
 * documents, as the other throughput tables do, flatters every tokenizer with a cache.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './corpus.js';
import type { Enc } from './tokenizers.js';

export interface Unseen {
  bytes: number;
  /** Sum over documents of each one's median time (ms) across the processes. */
  ms: number;
}

/** `runs` fresh processes of tokenizer `name`; per-document medians, summed. */
export function unseenThroughput(enc: Enc, name: string, runs = 5): Unseen {
  const results = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/lib/unseen-child.ts'), enc, name], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    return JSON.parse(out.trim().split('\n').pop()!) as { bytes: number; ms: number[] };
  });
  const docs = results[0]!.ms.length;
  let ms = 0;
  for (let i = 0; i < docs; i++) {
    const times = results.map((r) => r.ms[i]!).sort((a, b) => a - b);
    ms += times[times.length >> 1]!;
  }
  return { bytes: results[0]!.bytes, ms };
}
