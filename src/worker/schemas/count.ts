/** POST /v1/count and POST /v1/tokenize request and response bodies. */
import { z } from '@hono/zod-openapi';
import { EncodingName, Messages, ModelName, oneOf, Tools } from './common.js';

export const CountRequest = z
  .strictObject({
    model: ModelName.optional(),
    encoding: EncodingName.optional(),
    text: z.string().optional().openapi({ description: 'Plain text; special-token text such as <|endoftext|> is counted as ordinary text.', example: 'Hello, world!' }),
    messages: Messages.optional().openapi({ description: 'A chat; counted with per-message overhead and reply priming. Needs `model`.' }),
    tools: Tools.optional().openapi({ description: 'Tool definitions sent with `messages`.' }),
    count_with: z
      .enum(['tollgate', 'provider'])
      .optional()
      .openapi({
        description:
          "`tollgate` (default): our tokenizer, or a labelled estimate. `provider`: for a model without a public tokenizer, ask its provider's token-counting endpoint (Claude via Anthropic) when the gateway's operator enabled it (`countTokens` on the provider) and the request carries a gateway key; the answer says in `provider_count` whether it was used and, if not, why (the estimate is returned then).",
        example: 'provider',
      }),
  })
  .superRefine(oneOf(['model', 'encoding']))
  .superRefine(oneOf(['text', 'messages']))
  .openapi('CountRequest', { description: 'Give `model` or `encoding`, and `text` or `messages`.' });

export const ProviderCount = z
  .object({
    used: z.boolean().openapi({ description: "true when `tokens` is the provider's own count (`exact: true`, `method: 'provider:<type>'`); false when the answer is Tollgate's count or estimate.", example: true }),
    provider: z.string().optional().openapi({ description: 'The configured provider asked (or that would have been asked).', example: 'anthropic' }),
    code: z
      .enum(['exact_already', 'unauthorized', 'not_served', 'not_configured', 'key_unavailable', 'timeout', 'provider_error', 'unreachable', 'unsupported_input'])
      .optional()
      .openapi({ description: 'Why the provider count was not used (when `used` is false).', example: 'not_configured' }),
    reason: z.string().optional().openapi({ description: 'The same, as a sentence to show the user.' }),
    note: z.string().optional().openapi({ description: "What the provider's count covers, when it differs from what was sent (e.g. `text` is counted as one user message, with the provider's message framing)." }),
    estimate: z
      .object({ tokens: z.number().int(), method: z.string() })
      .optional()
      .openapi({ description: "When used: Tollgate's own estimate of the same input, for comparison." }),
  })
  .openapi('ProviderCount', { description: 'Present when the request asked for `count_with: "provider"`.' });

export const CountResponse = z
  .object({
    tokens: z.number().int().openapi({ example: 4 }),
    encoding: z.string().openapi({ description: "Encoding used to count (for estimated models, the proxy encoding; for a provider's count, `provider:<type>`).", example: 'o200k_base' }),
    exact: z.boolean().openapi({ description: "true when the count equals what the provider bills (public tokenizer, or the provider's own count); false for estimates.", example: true }),
    model: z.string().optional().openapi({ description: 'Canonical model id, when `model` was given.', example: 'gpt-4o' }),
    method: z.string().optional().openapi({ description: "Estimation method, when `exact` is false: a documented ratio, or `learned-ratio` once proxied traffic has taught one; `provider:<type>` (e.g. `provider:anthropic`) when the provider counted.", example: 'claude-o200k-ratio' }),
    learned: z
      .object({ ratio: z.number(), p10: z.number(), p90: z.number(), samples: z.number().int() })
      .optional()
      .openapi({ description: 'For `learned-ratio`: provider tokens per o200k token (median), its 10th–90th percentile spread, and the samples it rests on.' }),
    provider_count: ProviderCount.optional(),
  })
  .openapi('CountResponse');

export const TokenizeRequest = z
  .strictObject({
    model: ModelName.optional(),
    encoding: EncodingName.optional(),
    text: z.string().openapi({ example: 'Hello, world!' }),
  })
  .superRefine(oneOf(['model', 'encoding']))
  .openapi('TokenizeRequest', { description: 'Give `model` (with a public tokenizer) or `encoding`, and `text`.' });

export const TokenizeResponse = z
  .object({
    ids: z.array(z.number().int()).openapi({ example: [13225, 11, 2375, 0] }),
    offsets: z
      .array(z.tuple([z.number().int(), z.number().int()]))
      .openapi({ description: "Each token's [start, end) range in `text`, in UTF-16 code units (JavaScript string indices).", example: [[0, 5], [5, 6], [6, 12], [12, 13]] }),
    count: z.number().int().openapi({ example: 4 }),
    encoding: z.string().openapi({ example: 'o200k_base' }),
  })
  .openapi('TokenizeResponse');

export type CountRequestBody = z.infer<typeof CountRequest>;
export type ProviderCountInfo = z.infer<typeof ProviderCount>;
