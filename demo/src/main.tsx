import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { DEFAULT_STATE, readState, type PlaygroundState } from './state';
import './styles.css';

async function start() {
  let initial: PlaygroundState;
  try {
    initial = await readState(location.search);
  } catch {
    initial = DEFAULT_STATE;
  }
  const root = createRoot(document.getElementById('root')!);
  root.render(
    <StrictMode>
      <ErrorBoundary
        title="The playground hit an error"
        onReset={() => {
          history.replaceState(null, '', location.pathname);
          location.reload();
        }}
      >
        <App initial={initial} />
      </ErrorBoundary>
    </StrictMode>,
  );
}

void start();

// Offline once loaded: a small service worker keeps the page, WASM and vocabularies cached.
if ('serviceWorker' in navigator && location.protocol !== 'file:' && !navigator.webdriver) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  });
}
