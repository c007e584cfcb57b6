/** Short texts that exercise every pre-tokenizer path; shared by the workerd suites. */
export const SAMPLE_TEXTS = [
  'Hello, world!',
  "It's OK — we'RE fine.\r\n\tindent  ",
  '中文 テキスト 한국어 العربية हिन्दी',
  '👨‍👩‍👧 🇯🇵 👍🏽 \u0085\u00a0\u3000 x',
  'a'.repeat(5000),
  '<|endoftext|> as text',
  'today\n ',
  'function f(x) {\n  return x ** 2; // 42\n}\n',
];
