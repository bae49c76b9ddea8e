import type { CompletenessPush } from '../../server/completeness/schemas.ts';
import { dayOf } from '../../server/ingest/store.ts';
import type { RunningServer } from './server.ts';
import { DAY_MS, sleep, TRAFFIC_START } from './util.ts';

interface Waiter {
  match: (message: CompletenessPush) => boolean;
  resolve: (arrivedAt: number | undefined) => void;
}

/** reads /api/completeness/stream with fetch and hands each `completeness` message to whoever waits for it */
class CompletenessStream {
  private waiters = new Set<Waiter>();
  private readonly abort = new AbortController();
  private reading: Promise<void> = Promise.resolve();

  static async open(baseUrl: string, cookie: string): Promise<CompletenessStream> {
    const s = new CompletenessStream();
    const res = await fetch(`${baseUrl}/api/completeness/stream`, {
      headers: { Accept: 'text/event-stream', Cookie: cookie },
      signal: s.abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`GET /api/completeness/stream answered ${res.status}`);
    let ready: () => void = () => {};
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    s.reading = s.read(res.body, ready);
    await isReady;
    return s;
  }

  private async read(body: ReadableStream<Uint8Array>, ready: () => void): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.dispatch(block, ready);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (e) {
      if (!this.abort.signal.aborted) throw e;
    }
  }

  private dispatch(block: string, ready: () => void): void {
    const arrivedAt = performance.now();
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event === 'ready') ready();
    if (event !== 'completeness') return;
    const message = JSON.parse(data.join('\n')) as CompletenessPush;
    for (const w of this.waiters) {
      if (!w.match(message)) continue;
      this.waiters.delete(w);
      w.resolve(arrivedAt);
    }
  }

  /** when the first message matching `match` arrives (performance.now()), or undefined after timeoutMs */
  waitFor(match: (message: CompletenessPush) => boolean, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.reading.catch(() => {});
  }
}

export interface StreamLatencyResult {
  /** ms from sending the POST to parsing the SSE message that shows the event, one per sample that arrived */
  latencies: number[];
  timeouts: number;
}

const EVENT = 'landing_view';
/** a moment inside the ingest benchmark's traffic, so the (day, event) row already has counts */
const OCCURRED_AT = new Date(TRAFFIC_START + 3 * DAY_MS + 2 * 3600 * 1000).toISOString();
const TIMEOUT_MS = 5_000;

/**
 * POSTs one valid event at a time for the same (day, event) pair and times until the stream shows that pair's
 * total including it. Each sample starts `spacingMs` after the previous one started; with spacing above the
 * hub's interval each push goes out at once, below it pushes are coalesced.
 */
export async function measureStreamLatency(
  server: RunningServer,
  opts: { samples: number; spacingMs: number; label: string },
): Promise<StreamLatencyResult> {
  const key = server.keys.get('frontend-build');
  if (!key) throw new Error('no write key for frontend-build');
  const id = `${dayOf(new Date(OCCURRED_AT))}|${EVENT}`;
  const current = await fetch(`${server.url}/api/completeness-events/${encodeURIComponent(id)}`, {
    headers: { Cookie: server.cookie },
  });
  if (current.status !== 200 && current.status !== 404) {
    throw new Error(`GET /api/completeness-events/${id} answered ${current.status}`);
  }
  let total = current.status === 404 ? 0 : ((await current.json()) as { total: number }).total;

  const stream = await CompletenessStream.open(server.url, server.cookie);
  const pending: Array<Promise<number | undefined>> = [];
  try {
    for (let i = 0; i < opts.samples; i++) {
      const expected = ++total;
      const arrival = stream.waitFor(
        (m) => m.events.some((e) => e.id === id && e.total >= expected),
        TIMEOUT_MS,
      );
      const body = JSON.stringify({
        event: EVENT,
        event_id: `bench-stream-${opts.label}-${i}`,
        occurred_at: OCCURRED_AT,
        properties: {
          user_id: 'a'.repeat(32),
          session_id: `s_bench${i}`,
          source_channel: 'search',
          ab_bucket: 'A',
        },
      });
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`POST /api/events answered ${res.status}: ${text.slice(0, 300)}`);
      pending.push(arrival.then((at) => (at === undefined ? undefined : at - t0)));
      await sleep(Math.max(0, t0 + opts.spacingMs - performance.now()));
    }
    const results = await Promise.all(pending);
    const latencies = results.filter((x): x is number => x !== undefined);
    return { latencies, timeouts: results.length - latencies.length };
  } finally {
    await stream.close();
  }
}
