/**
 * Playground state, kept in the URL query so any view can be shared. Long inputs are
 * deflated (CompressionStream) and base64url-encoded; short ones stay readable. Inputs over
 * SHARE_LIMIT characters stay out of the URL: deflating a megabyte on the main thread after
 * every change blocks the page, and no one shares a link that long (browsers and chat apps
 * cut them); the link then keeps the model and the settings.
 */

export type Mode = 'text' | 'chat';
export type Detail = 'low' | 'high' | 'auto';

export interface ImageSpec {
  width: number;
  height: number;
  detail: Detail;
}

export interface PlaygroundState {
  mode: Mode;
  text: string;
  chat: string;
  /** The model whose tokens are highlighted. */
  model: string;
  /** Models in the cost table (the highlighted model is always included). */
  compare: string[];
  outputTokens: number;
  /** 0..1 */
  cacheHitRatio: number;
  batch: boolean;
  images: ImageSpec[];
}

export const DEFAULT_TEXT =
  'Tollgate counts tokens exactly like tiktoken, right here in your browser — no server involved. 🚀\n\nPaste any text or a chat, pick models, and compare what a request costs.';

export const DEFAULT_CHAT = JSON.stringify(
  [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: 'How many tokens is this conversation, and what will it cost?' },
  ],
  null,
  2,
);

export const DEFAULT_COMPARE = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'deepseek-flash'];

export const DEFAULT_STATE: PlaygroundState = {
  mode: 'text',
  text: DEFAULT_TEXT,
  chat: DEFAULT_CHAT,
  model: 'gpt-4o',
  compare: DEFAULT_COMPARE,
  outputTokens: 500,
  cacheHitRatio: 0,
  batch: false,
  images: [],
};

const PLAIN_LIMIT = 1500;
/** Longest text (UTF-16 units) put in a link. */
export const SHARE_LIMIT = 100_000;

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

async function packText(params: URLSearchParams, key: string, value: string): Promise<void> {
  if (value.length <= PLAIN_LIMIT || typeof CompressionStream === 'undefined') {
    params.set(key, value);
    return;
  }
  params.set(`${key}z`, toBase64Url(await pipe(new TextEncoder().encode(value), new CompressionStream('deflate-raw'))));
}

async function unpackText(params: URLSearchParams, key: string): Promise<string | undefined> {
  const plain = params.get(key);
  if (plain !== null) return plain;
  const z = params.get(`${key}z`);
  if (z === null) return undefined;
  const bytes = await pipe(fromBase64Url(z), new DecompressionStream('deflate-raw'));
  return new TextDecoder().decode(bytes);
}

function num(v: string | null, fallback: number, min: number, max: number): number {
  if (v === null || v.trim() === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function parseImages(v: string | null): ImageSpec[] {
  if (!v) return [];
  const out: ImageSpec[] = [];
  for (const part of v.split(',')) {
    const m = /^(\d{1,5})x(\d{1,5})(?::(low|high|auto))?$/.exec(part.trim());
    if (m) out.push({ width: Number(m[1]), height: Number(m[2]), detail: (m[3] as Detail | undefined) ?? 'auto' });
  }
  return out.slice(0, 16);
}

/** Read the state from a query string; anything missing or malformed falls back to the default. */
export async function readState(search: string): Promise<PlaygroundState> {
  const p = new URLSearchParams(search);
  const s: PlaygroundState = { ...DEFAULT_STATE };
  if (p.get('mode') === 'chat') s.mode = 'chat';
  try {
    s.text = (await unpackText(p, 't')) ?? s.text;
    s.chat = (await unpackText(p, 'c')) ?? s.chat;
  } catch {
    // A truncated share link: keep the defaults rather than failing.
  }
  const model = p.get('m')?.trim();
  if (model) s.model = model;
  const cmp = p.get('cmp');
  if (cmp !== null) s.compare = [...new Set(cmp.split(',').map((x) => x.trim()).filter(Boolean))].slice(0, 40);
  s.outputTokens = Math.round(num(p.get('out'), s.outputTokens, 0, 10_000_000));
  s.cacheHitRatio = num(p.get('cache'), s.cacheHitRatio * 100, 0, 100) / 100;
  s.batch = p.get('batch') === '1';
  s.images = parseImages(p.get('img'));
  return s;
}

/** Whether an input is too long to go into a link. */
export function tooLongToShare(text: string): boolean {
  return text.length > SHARE_LIMIT;
}

/** The query string for a state (defaults omitted; inputs over SHARE_LIMIT left out). */
export async function writeState(s: PlaygroundState): Promise<string> {
  const p = new URLSearchParams();
  const d = DEFAULT_STATE;
  if (s.mode !== d.mode) p.set('mode', s.mode);
  if (s.model !== d.model) p.set('m', s.model);
  if (s.text !== d.text && !tooLongToShare(s.text)) await packText(p, 't', s.text);
  if (s.chat !== d.chat && !tooLongToShare(s.chat)) await packText(p, 'c', s.chat);
  if (s.compare.join(',') !== d.compare.join(',')) p.set('cmp', s.compare.join(','));
  if (s.outputTokens !== d.outputTokens) p.set('out', String(s.outputTokens));
  if (s.cacheHitRatio !== d.cacheHitRatio) p.set('cache', String(Math.round(s.cacheHitRatio * 100)));
  if (s.batch) p.set('batch', '1');
  if (s.images.length) p.set('img', s.images.map((i) => `${i.width}x${i.height}:${i.detail}`).join(','));
  const q = p.toString();
  return q ? `?${q}` : '';
}
