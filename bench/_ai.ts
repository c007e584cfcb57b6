import AiTokenizer from 'ai-tokenizer';
import * as aiEncoding from 'ai-tokenizer/encoding';
import { get_encoding } from 'tiktoken';
import { readdirSync, readFileSync } from 'node:fs';
const ai = new AiTokenizer((aiEncoding as any).o200k_base);
const tk = get_encoding('o200k_base');
const dir = '/work/main/test/fixtures/corpus';
for (const f of readdirSync(dir)) { const t = readFileSync(dir + '/' + f, 'utf8'); const a = ai.count(t), b = tk.encode_ordinary(t).length; if (a !== b) console.log(f, a, b); }
