/** Long test inputs without split points, from a seeded generator (reproducible failures). */

/** A seeded random integer generator: rnd(n) in [0, n). */
export function rng(seed: number) {
  return (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
}

/** Random text without split points: CJK (random or from a small set of words), Hangul, Cyrillic, Thai, Latin letters. */
export function randomPieces(seed: number): string[] {
  const rnd = rng(seed);
  const from = (lo: number, hi: number, n: number) => Array.from({ length: n }, () => String.fromCodePoint(lo + rnd(hi - lo))).join('');
  const words = ['中国', '人民', '我们', '的', '是', '一个', '日本語', 'テキスト', '東京', '学习', '発表'];
  const wordy = Array.from({ length: 6000 }, () => (rnd(3) ? words[rnd(words.length)] : from(0x4e00, 0x9fa5, 1))).join('');
  return [
    from(0x4e00, 0x9fa5, 12000), // random CJK ideographs: ~36 KB, one piece
    wordy, // common words with rare characters between: cuts only between some of them
    from(0xac00, 0xd7a3, 6000), // Hangul syllables
    from(0x0430, 0x044f, 20000), // Cyrillic lowercase letters without spaces
    from(0x0e01, 0x0e2e, 12000), // Thai consonants
    from(0x3041, 0x3096, 9000) + from(0x30a1, 0x30fa, 9000), // kana
    Array.from({ length: 30000 }, () => 'abcdefghijklmnopqrstuvwxyz'[rnd(26)]).join(''), // random Latin letters
  ];
}

