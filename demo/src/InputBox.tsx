/**
 * The input textarea. Up to LARGE_INPUT characters it is a plain controlled textarea. A longer
 * input (a pasted megabyte) is kept whole in the state but the box holds only a window of it
 * around the cursor: Chromium lays out a textarea's entire text on every change (a megabyte
 * of mixed scripts takes 0.3–2 s), so the whole text in the box would freeze the page. Edits in
 * the window apply to the whole input (replacing everything selected in the box replaces all
 * of it); the bar above moves the window, clears the input or, on request, puts everything in
 * the box.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ClipboardEvent } from 'react';
import { formatInt } from './format';

export const LARGE_INPUT = 50_000;
const BEFORE = 3_000;
const AFTER = 1_000;

/** The shown part of `value`: value.slice(start, value.length - tail). */
interface Window {
  of: string;
  start: number;
  tail: number;
}

/** Moves `i` to a line start within 400 units before it, else off a low surrogate. */
function snap(value: string, i: number): number {
  if (i <= 0 || i >= value.length) return Math.max(0, Math.min(i, value.length));
  const nl = value.lastIndexOf('\n', i - 1);
  if (nl >= 0 && i - nl <= 400) return nl + 1;
  const c = value.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff ? i + 1 : i;
}

function windowAround(value: string, caret: number): Window {
  const start = snap(value, caret - BEFORE);
  const end = snap(value, Math.max(caret, start) + AFTER);
  return { of: value, start, tail: value.length - end };
}

export function InputBox({
  value,
  onChange,
  placeholder,
  label,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  label: string;
}) {
  const [everything, setEverything] = useState(false);
  const [win, setWin] = useState<Window | null>(null);
  const caret = useRef<number | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);

  const windowed = value.length > LARGE_INPUT && !everything;
  // A value from elsewhere (mode switch, reset): show its end.
  const w = windowed ? (win && win.of === value ? win : windowAround(value, value.length)) : null;
  const start = w?.start ?? 0;
  const shown = w ? value.slice(start, value.length - w.tail) : value;

  // Put the cursor back where the edit left it once the box holds the new window.
  useLayoutEffect(() => {
    if (caret.current === null || !box.current) return;
    const at = Math.max(0, Math.min(caret.current - start, box.current.value.length));
    caret.current = null;
    box.current.setSelectionRange(at, at);
  });

  /** The whole input changed to `next` with the cursor at `at` (offsets in the whole input). */
  const commit = (next: string, at: number, keepWindow: Window | null) => {
    if (next.length > LARGE_INPUT && !everything) {
      setWin(keepWindow ?? windowAround(next, at));
      caret.current = at;
    }
    onChange(next);
  };

  // Select-all in the box selects the window; replacing that selection replaces the whole
  // input, as it would in a box holding all of it. Recorded before each edit (beforeinput).
  const allSelected = useRef(false);
  useEffect(() => {
    const ta = box.current;
    if (!ta) return;
    const before = () => (allSelected.current = ta.value.length > 0 && ta.selectionStart === 0 && ta.selectionEnd === ta.value.length);
    ta.addEventListener('beforeinput', before);
    return () => ta.removeEventListener('beforeinput', before);
  }, []);

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    if (everything) return;
    const ta = e.currentTarget;
    const pasted = e.clipboardData.getData('text/plain').replace(/\r\n?/g, '\n');
    const whole = ta.value.length > 0 && ta.selectionStart === 0 && ta.selectionEnd === ta.value.length;
    const [a, b] = whole ? [0, value.length] : [start + ta.selectionStart, start + ta.selectionEnd];
    if (value.length - (b - a) + pasted.length <= LARGE_INPUT) return; // the browser's own paste is fine
    // Too long for the box: paste into the whole input ourselves and show the window around it.
    e.preventDefault();
    commit(value.slice(0, a) + pasted + value.slice(b), a + pasted.length, null);
  };

  const move = (to: number) => setWin(windowAround(value, to));

  return (
    <>
      {w && (
        <div className="large-input" role="status" data-testid="large-input">
          <span>
            Large input: {formatInt(value.length)} characters. The box shows {formatInt(shown.length)} of them around the cursor (from character{' '}
            {formatInt(start + 1)}); counts, costs and highlighting cover all of it.
          </span>
          <span className="large-input-actions">
            <button type="button" className="link" disabled={start === 0} onClick={() => move(start)}>
              Earlier
            </button>
            <button type="button" className="link" disabled={w.tail === 0} onClick={() => move(value.length - w.tail + BEFORE)}>
              Later
            </button>
            <button type="button" className="link" onClick={() => setEverything(true)} title="The browser lays out the whole text on every change: typing becomes slow">
              Edit all at once (slow)
            </button>
            <button type="button" className="link" data-testid="clear-input" onClick={() => onChange('')}>
              Clear
            </button>
          </span>
        </div>
      )}
      <textarea
        ref={box}
        data-testid="input"
        className="input"
        value={shown}
        spellCheck={false}
        placeholder={placeholder}
        onPaste={onPaste}
        onChange={(e) => {
          const ta = e.target;
          const at = start + ta.selectionEnd;
          // Edits inside the window keep it; anything else (drop, undo, a script) re-centres it.
          const inWindow = w && !allSelected.current;
          allSelected.current = false;
          const next = inWindow ? value.slice(0, start) + ta.value + value.slice(value.length - w.tail) : ta.value;
          commit(next, inWindow ? at : ta.selectionEnd, inWindow ? { of: next, start, tail: w.tail } : null);
        }}
        aria-label={label}
      />
    </>
  );
}
