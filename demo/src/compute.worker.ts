/**
 * The playground's compute worker: tokenizer, counts, highlighting and cost rows off the main
 * thread. Jobs are latest-wins: the worker yields between stages, and a stage whose job has
 * been superseded is dropped, so typing into a megabyte never queues up stale work. Results go
 * out in the order a reader needs them: the count, then the cost rows, then the highlighting.
 */
import { countChat, getEncoding, type Encoding, type EncodingName } from 'tollgate';
import { loadModels } from './catalog';
import { contentText, parseChat } from './chat';
import { hexBytes } from './format';
import type { Job, Reply, Request, Result, Row } from './compute-protocol';
import { highlight, type SegmentInput } from './highlight';
import type { ModelInfo } from './models';
import { chatRow, sortRows, textRow, type Terms } from './rows';

const post = (r: Reply) => (self as unknown as Worker).postMessage(r);

let models: Map<string, ModelInfo> | undefined;
function modelMap(): Map<string, ModelInfo> {
  return (models ??= new Map(loadModels().map((m) => [m.id, m])));
}

let latest: Job | undefined;
let running = false;

/** Lets queued messages (a newer job) arrive; true when the job in hand is stale. */
async function superseded(job: Job): Promise<boolean> {
  await new Promise<void>((ok) => setTimeout(ok, 0));
  return latest !== undefined && latest.id !== job.id;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

async function run(job: Job): Promise<void> {
  const send = (r: Result) => post(r);
  const info = modelMap().get(job.primary);
  const terms: Terms = {
    outputTokens: job.outputTokens,
    cacheHitRatio: job.cacheHitRatio,
    batch: job.batch,
    ...(job.images.length ? { images: job.images } : {}),
  };

  let segments: SegmentInput[];
  let messages: unknown[] | undefined;
  if (job.mode === 'text') {
    segments = [{ text: job.input, total: 0 }];
  } else {
    const chat = parseChat(job.input);
    if (!chat.ok) return send({ kind: 'chat-error', id: job.id, error: chat.error });
    messages = chat.messages;
    segments = chat.messages.map((m) => ({ label: m.name ? `${m.role} · ${m.name}` : m.role, text: contentText(m.content), total: 0 }));
  }

  // Raw counts per encoding of the text, shared by the headline and every cost row.
  const counts = new Map<EncodingName, Promise<number>>();
  const countIn = (name: EncodingName) => {
    let n = counts.get(name);
    if (!n) counts.set(name, (n = getEncoding(name).then((enc) => enc.count(job.input))));
    return n;
  };

  let enc: Encoding | undefined;
  if (info) {
    try {
      enc = await getEncoding(info.encoding);
    } catch (e) {
      send({ kind: 'encoding-error', id: job.id, error: `Could not load the ${info.encoding} tokenizer: ${(e as Error).message ?? e}` });
    }
  }
  if (enc && info) {
    let contentTokens = 0;
    for (const s of segments) contentTokens += s.total = job.mode === 'text' ? await countIn(info.encoding) : enc.count(s.text);
    const chars = segments.reduce((n, s) => n + codePoints(s.text), 0);
    let count: number | undefined;
    if (info.exact) count = messages ? await countChat(messages, { model: info.id }).catch(() => contentTokens) : contentTokens;
    send({ kind: 'count', id: job.id, mode: job.mode, model: job.primary, contentTokens, chars, ...(count !== undefined ? { count } : {}) });
  }
  if (await superseded(job)) return;

  const compared = job.compared;
  const rows: Row[] = [];
  for (const model of compared) {
    rows.push(messages ? await chatRow(model, messages, terms) : await textRow(model, modelMap().get(model), job.input, terms, countIn));
    if (latest && latest.id !== job.id) return;
  }
  send({ kind: 'rows', id: job.id, rows: sortRows(rows) });
  if (!enc || (await superseded(job))) return;

  const view = highlight(enc, segments);
  send({ kind: 'tokens', id: job.id, ...view });
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  try {
    while (latest) {
      const job = latest;
      try {
        await run(job);
      } catch (e) {
        post({ kind: 'encoding-error', id: job.id, error: String((e as Error).message ?? e) });
      }
      if (latest === job) latest = undefined;
    }
  } finally {
    running = false;
  }
}

self.onmessage = async (ev: MessageEvent<Request>) => {
  const msg = ev.data;
  if (msg.kind === 'job') {
    latest = msg.job;
    void drain();
  } else if (msg.kind === 'models') {
    try {
      post({ kind: 'models', call: msg.call, models: [...modelMap().values()] });
    } catch (e) {
      post({ kind: 'models', call: msg.call, error: String((e as Error).message ?? e) });
    }
  } else if (msg.kind === 'bytes') {
    try {
      const enc = await getEncoding(msg.encoding as EncodingName);
      post({ kind: 'bytes', call: msg.call, hex: hexBytes(enc.decodeBytes([msg.id])) });
    } catch (e) {
      post({ kind: 'bytes', call: msg.call, error: String((e as Error).message ?? e) });
    }
  }
};
