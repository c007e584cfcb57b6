/**
 * Every Unicode scalar value, alone and between letters, digits, apostrophes and spaces,
 * against the oracle: proves the generated class tables (Unicode 16.0, White_Space as Rust
 * defines it) match tiktoken's regex engine for every pre-tokenizer family.
 */
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { oracle, describeDifference, firstDifference } from '../helpers/oracle.js';

// Contexts chosen so that a wrong class changes the ids: "'s" joins a letter but not a symbol,
// "1…23" groups digits in threes, doubled characters expose whitespace runs.
const contexts = (c: string) => `${c} a${c}'s 1${c}23 ${c}${c}b ${c}a\n\t${c}  Z${c}z\n`;

describe.each(['o200k_base', 'cl100k_base', 'r50k_base'] as const)('every code point: %s', (name) => {
  it('matches tiktoken', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const failures: string[] = [];
    let checked = 0;
    for (let base = 0; base < 0x110000; base += 2048) {
      let s = '';
      for (let cp = base; cp < base + 2048; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        s += contexts(String.fromCodePoint(cp));
        checked++;
      }
      const ours = enc.encodeOrdinary(s);
      const theirs = tk.encode_ordinary(s);
      if (firstDifference(ours, theirs) >= 0) {
        // Narrow down to the code points responsible.
        for (let cp = base; cp < base + 2048 && failures.length < 20; cp++) {
          if (cp >= 0xd800 && cp <= 0xdfff) continue;
          const t = contexts(String.fromCodePoint(cp));
          const a = enc.encodeOrdinary(t);
          const b = tk.encode_ordinary(t);
          if (firstDifference(a, b) >= 0) failures.push(`U+${cp.toString(16).toUpperCase()}: ${describeDifference(t, a, b)}`);
        }
      }
    }
    expect(checked).toBe(0x110000 - 0x800);
    expect(failures).toEqual([]);
  });
});
