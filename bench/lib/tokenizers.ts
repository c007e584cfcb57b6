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
