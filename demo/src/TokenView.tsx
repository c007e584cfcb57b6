/**
 * Highlighted tokens. Spans alternate colours; hovering (or tapping) one shows its id and
 * bytes. Only the first MAX_RENDERED tokens become spans, so a huge paste never puts
 * 100k elements in the DOM; the rest of the text follows unhighlighted, with a note.
 */
import { memo, useCallback, useRef, useState, type MouseEvent } from 'react';
import type { Encoding, Tokenized } from 'tollgate';
import { formatInt, hexBytes, visible } from './format';

export const MAX_RENDERED = 4000;
const MAX_REST_CHARS = 20_000;

export interface Segment {
  /** e.g. the role of a chat message */
  label?: string;
  text: string;
  tokens: Tokenized;
}

interface Hover {
  seg: number;
  i: number;
  x: number;
  y: number;
  below: boolean;
}

const Spans = memo(function Spans({ segments }: { segments: Segment[] }) {
  let budget = MAX_RENDERED;
  return (
    <>
      {segments.map((seg, s) => {
        const n = seg.tokens.ids.length;
        const shown = Math.min(n, Math.max(0, budget));
        budget -= shown;
        const spans = new Array(shown);
        for (let i = 0; i < shown; i++) {
          const text = seg.text.slice(seg.tokens.starts[i], seg.tokens.ends[i]);
          const ws = text !== '' && text.trim() === '';
          spans[i] = (
            <span key={i} data-testid="token" data-s={s} data-i={i} className={`tok c${i % 5}${text === '' ? ' partial' : ''}${ws ? ' ws' : ''}`}>
              {text}
            </span>
          );
        }
        const restStart = shown < n ? seg.tokens.starts[shown] : seg.text.length;
        const rest = seg.text.slice(restStart, restStart + MAX_REST_CHARS);
        return (
          <div className="seg" key={s}>
            {seg.label !== undefined && <div className="seg-label">{seg.label}</div>}
            <div className="seg-body">
              {spans}
              {rest && <span className="rest">{rest}</span>}
              {restStart + MAX_REST_CHARS < seg.text.length && <span className="rest-more">…</span>}
              {n === 0 && seg.label !== undefined && <span className="empty">(no content)</span>}
            </div>
          </div>
        );
      })}
    </>
  );
});

export function TokenView({ segments, encoding, total }: { segments: Segment[]; encoding: Encoding; total: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);

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

  const rendered = segments.reduce((n, s) => n + s.tokens.ids.length, 0);
  let info: { id: number; text: string; bytes: string } | null = null;
  if (hover) {
    const seg = segments[hover.seg];
    if (seg && hover.i < seg.tokens.ids.length) {
      const id = seg.tokens.ids[hover.i];
      let bytes = '';
      try {
        bytes = hexBytes(encoding.decodeBytes([id]));
      } catch {
        bytes = '?';
      }
      info = { id, text: seg.text.slice(seg.tokens.starts[hover.i], seg.tokens.ends[hover.i]), bytes };
    }
  }

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
      {rendered > MAX_RENDERED && (
        <p className="note" data-testid="token-cap">
          Highlighting the first {formatInt(MAX_RENDERED)} of {formatInt(total)} tokens; the count and costs cover the whole input.
        </p>
      )}
    </div>
  );
}
