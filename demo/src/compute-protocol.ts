/**
 * Messages between the page and the compute worker (compute.worker.ts). The worker does all
 * tokenizing, counting and pricing, so a megabyte of input never blocks the page; the page
 * only renders what comes back.
 */
import type { Estimate, ModelInfo } from './models';

export type Mode = 'text' | 'chat';

export interface ImageJob {
  width: number;
  height: number;
  detail: 'low' | 'high' | 'auto';
}

/** What to compute for the current input. A newer job supersedes any older one still running. */
export interface Job {
  id: number;
  mode: Mode;
  /** The text, or the chat as JSON. */
  input: string;
  /** The model whose tokens are highlighted and counted in the headline. */
  primary: string;
  /** Models in the cost table. */
  compared: string[];
  outputTokens: number;
  cacheHitRatio: number;
  batch: boolean;
  images: ImageJob[];
}

/** Highlighted tokens of one segment (the text, or one message's content). */
export interface SegmentView {
  label?: string;
  /** The part of the segment's text that is shown: the highlighted tokens, then plain text. */
  text: string;
  /** Rendered tokens only; starts/ends are UTF-16 offsets into `text`. */
  ids: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
  /** All tokens of the segment. */
  total: number;
  /** The segment goes on beyond `text`. */
  truncated: boolean;
}

export interface Row {
  model: string;
  estimate?: Estimate;
  error?: string;
}

export type Result =
  /** The headline figures, sent first. `count` is absent where it comes from the cost rows (estimates). */
  | { kind: 'count'; id: number; mode: Mode; model: string; contentTokens: number; chars: number; count?: number }
  | { kind: 'tokens'; id: number; segments: SegmentView[]; omittedSegments: number }
  | { kind: 'rows'; id: number; rows: Row[] }
  | { kind: 'chat-error'; id: number; error: string }
  | { kind: 'encoding-error'; id: number; error: string };

export type Request =
  | { kind: 'job'; job: Job }
  | { kind: 'models'; call: number }
  | { kind: 'bytes'; call: number; encoding: string; id: number };

export type Reply =
  | Result
  | { kind: 'models'; call: number; models?: ModelInfo[]; error?: string }
  | { kind: 'bytes'; call: number; hex?: string; error?: string };
