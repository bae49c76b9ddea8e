import { setupServer } from 'msw/node';
import { handlers } from './handlers.ts';

/** the mock API for vitest: the web tests' setup file starts and stops it */
export const server = setupServer(...handlers);
