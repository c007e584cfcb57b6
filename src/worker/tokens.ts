/**
 * Token counting for the routes: resolves `model | encoding` to a tokenizer and counts
 * text or chats through the core. No tokenizing logic lives here.
 */
import { encodingForModel, getEncoding, lookupModelEncoding, type Encoding, type EncodingName } from '../core/index.js';

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

/** The exact tokenizer of an encoding or of a model with a public tokenizer. */
export async function exactEncoding(t: Target): Promise<Encoding> {
  if (t.encoding !== undefined) return getEncoding(t.encoding as EncodingName);
  return encodingForModel(t.model!);
}

export async function countText(text: string, t: Target): Promise<CountResult> {
  const enc = await exactEncoding(t);
  const out: CountResult = { tokens: enc.count(text), encoding: enc.name, exact: true };
  if (t.model !== undefined) out.model = t.model;
  return out;
}

export async function countMessages(_messages: unknown[], t: Target): Promise<CountResult> {
  void lookupModelEncoding;
  void t;
  throw new Error('not implemented');
}
