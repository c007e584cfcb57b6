/** Image tokens per provider rule and audio pricing. */
import { describe, expect, it } from 'vitest';
import { estimateCost, imageTokens } from '../../src/runtime/node.js';
import { atto, latest, times, tokenCost, usd } from './helpers.js';

describe('OpenAI tile models', () => {
  it('gpt-4o 1024² high = 765, low = 85', () => {
    expect(imageTokens({ model: 'gpt-4o', width: 1024, height: 1024, detail: 'high' })).toBe(765);
    expect(imageTokens({ model: 'gpt-4o', width: 1024, height: 1024, detail: 'low' })).toBe(85);
    expect(imageTokens({ model: 'gpt-4o', width: 1024, height: 1024 })).toBe(765); // auto billed like high
  });
  it('fits 2048² then shortest side 768: 2048×4096 → 6 tiles = 1105 (OpenAI docs example)', () => {
    expect(imageTokens({ model: 'gpt-4o', width: 2048, height: 4096, detail: 'high' })).toBe(1105);
  });
  it('small images are not upscaled: 512×512 is one tile', () => {
    expect(imageTokens({ model: 'gpt-4.1', width: 512, height: 512, detail: 'high' })).toBe(85 + 170);
  });
  it('per-model constants from the pricing entry: gpt-4o-mini 2833/5667, gpt-5 70/140, o1 75/150', () => {
    expect(imageTokens({ model: 'gpt-4o-mini', width: 1024, height: 1024, detail: 'high' })).toBe(2833 + 4 * 5667);
    expect(imageTokens({ model: 'gpt-4o-mini', width: 1024, height: 1024, detail: 'low' })).toBe(2833);
    expect(imageTokens({ model: 'gpt-5', width: 1024, height: 1024, detail: 'high' })).toBe(70 + 4 * 140);
    expect(imageTokens({ model: 'o1', width: 1024, height: 1024, detail: 'high' })).toBe(75 + 4 * 150);
  });
});

describe('OpenAI patch models', () => {
  it('ceil(w/32)·ceil(h/32) × multiplier, rounded up: gpt-4.1-mini 1024² → 1024 × 1.62', () => {
    expect(imageTokens({ model: 'gpt-4.1-mini', width: 1024, height: 1024 })).toBe(1659); // 1658.88
    expect(imageTokens({ model: 'gpt-4.1-nano', width: 1024, height: 1024 })).toBe(Math.ceil(1024 * 2.46));
    expect(imageTokens({ model: 'o4-mini', width: 100, height: 50 })).toBe(Math.ceil(4 * 2 * 1.72));
  });
  it('scales down past the 1536 cap as OpenAI documents: 1800×2400 → 1452 patches', () => {
    expect(imageTokens({ model: 'gpt-4.1-mini', width: 1800, height: 2400 })).toBe(Math.ceil(1452 * 1.62));
    expect(imageTokens({ model: 'gpt-5-mini', width: 8000, height: 8000 })).toBeLessThanOrEqual(Math.ceil(1536 * 1.62));
  });
});

describe('Anthropic and Gemini', () => {
  it('Anthropic: w·h/750, long edge scaled to 1568 first', () => {
    expect(imageTokens({ model: 'claude-sonnet-4-5', width: 1024, height: 768 })).toBe(Math.ceil((1024 * 768) / 750));
    expect(imageTokens({ model: 'claude-haiku-4-5', width: 3136, height: 1568 })).toBe(Math.ceil((1568 * 784) / 750));
  });
  it('Gemini: 258 up to 384 px, else 258 per 768-px tile', () => {
    expect(imageTokens({ model: 'gemini-2.5-flash', width: 384, height: 384 })).toBe(258);
    expect(imageTokens({ model: 'gemini-2.5-flash', width: 385, height: 100 })).toBe(258);
    expect(imageTokens({ model: 'gemini-2.5-flash', width: 1536, height: 800 })).toBe(258 * 4);
  });
  it('models without image input say so', () => {
    expect(() => imageTokens({ model: 'deepseek-chat', width: 10, height: 10 })).toThrow(/no image pricing rule/);
  });
});

it('estimateCost bills image tokens at the input price', async () => {
  const est = await estimateCost({ model: 'gpt-4o', inputTokens: 100, images: [{ width: 1024, height: 1024, detail: 'high' }, { width: 50, height: 50, detail: 'low' }] });
  expect(est.inputTokens).toBe(100 + 765 + 85);
  expect(est.lines.find((l) => l.component === 'image')).toMatchObject({ quantity: 850, unitPrice: '0.0000025' });
  expect(est.total).toBe(usd(tokenCost('2.5', 950)));
});

describe('audio', () => {
  it('Gemini: 32 tokens per second at the audio price', async () => {
    const p = latest('gemini-2.0-flash');
    const est = await estimateCost({ model: 'gemini-2.0-flash', audio: { inputSeconds: 30 } });
    expect(est.lines).toEqual([{ component: 'audio_input', quantity: 960, unit: 'token', unitPrice: '0.0000007', cost: usd(tokenCost(p.audio!.input!, 960)) }]);
  });
  it('Gemini models with one price for every modality bill audio at the text price', async () => {
    const est = await estimateCost({ model: 'gemini-2.0-flash-lite', audio: { inputSeconds: 1.5 } });
    expect(est.total).toBe(usd(tokenCost('0.075', 48)));
  });
  it('OpenAI realtime: user 10 tokens/s, assistant 20 tokens/s', async () => {
    const p = latest('gpt-realtime');
    const est = await estimateCost({ model: 'gpt-realtime', inputTokens: 200, outputTokens: 50, audio: { inputSeconds: 60, outputSeconds: 30 } });
    expect(est.total).toBe(usd(tokenCost(p.input!, 200) + tokenCost(p.output!, 50) + tokenCost(p.audio!.input!, 600) + tokenCost(p.audio!.output!, 600)));
  });
  it('transcription per-minute estimate, whisper per minute rounded to the second', async () => {
    const est = await estimateCost({ model: 'gpt-4o-transcribe', audio: { inputSeconds: 120 } });
    expect(est.total).toBe(usd(times(atto('0.006'), '2')));
    const w = await estimateCost({ model: 'whisper-1', audio: { inputSeconds: 0.2 } });
    expect(w.total).toBe(usd(atto('0.006') / 60n)); // one second
  });
  it('speech output per-minute estimate (gpt-4o-mini-tts)', async () => {
    const est = await estimateCost({ model: 'gpt-4o-mini-tts', input: 'Say hello', audio: { outputSeconds: 60 } });
    expect(est.lines.find((l) => l.component === 'audio_output')).toMatchObject({ unit: 'minute', quantity: 1, cost: '0.015' });
  });
  it('models without audio prices refuse audio, naming the field', async () => {
    await expect(estimateCost({ model: 'gpt-4o', audio: { inputSeconds: 3 } })).rejects.toMatchObject({ field: 'audio.inputSeconds' });
  });
});
