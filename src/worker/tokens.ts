/**
 * Token counting for the routes: resolves `model | encoding` to a tokenizer and counts text
 * or chats through the core and the cost API. No tokenizing or pricing logic lives here.
 */
import {
  countChatDetailed,
  ESTIMATION_METHODS,
  encodingForModel,
  estimateCost,
  getEncoding,
  getModel,
  lookupModelEncoding,
  type Encoding,
  type EncodingName,
  type ModelInfo,
} from '../core/index.js';
import { ApiError } from './errors.js';

export interface Target {
  model?: string;
  encoding?: string;
}

export interface CountResult {
  tokens: number;
  encoding: string;
  exact: boolean;
  model?: string;
  method?: string;
}

/** The priced model named `name`, or undefined when only the tokenizer knows it (e.g. `davinci`). */
function pricedModel(name: string): ModelInfo | undefined {
  try {
    return getModel(name);
  } catch (err) {
    if (lookupModelEncoding(name)) return undefined;
    throw err; // UnknownNameError with the closest priced models
  }
}

function noTokenizer(model: ModelInfo): ApiError {
  return new ApiError(400, `The model '${model.id}' is not priced per token and has no tokenizer (it bills by ${model.kind === 'speech' ? 'characters' : 'minutes'}).`, 'invalid_request_error', 'model', 'model_not_tokenized');
}

/** The exact tokenizer of an encoding or of a model with a public tokenizer (for /v1/tokenize). */
export async function exactEncoding(t: Target): Promise<Encoding> {
  if (t.encoding !== undefined) return getEncoding(t.encoding as EncodingName);
  const model = pricedModel(t.model!);
  if (!model) return encodingForModel(t.model!);
  const tok = model.tokenizer;
  if (!tok) throw noTokenizer(model);
  if (!tok.exact)
    throw new ApiError(
      400,
      `The model '${model.id}' has no public tokenizer, so its token ids are unknown (counts are estimated with ${tok.method}). Use /v1/count for an estimate, or tokenize with an encoding.`,
      'invalid_request_error',
      'model',
      'tokenizer_not_public',
    );
  return getEncoding(tok.encoding);
}

/** Tokens of `text` for an encoding (exact) or a model (exact, or a labelled estimate). */
export async function countText(text: string, t: Target): Promise<CountResult> {
  if (t.encoding !== undefined) {
    const enc = await getEncoding(t.encoding as EncodingName);
    return { tokens: enc.count(text), encoding: enc.name, exact: true };
  }
  const name = t.model!;
  const model = pricedModel(name);
  if (!model) {
    const enc = await encodingForModel(name);
    return { tokens: enc.count(text), encoding: enc.name, exact: true, model: name };
  }
  const tok = model.tokenizer;
  if (!tok) throw noTokenizer(model);
  if (tok.exact) {
    const enc = await getEncoding(tok.encoding);
    return { tokens: enc.count(text), encoding: enc.name, exact: true, model: model.id };
  }
  // No public tokenizer: the cost API's labelled estimate (its method scales a proxy encoding).
  const e = await estimateCost({ model: model.id, input: text });
  return { tokens: e.inputTokens, encoding: proxyEncoding(tok.method), exact: false, model: model.id, method: e.method };
}

/** Tokens of a chat (cookbook formula: per-message overhead, names, reply priming, tools). */
export async function countMessages(messages: unknown[], t: Target & { tools?: unknown[] }): Promise<CountResult> {
  if (t.model === undefined)
    throw new ApiError(400, 'Counting messages needs `model`: the per-message overhead depends on the model. Give `model` instead of `encoding`, or count `text`.', 'invalid_request_error', 'encoding', 'invalid_value');
  const model = pricedModel(t.model);
  const c = await countChatDetailed(messages, t.tools ? { model: t.model, tools: t.tools } : { model: t.model });
  const encoding = c.exact ? c.method : proxyEncoding(c.method);
  const out: CountResult = { tokens: c.tokens, encoding, exact: c.exact, model: model?.id ?? t.model };
  if (!c.exact) out.method = c.method;
  return out;
}

/** The encoding an estimation method scales (`claude-o200k-ratio` → o200k_base). */
function proxyEncoding(method: string): string {
  return (ESTIMATION_METHODS as Record<string, { encoding: string } | undefined>)[method]?.encoding ?? 'o200k_base';
}
