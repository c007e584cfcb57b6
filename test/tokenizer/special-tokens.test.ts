/** Special tokens, bad input and error messages, against tiktoken where it defines the behaviour. */
import { describe, expect, it } from 'vitest';
import { getEncoding, encodingForModel, lookupModelEncoding, DisallowedSpecialTokenError, UnknownNameError } from '../../src/runtime/node.js';
import { ALL_ENCODINGS, oracle } from '../helpers/oracle.js';

describe.each(ALL_ENCODINGS)('special tokens: %s', (name) => {
  it('encode rejects special-token text by default, naming the token', async () => {
    const enc = await getEncoding(name);
    const text = 'hello <|endoftext|> world';
    expect(() => enc.encode(text)).toThrow(DisallowedSpecialTokenError);
    expect(() => enc.encode(text)).toThrow(/'<\|endoftext\|>'.*allowedSpecial/);
    expect(() => oracle(name).encode(text)).toThrow(); // tiktoken rejects too
  });

  it('allowedSpecial splits at specials first, like tiktoken', async () => {
    const enc = await getEncoding(name);
    const tk = oracle(name);
    const all = [...enc.specialTokens.keys()];
    const text = `a${all[0]}b  ${all[all.length - 1]}\n${all[0]}${all[0]}x <|not_special|>`;
    expect(Array.from(enc.encode(text, { allowedSpecial: 'all' }))).toEqual(Array.from(tk.encode(text, 'all')));
    expect(Array.from(enc.encode(text, { allowedSpecial: all }))).toEqual(Array.from(tk.encode(text, all)));
    // allowing one special still rejects the others
    if (all.length > 1) {
      expect(() => enc.encode(`${all[0]}${all[1]}`, { allowedSpecial: [all[0]] })).toThrow(all[1].replace(/[|]/g, '|'));
    }
  });

  it('encodeOrdinary treats special-token text as text', async () => {
    const enc = await getEncoding(name);
    const text = 'x<|endoftext|>y<|fim_prefix|>';
    expect(Array.from(enc.encodeOrdinary(text))).toEqual(Array.from(oracle(name).encode_ordinary(text)));
    expect(enc.count(text)).toBe(oracle(name).encode_ordinary(text).length);
  });

  it('decodes special ids back to their text', async () => {
    const enc = await getEncoding(name);
    for (const [tok, id] of enc.specialTokens) {
      if (name === 'o200k_harmony' && id === 200018) continue; // two names; checked below
      expect(enc.decode([id])).toBe(tok);
    }
  });

  it('rejects bad input with clear errors and stays usable', async () => {
    const enc = await getEncoding(name);
    for (const bad of [undefined, null, 42, {}, ['a'], Symbol('x')]) {
      expect(() => enc.encode(bad as unknown as string)).toThrow(TypeError);
      expect(() => enc.count(bad as unknown as string)).toThrow(TypeError);
    }
    expect(() => enc.decode([1, 2, 0xffffff])).toThrow(RangeError);
    expect(() => enc.decode([1, -1])).toThrow(RangeError);
    expect(() => enc.decode([1.5])).toThrow(RangeError);
    expect(() => enc.decode('abc' as unknown as number[])).toThrow(TypeError);
    expect(() => enc.encode('x', { allowedSpecial: ['<|nope|>'] })).toThrow(/not a special token/);
    expect(() => enc.isWithinLimit('x', -1)).toThrow(RangeError);
    // still works afterwards
    expect(Array.from(enc.encode('still fine'))).toEqual(Array.from(oracle(name).encode('still fine')));
  });
});

describe('encoding details', () => {
  it('o200k_harmony id 200018 decodes as <|endofprompt|> and its reserved name encodes to it', async () => {
    const enc = await getEncoding('o200k_harmony');
    expect(enc.decode([200018])).toBe('<|endofprompt|>');
    expect(Array.from(enc.encode('<|reserved_200018|><|start|>', { allowedSpecial: 'all' }))).toEqual([200018, 200006]);
    expect(Array.from(enc.encode('<|return|><|reserved_201087|>', { allowedSpecial: 'all' }))).toEqual([200002, 201087]);
  });

  it('lone surrogates encode as U+FFFD, like tiktoken', async () => {
    const enc = await getEncoding('o200k_base');
    for (const s of ['\ud800', 'a\udc00b', '\ud83d\ud83d', 'x\ud800']) {
      expect(Array.from(enc.encode(s))).toEqual(Array.from(oracle('o200k_base').encode(s)));
      expect(Array.from(enc.encode(s))).toEqual(Array.from(enc.encode(s.replace(/[\ud800-\udfff]/g, '\ufffd'))));
    }
  });

  it('decode turns invalid UTF-8 into U+FFFD', async () => {
    const enc = await getEncoding('cl100k_base');
    const bytes = enc.encode('😀'); // several byte-level tokens
    expect(bytes.length).toBeGreaterThan(1);
    expect(enc.decode(bytes.slice(0, 1))).toBe('\ufffd');
    expect(new TextDecoder().decode(oracle('cl100k_base').decode(bytes.slice(0, 1)))).toBe('\ufffd');
  });

  it('isWithinLimit returns the count or false, stopping early', async () => {
    const enc = await getEncoding('o200k_base');
    const text = 'hello world '.repeat(1000);
    const n = enc.count(text);
    expect(enc.isWithinLimit(text, n)).toBe(n);
    expect(enc.isWithinLimit(text, n - 1)).toBe(false);
    expect(enc.isWithinLimit('', 0)).toBe(0);
    expect(enc.isWithinLimit(text, 5)).toBe(false);
  });

  it('unknown encodings and models list valid names', async () => {
    await expect(getEncoding('o200k' as never)).rejects.toThrow(UnknownNameError);
    await expect(getEncoding('o200k' as never)).rejects.toThrow(/o200k_base.*Valid encodings: .*cl100k_base/);
    await expect(encodingForModel('gpt4o')).rejects.toThrow(/Unknown model 'gpt4o'. Did you mean 'gpt-4o'/);
    await expect(encodingForModel(42 as never)).rejects.toThrow(TypeError);
    // nothing close: the error says which models have an encoding
    await expect(encodingForModel('claude-3')).rejects.toThrow(/Unknown model 'claude-3'. Valid models: gpt-5\*.*estimateCost/);
    // names of Object.prototype members are not models (the table is a plain object)
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(lookupModelEncoding(name), name).toBeUndefined();
      await expect(encodingForModel(name), name).rejects.toThrow(/Unknown model/);
    }
  });

  it('maps current OpenAI models to their encodings', async () => {
    const cases: [string, string][] = [
      ['gpt-5', 'o200k_base'],
      ['gpt-5-mini-2025-08-07', 'o200k_base'],
      ['gpt-4.1-nano', 'o200k_base'],
      ['gpt-4o-2024-08-06', 'o200k_base'],
      ['o1', 'o200k_base'],
      ['o3-mini', 'o200k_base'],
      ['o4-mini-2025-04-16', 'o200k_base'],
      ['gpt-oss-120b', 'o200k_harmony'],
      ['gpt-4', 'cl100k_base'],
      ['gpt-4-0613', 'cl100k_base'],
      ['gpt-3.5-turbo', 'cl100k_base'],
      ['text-embedding-3-large', 'cl100k_base'],
      ['ft:gpt-4o-mini-2024-07-18:org::abc', 'o200k_base'],
      ['text-davinci-003', 'p50k_base'],
      ['code-davinci-edit-001', 'p50k_edit'],
      ['davinci', 'r50k_base'],
    ];
    for (const [model, encName] of cases) expect((await encodingForModel(model)).name, model).toBe(encName);
  });
});
