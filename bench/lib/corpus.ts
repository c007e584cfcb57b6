/** Benchmark inputs: ~4 KB documents cut from the test corpora, and 1 MB documents. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The test corpus's texts (without `long-runs`, which the pathological suite covers). */
export function corpusTexts(): string[] {
  const dir = join(root, 'test/fixtures/corpus');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && !f.startsWith('long-runs'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** Mixed ~4 KB documents (prose, code, JSON, CJK, other scripts, emoji), cut at line breaks. */
export function docs4k(): string[] {
  const out: string[] = [];
  for (const text of corpusTexts()) {
    let cur = '';
    for (const line of text.split(/(?<=\n)/)) {
      cur += line;
      if (cur.length >= 4000) {
        out.push(cur);
        cur = '';
      }
    }
    if (cur.length > 1000) out.push(cur);
  }
  return out;
}

/** A 1 MB document of the whole mixed corpus repeated. */
export function doc1mb(): string {
  const all = corpusTexts().join('\n');
  let s = '';
  while (Buffer.byteLength(s) < 1_000_000) s += all;
  return s;
}

/**
 * The unseen-text split: alternate ~4 KB documents, so both halves cover every kind of text and
 * neither repeats the other. A tokenizer warms up on `seen`, then is timed on `unseen`.
 */
export function halves(docs: string[]): { seen: string[]; unseen: string[] } {
  return { seen: docs.filter((_, i) => i % 2 === 0), unseen: docs.filter((_, i) => i % 2 === 1) };
}

/** What a document mostly is, by its letters: unseen-text figures differ most between these. */
export type TextKind = 'Latin script, code, data' | 'Chinese, Japanese, Korean' | 'other scripts';
export const TEXT_KINDS: TextKind[] = ['Latin script, code, data', 'Chinese, Japanese, Korean', 'other scripts'];

export function textKind(text: string): TextKind {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const cjk = text.match(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/gu)?.length ?? 0;
  const latin = text.match(/\p{sc=Latin}/gu)?.length ?? 0;
  if (cjk * 2 > letters) return 'Chinese, Japanese, Korean';
  if ((letters - cjk - latin) * 2 > letters) return 'other scripts';
  return 'Latin script, code, data';
}

export function utf8Bytes(texts: string[]): number {
  return texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
}
