import { setupWorker } from 'msw/browser';
import { handlers } from './handlers.ts';

/** the mock API for the API-less dev mode (`VITE_MOCK_API=1 npx vite`), loaded only in that mode */
export const worker = setupWorker(...handlers);
