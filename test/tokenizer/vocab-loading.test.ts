/**
 * Lazy vocabulary loading: at load the core reads only a binary's header and directories,
 * fetches token groups as text needs them, and after a few dozen fetches reads the rest at
 * once. The core imports nothing, so it cannot ask for bytes mid-pass: an encode pass that
 * meets absent groups is discarded and run again once they are copied in. Ids must equal
 * tiktoken's at every stage and from every entry point (limits and offsets too), a failing
 * read must surface as an error and leave the tokenizer working once reads succeed again,
 * and decoding (which needs every token) must fetch everything.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesSource, setAssetLoader, type VocabSource } from '../../src/core/assets.js';
import { getEncoding, setPieceCache } from '../../src/core/registry.js';
import { getModel } from '../../src/cost/table.js';
import type { VocabName } from '../../src/core/encodings.js';
import { oracle } from '../helpers/oracle.js';

const assets = new URL('../../dist/assets/', import.meta.url);

interface Recorder extends VocabSource {
  size: number;
  reads: [offset: number, length: number][];
  closed: number;
  /** When set, reads after the load throw this. */
  failWith?: string;
}

const sources = new Map<VocabName, Recorder>();

function recorder(name: VocabName): Recorder {
  const bin = new Uint8Array(readFileSync(new URL(`vocab/${name}.bin`, assets)));
  const inner = bytesSource(bin);
  const r: Recorder = {
    size: bin.length,
    reads: [],
    closed: 0,
    read(offset, dest) {
      if (r.failWith && r.reads.length >= 2) throw new Error(r.failWith);
      r.reads.push([offset, dest.length]);
      inner.read(offset, dest);
    },
    close() {
      r.closed++;
    },
  };
  sources.set(name, r);
  return r;
}

setAssetLoader({
  async wasm() {
    return WebAssembly.compile(readFileSync(new URL('tollgate.wasm', assets)));
  },
  async vocab() {
    throw new Error('this test reads vocabularies through vocabSource only');
  },
  async vocabSource(name) {
    return recorder(name);
  },
});

const bytesRead = (r: Recorder) => r.reads.reduce((n, [, len]) => n + len, 0);

const WORDS = (readFileSync(new URL('../fixtures/corpus/prose-en.txt', import.meta.url), 'utf8') +
  readFileSync(new URL('../fixtures/corpus/code-ts.ts.txt', import.meta.url), 'utf8'))
  .split(/\s+/)
  .filter(Boolean);

describe('lazy vocabulary loading', () => {
  it('reads only the header and directories at load, and kilobytes for a first count', async () => {
    const enc = await getEncoding('o200k_base');
    const src = sources.get('o200k_base')!;
    expect(src.reads.length).toBe(2);
    expect(bytesRead(src)).toBeLessThan(80 * 1024); // header, checkpoints and directories (70 KB for o200k_base)
    const text = 'Hello, world! How many tokens is this?';
    expect(enc.count(text)).toBe(oracle('o200k_base').encode_ordinary(text).length);
    expect(bytesRead(src)).toBeLessThan(112 * 1024);
    expect(src.closed).toBe(0);
  });

  it('equals tiktoken word by word while groups arrive one at a time, then reads the rest once', async () => {
    const enc = await getEncoding('o200k_base');
    const src = sources.get('o200k_base')!;
    const tk = oracle('o200k_base');
    for (const w of WORDS) expect([...enc.encode(` ${w}`)], w).toEqual([...tk.encode_ordinary(` ${w}`)]);
    // Past the lazy limit one read delivered everything not yet present, and the source was released.
    expect(src.closed).toBe(1);
    const [, lastLen] = src.reads.at(-1)!;
    expect(src.reads.at(-1)![0] + lastLen).toBe(src.size);
    expect(lastLen).toBeGreaterThan(src.size / 2);
    const after = src.reads.length;
    expect(enc.count(WORDS.join(' '))).toBe(tk.encode_ordinary(WORDS.join(' ')).length);
    expect(src.reads.length).toBe(after);
  });

  it('surfaces a failed read as an error and recovers once reads succeed', async () => {
    const enc = await getEncoding('cl100k_base');
    const src = sources.get('cl100k_base')!;
    const tk = oracle('cl100k_base');
    src.failWith = 'disk on fire';
    expect(() => enc.count('Tokenization is fun')).toThrow(/disk on fire/);
    src.failWith = undefined;
    for (const text of ['Tokenization is fun', 'Tokenization is fun, again and again.', WORDS.slice(0, 200).join(' ')]) {
      expect([...enc.encode(text)]).toEqual([...tk.encode_ordinary(text)]);
    }
  });

  it('is exact while the index is being finished and once it is (miss filter, byte-pair table)', async () => {
    // Once the whole binary is present each encode inserts a share of the remaining groups;
    // when all are in, misses are answered by a filter and two-byte lookups by a direct table.
    // Lines of scripts merged from bytes (every candidate pair a lookup) through every state:
    // cl100k_base has had a few hundred words so far, so groups still arrive one by one.
    const enc = await getEncoding('cl100k_base');
    const tk = oracle('cl100k_base');
    const lines = ['cjk-zh', 'cjk-ja', 'thai', 'hindi', 'greek', 'mixed-scripts', 'emoji']
      .flatMap((f) => readFileSync(new URL(`../fixtures/corpus/${f}.txt`, import.meta.url), 'utf8').split('\n'))
      .filter((l) => l.length > 20);
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines) expect([...enc.encode(line)], line).toEqual([...tk.encode_ordinary(line)]);
    // cl100k_base's 100k tokens take at most ~12 encodes to finish; the lines again, all after
    // it, merged anew (the piece cache would answer them from the first round).
    await setPieceCache(false);
    try {
      for (const line of lines) expect([...enc.encode(line)], line).toEqual([...tk.encode_ordinary(line)]);
    } finally {
      await setPieceCache(true);
    }
  });

  it('fetches everything for the first decode', async () => {
    const enc = await getEncoding('r50k_base');
    const src = sources.get('r50k_base')!;
    expect(src.reads.length).toBe(2);
    const ids = oracle('r50k_base').encode_ordinary('Decoding needs every token: ünïcödé, 中文, 🎉.');
    expect(enc.decode(ids)).toBe('Decoding needs every token: ünïcödé, 中文, 🎉.');
    expect(src.reads.length).toBe(3);
    expect(src.closed).toBe(1);
    expect(bytesRead(src)).toBe(src.size);
  });

  it('is exact from a fresh vocabulary through isWithinLimit and tokenize, whose passes can end early', async () => {
    const enc = await getEncoding('p50k_base');
    const src = sources.get('p50k_base')!;
    const tk = oracle('p50k_base');
    // Few enough words that groups still arrive one by one.
    const text = WORDS.slice(0, 10).join(' ');
    const ids = tk.encode_ordinary(text);
    // An incomplete pass merges less, so it can pass the limit early; only a complete pass answers.
    expect(enc.isWithinLimit(text, ids.length)).toBe(ids.length);
    expect(enc.isWithinLimit(text, ids.length - 1)).toBe(false);
    expect(src.closed).toBe(0);
    // Offsets need every token's length: the first tokenize reads the rest of the binary.
    const t = enc.tokenize(text);
    expect([...t.ids]).toEqual([...ids]);
    expect(src.closed).toBe(1);
    const [offset, length] = src.reads.at(-1)!;
    expect(offset + length).toBe(src.size);
    expect(new TextEncoder().encode(text.slice(t.starts[1], t.ends[1]))).toEqual(tk.decode_single_token_bytes(ids[1]!));
  });

  it('has no imports: vocabulary bytes arrive between passes, not through a call out of WASM', async () => {
    // V8 compiles a wrapper for each import when it compiles the module, ~0.7 ms of a cold start.
    const mod = await WebAssembly.compile(readFileSync(new URL('tollgate.wasm', assets)));
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
  });

  it('has no start function: instantiating runs no WASM code', () => {
    // A start function (AssemblyScript emits one for a global initialised from another global)
    // must be compiled and run by every instantiation, on the cold-start path.
    const bytes = readFileSync(new URL('tollgate.wasm', assets));
    const ids: number[] = [];
    for (let p = 8; p < bytes.length; ) {
      const id = bytes[p++]!;
      let size = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[p++]!;
        size |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
      ids.push(id);
      p += size;
    }
    expect(ids).toContain(10); // the code section: the walk read real sections
    expect(ids).not.toContain(8); // the start section
  });

  it('says so when a custom loader has no pricing bundle, instead of failing obscurely', () => {
    expect(() => getModel('gpt-4o')).toThrow(/asset loader provides no pricing bundle/);
  });
});
