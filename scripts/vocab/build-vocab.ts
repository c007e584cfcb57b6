/**
 * Compiles tiktoken's rank files (shipped in the `tiktoken` npm package, so nothing is
 * downloaded) into the compact binaries the WASM core loads with one copy:
 *
 *   "TGVB" | u32 version (2) | u32 n (max rank + 1) | u32 totalBytes
 *   | u32 count[256] (tokens per byte length) | u32 byteRank[256] (rank of each single byte)
 *   | u8 len[n] | u8 bytes[totalBytes]
 *
 * Token i's bytes follow token i-1's; len 0 marks a rank with no mergeable token (p50k's
 * 50256 is a special token). The hash table is built in WASM, one token length at a time on
 * first use, because a prebuilt table is incompressible and would double the gzipped size;
 * the per-length counts let the loader size those tables without a pass over the tokens.
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

export function encodeVocab(ranks: Map<number, Buffer>): Buffer {
  let n = 0;
  for (const r of ranks.keys()) n = Math.max(n, r + 1);
  let total = 0;
  const lens = Buffer.alloc(n);
  for (let r = 0; r < n; r++) {
    const tok = ranks.get(r);
    if (!tok) continue;
    if (tok.length === 0 || tok.length > 255) throw new Error(`token ${r} has unsupported length ${tok.length}`);
    lens[r] = tok.length;
    total += tok.length;
  }
  const header = Buffer.alloc(16 + 256 * 4 * 2);
  header.write('TGVB', 0, 'latin1');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(n, 8);
  header.writeUInt32LE(total, 12);
  for (let b = 0; b < 256; b++) header.writeUInt32LE(0xffffffff, 16 + 1024 + b * 4);
  for (let r = 0; r < n; r++) {
    const tok = ranks.get(r);
    if (!tok) continue;
    const at = 16 + tok.length * 4;
    header.writeUInt32LE(header.readUInt32LE(at) + 1, at);
    if (tok.length === 1) header.writeUInt32LE(r, 16 + 1024 + tok[0] * 4);
  }
  const parts: Uint8Array[] = [header, lens];
  for (let r = 0; r < n; r++) {
    const tok = ranks.get(r);
    if (tok) parts.push(tok);
  }
  return Buffer.concat(parts);
}

mkdirSync(outDir, { recursive: true });
for (const name of VOCABS) {
  const file = require(`tiktoken/encoders/${name}.json`) as RankFile;
  const bin = encodeVocab(parseRanks(file));
  writeFileSync(resolve(outDir, `${name}.bin`), bin);
  console.log(`vocab ${name}: ${bin.length} bytes raw, ${gzipSync(bin, { level: 9 }).length} gzipped`);
}
