/**
 * A progress bar on stderr for long runs (thousands of prompt files): shown only on a TTY,
 * only once a run has taken half a second, redrawn at most every 100 ms, and erased when done,
 * so short runs, pipes and CI logs never see it.
 */

export interface Progress {
  /** `done` of `total` units are finished. */
  update(done: number): void;
  /** Erase the bar. */
  done(): void;
}

const NOOP: Progress = { update() {}, done() {} };
const WIDTH = 30;

/**
 * A progress bar for `total` units labelled `label`, or a no-op when stderr is not a TTY or
 * TOLLGATE_PROGRESS=0. TOLLGATE_PROGRESS=1 shows it from the start (tests, demos).
 */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const mode = process.env.TOLLGATE_PROGRESS;
  if (mode === '0' || !stream.isTTY || total <= 0) return NOOP;
  const start = Date.now();
  const delay = mode === '1' ? 0 : 500;
  let last = 0;
  let shown = false;
  const draw = (done: number): void => {
    const frac = Math.min(1, done / total);
    const filled = Math.round(frac * WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
    stream.write(`\r${label} ${bar} ${done}/${total} (${Math.floor(frac * 100)}%)`);
    shown = true;
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - start < delay || (now - last < 100 && done < total)) return;
      last = now;
      draw(done);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
