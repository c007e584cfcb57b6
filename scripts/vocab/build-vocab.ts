/**
 * Compiles tiktoken's rank files (shipped in the `tiktoken` npm package, so nothing is
 * downloaded) into the compact binaries the WASM core loads with one copy:
 *
 *   "TGVB" | u32 version (3) | u32 n (max rank + 1) | u32 totalBytes
 *   | u32 count[256]       tokens per byte length
 *   | u32 byteRank[256]    rank of each single byte (0xffffffff: none)
 *   | u32 deltaStart[256]  where each length's rank deltas start in the delta stream
 *   | u32 deltaBytes | u8 deltas[deltaBytes] | u8 bytes[totalBytes]
 *
 * Tokens are grouped by byte length, each group in rank order: its bytes are contiguous
 * (fixed stride, so token i of a group sits at i * length), and its ranks are LEB128 varints
 * of (rank - previous rank - 1). Grouping is what makes loading cheap: the WASM core builds a
 * length's hash table on that length's first lookup, touching only that group and no other
 * token, and it compresses better than rank order (gzip finds more repeats among equal-length
 * tokens). A prebuilt table would be incompressible and double the gzipped size.
 */
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '../../dist/assets/vocab');

/** Distinct rank tables; p50k_edit and o200k_harmony reuse p50k_base and o200k_base. */
const VOCABS = ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'] as const;

interface RankFile {
  bpe_ranks: string;
}

function parseRanks(file: RankFile): Map<number, Buffer> {
  const ranks = new Map<number, Buffer>();
  for (const line of file.bpe_ranks.split('\n')) {
    if (!line) continue;
    // js-tiktoken's compressed format: "<unused> <first rank> <base64 token> <base64 token> ..."
    const [, offset, ...tokens] = line.split(' ');
    const first = Number.parseInt(offset, 10);
    tokens.forEach((t, i) => ranks.set(first + i, Buffer.from(t, 'base64')));
  }
  return ranks;
}

/** Slots in the WASM hash tables hold a 16-bit index within a length group. */
const MAX_GROUP = 0xffff;

function varint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

export function encodeVocab(ranks: Map<number, Buffer>): Buffer {
  let n = 0;
  for (const r of ranks.keys()) n = Math.max(n, r + 1);
  const groups: number[][] = Array.from({ length: 256 }, () => []);
  for (let r = 0; r < n; r++) {
    const tok = ranks.get(r);
    if (!tok) continue; // a rank without mergeable bytes (p50k's 50256 is a special token)
    if (tok.length === 0 || tok.length > 255) throw new Error(`token ${r} has unsupported length ${tok.length}`);
    groups[tok.length]!.push(r);
  }
  const header = Buffer.alloc(16 + 256 * 4 * 3 + 4);
  const COUNT = 16, BYTE_RANK = COUNT + 1024, DELTA_START = BYTE_RANK + 1024, DELTA_BYTES = DELTA_START + 1024;
  header.write('TGVB', 0, 'latin1');
  header.writeUInt32LE(3, 4);
  header.writeUInt32LE(n, 8);
  for (let b = 0; b < 256; b++) header.writeUInt32LE(0xffffffff, BYTE_RANK + b * 4);
  const deltas: number[] = [];
  const bytes: Buffer[] = [];
  let total = 0;
  for (let len = 1; len < 256; len++) {
    const group = groups[len]!;
    if (group.length > MAX_GROUP) throw new Error(`${group.length} tokens of length ${len}: the WASM tables index at most ${MAX_GROUP}`);
    header.writeUInt32LE(group.length, COUNT + len * 4);
    header.writeUInt32LE(deltas.length, DELTA_START + len * 4);
    let prev = -1;
    for (const r of group) {
      varint(deltas, r - prev - 1);
      prev = r;
      const tok = ranks.get(r)!;
      if (len === 1) header.writeUInt32LE(r, BYTE_RANK + tok[0]! * 4);
      bytes.push(tok);
      total += len;
    }
  }
  header.writeUInt32LE(total, 12);
  header.writeUInt32LE(deltas.length, DELTA_BYTES);
  return Buffer.concat([header, Buffer.from(deltas), ...bytes]);
}

mkdirSync(outDir, { recursive: true });
for (const name of VOCABS) {
  const file = require(`tiktoken/encoders/${name}.json`) as RankFile;
  const bin = encodeVocab(parseRanks(file));
  writeFileSync(resolve(outDir, `${name}.bin`), bin);
  console.log(`vocab ${name}: ${bin.length} bytes raw, ${gzipSync(bin, { level: 9 }).length} gzipped`);
}
