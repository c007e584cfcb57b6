/** The cost comparison: one row per selected model, cheapest first, with a per-line breakdown. */
import { Fragment, useState } from 'react';
import type { Row } from './compute-protocol';
import { formatInt, formatUsd } from './format';
import { providerName, type ModelInfo } from './models';

function num(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

export function CostTable({
  rows,
  models,
  primary,
  onRemove,
  onSelect,
}: {
  rows: Row[];
  models: Map<string, ModelInfo>;
  primary: string;
  onRemove: (id: string) => void;
  onSelect: (id: string) => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const max = Math.max(0, ...rows.map((r) => r.estimate?.totalUsd ?? 0));
  return (
    <div className="table-wrap">
      <table className="costs">
        <thead>
          <tr>
            <th>Model</th>
            <th className="num">Input</th>
            <th className="num hide-sm">Output</th>
            <th className="num">Cost</th>
            <th aria-label="remove" />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const info = models.get(r.model);
            const e = r.estimate;
            const isOpen = open === r.model;
            return (
              <Fragment key={r.model}>
                <tr
                  data-testid="cost-row"
                  data-model={r.model}
                  data-usd={e ? String(e.totalUsd) : ''}
                  className={`${r.model === primary ? 'primary' : ''}${r.error ? ' failed' : ''}`}
                  onClick={() => setOpen(isOpen ? null : r.model)}
                  aria-expanded={isOpen}
                >
                  <td className="model">
                    <div className="model-cell">
                      <span className="model-name" title={info?.name ?? r.model}>{info?.name ?? r.model}</span>
                      <span className="model-sub">
                        {providerName(e?.provider ?? info?.provider ?? '')}
                        {e && !e.exact && <span className="badge est" title={`estimated (${e.method})`}>estimate</span>}
                      </span>
                    </div>
                  </td>
                  {r.error ? (
                    <td colSpan={3} className="row-error">
                      {r.error}
                    </td>
                  ) : e ? (
                    <>
                      <td className="num">
                        {e.exact ? '' : '≈'}
                        {formatInt(e.inputTokens)}
                      </td>
                      <td className="num hide-sm">{formatInt(e.outputTokens)}</td>
                      <td className="num cost">
                        <span className="bar" style={{ width: `${max > 0 ? (e.totalUsd / max) * 100 : 0}%` }} />
                        <span className="cost-val" data-testid="cost">
                          {formatUsd(e.totalUsd)}
                        </span>
                      </td>
                    </>
                  ) : (
                    <td colSpan={3} className="num muted">
                      …
                    </td>
                  )}
                  <td className="actions">
                    {r.model !== primary && (
                      <button
                        type="button"
                        className="icon-btn"
                        title={`Remove ${r.model}`}
                        aria-label={`Remove ${r.model}`}
                        onClick={(ev) => {
                          ev.stopPropagation();
                          onRemove(r.model);
                        }}
                      >
                        ×
                      </button>
                    )}
                  </td>
                </tr>
                {isOpen && e && (
                  <tr className="breakdown">
                    <td colSpan={5}>
                      <table>
                        <tbody>
                          {e.lines.map((l, i) => (
                            <tr key={i}>
                              <td>{l.component.replace(/_/g, ' ')}</td>
                              <td className="num">
                                {formatInt(num(l.quantity))} {l.unit}
                                {num(l.quantity) === 1 ? '' : 's'}
                              </td>
                              <td className="num muted">
                                {l.unit === 'token' ? `${formatUsd(num(l.unitPrice) * 1e6)} / M` : `${formatUsd(num(l.unitPrice))} / ${l.unit}`}
                              </td>
                              <td className="num">{formatUsd(num(l.cost))}</td>
                            </tr>
                          ))}
                          <tr className="total">
                            <td colSpan={3}>
                              Total {e.exact ? '' : `(token counts estimated: ${e.method})`}
                            </td>
                            <td className="num">${e.total}</td>
                          </tr>
                        </tbody>
                      </table>
                      {r.model !== primary && info && (
                        <button type="button" className="link" onClick={() => onSelect(r.model)}>
                          Show {info.name}'s tokens
                        </button>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
