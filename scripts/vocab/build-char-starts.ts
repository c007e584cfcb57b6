/**
 * Generates the "whole character" flags of tiktoken's byte-level vocabularies: for each
 * two- or three-byte UTF-8 character C (U+0080–U+FFFF) whether BPE may start from C as one
 * part instead of its bytes, given what precedes and follows it in the piece. The argument
 * that this is exact is in docs/tokenizer.md ("Whole characters"); in short: C is one token
 * whose own merges (M(C): the largest rank BPE(C) uses) all come before any token that joins
 * a byte of C with a byte outside it, so in tiktoken's merge order C is always complete
 * before anything crosses its edges, and merging from C gives the same tokens.
 *
 * Two flags per character, each for one edge, counting only crossing tokens that fit the
 * kind of byte found there (the core checks that byte before trusting the flag):
 *   LEFT:  safe when the byte before C is a continuation byte (80–BF): every token with a byte
 *          80–BF followed by a prefix of C (one byte to all of C) ranks above M(C).
 *   RIGHT: safe when the byte after C is a lead byte (C0–FF): every token that starts with a
 *          suffix of C (one byte to all of C) followed by a byte C0–FF ranks above M(C).
 * An edge at the start or end of the piece needs no flag (nothing can cross it). A few tokens
 * would clear many characters' flags on their own (a Thai character's last byte 80 followed by
 * the next one's first two bytes, E0 B8): per edge, the MAX_EXCEPTIONS tokens that alone block
 * the most characters are listed instead, and the core checks those that fit the actual
 * neighbouring byte against the character's rank before trusting a flag that relies on them.
 *
 * Emitted as an AssemblyScript source with a two-stage table (code point >> 8 → block of
 * 64 bytes, 2 bits per code point), keyed by the vocabulary binary's token count, size and
 * count of three-byte tokens, so the core only uses it with the binary it was made for.
 */
import { createRequire } from 'node:module';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const outFile = resolve(here, '../../assembly/generated/char-starts.ts');
const vocabDir = resolve(here, '../../dist/assets/vocab');

/** tiktoken vocabularies that get flags (those the unseen-text benchmark and most traffic use). */
const VOCABS = ['o200k_base', 'cl100k_base'] as const;
export const FLAG_LEFT = 1, FLAG_RIGHT = 2;
const FIRST_CP = 0x80, BLOCK_SHIFT = 8;

interface RankFile {
  bpe_ranks: string;
}

function readTokens(name: string): Buffer[] {
  const file = require(`tiktoken/encoders/${name}.json`) as RankFile;
  const tokens: Buffer[] = [];
  for (const line of file.bpe_ranks.split('\n')) {
    if (!line) continue;
    const [, offset, ...ts] = line.split(' ');
    const first = Number.parseInt(offset!, 10);
    ts.forEach((t, i) => (tokens[first + i] = Buffer.from(t, 'base64')));
  }
  return tokens;
}

const isCont = (b: number) => b >= 0x80 && b <= 0xbf;
/** UTF-8 length of a character with lead byte `b` if it is two or three bytes, else 0. */
const width = (b: number) => (b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : 0);

/** How many (byte before, partial prefix) keys may be checked at run time instead of clearing LEFT. */
const MAX_EXCEPTIONS = 32;

export interface CharStarts {
  /** Per code point of U+0080–U+FFFF: FLAG_LEFT | FLAG_RIGHT where safe (0 if C is not one token). */
  flags: Uint8Array;
  /**
   * Left-edge tokens checked at run time: a continuation byte p followed by the first k bytes
   * (k < C's length) of a character, as key p | b0 << 8 | b1 << 16 | k << 24 (b1 = 0 when k = 1),
   * with the lowest rank of a token that ends with those bytes. A character with FLAG_LEFT may
   * still start whole after p only if every such key it meets ranks above the character.
   */
  exceptions: [key: number, rank: number][];
  /**
   * Right-edge tokens checked at run time: C's last k bytes (packed little-endian, k << 24), then
   * the lead byte q after C, with the lowest rank of a token that starts with those bytes
   * (q << 24 | rank). A character with FLAG_RIGHT may still start whole before q only if every
   * such key it meets ranks above the character.
   */
  rightExceptions: [key: number, value: number][];
}

export function charStartFlags(tokens: Buffer[]): CharStarts {
  const rank = new Map<string, number>();
  tokens.forEach((t, r) => t && rank.set(t.toString('latin1'), r));
  // Lowest rank of a token crossing C's left edge: a byte 80–BF, then either a proper prefix of
  // C where the token ends (`partial`, by the byte and the prefix) or all of C (`whole`, by C);
  // and crossing its right edge (1 to all bytes ending C, then a byte C0–FF), by those bytes and that byte.
  const partial = new Map<string, number>();
  const whole = new Map<string, number>();
  const right = new Map<string, number>();
  const lower = (m: Map<string, number>, k: string, r: number) => {
    const o = m.get(k);
    if (o === undefined || r < o) m.set(k, r);
  };
  tokens.forEach((t, r) => {
    if (!t) return;
    const n = t.length;
    for (let j = 1; j < n; j++) {
      const w = width(t[j]!);
      if (w === 0 || !isCont(t[j - 1]!)) continue;
      if (n - j < w) lower(partial, t.subarray(j - 1).toString('latin1'), r);
      else lower(whole, t.subarray(j, j + w).toString('latin1'), r);
    }
    // A part that starts inside C (or at its start) and ends past it: the token's first 1–3
    // bytes are C's last ones, and the byte after them is the next character's lead byte.
    // (Keys that are no character's end are never asked for.)
    // Keyed with the byte after them: only a token whose next byte is the one after C here can cross.
    for (let j = 1; j <= 3 && j < n; j++) if (t[j]! >= 0xc0) lower(right, t.subarray(0, j + 1).toString('latin1'), r);
  });
  const get = (m: Map<string, number>, k: string) => m.get(k) ?? Infinity;
  interface Char {
    cp: number;
    m: number;
    rank: number;
    wholeOk: boolean;
    /** Partial-prefix keys (byte before + prefix) whose token ranks below M(C). */
    blockers: string[];
    /** Right-edge keys (suffix of C + the lead byte after it) whose token ranks below M(C). */
    rightBlockers: string[];
  }
  const chars: Char[] = [];
  for (let cp = FIRST_CP; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue; // no UTF-8 encoding
    const s = Buffer.from(String.fromCodePoint(cp)).toString('latin1');
    const rc = rank.get(s);
    if (rc === undefined) continue;
    // The largest rank BPE of C alone uses: a two-byte C is one merge; in a three-byte one the
    // lower of its two byte pairs merges first, then C itself.
    let m = rc;
    if (s.length === 3) {
      const first = Math.min(get(rank, s.slice(0, 2)), get(rank, s.slice(1)));
      if (first === Infinity) continue; // C is a token BPE never reaches from its bytes
      m = Math.max(first, rc);
    }
    const blockers: string[] = [];
    for (let p = 0x80; p < 0xc0; p++) {
      for (let k = 1; k < s.length; k++) {
        const key = String.fromCharCode(p) + s.slice(0, k);
        if (get(partial, key) < m) blockers.push(key);
      }
    }
    const rightBlockers: string[] = [];
    for (let q = 0xc0; q < 0x100; q++) {
      for (let k = 0; k < s.length; k++) {
        const key = s.slice(k) + String.fromCharCode(q);
        if (get(right, key) < m) rightBlockers.push(key);
      }
    }
    chars.push({ cp, m, rank: rc, wholeOk: get(whole, s) > m, blockers, rightBlockers });
  }
  // The keys that alone keep the most characters from starting whole after a continuation
  // byte (a Thai or Devanagari character's last byte followed by the next one's first two,
  // say) are checked at run time instead, against the character's rank: exact only where
  // M(C) is C's rank, so only such characters rely on them.
  // Counted over characters that could then start whole on that edge (at most 3 such tokens each).
  const choose = (blockersOf: (c: Char) => string[], eligible: (c: Char) => boolean) => {
    const counts = new Map<string, number>();
    for (const c of chars) {
      const bs = blockersOf(c);
      if (eligible(c) && c.m === c.rank && bs.length <= 3) for (const b of bs) counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_EXCEPTIONS).map(([k]) => k);
  };
  const chosenLeft = choose((c) => c.blockers, (c) => c.wholeOk);
  const chosenRight = choose((c) => c.rightBlockers, () => true);
  const checkedLeft = new Set(chosenLeft);
  const checkedRight = new Set(chosenRight);
  const flags = new Uint8Array(0x10000 - FIRST_CP);
  for (const c of chars) {
    const leftOk = c.wholeOk && (c.blockers.length === 0 || (c.m === c.rank && c.blockers.every((b) => checkedLeft.has(b))));
    const rightOk = c.rightBlockers.length === 0 || (c.m === c.rank && c.rightBlockers.every((b) => checkedRight.has(b)));
    flags[c.cp - FIRST_CP] = (leftOk ? FLAG_LEFT : 0) | (rightOk ? FLAG_RIGHT : 0);
  }
  const exceptions = chosenLeft.map((k): [number, number] => {
    const b = Buffer.from(k, 'latin1');
    return [b[0]! | (b[1]! << 8) | ((b.length === 3 ? b[2]! : 0) << 16) | ((b.length - 1) << 24), partial.get(k)!];
  });
  // Right-edge exceptions: C's last k bytes (packed, k << 24) and the next byte q with the rank (q << 24 | rank).
  const rightExceptions = chosenRight.map((k): [number, number] => {
    const b = Buffer.from(k, 'latin1');
    const n = b.length - 1;
    let packed = 0;
    for (let i = 0; i < n; i++) packed |= b[i]! << (8 * i);
    const r = right.get(k)!;
    if (r >= 1 << 24) throw new Error('rank too large to pack');
    return [(packed | (n << 24)) >>> 0, ((b[n]! << 24) | r) >>> 0];
  });
  return { flags, exceptions, rightExceptions };
}

/** Two-stage table: stage 1 (u16 per 256 code points from U+0800) → 64-byte block of 2-bit flags. */
function twoStage(flags: Uint8Array): { stage1: number[]; stage2: number[] } {
  const block = 1 << BLOCK_SHIFT;
  const stage1: number[] = [];
  const stage2: number[] = [];
  const seen = new Map<string, number>();
  for (let base = 0; base < flags.length; base += block) {
    const packed: number[] = [];
    for (let i = 0; i < block; i += 4) {
      let b = 0;
      for (let k = 0; k < 4; k++) b |= (flags[base + i + k] ?? 0) << (k * 2);
      packed.push(b);
    }
    const key = packed.join(',');
    let idx = seen.get(key);
    if (idx === undefined) {
      idx = stage2.length / (block / 4);
      seen.set(key, idx);
      stage2.push(...packed);
    }
    stage1.push(idx);
  }
  return { stage1, stage2 };
}

/** The 6-bit bucket of two bytes (as charStartBucket in the generated source). */
const bucketOf = (x: number) => Math.imul(x, 0x9e3779b1) >>> 26;

/** `list` sorted by the bucket of `bytes(entry)`, with the 65 offsets where each bucket starts. */
function bucketed<T>(list: T[], bytes: (e: T) => number): { entries: T[]; starts: number[] } {
  const entries = [...list].sort((a, b) => bucketOf(bytes(a)) - bucketOf(bytes(b)));
  const starts: number[] = [];
  let e = 0;
  for (let b = 0; b <= 64; b++) {
    while (e < entries.length && bucketOf(bytes(entries[e]!)) < b) e++;
    starts.push(e);
  }
  return { entries, starts };
}

/** Suffixes of each vocabulary's sections, in CHAR_* order (the generated charStartSection). */
const SECTIONS = ['STAGE2', 'LEFT_BUCKETS', 'LEFT_LIST', 'RIGHT_BUCKETS', 'RIGHT_LIST'];

const rows = (arr: number[], per: number) => {
  const lines: string[] = [];
  for (let i = 0; i < arr.length; i += per) lines.push('  ' + arr.slice(i, i + per).join(',') + ',');
  return lines.join('\n');
};

const parts: string[] = [];
const entries: string[] = [];
for (const name of VOCABS) {
  const tokens = readTokens(name);
  const { flags, exceptions, rightExceptions } = charStartFlags(tokens);
  const { stage1, stage2 } = twoStage(flags);
  // Each list is sorted by a 6-bit hash of the two bytes a check knows first (left: the byte
  // before and the lead byte; right: the byte after and C's last byte), with 65 start offsets,
  // so a check reads the one or two entries of its bucket.
  const leftBuckets = bucketed(exceptions, ([key]) => (key & 0xff) | (((key >>> 8) & 0xff) << 8));
  const rightBuckets = bucketed(rightExceptions, ([key, value]) => (value >>> 24) | (((key >>> (8 * ((key >>> 24) - 1))) & 0xff) << 8));
  const size = statSync(resolve(vocabDir, `${name}.bin`)).size;
  const threes = tokens.filter((t) => t && t.length === 3).length;
  const id = name.toUpperCase();
  parts.push(`const ${id}_STAGE1: usize = memory.data<u16>([\n${rows(stage1, 32)}\n]);\nconst ${id}_STAGE2: usize = memory.data<u8>([\n${rows(stage2, 64)}\n]);`);
  parts.push(`const ${id}_LEFT_BUCKETS: usize = memory.data<u8>([\n${rows(leftBuckets.starts, 65)}\n]);\nconst ${id}_LEFT_LIST: usize = memory.data<u32>([\n${rows(leftBuckets.entries.flat(), 8)}\n]);`);
  parts.push(`const ${id}_RIGHT_BUCKETS: usize = memory.data<u8>([\n${rows(rightBuckets.starts, 65)}\n]);\nconst ${id}_RIGHT_LIST: usize = memory.data<u32>([\n${rows(rightBuckets.entries.flat(), 8)}\n]);`);
  entries.push(`  if (n == ${tokens.length} && binaryBytes == ${size} && threeByteTokens == ${threes}) return ${id}_STAGE1;`);
  let safe = 0;
  for (const f of flags) if (f === (FLAG_LEFT | FLAG_RIGHT)) safe++;
  console.log(`char starts ${name}: ${safe} code points safe on both edges, ${stage1.length * 2 + stage2.length} bytes`);
}

const src = `// GENERATED by scripts/vocab/build-char-starts.ts — do not edit.
// Two bits per code point U+0080–U+FFFF: 1 = may start whole after a continuation byte
// (unless a listed exception for that byte ranks below the character), 2 = may start whole
// before a lead byte (unless a listed exception for that byte ranks below the character; see
// the script and docs/tokenizer.md).

export const CHAR_START_FIRST: u32 = ${FIRST_CP};
export const CHAR_START_SHIFT: u32 = ${BLOCK_SHIFT};

/** Bucket (0–63) of an exception list for the two bytes x = first | second << 8. */
@inline export function charStartBucket(x: u32): usize {
  return <usize>((x * 0x9e3779b1) >> 26);
}
${parts.join('\n')}

// Sections of a vocabulary's flags besides stage 1 (charStartSection).
/** Stage 2 blocks. */
export const CHAR_STAGE2: i32 = 0;
/** Bucket starts (65 bytes, by charStartBucket) of the left-edge exceptions. */
export const CHAR_LEFT_BUCKETS: i32 = 1;
/** Left-edge exceptions: u32 key and rank pairs, by bucket. */
export const CHAR_LEFT_LIST: i32 = 2;
/** Bucket starts of the right-edge exceptions. */
export const CHAR_RIGHT_BUCKETS: i32 = 3;
/** Right-edge exceptions: u32 key and value pairs, by bucket. */
export const CHAR_RIGHT_LIST: i32 = 4;

/** Section \`section\` (CHAR_*) of the flags whose stage 1 charStartTable returned. */
export function charStartSection(stage1: usize, section: i32): usize {
${VOCABS.map((v) => {
  const id = v.toUpperCase();
  return `  if (stage1 == ${id}_STAGE1) return ${SECTIONS.map((x, i) => `section == ${i} ? ${id}_${x} : `).join('')}0;`;
}).join('\n')}
  return 0;
}

/** The flags' stage 1 for the binary with these figures, or 0 when none was built for it. */
export function charStartTable(n: u32, binaryBytes: usize, threeByteTokens: u32): usize {
${entries.join('\n')}
  return 0;
}
`;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, src);
