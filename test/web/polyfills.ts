import { FakeEventSource } from './fakeEventSource.ts';

/** What jsdom lacks: EventSource (which msw's sse() also requires), and what MUI and recharts measure with. */
globalThis.EventSource = FakeEventSource as unknown as typeof EventSource;

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub;

window.matchMedia ??= (query: string) =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }) as MediaQueryList;
