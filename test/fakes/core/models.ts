/**
 * Providers answer with the concrete snapshot an alias points to (`gpt-4o` is served as
 * `gpt-4o-2024-08-06`, `claude-sonnet-4-5` as `claude-sonnet-4-5-20250929`), which is what a
 * gateway must report as "the model served". A few common aliases are known here; any other
 * name is echoed unchanged, and a fake's `modelMap` option can add or override entries.
 */
export const SNAPSHOTS: Record<string, string> = {
  // OpenAI models page (platform.openai.com/docs/models), snapshot of each alias.
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
  o3: 'o3-2025-04-16',
  'o4-mini': 'o4-mini-2025-04-16',
  'gpt-5': 'gpt-5-2025-08-07',
  'gpt-5-mini': 'gpt-5-mini-2025-08-07',
  'gpt-5-nano': 'gpt-5-nano-2025-08-07',
  // Anthropic models overview (docs.anthropic.com/en/docs/about-claude/models), alias → snapshot.
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
  'claude-opus-4-1': 'claude-opus-4-1-20250805',
  'claude-sonnet-4-0': 'claude-sonnet-4-20250514',
  'claude-opus-4-0': 'claude-opus-4-20250514',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet-20250219',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku-20241022',
};

export function servedModel(model: string, extra?: Record<string, string>): string {
  return extra?.[model] ?? SNAPSHOTS[model] ?? model;
}

/** OpenAI reasoning models report `reasoning_tokens` and take `reasoning_effort`. */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5(?!-chat)|gpt-oss)/.test(model);
}
