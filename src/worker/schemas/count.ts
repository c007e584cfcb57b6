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
  })
  .superRefine(oneOf(['model', 'encoding']))
  .superRefine(oneOf(['text', 'messages']))
  .openapi('CountRequest', { description: 'Give `model` or `encoding`, and `text` or `messages`.' });

export const CountResponse = z
  .object({
    tokens: z.number().int().openapi({ example: 4 }),
    encoding: z.string().openapi({ description: 'Encoding used to count (for estimated models, the proxy encoding).', example: 'o200k_base' }),
    exact: z.boolean().openapi({ description: 'true when the count equals what the provider bills (public tokenizer); false for estimates.', example: true }),
    model: z.string().optional().openapi({ description: 'Canonical model id, when `model` was given.', example: 'gpt-4o' }),
    method: z.string().optional().openapi({ description: 'Estimation method, when `exact` is false: a documented ratio, or `learned-ratio` once proxied traffic has taught one.', example: 'claude-o200k-ratio' }),
    learned: z
      .object({ ratio: z.number(), p10: z.number(), p90: z.number(), samples: z.number().int() })
      .optional()
      .openapi({ description: 'For `learned-ratio`: provider tokens per o200k token (median), its 10th–90th percentile spread, and the samples it rests on.' }),
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
