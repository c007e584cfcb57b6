/**
 * Parity of the open-weight encodings (Llama 3, Qwen 2/3, DeepSeek V3) with Hugging Face's
 * `tokenizers` on the assembled corpora: whole files, every line and random slices (which cut
 * through surrogate pairs and grapheme clusters), plus special and added tokens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getEncoding, DisallowedSpecialTokenError } from '../../src/runtime/node.js';
import { OPEN_WEIGHT_ENCODINGS } from '../../src/core/encodings.js';
import { OPEN_WEIGHT } from '../../src/core/open-weight.js';
import { describeDifference, firstDifference } from '../helpers/oracle.js';
import { decodedAsModel, hfOracle, OPEN_WEIGHT_NAMES, openWeightWanted, isBuilt, tokenizerJsonPath } from '../helpers/hf-oracle.js';
import { root } from '../helpers/workerd.js';

const dir = join(root, 'test/fixtures/corpus');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);

/** Compare ours with the oracle on many texts at once; fails with the first difference. */
export async function expectParity(name: (typeof OPEN_WEIGHT_NAMES)[number], texts: string[]): Promise<void> {
  const enc = await getEncoding(name);
  const theirs = await hfOracle(OPEN_WEIGHT_ENCODINGS[name]).ordinary(texts);
  texts.forEach((s, i) => {
    const ours = enc.encodeOrdinary(s);
    if (firstDifference(ours, theirs[i]!) >= 0) expect.fail(describeDifference(s, ours, theirs[i]!));
    expect(enc.count(s)).toBe(theirs[i]!.length);
  });
}

describe.each(OPEN_WEIGHT_NAMES.filter((n) => openWeightWanted(OPEN_WEIGHT_ENCODINGS[n])))('corpus parity with Hugging Face tokenizers: %s', (name) => {
  it('the vocabulary was built', () => {
    expect(isBuilt(OPEN_WEIGHT_ENCODINGS[name])).toBe(true);
  });

  it.each(corpus)('%s', async (_file, text) => {
    const texts = [text, ...text.split('\n')];
    let seed = text.length;
    for (let i = 0; i < 200; i++) {
      seed = (Math.imul(seed, 48271) + 11) & 0x7fffffff;
      const a = seed % text.length;
      texts.push(text.slice(a, Math.min(text.length, a + 1 + (seed % 97))));
    }
    await expectParity(name, texts);
    const enc = await getEncoding(name);
    if (text.isWellFormed()) expect(enc.decode(enc.encodeOrdinary(text))).toBe(decodedAsModel(name, text, OPEN_WEIGHT[name]));
  });

  it('special tokens: rejected by default, split when allowed, text in encodeOrdinary', async () => {
    const enc = await getEncoding(name);
    const o = hfOracle(OPEN_WEIGHT_ENCODINGS[name]);
    const names = [...enc.specialTokens.keys()];
    // Specials the shipped file knows by the same name (Llama 3.1's new names are not in it).
    const known = names.filter((n) => (o.tokenizer as unknown as { tokenToId(t: string): number | null }).tokenToId(n) === enc.specialTokens.get(n));
    expect(known.length).toBeGreaterThan(0);
    const text = `a${known[0]}b  ${known[known.length - 1]}\n${known[0]}${known[0]}x <|not_special|> ${known[1] ?? ''}.`;
    expect(() => enc.encode(text)).toThrow(DisallowedSpecialTokenError);
    const [full] = await o.full([text]);
    expect(Array.from(enc.encode(text, { allowedSpecial: 'all' }))).toEqual(full);
    await expectParity(name, [text, names.join(' '), names.join('')]);
    for (const n of names) expect(enc.decode([enc.specialTokens.get(n)!])).toBe(enc.decode(enc.encode(n, { allowedSpecial: [n] })));
  });

  it('added tokens that are not special are matched in ordinary text, as Hugging Face does', async () => {
    const added = Object.keys(OPEN_WEIGHT[name].addedTokens ?? {});
    const texts = added.length ? [added.join(''), added.map((a) => `x${a} y\n${a}${a}z`).join(' '), `<${added[0]!.slice(1)}`] : ['<tool_call>x</tool_call>'];
    await expectParity(name, texts);
    const enc = await getEncoding(name);
    for (const t of texts) {
      const tok = enc.tokenize(t);
      expect(Array.from(tok.ids)).toEqual(Array.from(enc.encodeOrdinary(t)));
      expect(tok.ends[tok.ends.length - 1]).toBe(t.length);
    }
  });
});

describe.skipIf(!openWeightWanted('gemma3'))('gemma3 spec', () => {
  it("specials and added tokens are exactly the tokenizer.json's", () => {
    const json = JSON.parse(readFileSync(tokenizerJsonPath('gemma3'), 'utf8')) as { added_tokens: { id: number; content: string; special: boolean }[] };
    const spec = OPEN_WEIGHT.gemma3;
    const entries = (special: boolean) => json.added_tokens.filter((t) => t.special === special).map((t) => [t.content, t.id]);
    expect(Object.entries(spec.specialTokens)).toEqual(entries(true));
    expect(Object.entries(spec.addedTokens!).sort((a, b) => a[1] - b[1])).toEqual(entries(false));
  });
});
