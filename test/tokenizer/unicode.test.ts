/**
 * Every Unicode scalar value, alone and between letters, digits, apostrophes and spaces,
 * against the oracle: proves the generated class tables (Unicode 16.0, White_Space as Rust
 * defines it) match tiktoken's regex engine for every pre-tokenizer family.
 */
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { sweepCodePoints } from '../helpers/oracle.js';

// Contexts chosen so that a wrong class changes the ids: "'s" joins a letter but not a symbol,
// "1…23" groups digits in threes, doubled characters expose whitespace runs.
const contexts = (c: string) => `${c} a${c}'s 1${c}23 ${c}${c}b ${c}a\n\t${c}  Z${c}z\n`;

describe.each(['o200k_base', 'cl100k_base', 'r50k_base'] as const)('every code point: %s', (name) => {
  it('matches tiktoken', async () => {
    const { checked, failures } = sweepCodePoints(await getEncoding(name), name, 0, 0x110000, 2048, contexts);
    expect(checked).toBe(0x110000 - 0x800);
    expect(failures).toEqual([]);
  });
});
