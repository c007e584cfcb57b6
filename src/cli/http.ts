/** HTTP for the CLI (pricing downloads, the usage API): failures become one readable reason. */
import { CliError } from './errors.js';

/** Why a fetch failed, in a few words: ECONNREFUSED, ENOTFOUND, "no answer within 30 s", … */
function reason(e: unknown, timeoutS: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutS} s`;
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

/** fetch with a timeout; a network failure is a CliError saying `cannot reach <where>`. */
export async function fetchWithTimeout(url: string | URL, init: RequestInit, timeoutS: number, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutS * 1000), redirect: 'follow' });
  } catch (e) {
    throw new CliError(`${what} (${reason(e, timeoutS)})`, 'unreachable');
  }
}
