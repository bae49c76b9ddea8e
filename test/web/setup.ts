// first: the mock server's sse() handler needs EventSource when it is built
import './polyfills.ts';
import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';
import { signOut } from '../../mocks/access.ts';
import { server } from '../../mocks/node.ts';
import { FakeEventSource } from './fakeEventSource.ts';

// each test renders the whole console: on a busy machine its first render alone can outlast the default 1 s
configure({ asyncUtilTimeout: 5000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  server.events.removeAllListeners();
  FakeEventSource.instances = [];
  // the mock browser's session, like its cookie jar, does not carry over to the next test
  signOut();
  // react-admin keeps list parameters and the locale in localStorage, and routes in the hash
  localStorage.clear();
  window.location.hash = '';
});
afterAll(() => server.close());
