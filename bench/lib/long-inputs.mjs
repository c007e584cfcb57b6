// Long inputs without split points for the pathological suite, as plain JavaScript so a fresh
// Node process (memory figures) builds exactly the same strings.

function lcg(seed) {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff);
}

/** Random CJK ideographs (U+4E00–U+9FA5), no character pattern repeating: about `bytes` of UTF-8. */
export function randomCjk(bytes, seed = 7) {
  const rnd = lcg(seed);
  const out = [];
  for (let i = 0; i < bytes / 3; i++) out.push(String.fromCharCode(0x4e00 + ((rnd() >> 8) % 20902)));
  return out.join('');
}

/** [label, text] pairs of about `bytes` each; random CJK first. */
export function inputsFor(bytes) {
  const rnd = lcg(42);
  const b64 = Buffer.from(Uint8Array.from({ length: Math.ceil((bytes * 3) / 4) }, () => rnd() & 255)).toString('base64').slice(0, bytes);
  const hangul = Array.from({ length: Math.floor(bytes / 3) }, () => String.fromCharCode(0xac00 + ((rnd() >> 8) % 11172))).join('');
  return [
    ['random CJK', randomCjk(bytes, bytes)],
    ['random Hangul', hangul],
    ["'a' × n", 'a'.repeat(bytes)],
    ["'^' × n", '^'.repeat(bytes)],
    ["'中' × n", '中'.repeat(Math.floor(bytes / 3))],
    ['base64 blob', b64],
  ];
}
