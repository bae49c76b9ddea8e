import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

async function start() {
  // the API-less dev mode: `VITE_MOCK_API=1 npx vite` serves the msw mocks instead of the API
  if (import.meta.env.VITE_MOCK_API === '1') {
    const { worker } = await import('../mocks/browser.ts');
    await worker.start({ onUnhandledRequest: 'bypass' });
  }
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void start();
