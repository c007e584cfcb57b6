/**
 * The playground in real headless Chromium, served by the real worker (wrangler dev →
 * workerd → static assets): counts equal tiktoken's, highlighted tokens cover the input,
 * the cost table is sorted, models switch, the URL keeps state, typing never touches the
 * network, and screenshots are saved at desktop and phone widths.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEncoding } from '../../src/runtime/node.js';
import { oracle } from '../helpers/oracle.js';
import { ensureScreenshotDir, launchChromium, root, startWranglerDev, type RunningWorker } from './helpers.js';

const TEXT = [
  'Tollgate counts tokens at the edge. Ünïcödé, emoji 👩‍💻🚀 and CJK 東京都の天気 all count.',
  '',
  'function add(a, b) {\n  return a + b; // 42\n}',
  "It's 2025-11-23, don't panic:   spaces\tand tabs.",
].join('\n');

let worker: RunningWorker;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const o200k = (s: string) => oracle('o200k_base').encode(s).length;
const cl100k = (s: string) => oracle('cl100k_base').encode(s).length;

async function tokenCount(p: Page): Promise<number> {
  const text = (await p.getByTestId('token-count').textContent()) ?? '';
  return Number(text.replace(/[,≈\s]/g, ''));
}

/** Wait until the rendered count equals `n` (the UI updates asynchronously after loading). */
async function expectCount(p: Page, n: number): Promise<void> {
  await p.waitForFunction(
    (want) => document.querySelector('[data-testid="token-count"]')?.textContent?.replace(/[,≈\s]/g, '') === String(want),
    n,
    { timeout: 20_000 },
  ).catch(() => {});
  expect(await tokenCount(p)).toBe(n);
}

/** Wait until `n` token spans are highlighted (they arrive after the count). */
async function expectTokenSpans(p: Page, n: number): Promise<void> {
  await p.waitForFunction((want) => document.querySelectorAll('[data-testid="token"]').length === want, n, { timeout: 20_000 }).catch(() => {});
  expect(await p.getByTestId('token').count()).toBe(n);
}

/**
 * A paste as the browser delivers it: a paste event with the text, which the page may handle
 * itself; if it does not cancel it, the text replaces the textarea's value and an input event
 * fires. (Playwright's fill types large text slowly.)
 */
async function paste(p: Page, text: string): Promise<void> {
  await p.getByTestId('input').evaluate((el, v) => {
    const ta = el as HTMLTextAreaElement;
    ta.focus();
    ta.select();
    const data = new DataTransfer();
    data.setData('text/plain', v);
    if (ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))) {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(ta, v);
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, text);
}

async function costRows(p: Page): Promise<{ model: string; usd: number }[]> {
  return p.$$eval('[data-testid="cost-row"]', (rows) =>
    rows.map((r) => ({ model: (r as HTMLElement).dataset.model ?? '', usd: Number((r as HTMLElement).dataset.usd) })),
  );
}

beforeAll(async () => {
  // Each is assigned as soon as it is up, so afterAll stops it even when the other failed.
  const started = await Promise.allSettled([startWranglerDev().then((w) => (worker = w)), launchChromium().then((b) => (browser = b))]);
  for (const r of started) if (r.status === 'rejected') throw r.reason;
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

describe('playground (Chromium, served by the worker)', () => {
  it('loads with gpt-4o by default and counts the default text', async () => {
    await page.goto(`${worker.url}/`);
    await expect(page.getByTestId('model').inputValue()).resolves.toBe('gpt-4o');
    const initial = await page.getByTestId('input').inputValue();
    expect(initial.length).toBeGreaterThan(0);
    await expectCount(page, o200k(initial));
  });

  it('counts typed text exactly like tiktoken and highlights every token', async () => {
    await page.getByTestId('input').fill(TEXT);
    await expectCount(page, o200k(TEXT));
    const tokens = page.getByTestId('token');
    await expectTokenSpans(page, o200k(TEXT));
    const joined = await tokens.evaluateAll((els) => els.map((e) => e.textContent ?? '').join(''));
    expect(joined).toBe(TEXT);
    // Alternating colours.
    const classes = await tokens.evaluateAll((els) => els.slice(0, 3).map((e) => e.className));
    expect(new Set(classes.map((c) => /c\d/.exec(c)?.[0])).size).toBe(3);
    // Characters per token.
    const cpt = Number(await page.getByTestId('chars-per-token').textContent());
    expect(cpt).toBeCloseTo([...TEXT].length / o200k(TEXT), 2);
  });

  it('shows a token id and bytes on hover', async () => {
    const ids = oracle('o200k_base').encode(TEXT);
    await page.getByTestId('token').nth(1).hover();
    const tip = page.getByTestId('token-tip');
    await tip.waitFor();
    const text = (await tip.textContent()) ?? '';
    expect(text).toContain(`id${ids[1]}`);
    expect(text).toMatch(/bytes([0-9A-F]{2} ?)+/);
  });

  it('lists costs across models, cheapest first, including gpt-4o', async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="cost-row"][data-usd]:not([data-usd=""])').length >= 3, null, { timeout: 20_000 });
    const rows = await costRows(page);
    expect(rows.map((r) => r.model)).toContain('gpt-4o');
    const priced = rows.filter((r) => Number.isFinite(r.usd) && r.usd > 0);
    expect(priced.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < priced.length; i++) expect(priced[i]!.usd).toBeGreaterThanOrEqual(priced[i - 1]!.usd);
    // Controls feed the estimate: more expected output costs more.
    const before = rows.find((r) => r.model === 'gpt-4o')!.usd;
    await page.getByTestId('output-tokens').fill('5000');
    await page.waitForFunction((b) => {
      const r = document.querySelector<HTMLElement>('[data-testid="cost-row"][data-model="gpt-4o"]');
      return r && Number(r.dataset.usd) > b;
    }, before);
    await page.getByTestId('output-tokens').fill('500');
  });

  it('makes no network request while typing, and keeps working offline', async () => {
    const requests: string[] = [];
    const onRequest = (r: { url(): string }) => requests.push(r.url());
    page.on('request', onRequest);
    const input = page.getByTestId('input');
    await input.focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' More words typed one key at a time.', { delay: 5 });
    const typed = await input.inputValue();
    await expectCount(page, o200k(typed));
    await context.setOffline(true);
    await page.keyboard.type(' Offline now!', { delay: 5 });
    await expectCount(page, o200k(await input.inputValue()));
    await context.setOffline(false);
    page.off('request', onRequest);
    expect(requests).toEqual([]);
    await input.fill(TEXT);
    await expectCount(page, o200k(TEXT));
  });

  it('switches to a cl100k model and back', async () => {
    await page.getByTestId('model').selectOption('gpt-4');
    await expectCount(page, cl100k(TEXT));
    await expectTokenSpans(page, cl100k(TEXT));
    const rows = await costRows(page);
    expect(rows.map((r) => r.model)).toContain('gpt-4');
  });

  it('keeps the state in the URL: a reload restores text and model', async () => {
    await page.waitForFunction(() => new URLSearchParams(location.search).get('m') === 'gpt-4');
    await page.waitForFunction((t) => new URLSearchParams(location.search).get('t') === t, TEXT);
    const url = page.url();
    const fresh = await context.newPage();
    await fresh.goto(url);
    await expect(fresh.getByTestId('model').inputValue()).resolves.toBe('gpt-4');
    await expect(fresh.getByTestId('input').inputValue()).resolves.toBe(TEXT);
    await expectCount(fresh, cl100k(TEXT));
    await fresh.close();
    await page.reload();
    await expect(page.getByTestId('input').inputValue()).resolves.toBe(TEXT);
    await page.getByTestId('model').selectOption('gpt-4o');
    await expectCount(page, o200k(TEXT));
  });

  it('long inputs survive the URL (compressed) and cap highlighting', async () => {
    // ~45,000 characters: over the highlighting cap, within what the box and a link hold.
    const big = Array.from({ length: 700 }, (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog ${i * 7}.`).join('\n');
    await paste(page, big);
    await expectCount(page, o200k(big));
    await expectTokenSpans(page, 4000);
    await page.getByTestId('token-cap').waitFor();
    await page.waitForFunction(() => new URLSearchParams(location.search).has('tz'));
    await page.reload();
    await expect(page.getByTestId('input').inputValue()).resolves.toBe(big);
    await expectCount(page, o200k(big));
    await page.getByTestId('input').fill(TEXT);
    await expectCount(page, o200k(TEXT));
  });

  it('counts a 1 MB paste exactly, shows it in a window and keeps the megabyte out of the URL', async () => {
    // ~1 MB of mixed scripts, code and prose; a textarea holds line feeds only.
    const corpus = readdirSync(join(root, 'test/fixtures/corpus')).sort().map((f) => readFileSync(join(root, 'test/fixtures/corpus', f), 'utf8')).join('\n').replace(/\r\n?/g, '\n');
    let huge = '';
    while (huge.length < 1_000_000) huge += corpus;
    const o200kLib = await getEncoding('o200k_base');
    await paste(page, huge);
    await expectCount(page, o200kLib.count(huge));
    expect(o200kLib.count(huge)).toBe(o200k(huge));
    // The box holds a window of the input, with a bar that says so; highlighting is capped.
    await page.getByTestId('large-input').waitFor();
    expect((await page.getByTestId('input').inputValue()).length).toBeLessThan(10_000);
    await page.getByTestId('token-cap').waitFor();
    await expectTokenSpans(page, 4000);
    // The cost rows count the whole input too.
    await page.waitForFunction((n) => document.querySelector('[data-testid="cost-row"][data-model="gpt-4o"] td.num')?.textContent?.replace(/,/g, '') === String(n), o200kLib.count(huge));
    // Typing at the end of it edits the whole input.
    await page.getByTestId('input').focus();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' the end.', { delay: 10 });
    await expectCount(page, o200k(huge + ' the end.'));
    // No megabyte in the URL: a note says the link keeps the settings only.
    await page.getByTestId('share-note').waitFor();
    await page.waitForTimeout(400);
    const params = new URLSearchParams(new URL(page.url()).search);
    expect(params.has('t') || params.has('tz')).toBe(false);
    expect(page.url().length).toBeLessThan(2000);
    await page.getByTestId('input').fill(TEXT);
    await expectCount(page, o200k(TEXT));
    await expect(page.getByTestId('large-input').count()).resolves.toBe(0);
  });

  it("keeps every row's remove button inside the panel and clickable at desktop widths", async () => {
    const p = await context.newPage();
    try {
      // Long figures (a large input and output) make the table's columns as wide as they get.
      await p.goto(`${worker.url}/?out=9999999&m=gpt-4o`);
      await paste(p, 'A long prompt, many words. '.repeat(1500));
      for (const width of [1280, 1440, 1920]) {
        await p.setViewportSize({ width, height: 900 });
        await p.waitForFunction(() => document.querySelectorAll('[data-testid="cost-row"][data-usd]:not([data-usd=""])').length >= 3, null, { timeout: 20_000 });
        const boxes = await p.$$eval('[data-testid="cost-row"] button[aria-label^="Remove"]', (buttons) =>
          buttons.map((b) => {
            const r = b.getBoundingClientRect();
            const clip = b.closest('.table-wrap')!.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return { left: r.left, right: r.right, width: r.width, clipLeft: clip.left, clipRight: clip.right, hit: hit === b || b.contains(hit) };
          }),
        );
        expect(boxes.length, `remove buttons at ${width}px`).toBeGreaterThanOrEqual(3);
        for (const b of boxes) {
          expect(b.width).toBeGreaterThan(10);
          expect(b.left).toBeGreaterThanOrEqual(b.clipLeft);
          expect(b.right, `button right edge at ${width}px`).toBeLessThanOrEqual(b.clipRight);
          expect(b.right).toBeLessThanOrEqual(width);
          expect(b.hit, `button under its own centre at ${width}px`).toBe(true);
        }
        expect(await p.$eval('.table-wrap', (w) => w.scrollWidth <= w.clientWidth)).toBe(true);
      }
      // And a click removes its row.
      const before = await p.locator('[data-testid="cost-row"]').count();
      const victim = await p.locator('[data-testid="cost-row"]:not(.primary)').first().getAttribute('data-model');
      await p.getByRole('button', { name: `Remove ${victim}` }).click();
      await p.waitForFunction((n) => document.querySelectorAll('[data-testid="cost-row"]').length === n - 1, before);
      await expect(p.locator(`[data-testid="cost-row"][data-model="${victim}"]`).count()).resolves.toBe(0);
    } finally {
      await p.close();
    }
  });

  it('counts a chat with message framing and shows JSON errors inline', async () => {
    await page.getByTestId('mode-chat').click();
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', name: 'ada', content: 'Count me, please.' },
    ];
    await page.getByTestId('input').fill(JSON.stringify(messages));
    // OpenAI chat framing for gpt-4o (openai-cookbook): 3 per message plus every value's
    // tokens, +1 per name, +3 reply priming.
    const want = messages.reduce((n, m) => n + 3 + o200k(m.role) + o200k(m.content) + ('name' in m ? o200k(m.name!) + 1 : 0), 3);
    await expectCount(page, want);
    await expectTokenSpans(page, messages.reduce((n, m) => n + o200k(m.content), 0));
    await page.getByTestId('input').fill('[{"role": "user", "content": ');
    await page.getByTestId('input-error').waitFor();
    expect(await page.getByTestId('input-error').textContent()).toMatch(/Invalid JSON/);
    await expect(page.getByTestId('input').isVisible()).resolves.toBe(true);
    await page.getByTestId('input').fill(JSON.stringify(messages));
    await expectCount(page, want);
    await page.getByTestId('mode-text').click();
    await expectCount(page, o200k(TEXT));
  });

  it('shows an unknown model from a shared URL inline instead of a blank page', async () => {
    const p = await context.newPage();
    await p.goto(`${worker.url}/?m=gpt-9000-ultra`);
    await p.getByTestId('model-error').waitFor();
    await expect(p.getByTestId('input').isVisible()).resolves.toBe(true);
    await p.close();
  });

  it('saves screenshots at desktop and phone widths', async () => {
    const dir = ensureScreenshotDir();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('input').fill(TEXT);
    await expectCount(page, o200k(TEXT));
    await page.getByTestId('token').nth(4).hover();
    await page.screenshot({ path: join(dir, 'playground-desktop.png') });
    await page.screenshot({ path: join(dir, 'playground-desktop-full.png'), fullPage: true });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await p.goto(page.url());
    await expectCount(p, o200k(TEXT));
    await p.waitForFunction(() => document.querySelectorAll('[data-testid="cost-row"][data-usd]:not([data-usd=""])').length >= 3);
    // Nothing wider than the screen.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.screenshot({ path: join(dir, 'playground-phone.png') });
    await p.screenshot({ path: join(dir, 'playground-phone-full.png'), fullPage: true });
    await phone.close();
    expect(pageErrors).toEqual([]);
  });
});
