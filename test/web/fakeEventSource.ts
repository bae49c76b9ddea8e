/**
 * jsdom has no EventSource: this stand-in records every stream the app opens, and lets a test open it and
 * push messages into it as the server would.
 */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readonly withCredentials: boolean;
  readyState = FakeEventSource.CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;

  constructor(url: string | URL, init?: EventSourceInit) {
    super();
    this.url = String(url);
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** the server accepted the stream */
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.(new Event('open'));
  }

  /** one server-sent message: `event: <type>` and `data: <JSON of data>` */
  emit(type: string, data: unknown) {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }

  /** the stream dropped and the browser is retrying */
  drop() {
    this.readyState = FakeEventSource.CONNECTING;
    this.onerror?.(new Event('error'));
  }

  /** the open stream for a URL, as the app opened it last */
  static latest(url: string): FakeEventSource {
    const source = FakeEventSource.instances
      .filter((s) => s.url === url && s.readyState !== FakeEventSource.CLOSED)
      .at(-1);
    if (!source) throw new Error(`no open EventSource on ${url}`);
    return source;
  }
}
