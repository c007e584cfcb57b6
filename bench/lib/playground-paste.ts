/**
 * A large paste into the playground, timed inside the page: from setting the textarea's value
 * (what a paste does) to the frame that shows the expected count, plus every long task
 * (PerformanceObserver 'longtask', > 50 ms on the main thread) and the longest gap between
 * animation frames while it settles; then keystrokes typed at the end of the pasted text.
 */
import type { Page } from 'playwright-core';

export interface PasteFigures {
  /** Paste → first animation frame after the count shows `expected`, ms. */
  toCountMs: number;
  /** Long tasks from the paste until `settleMs` after it, ms each. */
  longTasks: number[];
  /** Longest interval between two animation frames in that time, ms. */
  maxFrameGapMs: number;
}

export interface TypingFigures {
  /** Long tasks while typing and until the count caught up, ms each. */
  longTasks: number[];
  maxFrameGapMs: number;
  /** Last keydown → the frame showing the count of the typed text, ms. */
  lastKeyToCountMs: number;
}

/** Start recording long tasks and animation-frame gaps in the page (once per page). */
export async function installFrameProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __probe?: { tasks: { start: number; dur: number }[]; frames: number[] } };
    if (w.__probe) return;
    const probe = { tasks: [] as { start: number; dur: number }[], frames: [] as number[] };
    w.__probe = probe;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.tasks.push({ start: e.startTime, dur: e.duration });
    }).observe({ type: 'longtask', buffered: false });
    const tick = (t: number) => {
      probe.frames.push(t);
      if (probe.frames.length > 20_000) probe.frames.splice(0, 10_000);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Long tasks and the longest frame gap recorded in [from, to] (page clock). */
async function framesBetween(page: Page, from: number, to: number): Promise<{ longTasks: number[]; maxFrameGapMs: number }> {
  return page.evaluate(
    ([a, b]) => {
      const probe = (window as unknown as { __probe: { tasks: { start: number; dur: number }[]; frames: number[] } }).__probe;
      const longTasks = probe.tasks.filter((t) => t.start + t.dur >= a && t.start <= b).map((t) => Math.round(t.dur));
      let gap = 0;
      const f = probe.frames.filter((t) => t >= a && t <= b);
      for (let i = 1; i < f.length; i++) gap = Math.max(gap, f[i]! - f[i - 1]!);
      // A frame still pending at the end counts from the last one drawn.
      if (f.length) gap = Math.max(gap, Math.min(b, performance.now()) - f[f.length - 1]!);
      return { longTasks, maxFrameGapMs: Math.round(gap) };
    },
    [from, to] as const,
  );
}

/** Resolves (in the page) with performance.now() of the first frame after the count reads `want`. */
const waitForCount = `(want) => new Promise((ok) => {
  const el = document.querySelector('[data-testid="token-count"]');
  const shown = () => el && el.textContent.replace(/[,≈\\s]/g, '') === String(want);
  const done = () => requestAnimationFrame(() => ok(performance.now()));
  if (shown()) return done();
  const mo = new MutationObserver(() => { if (shown()) { mo.disconnect(); done(); } });
  mo.observe(el, { childList: true, characterData: true, subtree: true });
})`;

/** Paste `text` and time it until the count shows `expected`; then let it settle for `settleMs`. */
export async function timePaste(page: Page, text: string, expected: number, settleMs = 2000): Promise<PasteFigures> {
  // The text goes into the page first, so that moving a megabyte through the DevTools
  // protocol is not counted as the paste's work.
  await page.evaluate((value) => ((window as unknown as { __paste: string }).__paste = value), text);
  await page.waitForTimeout(200);
  const { t0, t1 } = await page.evaluate(
    async ([want, waiter]) => {
      const wait = (0, eval)(waiter) as (n: number) => Promise<number>;
      const ta = document.querySelector('[data-testid="input"]') as HTMLTextAreaElement;
      ta.focus();
      ta.select(); // the paste replaces the sample text
      const start = performance.now();
      const shown = wait(want);
      // What a paste does: a paste event the page may handle itself; if it does not cancel
      // it, the browser puts the text in the textarea and fires an input event.
      const text = (window as unknown as { __paste: string }).__paste;
      const data = new DataTransfer();
      data.setData('text/plain', text);
      if (ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))) {
        Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(ta, text);
        ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
      }
      return { t0: start, t1: await shown };
    },
    [expected, waitForCount] as const,
  );
  await page.waitForTimeout(settleMs);
  return { toCountMs: Math.round(t1 - t0), ...(await framesBetween(page, t0, t0 + settleMs)) };
}

/** Type `keys` at the end of the input (real key events, `delayMs` apart) and wait for the count `expected`. */
export async function timeTyping(page: Page, keys: string, expected: number, delayMs = 40): Promise<TypingFigures> {
  const t0 = await page.evaluate(() => {
    const ta = document.querySelector('[data-testid="input"]') as HTMLTextAreaElement;
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
    addEventListener('keydown', () => ((window as unknown as { __lastKey: number }).__lastKey = performance.now()), { capture: true });
    return performance.now();
  });
  await page.keyboard.type(keys, { delay: delayMs });
  const { tLast, tShown } = await page.evaluate(
    async ([want, waiter]) => {
      const wait = (0, eval)(waiter) as (n: number) => Promise<number>;
      const tShown = await wait(want);
      return { tLast: (window as unknown as { __lastKey: number }).__lastKey, tShown };
    },
    [expected, waitForCount] as const,
  );
  await page.waitForTimeout(500);
  return { lastKeyToCountMs: Math.round(tShown - tLast), ...(await framesBetween(page, t0, tShown + 500)) };
}
