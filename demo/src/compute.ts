/**
 * The page's side of the compute worker: one worker for the page's lifetime, the model list
 * and token bytes as promises, and jobs whose results arrive as messages.
 */
import type { Job, Reply, Result } from './compute-protocol';
import type { ModelInfo } from './models';

let worker: Worker | undefined;
let calls = 0;
const pending = new Map<number, (r: Reply) => void>();
const listeners = new Set<(r: Result) => void>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module', name: 'tollgate-compute' });
  worker.onmessage = (ev: MessageEvent<Reply>) => {
    const r = ev.data;
    if ((r.kind === 'models' || r.kind === 'bytes') && pending.has(r.call)) {
      pending.get(r.call)!(r);
      pending.delete(r.call);
    } else if (r.kind !== 'models' && r.kind !== 'bytes') {
      for (const l of listeners) l(r);
    }
  };
  return worker;
}

function call<K extends 'models' | 'bytes'>(msg: { kind: K } & Record<string, unknown>): Promise<Extract<Reply, { kind: K }>> {
  const id = ++calls;
  return new Promise((ok) => {
    pending.set(id, ok as (r: Reply) => void);
    getWorker().postMessage({ ...msg, call: id });
  });
}

export async function loadModels(): Promise<ModelInfo[]> {
  const r = await call({ kind: 'models' });
  if (!r.models) throw new Error(r.error ?? 'no models');
  return r.models;
}

/** Hex bytes of one token, e.g. "E2 80 94". */
export async function tokenBytes(encoding: string, id: number): Promise<string> {
  const r = await call({ kind: 'bytes', encoding, id });
  if (r.hex === undefined) throw new Error(r.error ?? 'no bytes');
  return r.hex;
}

/** Start a job; any job still running is superseded. */
export function submit(job: Job): void {
  getWorker().postMessage({ kind: 'job', job });
}

/** Receive results; returns the unsubscribe function. */
export function onResult(listener: (r: Result) => void): () => void {
  getWorker();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
