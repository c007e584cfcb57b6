/**
 * Compiles tiktoken's rank files (shipped in the `tiktoken` npm package, so nothing is
 * downloaded) into the compact binaries the WASM core loads with one copy:
 *
 *   "TGVB" | u32 version (5, or 6 with the extension) | u32 n (max rank + 1) | u32 suffixBytes
 *   | u32 count[256]       tokens per byte length
 *   | u32 byteRank[256]    rank of each single byte (0xffffffff: none)
 *   | u32 dirStart[256]    where each length's directory starts in the directory stream
 *   | u32 deltaStart[256]  where each length's rank deltas start in the delta stream
 *   | u32 checkStart[256]  where each length's checkpoints start in the checkpoint stream
 *   | u32 dirBytes | u32 deltaBytes | u32 checkBytes
 *   [v6: | u32 flags | u32 mergeBytes | u32 spmBytes | u32 nMerges]
 *   | u8 checks[checkBytes] | u8 dir[dirBytes] | u8 deltas[deltaBytes] | u8 suffixes[suffixBytes]
 *   [v6: | u8 merges[mergeBytes] | u8 spm[spmBytes]]
 *
 * Version 6 carries a Hugging Face BPE model (hf-vocab.ts; rank = token id): flag 1 = pairs
 * merge by their merge lines (the merge section), flag 2 = SentencePiece with byte fallback
 * (spm-vocab.ts: parts start as characters; the spm section), flag 4 = the core needs the
 * whole binary at load. tiktoken's vocabularies stay version 5, byte for byte, so their
 * loading is unchanged.
 *
 * Tokens of two bytes or more are grouped by length, then by their first two bytes (the
 * "prefix", as the little-endian u16 key b0 | b1 << 8), each group in rank order. A length's
 * directory is varints: the number of groups, then per group (key - previous key, token
 * count, bytes of rank deltas). Ranks are varints of (rank - previous rank - 1), restarting
 * at each group. Only the bytes after the prefix are stored (the key implies it), which is
 * why this layout gzips smaller than plain rank order. Every CHECK_EVERY groups a 16-byte
 * checkpoint (u16 key, u16 0, then u32 offsets of the group in the length's directory and
 * delta streams' and its first token's index) lets the core decode only the block of the
 * directory a lookup needs: o200k's 2-byte tokens alone have 4,653 groups.
 *
 * The grouping is what makes a fresh instance fast: the WASM core fetches and fills a
 * length's hash table one prefix group at a time, as pieces with that length and prefix are
 * looked up (a group's first lookup scans it; the next inserts it), so a first count reads
 * kilobytes and inserts nothing instead of building tables for a whole vocabulary.
 * A prebuilt table would be incompressible and double the gzipped size.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMergeSection, readHfVocab, type HfVocab } from './hf-vocab.js';
import { encodeSpmSection } from './spm-vocab.js';
import { EXTRA_VOCABS, extraVocabsWanted, licenceNotice } from './sources.js';

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

/** Groups per directory checkpoint (assembly/tokenizer/vocab.ts decodes one block at a time). */
const CHECK_EVERY = 64;

/** Slots in the WASM hash tables hold a 16-bit index within a length. */
const MAX_PER_LENGTH = 0xffff;

function varint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** v6 header extension flags (assembly/tokenizer/vocab.ts). */
const FLAG_HF_MERGES = 1, FLAG_SPM = 2, FLAG_WHOLE = 4;

export function encodeVocab(ranks: Map<number, Buffer>, hf?: HfVocab): Buffer {
  let n = 0;
  for (const r of ranks.keys()) n = Math.max(n, r + 1);
  // byLength[len]: prefix key → ranks (ascending)
  const byLength = Array.from({ length: 256 }, () => new Map<number, number[]>());
  const counts = new Array<number>(256).fill(0);
  for (let r = 0; r < n; r++) {
    const tok = ranks.get(r);
    if (!tok) continue; // a rank without mergeable bytes (p50k's 50256 is a special token)
    if (tok.length === 0 || tok.length > 255) throw new Error(`token ${r} has unsupported length ${tok.length}`);
    const key = tok.length >= 2 ? tok[0]! | (tok[1]! << 8) : 0;
    const groups = byLength[tok.length]!;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
    counts[tok.length]!++;
  }
  const COUNT = 16, BYTE_RANK = COUNT + 1024, DIR_START = BYTE_RANK + 1024, DELTA_START = DIR_START + 1024,
    CHECK_START = DELTA_START + 1024, SIZES = CHECK_START + 1024;
  const header = Buffer.alloc(SIZES + 12 + (hf ? 16 : 0));
  header.write('TGVB', 0, 'latin1');
  header.writeUInt32LE(hf ? 6 : 5, 4);
  header.writeUInt32LE(n, 8);
  for (let b = 0; b < 256; b++) header.writeUInt32LE(0xffffffff, BYTE_RANK + b * 4);
  for (const r of byLength[1]!.get(0) ?? []) header.writeUInt32LE(r, BYTE_RANK + ranks.get(r)![0]! * 4);
  const dir: number[] = [];
  const deltas: number[] = [];
  const checks: Buffer[] = [];
  const suffixes: Buffer[] = [];
  let suffixBytes = 0;
  for (let len = 2; len < 256; len++) {
    if (counts[len]! > MAX_PER_LENGTH) throw new Error(`${counts[len]} tokens of length ${len}: the WASM tables index at most ${MAX_PER_LENGTH}`);
    header.writeUInt32LE(counts[len]!, COUNT + len * 4);
    header.writeUInt32LE(dir.length, DIR_START + len * 4);
    header.writeUInt32LE(deltas.length, DELTA_START + len * 4);
    header.writeUInt32LE(checks.length * 16, CHECK_START + len * 4);
    const dirStart = dir.length;
    const deltaStart = deltas.length;
    const keys = [...byLength[len]!.keys()].sort((a, b) => a - b);
    varint(dir, keys.length);
    let prevKey = 0;
    let index = 0;
    for (const [g, key] of keys.entries()) {
      const group = byLength[len]!.get(key)!;
      const before = deltas.length;
      if (g % CHECK_EVERY === 0) {
        const check = Buffer.alloc(16);
        check.writeUInt16LE(key, 0);
        check.writeUInt32LE(dir.length - dirStart, 4);
        check.writeUInt32LE(index, 8);
        check.writeUInt32LE(deltas.length - deltaStart, 12);
        checks.push(check);
      }
      index += group.length;
      let prev = -1;
      for (const r of group) {
        varint(deltas, r - prev - 1);
        prev = r;
        suffixes.push(ranks.get(r)!.subarray(2));
        suffixBytes += len - 2;
      }
      // The core keeps both in u16 fields of its decoded directory.
      if (group.length > 0xffff || deltas.length - before > 0xffff) throw new Error(`length ${len}, key ${key}: group too large for the WASM directory`);
      varint(dir, key - prevKey);
      varint(dir, group.length);
      varint(dir, deltas.length - before);
      prevKey = key;
    }
  }
  header.writeUInt32LE(counts[1]!, COUNT + 4);
  header.writeUInt32LE(suffixBytes, 12);
  header.writeUInt32LE(dir.length, SIZES);
  header.writeUInt32LE(deltas.length, SIZES + 4);
  header.writeUInt32LE(checks.length * 16, SIZES + 8);
  const tail: Buffer[] = [];
  if (hf) {
    const merges = encodeMergeSection(n, hf.merges, hf.spm?.firstKey);
    const spm = hf.spm ? encodeSpmSection(hf.spm) : Buffer.alloc(0);
    header.writeUInt32LE(FLAG_HF_MERGES | FLAG_WHOLE | (hf.spm ? FLAG_SPM : 0), SIZES + 12);
    header.writeUInt32LE(merges.length, SIZES + 16);
    header.writeUInt32LE(spm.length, SIZES + 20);
    header.writeUInt32LE(hf.nMerges, SIZES + 24);
    tail.push(merges, spm);
  }
  return Buffer.concat([header, ...checks, Buffer.from(dir), Buffer.from(deltas), ...suffixes, ...tail]);
}

function writeBinary(name: string, bin: Buffer): void {
  // Write-then-rename: a running process reads its binary lazily through an open descriptor,
  // which must keep seeing the old file, never a half-rewritten one.
  const out = resolve(outDir, `${name}.bin`);
  writeFileSync(`${out}.tmp`, bin);
  renameSync(`${out}.tmp`, out);
  console.log(`vocab ${name}: ${bin.length} bytes raw, ${gzipSync(bin, { level: 9 }).length} gzipped`);
}

mkdirSync(outDir, { recursive: true });
for (const name of VOCABS) {
  const file = require(`tiktoken/encoders/${name}.json`) as RankFile;
  writeBinary(name, encodeVocab(parseRanks(file)));
}

// The open-weight vocabularies (Llama 3, Qwen, DeepSeek, Gemma 3), each under its own licence:
// built when wanted (TOLLGATE_EXTRA_VOCABS) and when its npm package is installed.
const built: string[] = [];
for (const [name, src] of Object.entries(EXTRA_VOCABS)) {
  const out = resolve(outDir, `${name}.bin`);
  const file = resolve(here, '../../node_modules', src.package, src.file);
  if (!extraVocabsWanted(name) || !existsSync(file)) {
    rmSync(out, { force: true });
    console.log(`vocab ${name}: skipped (${existsSync(file) ? 'TOLLGATE_EXTRA_VOCABS' : `${src.package} is not installed`})`);
    continue;
  }
  const hf = readHfVocab(file);
  writeBinary(name, encodeVocab(hf.ranks, hf));
  built.push(name);
}
writeFileSync(resolve(outDir, 'NOTICE.md'), licenceNotice(built));
// Which open-weight vocabularies this build has: models mapped to a missing one fall back to an
// estimate (src/cost/tokens.ts) instead of failing.
writeFileSync(resolve(here, '../../dist/assets/vocab-manifest.js'), `export const BUILT_OPEN_WEIGHT_VOCABS = ${JSON.stringify(built)};\n`);
writeFileSync(resolve(here, '../../dist/assets/vocab-manifest.d.ts'), 'export declare const BUILT_OPEN_WEIGHT_VOCABS: string[];\n');
