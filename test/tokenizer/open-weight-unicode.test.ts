/**
 * Unicode scalar values in several contexts, for each open-weight encoding, against Hugging
 * Face's `tokenizers`: proves the class tables (letters, marks, numbers, punctuation and
 * symbols, White_Space as Oniguruma defines it) and, for Qwen, NFC with Unicode 9.0 tables.
 *
 * The oracle runs at ~4 µs per pre-token here, so the id sweep takes every code point of the
 * planes where characters are assigned densely (0, 1 and the tag/variation-selector block of
 * plane 14) and every 17th elsewhere (CJK extensions, unassigned planes, private use), which
 * still lands in every 128-code-point block of our class table. NFC (the oracle's normaliser
 * alone is fast) is checked on every code point.
 */
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { OPEN_WEIGHT_ENCODINGS } from '../../src/core/encodings.js';
import { OPEN_WEIGHT } from '../../src/core/open-weight.js';
import { describeDifference, firstDifference } from '../helpers/oracle.js';
import { hfOracle, DISTINCT_OPEN_WEIGHT, openWeightWanted } from '../helpers/hf-oracle.js';
import { nfc } from '../../src/core/nfc.js';

const contexts = (c: string) => `${c} a${c}'s 1${c}23 ${c}${c}b ${c}a\n\t${c}  Z${c}z (${c}x 中${c}ア e\u0301${c}\u0323 .${c}\n`;

/** Code points of the sweep: dense planes in full, the rest sampled (see above). */
function* sweep(): Generator<number> {
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (cp < 0x20000 || (cp >= 0xe0000 && cp < 0xe1000) || cp % 17 === 0) yield cp;
  }
}

describe.each(DISTINCT_OPEN_WEIGHT.filter((n) => openWeightWanted(OPEN_WEIGHT_ENCODINGS[n])))('every code point vs Hugging Face tokenizers: %s', (name) => {
  it('matches the oracle', { timeout: 600_000 }, async () => {
    const enc = await getEncoding(name);
    const o = hfOracle(OPEN_WEIGHT_ENCODINGS[name]);
    const failures: string[] = [];
    const cps = [...sweep()];
    // Short texts batch well in the binding; 64 code points each.
    const texts: string[] = [];
    for (let i = 0; i < cps.length; i += 64) texts.push(cps.slice(i, i + 64).map((cp) => contexts(String.fromCodePoint(cp))).join(''));
    const theirs = await o.ordinary(texts);
    for (let k = 0; k < texts.length && failures.length < 20; k++) {
      if (firstDifference(enc.encodeOrdinary(texts[k]!), theirs[k]!) < 0) continue;
      for (const cp of cps.slice(k * 64, k * 64 + 64)) {
        const t = contexts(String.fromCodePoint(cp));
        const a = enc.encodeOrdinary(t);
        const [b] = await o.ordinary([t]);
        if (firstDifference(a, b!) >= 0) failures.push(`U+${cp.toString(16).toUpperCase()}: ${describeDifference(t, a, b!)}`);
      }
    }
    expect(cps.length).toBeGreaterThan(0x20000);
    expect(failures).toEqual([]);
  });

  if (OPEN_WEIGHT[name].normalize === nfc) {
    it('NFC (Unicode 9.0) equals the oracle normaliser on every code point in context', { timeout: 300_000 }, () => {
      const o = hfOracle(OPEN_WEIGHT_ENCODINGS[name]);
      const ctx = (c: string) => [c, `a${c}`, `${c}\u0301`, `e\u0301${c}\u0323`, `${c}\u0338`, `\u1100${c}`, `${c}\u1161\u11a8`, `a\u0323${c}\u0301`, `${c}${c}\u0316`];
      const failures: string[] = [];
      for (let base = 0; base < 0x110000; base += 4096) {
        const parts: string[] = [];
        for (let cp = base; cp < base + 4096; cp++) if (cp < 0xd800 || cp > 0xdfff) parts.push(...ctx(String.fromCodePoint(cp)));
        const s = parts.join('|');
        if (nfc(s) === o.normalize(s)) continue;
        for (let cp = base; cp < base + 4096 && failures.length < 20; cp++) {
          if (cp >= 0xd800 && cp <= 0xdfff) continue;
          for (const x of ctx(String.fromCodePoint(cp))) if (nfc(x) !== o.normalize(x)) failures.push(`U+${cp.toString(16)} in ${JSON.stringify(x)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
