/**
 * The cost table's rows. For text, each encoding counts the input once and every model priced
 * with it reuses that count (a megabyte is ~50 ms per count; the table has 7+ models), scaled
 * for models whose count is an estimate exactly as estimateCost scales it. Chats go through
 * estimateCost as they are: their framing depends on the model.
 */
import { ESTIMATION_METHODS, estimateCost, type EncodingName, type EstimateOptions } from 'tollgate';
import type { Row } from './compute-protocol';
import type { ModelInfo } from './models';

/** Everything about the request except what is counted. */
export type Terms = Pick<EstimateOptions, 'outputTokens' | 'cacheHitRatio' | 'batch' | 'images'>;

/** Raw token count of the input in an encoding (memoised by the caller). */
export type CountIn = (encoding: EncodingName) => Promise<number>;

function failed(model: string, e: unknown): Row {
  return { model, error: String((e as Error).message ?? e) };
}

/** A text row priced from the shared per-encoding count; same figures and labels as estimateCost({ input }). */
export async function textRow(model: string, info: ModelInfo | undefined, text: string, terms: Terms, countIn: CountIn): Promise<Row> {
  let raw: number | undefined;
  if (info) {
    try {
      raw = await countIn(info.encoding);
    } catch {
      // The encoding does not load here: estimateCost falls back to its labelled estimate.
    }
  }
  try {
    if (!info || raw === undefined) return { model, estimate: await estimateCost({ model, input: text, ...terms }) };
    const m = info.exact ? undefined : ESTIMATION_METHODS[info.method as keyof typeof ESTIMATION_METHODS];
    const tokens = !m || m.num === m.den ? raw : Math.ceil((raw * m.num) / m.den);
    const estimate = await estimateCost({ model, inputTokens: tokens, ...terms });
    return { model, estimate: { ...estimate, exact: info.exact, method: info.exact ? info.encoding : info.method! } };
  } catch (e) {
    return failed(model, e);
  }
}

export async function chatRow(model: string, messages: unknown[], terms: Terms): Promise<Row> {
  try {
    return { model, estimate: await estimateCost({ model, messages, ...terms }) };
  } catch (e) {
    return failed(model, e);
  }
}

/** Cheapest first; failed rows last. */
export function sortRows(rows: Row[]): Row[] {
  return rows.sort((a, b) => (a.estimate ? (b.estimate ? a.estimate.totalUsd - b.estimate.totalUsd : -1) : b.estimate ? 1 : 0));
}
