/**
 * Parity on the assembled corpora (test/fixtures/corpus): whole files, every line, and random
 * slices (which cut through surrogate pairs and grapheme clusters), for every encoding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { ALL_ENCODINGS, oracle, describeDifference, firstDifference } from '../helpers/oracle.js';
import { root } from '../helpers/workerd.js';

const dir = join(root, 'test/fixtures/corpus');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
const corpus = files.map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);

it('the corpus covers the required kinds of text', () => {
  const names = files.join(' ');
  for (const kind of ['prose', 'code', 'json', 'cjk', 'arabic', 'hindi', 'cyrillic', 'emoji', 'whitespace', 'digits', 'contractions', 'identifiers', 'long-runs']) {
    expect(names).toContain(kind);
  }
});

describe.each(ALL_ENCODINGS)('corpus parity: %s', (name) => {
  it.each(corpus)('%s', async (_file, text) => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const check = (s: string) => {
      const ours = enc.encodeOrdinary(s);
      const theirs = tk.encode_ordinary(s);
      if (firstDifference(ours, theirs) >= 0) expect.fail(describeDifference(s, ours, theirs));
      expect(enc.count(s)).toBe(theirs.length);
    };
    check(text);
    for (const line of text.split('\n')) check(line);
    let seed = text.length;
    for (let i = 0; i < 200; i++) {
      seed = (Math.imul(seed, 48271) + 11) & 0x7fffffff;
      const a = seed % text.length;
      const b = Math.min(text.length, a + 1 + (seed % 97));
      check(text.slice(a, b));
    }
    if (text.isWellFormed()) expect(enc.decode(enc.encodeOrdinary(text))).toBe(text);
  });
});
