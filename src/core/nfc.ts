/**
 * Unicode NFC with Unicode 9.0 tables, as Hugging Face's `tokenizers` applies it before
 * Qwen's pre-tokenizer. String.prototype.normalize cannot stand in: it uses the runtime's own
 * ICU (a newer Unicode, different in every browser), which reorders combining marks added
 * since 9.0. Tables (dist/assets/nfc-tables.js, scripts/unicode/build-nfc-tables.ts) are
 * installed by the first encoding that needs them.
 *
 * Text without any character NFC can touch (no marks, no decomposable or composing character)
 * is returned as is after one regex test, which is almost all text.
 */

interface Tables {
  ccc: Map<number, number>;
  decomp: Map<number, number[]>;
  /** first << 21 | second → composite */
  comp: Map<number, number>;
  /** Characters NFC may change or that may change their neighbour. */
  touchy: RegExp;
  /** Runs of them (global). */
  runs: RegExp;
  /**
   * Characters NFC never keeps (decompositions that are not primary composites) or that may
   * compose with what precedes them: a window holding none of them, with its marks in
   * canonical order, is already NFC.
   */
  unstable: Set<number>;
  /** Combining class of the last character of each decomposable character's decomposition. */
  lastClass: Map<number, number>;
}

let tables: Tables | undefined;

const S_BASE = 0xac00, L_BASE = 0x1100, V_BASE = 0x1161, T_BASE = 0x11a7, L_COUNT = 19, V_COUNT = 21, T_COUNT = 28;
const N_COUNT = V_COUNT * T_COUNT, S_COUNT = L_COUNT * N_COUNT;

/** Install the generated tables (flat arrays, see the build script). */
export function installNfcTables(data: { CCC: number[]; DECOMPOSITIONS: number[]; EXCLUSIONS: number[] }): void {
  if (tables) return;
  const ccc = new Map<number, number>();
  for (let i = 0; i < data.CCC.length; i += 2) ccc.set(data.CCC[i]!, data.CCC[i + 1]!);
  const decomp = new Map<number, number[]>();
  const excluded = new Set(data.EXCLUSIONS);
  const comp = new Map<number, number>();
  const touchy = new Set<number>(ccc.keys());
  const unstable = new Set<number>();
  for (let i = 0; i < data.DECOMPOSITIONS.length; ) {
    const cp = data.DECOMPOSITIONS[i]!;
    const n = data.DECOMPOSITIONS[i + 1]!;
    const m = data.DECOMPOSITIONS.slice(i + 2, i + 2 + n);
    decomp.set(cp, m);
    touchy.add(cp);
    if (n === 2 && !excluded.has(cp)) {
      comp.set(m[0]! * 0x200000 + m[1]!, cp);
      touchy.add(m[1]!); // composes with what precedes it
      unstable.add(m[1]!);
    } else {
      unstable.add(cp); // singletons, exclusions: never in NFC
    }
    i += 2 + n;
  }
  const lastClass = new Map<number, number>();
  const last = (cp: number): number => {
    const m = decomp.get(cp);
    return m ? last(m[m.length - 1]!) : cp;
  };
  for (const cp of decomp.keys()) lastClass.set(cp, ccc.get(last(cp)) ?? 0);
  for (let cp = V_BASE; cp < V_BASE + V_COUNT; cp++) unstable.add(cp);
  for (let cp = T_BASE + 1; cp < T_BASE + T_COUNT; cp++) unstable.add(cp);
  // Hangul: conjoining vowels and trailing consonants compose with what precedes them. A
  // syllable is NFC by itself; one before a jamo is in that jamo's window.
  const ranges: [number, number][] = [
    [V_BASE, V_BASE + V_COUNT - 1],
    [T_BASE + 1, T_BASE + T_COUNT - 1],
  ];
  const sorted = [...touchy].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push([sorted[i]!, sorted[j]!]);
    i = j + 1;
  }
  const esc = (cp: number) => `\\u{${cp.toString(16)}}`;
  const touchyRe = new RegExp(`[${ranges.map(([a, b]) => (a === b ? esc(a) : `${esc(a)}-${esc(b)}`)).join('')}]`, 'u');
  tables = { ccc, decomp, comp, touchy: touchyRe, runs: new RegExp(`${touchyRe.source}+`, 'gu'), unstable, lastClass };
}

export function nfcReady(): boolean {
  return tables !== undefined;
}

/**
 * `s` in NFC (Unicode 9.0). Only windows around characters NFC can touch are rebuilt: a
 * window starts at the character before a run of such characters (a starter they may compose
 * with) and ends after the run; characters outside are starters that neither decompose nor
 * compose with a neighbour, so nothing crosses them. Lone surrogates pass through (the encoder
 * makes them U+FFFD).
 */
export function nfc(s: string): string {
  const t = tables;
  if (!t) throw new Error('tollgate: NFC tables are not loaded');
  if (!t.touchy.test(s)) return s;
  t.runs.lastIndex = 0;
  let out = ''; // built from the first window that changes
  let done = 0; // input copied to `out` up to here
  let seen = 0; // end of the last window
  for (let m = t.runs.exec(s); m; m = t.runs.exec(s)) {
    let start = m.index;
    if (start > seen) start -= start >= 2 && isLow(s.charCodeAt(start - 1)) && isHigh(s.charCodeAt(start - 2)) ? 2 : 1;
    const end = m.index + m[0].length;
    seen = end;
    const window = s.slice(start, end);
    if (isStable(t, window)) continue;
    out += s.slice(done, start) + normalizeWindow(t, window);
    done = end;
  }
  return done === 0 ? s : out + s.slice(done);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** NFC's quick check on a window: no unstable character and marks already in canonical order. */
function isStable(t: Tables, s: string): boolean {
  let prev = 0; // class of what the previous character ends with
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (t.unstable.has(cp)) return false;
    const c = t.ccc.get(cp) ?? 0;
    if (c !== 0 && c < prev) return false;
    prev = t.lastClass.get(cp) ?? c;
  }
  return true;
}

function normalizeWindow(t: Tables, s: string): string {
  // Decompose fully, with canonical ordering of each run of non-starters.
  const cps: number[] = [];
  const decompose = (cp: number): void => {
    if (cp >= S_BASE && cp < S_BASE + S_COUNT) {
      const si = cp - S_BASE;
      cps.push(L_BASE + Math.floor(si / N_COUNT), V_BASE + Math.floor((si % N_COUNT) / T_COUNT));
      if (si % T_COUNT) cps.push(T_BASE + (si % T_COUNT));
      return;
    }
    const m = t.decomp.get(cp);
    if (m) for (const x of m) decompose(x);
    else cps.push(cp);
  };
  for (const ch of s) decompose(ch.codePointAt(0)!);
  const cls = (cp: number) => t.ccc.get(cp) ?? 0;
  for (let i = 1; i < cps.length; i++) {
    // insertion sort by class within runs of non-starters (stable: equal classes keep order)
    const c = cls(cps[i]!);
    if (c === 0) continue;
    let j = i;
    while (j > 0 && cls(cps[j - 1]!) > c) {
      [cps[j - 1], cps[j]] = [cps[j]!, cps[j - 1]!];
      j--;
    }
  }
  // Canonical composition.
  const out: number[] = [];
  let starter = -1; // index in out of the last starter
  let lastClass = -1;
  for (const cp of cps) {
    const c = cls(cp);
    if (starter >= 0) {
      const st = out[starter]!;
      const blocked = out.length - 1 > starter && (lastClass === 0 || lastClass >= c);
      if (!blocked) {
        let composite: number | undefined;
        if (st >= L_BASE && st < L_BASE + L_COUNT && cp >= V_BASE && cp < V_BASE + V_COUNT && out.length - 1 === starter) {
          composite = S_BASE + ((st - L_BASE) * V_COUNT + (cp - V_BASE)) * T_COUNT;
        } else if (st >= S_BASE && st < S_BASE + S_COUNT && (st - S_BASE) % T_COUNT === 0 && cp > T_BASE && cp < T_BASE + T_COUNT && out.length - 1 === starter) {
          composite = st + (cp - T_BASE);
        } else {
          composite = t.comp.get(st * 0x200000 + cp);
        }
        if (composite !== undefined) {
          out[starter] = composite;
          continue;
        }
      }
    }
    if (c === 0) {
      starter = out.length;
      lastClass = -1;
    } else {
      lastClass = c;
    }
    out.push(cp);
    if (c === 0) lastClass = 0;
  }
  let r = '';
  for (let i = 0; i < out.length; i += 4096) r += String.fromCodePoint(...out.slice(i, i + 4096));
  return r;
}
