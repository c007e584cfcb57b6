/**
 * "Did you mean" suggestions: the known names closest to an unknown one. Used for unknown
 * encodings, models and pricing ids alike, so every error suggests the same way.
 */

/** Levenshtein distance, case-insensitive; O(a·b) on short names only. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * Up to `max` names from `known` closest to `name`: those sharing a prefix or within an edit
 * distance of about a third of the name's length, best first.
 */
export function closestMatches(name: string, known: Iterable<string>, max = 3): string[] {
  const q = name.toLowerCase().slice(0, 64);
  const scored: [number, string][] = [];
  for (const k of known) {
    const kl = k.toLowerCase();
    let d = editDistance(q, kl.slice(0, 64));
    if (kl.startsWith(q) || q.startsWith(kl)) d = Math.min(d, 1);
    if (d <= Math.max(2, Math.ceil(q.length / 3))) scored.push([d, k]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].length - y[1].length || x[1].localeCompare(y[1]));
  return scored.slice(0, max).map(([, k]) => k);
}
