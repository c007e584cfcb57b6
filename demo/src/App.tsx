import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CostTable } from './CostTable';
import { loadModels, onResult, submit } from './compute';
import type { Result, Row, SegmentView } from './compute-protocol';
import { ErrorBoundary } from './ErrorBoundary';
import { formatInt } from './format';
import { InputBox } from './InputBox';
import { providerName, type ModelInfo } from './models';
import { DEFAULT_STATE, tooLongToShare, writeState, type Detail, type ImageSpec, type Mode, type PlaygroundState } from './state';
import { TokenView } from './TokenView';

const IMAGE_PRESETS: [string, number, number][] = [
  ['512 × 512', 512, 512],
  ['1024 × 1024', 1024, 1024],
  ['1920 × 1080', 1920, 1080],
  ['4032 × 3024 (photo)', 4032, 3024],
];

/** The latest result of each kind from the compute worker (each at least as new as the last shown). */
interface Results {
  count?: Extract<Result, { kind: 'count' }>;
  tokens?: Extract<Result, { kind: 'tokens' }>;
  rows?: Extract<Result, { kind: 'rows' }>;
  chatError?: Extract<Result, { kind: 'chat-error' }>;
  encodingError?: Extract<Result, { kind: 'encoding-error' }>;
}

const KEY: Record<Result['kind'], keyof Results> = {
  count: 'count',
  tokens: 'tokens',
  rows: 'rows',
  'chat-error': 'chatError',
  'encoding-error': 'encodingError',
};

/** Whether two highlight results render the same (typing at the end of a long text changes neither). */
function sameTokens(a: Results['tokens'], b: Results['tokens']): boolean {
  if (!a || !b || a.omittedSegments !== b.omittedSegments || a.segments.length !== b.segments.length) return false;
  return a.segments.every((s, i) => {
    const t = b.segments[i]!;
    return s.label === t.label && s.text === t.text && s.total === t.total && s.truncated === t.truncated && s.ids.length === t.ids.length && s.ids.every((id, j) => id === t.ids[j] && s.starts[j] === t.starts[j]);
  });
}

function useResults(): Results {
  const [results, setResults] = useState<Results>({});
  useEffect(
    () =>
      onResult((r) =>
        setResults((prev) => {
          const key = KEY[r.kind];
          const old = prev[key];
          if (old && old.id > r.id) return prev;
          if (r.kind === 'tokens' && sameTokens(prev.tokens, r)) return { ...prev, tokens: { ...prev.tokens!, id: r.id } };
          return { ...prev, [key]: r };
        }),
      ),
    [],
  );
  return results;
}

export function App({ initial }: { initial: PlaygroundState }) {
  const [state, setState] = useState(initial);
  const update = useCallback((patch: Partial<PlaygroundState>) => setState((s) => ({ ...s, ...patch })), []);

  // Keep the URL in step with the state (replaceState: no history spam while typing).
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      writeState(state).then((q) => {
        if (live && q !== location.search) history.replaceState(null, '', `${location.pathname}${q}${location.hash}`);
      }, () => {});
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [state]);

  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const [modelsError, setModelsError] = useState<string | null>(null);
  useEffect(() => {
    loadModels().then(setModels, (e: unknown) => setModelsError(String((e as Error).message ?? e)));
  }, []);
  const byId = useMemo(() => new Map((models ?? []).map((m) => [m.id, m])), [models]);

  const primary = byId.get(state.model);
  const unknownModel = models !== null && !primary;
  const raw = state.mode === 'text' ? state.text : state.chat;

  // Cost rows: every compared model plus the highlighted one.
  const compared = useMemo(() => {
    const ids = state.compare.filter((id) => byId.get(id)?.priced);
    if (primary?.priced && !ids.includes(primary.id)) ids.unshift(primary.id);
    return ids;
  }, [state.compare, byId, primary]);

  // Everything is computed in the worker; a new job supersedes the one before.
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  const seq = useRef(0);
  const [submitted, setSubmitted] = useState(0);
  useEffect(() => {
    if (!models) return;
    const id = ++seq.current;
    submit({
      id,
      mode: state.mode,
      input: raw,
      primary: state.model,
      compared,
      outputTokens: state.outputTokens,
      cacheHitRatio: state.cacheHitRatio,
      batch: state.batch,
      images: state.images.map((i) => ({ ...i })),
    });
    setSubmitted(id);
  }, [models, state.mode, raw, state.model, compared, state.outputTokens, state.cacheHitRatio, state.batch, state.images, attempt]);

  const results = useResults();
  const counted = results.count;
  const contentTokens = counted?.contentTokens ?? 0;
  const chars = counted?.chars ?? 0;
  const rows: Row[] = results.rows?.rows ?? [];
  // Errors belong to the input they were found in: a newer count clears them.
  const chatError = results.chatError && results.chatError.id >= (counted?.id ?? 0) && results.chatError.id >= (results.rows?.id ?? 0) ? results.chatError.error : undefined;
  const encError = results.encodingError && results.encodingError.id === submitted ? results.encodingError.error : undefined;
  const segments: SegmentView[] | undefined = results.tokens?.segments;

  // The headline count: exact tokens of the text (or billed chat tokens), else the engine's estimate.
  const primaryRow = rows.find((r) => r.model === state.model)?.estimate;
  let count: number | undefined;
  let approx = false;
  if (primary) {
    if (primary.exact) count = counted && counted.model === state.model && counted.mode === state.mode ? counted.count : undefined;
    else {
      approx = true;
      count = primaryRow?.inputTokens;
    }
  }
  const addable = (models ?? []).filter((m) => m.priced && !compared.includes(m.id));
  const providers = [...new Set((models ?? []).map((m) => m.provider))];

  const setMode = (mode: Mode) => update({ mode });
  const setImage = (i: number, patch: Partial<ImageSpec>) =>
    update({ images: state.images.map((im, j) => (j === i ? { ...im, ...patch } : im)) });

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="/" aria-label="Tollgate playground home">
          <span className="logo" aria-hidden="true">
            T
          </span>
          <span className="brand-name">tollgate</span>
          <span className="brand-sub">playground</span>
        </a>
        <p className="tagline">Exact tokens and cost for any prompt — computed in your browser with WebAssembly.</p>
        <nav>
          <a href="/docs">API</a>
        </nav>
      </header>

      <main className="layout">
        <section className="panel input-panel" aria-label="Input">
          <div className="panel-head">
            <div className="seg-ctl" role="tablist" aria-label="Input type">
              {(['text', 'chat'] as const).map((m) => (
                <button key={m} role="tab" type="button" aria-selected={state.mode === m} className={state.mode === m ? 'on' : ''} onClick={() => setMode(m)} data-testid={`mode-${m}`}>
                  {m === 'text' ? 'Text' : 'Chat (JSON)'}
                </button>
              ))}
            </div>
            <label className="model-pick">
              <span>Model</span>
              <select value={state.model} onChange={(e) => update({ model: e.target.value })} data-testid="model" disabled={!models}>
                {!models && <option value={state.model}>{state.model}</option>}
                {unknownModel && <option value={state.model}>{state.model} (unknown)</option>}
                {providers.map((p) => (
                  <optgroup key={p} label={providerName(p)}>
                    {(models ?? [])
                      .filter((m) => m.provider === p)
                      .map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.id}
                          {m.exact ? '' : ' (estimate)'}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            </label>
          </div>
          <InputBox
            key={state.mode}
            value={raw}
            placeholder={state.mode === 'text' ? 'Paste or type text…' : '[{"role": "user", "content": "Hello"}]'}
            onChange={(v) => update(state.mode === 'text' ? { text: v } : { chat: v })}
            label={state.mode === 'text' ? 'Text to tokenize' : 'Chat messages as JSON'}
          />
          {tooLongToShare(raw) && (
            <p className="note" data-testid="share-note">
              This input is too long for a link ({formatInt(raw.length)} characters): the page URL keeps the model and settings, not the text.
            </p>
          )}
          {chatError && (
            <p className="inline-error" role="alert" data-testid="input-error">
              {chatError}
            </p>
          )}
          {unknownModel && (
            <p className="inline-error" role="alert" data-testid="model-error">
              Unknown model “{state.model}”. Pick one from the list.
            </p>
          )}
          {modelsError && <p className="inline-error" role="alert">Could not load the model list: {modelsError}</p>}
          {encError && (
            <p className="inline-error" role="alert">
              {encError}{' '}
              <button type="button" className="link" onClick={retry}>
                Retry
              </button>
            </p>
          )}

          <dl className="stats">
            <div className="stat main">
              <dt>{state.mode === 'chat' ? 'Prompt tokens' : 'Tokens'}</dt>
              <dd data-testid="token-count" data-approx={approx ? 'true' : 'false'}>
                {count === undefined ? '…' : `${approx ? '≈' : ''}${formatInt(count)}`}
              </dd>
            </div>
            <div className="stat">
              <dt>Characters</dt>
              <dd data-testid="char-count">{formatInt(chars)}</dd>
            </div>
            <div className="stat">
              <dt>Chars / token</dt>
              <dd data-testid="chars-per-token">{contentTokens > 0 ? (chars / contentTokens).toFixed(2) : '–'}</dd>
            </div>
            <div className="stat">
              <dt>Tokenizer</dt>
              <dd className="enc">
                <code>{primary?.encoding ?? '…'}</code>
                {primary && (primary.exact ? <span className="badge ok">exact</span> : <span className="badge est">estimate</span>)}
              </dd>
            </div>
          </dl>
          {primary && !primary.exact && (
            <p className="note">
              {providerName(primary.provider)} publishes no tokenizer: highlighting uses {primary.encoding} and the count is an estimate ({primary.method}).
            </p>
          )}
          {state.mode === 'chat' && primary?.exact && count !== undefined && count !== contentTokens && (
            <p className="note">Includes {formatInt(count - contentTokens)} tokens of message framing and reply priming.</p>
          )}
        </section>

        <section className="panel tokens-panel" aria-label="Tokens">
          <h2>Tokens</h2>
          <ErrorBoundary compact title="Could not show the tokens" key={`${state.model}:${state.mode}`}>
            {primary && segments ? (
              <TokenView segments={segments} encoding={primary.encoding} total={contentTokens} omittedSegments={results.tokens!.omittedSegments} />
            ) : (
              !encError && <div className="skeleton" aria-busy="true">Loading the tokenizer…</div>
            )}
          </ErrorBoundary>
        </section>

        <section className="panel cost-panel" aria-label="Cost">
          <h2>Cost per request</h2>
          <div className="controls">
            <label className="ctl">
              <span>
                Expected output <output>{formatInt(state.outputTokens)} tokens</output>
              </span>
              <div className="ctl-row">
                <input
                  type="range"
                  min={0}
                  max={16000}
                  step={100}
                  value={Math.min(state.outputTokens, 16000)}
                  onChange={(e) => update({ outputTokens: Number(e.target.value) })}
                  aria-label="Expected output tokens (slider)"
                />
                <input
                  type="number"
                  min={0}
                  step={1}
                  className="num-input"
                  value={state.outputTokens}
                  data-testid="output-tokens"
                  onChange={(e) => update({ outputTokens: Math.max(0, Math.round(Number(e.target.value) || 0)) })}
                  aria-label="Expected output tokens"
                />
              </div>
            </label>
            <label className="ctl">
              <span>
                Cache hit ratio <output>{Math.round(state.cacheHitRatio * 100)}%</output>
              </span>
              <input
                type="range"
                min={0}
                max={100}
                step={5}
                value={Math.round(state.cacheHitRatio * 100)}
                data-testid="cache-ratio"
                onChange={(e) => update({ cacheHitRatio: Number(e.target.value) / 100 })}
              />
            </label>
            <label className="ctl toggle">
              <input type="checkbox" checked={state.batch} data-testid="batch" onChange={(e) => update({ batch: e.target.checked })} />
              <span>Batch API</span>
            </label>
            <div className="ctl images">
              <span>Images</span>
              {state.images.map((im, i) => (
                <div className="image-row" key={i}>
                  <input type="number" min={1} max={20000} value={im.width} aria-label="Image width" onChange={(e) => setImage(i, { width: Math.max(1, Number(e.target.value) || 1) })} />
                  <span>×</span>
                  <input type="number" min={1} max={20000} value={im.height} aria-label="Image height" onChange={(e) => setImage(i, { height: Math.max(1, Number(e.target.value) || 1) })} />
                  <select value={im.detail} aria-label="Image detail" onChange={(e) => setImage(i, { detail: e.target.value as Detail })}>
                    <option value="auto">auto</option>
                    <option value="high">high</option>
                    <option value="low">low</option>
                  </select>
                  <button type="button" className="icon-btn" aria-label="Remove image" onClick={() => update({ images: state.images.filter((_, j) => j !== i) })}>
                    ×
                  </button>
                </div>
              ))}
              <select
                className="add"
                value=""
                data-testid="add-image"
                onChange={(e) => {
                  const p = IMAGE_PRESETS[Number(e.target.value)];
                  if (p) update({ images: [...state.images, { width: p[1], height: p[2], detail: 'auto' }] });
                }}
              >
                <option value="">+ Add an image…</option>
                {IMAGE_PRESETS.map(([label], i) => (
                  <option key={label} value={i}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>

          <ErrorBoundary compact title="Could not show the cost table">
            <CostTable
                rows={rows.filter((r) => compared.includes(r.model))}
                models={byId}
                primary={state.model}
                onRemove={(id) => update({ compare: state.compare.filter((m) => m !== id) })}
                onSelect={(id) => update({ model: id })}
              />
          </ErrorBoundary>
          <div className="add-model">
            <select
              value=""
              data-testid="add-model"
              aria-label="Add a model to compare"
              onChange={(e) => e.target.value && update({ compare: [...state.compare.filter((m) => m !== e.target.value), e.target.value] })}
            >
              <option value="">+ Compare another model…</option>
              {providers.map((p) => (
                <optgroup key={p} label={providerName(p)}>
                  {addable
                    .filter((m) => m.provider === p)
                    .map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
            {state.compare.join(',') !== DEFAULT_STATE.compare.join(',') && (
              <button type="button" className="link" onClick={() => update({ compare: DEFAULT_STATE.compare })}>
                Reset models
              </button>
            )}
          </div>
          <p className="note">
            Prices per the bundled pricing table. Click a row for its breakdown. Estimates for models without a public tokenizer are marked.
          </p>
        </section>
      </main>
      <footer className="foot">
        Nothing you type leaves this page: tokenizing and pricing run locally in WebAssembly.
      </footer>
    </div>
  );
}
