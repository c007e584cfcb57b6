/**
 * The JS side of the WASM cost engine (assembly/cost): one instance of the package's WASM
 * module per JS realm, the pricing table's records registered once per table, then per
 * estimate: write the quantities, call cost_compute, read integer lines (1e-24 USD). No
 * allocation in WASM per call; memory never grows across calls.
 */
import { sharedInstance } from '../core/registry.js';
import { formatYoctoUsd, u128FromWords } from './decimal.js';
import { COMPONENTS, E, LINE_BYTES, MAX_TOOLS, Q, QUANTITY_SLOTS, RECORD_SLOTS, U_MINUTE, U_TOKEN_HOUR, UNITS } from './layout.js';
import type { CompiledTable } from './compiled-table.js';
import { CostInputError } from './errors.js';
import type { CostLine } from './types.js';

interface CostExports {
  memory: WebAssembly.Memory;
  cost_table(count: number): number;
  cost_quantities(): number;
  cost_compute(index: number): number;
  cost_lines(): number;
  cost_total(): number;
}

/** Quantities of one priced request (all non-negative integers ≤ 1e12, already validated). */
export interface Quantities {
  input?: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite30m?: number;
  cacheWrite1h?: number;
  cacheWrite12h?: number;
  output?: number;
  reasoning?: number;
  imageTokens?: number;
  images?: number;
  audioInMs?: number;
  audioOutMs?: number;
  audioInTokens?: number;
  audioOutTokens?: number;
  audioCachedTokens?: number;
  characters?: number;
  requests?: number;
  /** Regional uplift in 1e-6 (1_000_000 = none). */
  regionMicro?: number;
  storageTokens?: number;
  storageSeconds?: number;
  /** Calls per tool slot of the record (its tools in order), and calls already made in each quota period. */
  toolCalls?: number[];
  toolBefore?: number[];
}

/** Lines and total of one computation, money as exact decimal strings plus the raw total. */
export interface PricedLines {
  lines: CostLine[];
  total: string;
  /** Total in 1e-24 USD. */
  totalYocto: bigint;
}

const FIELD_OF_ERROR: Record<number, [string, string]> = {
  [E.OVERFLOW]: ['total', 'the cost exceeds what the engine can represent (2^128 × 1e-18 USD)'],
  [E.CACHE]: ['cache', 'cache read + write tokens exceed the input tokens they are part of'],
  [E.REASONING]: ['reasoningTokens', 'reasoning tokens exceed the output tokens they are part of'],
  [E.NO_INPUT]: ['inputTokens', 'this model has no input token price; input must be 0'],
  [E.NO_OUTPUT]: ['outputTokens', 'this model has no output token price; outputTokens must be 0'],
  [E.NO_AUDIO_IN]: ['audio.inputSeconds', 'this model has no audio input price'],
  [E.NO_AUDIO_OUT]: ['audio.outputSeconds', 'this model has no audio output price'],
  [E.NO_IMAGE]: ['images', 'this model has no image price'],
  [E.NO_CHARS]: ['input', 'this model has no per-character price'],
  [E.NO_STORAGE]: ['cache.storage', 'this model has no cache storage price'],
  [E.LONG_CONTEXT]: ['serviceTier', 'this service tier is not offered for prompts above the long-context threshold'],
};

class Engine {
  private readonly x: CostExports;
  private generation = -1;
  private q32: Uint32Array;
  private m32: Uint32Array;
  private readonly qPtr: number;
  private readonly linesPtr: number;
  private readonly totalPtr: number;

  constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as CostExports;
    this.qPtr = this.x.cost_quantities();
    this.linesPtr = this.x.cost_lines();
    this.totalPtr = this.x.cost_total();
    this.m32 = new Uint32Array(this.x.memory.buffer);
    this.q32 = new Uint32Array(this.x.memory.buffer, this.qPtr, QUANTITY_SLOTS * 2);
  }

  private views(): void {
    if (this.m32.buffer !== this.x.memory.buffer) {
      this.m32 = new Uint32Array(this.x.memory.buffer);
      this.q32 = new Uint32Array(this.x.memory.buffer, this.qPtr, QUANTITY_SLOTS * 2);
    }
  }

  /** Bytes of linear memory (for leak tests). */
  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  private register(t: CompiledTable): void {
    const count = t.records.length / RECORD_SLOTS;
    const ptr = this.x.cost_table(count);
    new BigInt64Array(this.x.memory.buffer, ptr, t.records.length).set(t.records);
    this.generation = t.generation;
  }

  /** Sets a quantity slot (the slots are zeroed before each compute, so absent quantities are skipped). */
  private setQ(slot: number, v: number | undefined): void {
    if (!v) return;
    this.q32[slot * 2] = v >>> 0;
    this.q32[slot * 2 + 1] = Math.floor(v / 0x100000000);
  }

  /** Prices `q` with record `record` of table `t`. Throws CostInputError naming the field at fault. */
  compute(t: CompiledTable, record: number, q: Quantities, model: string): PricedLines {
    if (this.generation !== t.generation) this.register(t);
    this.views();
    this.q32.fill(0);
    this.setQ(Q.INPUT, q.input);
    this.setQ(Q.CACHE_READ, q.cacheRead);
    this.setQ(Q.CACHE_WRITE_5M, q.cacheWrite5m);
    this.setQ(Q.CACHE_WRITE_30M, q.cacheWrite30m);
    this.setQ(Q.CACHE_WRITE_1H, q.cacheWrite1h);
    this.setQ(Q.CACHE_WRITE_12H, q.cacheWrite12h);
    this.setQ(Q.OUTPUT, q.output);
    this.setQ(Q.REASONING, q.reasoning);
    this.setQ(Q.IMAGE_TOKENS, q.imageTokens);
    this.setQ(Q.IMAGES, q.images);
    this.setQ(Q.AUDIO_IN_MS, q.audioInMs);
    this.setQ(Q.AUDIO_OUT_MS, q.audioOutMs);
    this.setQ(Q.AUDIO_IN_TOKENS, q.audioInTokens);
    this.setQ(Q.AUDIO_OUT_TOKENS, q.audioOutTokens);
    this.setQ(Q.AUDIO_CACHED_TOKENS, q.audioCachedTokens);
    this.setQ(Q.CHARACTERS, q.characters);
    this.setQ(Q.REQUESTS, q.requests ?? 1);
    this.setQ(Q.REGION_MULT, q.regionMicro ?? 1_000_000);
    this.setQ(Q.STORAGE_TOKENS, q.storageTokens);
    this.setQ(Q.STORAGE_SECONDS, q.storageSeconds);
    if (q.toolCalls) for (let i = 0; i < MAX_TOOLS; i++) this.setQ(Q.TOOL_CALLS + i, q.toolCalls[i]);
    if (q.toolBefore) for (let i = 0; i < MAX_TOOLS; i++) this.setQ(Q.TOOL_BEFORE + i, q.toolBefore[i]);
    const n = this.x.cost_compute(record);
    if (n < 0) {
      const [field, msg] = FIELD_OF_ERROR[n] ?? ['model', `cost engine error ${n}`];
      throw new CostInputError(field, `${msg} (${model})`);
    }
    const m = this.m32;
    const lines: CostLine[] = [];
    for (let i = 0; i < n; i++) {
      const w = (this.linesPtr + i * LINE_BYTES) >>> 2;
      const unit = m[w + 1]!;
      const qty = m[w + 3]! * 0x100000000 + m[w + 2]!;
      lines.push({
        component: COMPONENTS[m[w]!]!,
        // Minute lines carry whole seconds, storage lines tokens (stored for storageSeconds);
        // the public quantities are minutes and token-hours.
        quantity: unit === U_MINUTE ? qty / 60 : unit === U_TOKEN_HOUR ? (qty * (q.storageSeconds ?? 0)) / 3600 : qty,
        unit: UNITS[unit]!,
        unitPrice: formatYoctoUsd(u128FromWords(m[w + 4]!, m[w + 5]!, m[w + 6]!, m[w + 7]!)),
        cost: formatYoctoUsd(u128FromWords(m[w + 8]!, m[w + 9]!, m[w + 10]!, m[w + 11]!)),
      });
    }
    const tw = this.totalPtr >>> 2;
    const totalYocto = u128FromWords(m[tw]!, m[tw + 1]!, m[tw + 2]!, m[tw + 3]!);
    return { lines, total: formatYoctoUsd(totalYocto), totalYocto };
  }
}

let enginePromise: Promise<Engine> | undefined;

/** The realm's cost engine, on the same WASM instance as the tokenizer. */
export function costEngine(): Promise<Engine> {
  enginePromise ??= sharedInstance().then((inst) => new Engine(inst));
  enginePromise.catch(() => (enginePromise = undefined));
  return enginePromise;
}

export type { Engine };
