/**
 * Schemas shared by several routes. The same zod objects validate requests and generate
 * /openapi.json, so the document cannot drift from what the worker accepts.
 *
 * Size caps keep every request's CPU linear in its body size: the body itself is capped
 * by MAX_BODY_BYTES, arrays here are capped so that per-element work (one tokenizer call
 * per message, one estimate per model) stays bounded.
 */
import { z } from '@hono/zod-openapi';
import { ENCODING_NAMES } from '../../core/encodings.js';

export const LIMITS = {
  /** Models compared in one /v1/estimate call. */
  models: 32,
  /** Chat messages in one request. */
  messages: 4096,
  /** Content parts of one message. */
  parts: 256,
  /** Tool definitions. */
  tools: 256,
  /** Images in one estimate. */
  images: 256,
  /** Length of a model or encoding name. */
  name: 256,
} as const;

export const ErrorSchema = z
  .object({
    error: z.object({
      message: z.string().openapi({ example: "The model 'gpt4o' does not exist. Did you mean 'gpt-4o'?" }),
      type: z.enum(['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'rate_limit_error', 'server_error', 'upstream_error']).openapi({ example: 'invalid_request_error' }),
      param: z.string().nullable().openapi({ example: 'model' }),
      code: z.string().nullable().openapi({ example: 'model_not_found' }),
    }),
  })
  .openapi('Error', { description: 'OpenAI-style error envelope used by every non-2xx response.' });

export const ModelName = z
  .string()
  .min(1)
  .max(LIMITS.name)
  .openapi({ description: 'Model id or alias (see GET /v1/models); dated snapshots of OpenAI models resolve too.', example: 'gpt-4o' });

export const EncodingName = z
  .string()
  .min(1)
  .max(LIMITS.name)
  .openapi({
    description: `Encoding: ${ENCODING_NAMES.join(', ')}.`,
    example: 'o200k_base',
  });

/** One content part of a chat message: OpenAI (text, image_url, input_text, input_image) or Anthropic (text, image, tool_use, tool_result, thinking) blocks. */
export const ContentPart = z
  .looseObject({
    type: z.string().min(1).max(64).openapi({ example: 'text' }),
    text: z.string().optional(),
    image_url: z
      .union([z.string(), z.looseObject({ url: z.string().optional(), detail: z.enum(['low', 'high', 'auto']).optional(), width: z.number().optional(), height: z.number().optional() })])
      .optional()
      .openapi({ description: 'Image parts are counted by pixel size: give `width`/`height` on the part or image_url, or a data: URL.' }),
    width: z.number().optional(),
    height: z.number().optional(),
  })
  .openapi('ContentPart');

export const Message = z
  .looseObject({
    role: z.string().min(1).max(64).openapi({ example: 'user' }),
    content: z
      .union([z.string(), z.array(ContentPart).max(LIMITS.parts)])
      .nullable()
      .optional()
      .openapi({ description: 'Text, or an array of content parts.', example: 'Hello!' }),
    name: z.string().max(LIMITS.name).optional(),
  })
  .openapi('Message', {
    description: 'A chat message (OpenAI or Anthropic shape). Counted by the openai-cookbook formula: 3 tokens per message, +1 per name, +3 reply priming; other fields (tool_calls, …) count as their JSON text.',
  });

export const Tool = z
  .looseObject({ type: z.string().max(64).optional(), name: z.string().max(LIMITS.name).optional(), function: z.looseObject({ name: z.string().max(LIMITS.name) }).optional() })
  .openapi('Tool', { description: 'A tool (function) definition, OpenAI `{type: "function", function}` or Anthropic `{name, input_schema}`.' });

export const Tools = z.array(Tool).max(LIMITS.tools);

export const Messages = z.array(Message).min(1).max(LIMITS.messages);

/** Adds an issue when not exactly one (or, with `optional`, more than one) of `keys` is present. */
export function oneOf<T extends Record<string, unknown>>(keys: (keyof T & string)[], optional = false) {
  return (value: T, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length > 1) {
      ctx.addIssue({ code: 'custom', path: [present[1]], message: `Give only one of ${keys.map((k) => `'${k}'`).join(', ')}.` });
    } else if (present.length === 0 && !optional) {
      ctx.addIssue({ code: 'custom', path: [keys[0]], message: `One of ${keys.map((k) => `'${k}'`).join(', ')} is required.` });
    }
  };
}
