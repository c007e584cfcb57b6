/** costFromUsage on real-shaped usage objects of each provider. */
import { describe, expect, it } from 'vitest';
import { costFromUsage } from '../../src/runtime/node.js';
import { latest, tokenCost, usd } from './helpers.js';

describe('OpenAI', () => {
  it('chat completions: prompt_tokens includes cached_tokens, completion_tokens includes reasoning', async () => {
    const usage = {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 192, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const est = await costFromUsage('o4-mini-2025-04-16', usage);
    expect(est.model).toBe('o4-mini');
    expect(est.total).toBe(usd(tokenCost('1.1', 86) + tokenCost('0.275', 1920) + tokenCost('4.4', 300)));
    expect(est).toMatchObject({ inputTokens: 2006, outputTokens: 300, exact: true, method: 'usage:openai' });
  });

  it('a whole response object works too; batch halves it', async () => {
    const res = { id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4o-2024-08-06', usage: { prompt_tokens: 1000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 0 } } };
    const est = await costFromUsage('gpt-4o', res, { batch: true });
    expect(est.total).toBe(usd((tokenCost('2.5', 1000) + tokenCost('10', 100)) / 2n));
  });

  it('responses API usage', async () => {
    const usage = { input_tokens: 5000, input_tokens_details: { cached_tokens: 4096 }, output_tokens: 800, output_tokens_details: { reasoning_tokens: 512 }, total_tokens: 5800 };
    const est = await costFromUsage('gpt-5', usage);
    expect(est.total).toBe(usd(tokenCost('1.25', 904) + tokenCost('0.125', 4096) + tokenCost('10', 800)));
  });

  it('realtime usage with audio tokens', async () => {
    const p = latest('gpt-realtime');
    const usage = {
      total_tokens: 1700,
      input_tokens: 1200,
      output_tokens: 500,
      input_token_details: { text_tokens: 400, audio_tokens: 800, cached_tokens: 300, cached_tokens_details: { text_tokens: 100, audio_tokens: 200 } },
      output_token_details: { text_tokens: 100, audio_tokens: 400 },
    };
    const est = await costFromUsage('gpt-realtime', usage);
    const want =
      tokenCost(p.input!, 300) + tokenCost(p.cached_input!, 100) + tokenCost(p.output!, 100) + tokenCost(p.audio!.input!, 600) + tokenCost(p.audio!.cached_input!, 200) + tokenCost(p.audio!.output!, 400);
    expect(est.total).toBe(usd(want));
  });
});

describe('Anthropic', () => {
  it('input_tokens excludes cache reads and writes; writes split by lifetime', async () => {
    const usage = {
      input_tokens: 50,
      cache_creation_input_tokens: 3000,
      cache_read_input_tokens: 10_000,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      output_tokens: 700,
      service_tier: 'standard',
    };
    const est = await costFromUsage('claude-sonnet-4-5-20250929', usage);
    expect(est.inputTokens).toBe(13_050);
    expect(est.total).toBe(usd(tokenCost('3', 50) + tokenCost('3.75', 1000) + tokenCost('6', 2000) + tokenCost('0.3', 10_000) + tokenCost('15', 700)));
  });

  it('without the breakdown all writes are 5-minute; cached tokens count toward the 200k tier', async () => {
    const usage = { input_tokens: 150_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 60_000, output_tokens: 1000 };
    // Before 2026-04-30, when Anthropic retired the 1M-context beta and with it the >200K tier.
    const est = await costFromUsage('claude-sonnet-4-5', usage, { date: '2026-01-01' });
    expect(est.total).toBe(usd(tokenCost('6', 150_000) + tokenCost('0.6', 60_000) + tokenCost('22.5', 1000)));
  });
});

describe('Gemini', () => {
  it('promptTokenCount includes cached; output = candidates + thoughts', async () => {
    const usageMetadata = { promptTokenCount: 12_000, cachedContentTokenCount: 8000, candidatesTokenCount: 400, thoughtsTokenCount: 1200, totalTokenCount: 13_600 };
    const est = await costFromUsage('gemini-2.5-flash', { candidates: [], usageMetadata });
    expect(est.outputTokens).toBe(1600);
    expect(est.total).toBe(usd(tokenCost('0.3', 4000) + tokenCost('0.03', 8000) + tokenCost('2.5', 1600)));
  });

  it('audio modality tokens are priced as audio', async () => {
    const usage = { promptTokenCount: 1000, candidatesTokenCount: 10, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 40 }, { modality: 'AUDIO', tokenCount: 960 }] };
    const est = await costFromUsage('gemini-2.5-flash', usage);
    expect(est.total).toBe(usd(tokenCost('0.3', 40) + tokenCost('1', 960) + tokenCost('2.5', 10)));
  });
});

it('rejects inconsistent or unknown usage, naming the field', async () => {
  await expect(costFromUsage('gpt-4o', { prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 11 } })).rejects.toMatchObject({ field: 'usage.prompt_tokens_details.cached_tokens' });
  await expect(costFromUsage('gpt-4o', { prompt_tokens: -1 })).rejects.toMatchObject({ field: 'usage.prompt_tokens' });
  await expect(costFromUsage('gpt-4o', { tokens: 5 })).rejects.toMatchObject({ field: 'usage' });
  await expect(costFromUsage('gpt-4o', { prompt_tokens: 1 }, { batch: true, bogus: 1 } as never)).rejects.toMatchObject({ field: 'bogus' });
});
