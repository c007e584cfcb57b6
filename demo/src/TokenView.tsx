/**
 * Highlighted tokens. Spans alternate colours; hovering (or tapping) one shows its id and
 * bytes (decoded by the compute worker). The worker sends only what is shown: the first
 * few thousand tokens as spans and some plain text after them (highlight.ts), so a huge paste
 * never puts 100k elements in the DOM; a note says how much is highlighted.
 */
import { memo, useCallback, useEffect, useRef, useState, type MouseEvent } from 'react';
import { tokenBytes } from './compute';
import type { SegmentView } from './compute-protocol';
import { formatInt, visible } from './format';

interface Hover {
  seg: number;
  i: number;
  x: number;
  y: number;
  below: boolean;
}

/** Tokens per block of the token view: a block starts after a line break once this many are in one. */
const BLOCK_TOKENS = 200;
/** A block without a line break ends here anyway (it then breaks the line). */
const MAX_BLOCK_TOKENS = 600;

/**
 * The spans of one segment in blocks. Each block is its own paragraph with `content-visibility:
 * auto`, so Chromium lays out and paints only the blocks scrolled into view, not all of them,
 * after every new result.
 */
function blocks(seg: SegmentView, s: number) {
  const out = [];
  let spans = [];
  for (let i = 0; i < seg.ids.length; i++) {
    const text = seg.text.slice(seg.starts[i], seg.ends[i]);
    const ws = text !== '' && text.trim() === '';
    spans.push(
      <span key={i} data-testid="token" data-s={s} data-i={i} className={`tok c${i % 5}${text === '' ? ' partial' : ''}${ws ? ' ws' : ''}`}>
        {text}
      </span>,
    );
    if (spans.length >= MAX_BLOCK_TOKENS || (spans.length >= BLOCK_TOKENS && text.endsWith('\n'))) {
      out.push(spans);
      spans = [];
    }
  }
  out.push(spans);
  return out;
}

const Spans = memo(function Spans({ segments }: { segments: SegmentView[] }) {
  return (
    <>
      {segments.map((seg, s) => {
        const shown = seg.ids.length;
        const restStart = shown > 0 ? seg.ends[shown - 1]! : 0;
        const rest = seg.text.slice(restStart);
        const parts = blocks(seg, s);
        return (
          <div className="seg" key={s}>
            {seg.label !== undefined && <div className="seg-label">{seg.label}</div>}
            {parts.map((spans, b) => (
              <div className="seg-body" key={b}>
                {spans}
                {b === parts.length - 1 && (
                  <>
                    {rest && <span className="rest">{rest}</span>}
                    {seg.truncated && <span className="rest-more">…</span>}
                    {seg.total === 0 && seg.label !== undefined && <span className="empty">(no content)</span>}
                  </>
                )}
              </div>
            ))}
          </div>
        );
      })}
    </>
  );
});

export function TokenView({ segments, encoding, total, omittedSegments }: { segments: SegmentView[]; encoding: string; total: number; omittedSegments: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [bytes, setBytes] = useState<{ key: string; hex: string } | null>(null);

  const onOver = useCallback((e: MouseEvent<HTMLDivElement>) => {
    const t = (e.target as HTMLElement).closest<HTMLElement>('.tok');
    if (!t || !box.current) return;
    const r = t.getBoundingClientRect();
    const b = box.current.getBoundingClientRect();
    const below = r.top - b.top < 70;
    setHover({
      seg: Number(t.dataset.s),
      i: Number(t.dataset.i),
      x: Math.min(Math.max(r.left - b.left + r.width / 2, 110), b.width - 110),
      y: below ? r.bottom - b.top + box.current.scrollTop + 6 : r.top - b.top + box.current.scrollTop - 6,
      below,
    });
  }, []);

  const seg = hover ? segments[hover.seg] : undefined;
  const id = seg && hover && hover.i < seg.ids.length ? seg.ids[hover.i]! : undefined;
  const key = id === undefined ? '' : `${encoding}:${id}`;
  useEffect(() => {
    if (id === undefined || bytes?.key === key) return;
    let live = true;
    tokenBytes(encoding, id).then(
      (hex) => live && setBytes({ key, hex }),
      () => live && setBytes({ key, hex: '?' }),
    );
    return () => {
      live = false;
    };
  }, [encoding, id, key, bytes]);

  // The tip appears once its bytes are known (one round trip to the worker, ~1 ms).
  const info = seg && hover && id !== undefined && bytes?.key === key ? { id, text: seg.text.slice(seg.starts[hover.i], seg.ends[hover.i]), bytes: bytes.hex } : null;
  const rendered = segments.reduce((n, s) => n + s.ids.length, 0);

  return (
    <div className="tokens-wrap">
      <div className="tokens" ref={box} onMouseOver={onOver} onClick={onOver} onMouseLeave={() => setHover(null)}>
        <Spans segments={segments} />
        {info && hover && (
          <div className={`tip${hover.below ? ' below' : ''}`} style={{ left: hover.x, top: hover.y }} role="tooltip" data-testid="token-tip">
            <div className="tip-text">{info.text === '' ? '(part of a character)' : visible(info.text)}</div>
            <div className="tip-row">
              <span>id</span>
              <code>{info.id}</code>
            </div>
            <div className="tip-row">
              <span>bytes</span>
              <code>{info.bytes}</code>
            </div>
          </div>
        )}
      </div>
      {rendered < total && (
        <p className="note" data-testid="token-cap">
          Highlighting the first {formatInt(rendered)} of {formatInt(total)} tokens
          {omittedSegments > 0 ? ` (${formatInt(omittedSegments)} more messages not shown)` : ''}; the count and costs cover the whole input.
        </p>
      )}
    </div>
  );
}
