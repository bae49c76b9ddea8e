import { join } from 'node:path';
import { generateTraffic } from '../../db/demo.ts';
import { type DB, openDatabase } from '../../db/open.ts';
import { createApp } from '../../server/app.ts';
import type { EventStore } from '../../server/ingest/store.ts';
import { dayOf } from '../../server/ingest/store.ts';
import { type Reporter, target } from './report.ts';
import { count, int, ms, seconds, summarize } from './stats.ts';
import {
  analystCookie,
  BENCH_PII_KEY,
  batchBySource,
  DAY_MS,
  envelope,
  TRAFFIC_START,
  withTempDir,
} from './util.ts';

const SPAN_DAYS = 90;
/** journeys per generated chunk: ~20 k events */
const CHUNK_JOURNEYS = 10_000;
const FILL_BATCH = 1_000;

const SAMPLES = 200;
const WARMUP = 10;
/** a query slower than this in total stops early, with fewer samples (shown as n) */
const QUERY_BUDGET_MS = 30_000;

const COMPLETENESS_P95_MS = 20;
const LIST_P95_MS = 50;
/** the metrics board (issue 7): each chart well under a second */
const METRICS_P95_MS = 1_000;

/**
 * Stores exactly `size` events through the real ingest path. Chunks of generated traffic follow each other in
 * time over SPAN_DAYS (each spills up to a day into the next, like late events), so the counters get a row
 * per day and event, as months of real traffic would.
 */
function fill(db: DB, store: EventStore, size: number): { elapsedMs: number } {
  const chunkWindow = (SPAN_DAYS * DAY_MS * 20_000) / size;
  let stored = 0;
  let chunk = 0;
  let nextReport = 0.1;
  const t0 = performance.now();
  while (stored < size) {
    const from = TRAFFIC_START + Math.floor((SPAN_DAYS * DAY_MS * stored) / size);
    const events = generateTraffic({
      seed: 1_000 + chunk++,
      from,
      to: from + chunkWindow + DAY_MS,
      journeys: CHUNK_JOURNEYS,
    });
    for (const batch of batchBySource(events, FILL_BATCH)) {
      const take = Math.min(batch.events.length, size - stored);
      if (take === 0) break;
      stored += store.ingest(batch.events.slice(0, take).map(envelope), batch.source).accepted;
    }
    if (stored >= nextReport * size || stored === size) {
      const elapsed = performance.now() - t0;
      console.log(
        `    fill ${count(size)}: ${int(stored)} stored (${Math.round((100 * stored) / size)} %), ${int(stored / (elapsed / 1000))} events/s, ${seconds(elapsed)}`,
      );
      while (nextReport * size <= stored) nextReport += 0.1;
    }
  }
  const elapsedMs = performance.now() - t0;
  const maxId = db.prepare('SELECT max(id) FROM landing_phase1_events').pluck().get() as number;
  const counted = db
    .prepare('SELECT sum(total) FROM landing_phase1_completeness_events')
    .pluck()
    .get() as number;
  if (maxId !== size || counted !== size)
    throw new Error(`after the fill max(id) is ${maxId} and the counters say ${counted}; expected ${size}`);
  return { elapsedMs };
}

const listUrl = (
  path: string,
  sort: [string, 'ASC' | 'DESC'],
  range: [number, number],
  filter: Record<string, unknown>,
) =>
  `${path}?${new URLSearchParams({ sort: JSON.stringify(sort), range: JSON.stringify(range), filter: JSON.stringify(filter) })}`;

interface Timed {
  samples: number[];
  rows: number;
  contentRange: string;
}

/** times GET `url` through app.request, WARMUP requests first, then up to SAMPLES within QUERY_BUDGET_MS */
async function timeRequests(
  request: (url: string) => Promise<Response> | Response,
  url: string,
): Promise<Timed> {
  let rows = 0;
  let contentRange = '';
  const once = async () => {
    const t0 = performance.now();
    const res = await request(url);
    const body = await res.text();
    const elapsed = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 300)}`);
    const parsed = JSON.parse(body) as unknown;
    rows = Array.isArray(parsed) ? parsed.length : 1;
    contentRange = res.headers.get('Content-Range') ?? '';
    return elapsed;
  };
  const started = performance.now();
  for (let i = 0; i < WARMUP && performance.now() - started < QUERY_BUDGET_MS / 6; i++) await once();
  const samples: number[] = [];
  const t0 = performance.now();
  while (samples.length < SAMPLES && (samples.length < 5 || performance.now() - t0 < QUERY_BUDGET_MS))
    samples.push(await once());
  return { samples, rows, contentRange };
}

export async function measureReads(size: number, reporter: Reporter): Promise<void> {
  const label = count(size);
  console.log(`\n[4] Read latency at ${label} stored events`);
  await withTempDir(`reads-${size}`, async (dir) => {
    const db = openDatabase(join(dir, 'console.db'));
    try {
      const { app, store, sessions } = createApp({ db, piiKey: BENCH_PII_KEY });
      const { elapsedMs } = fill(db, store, size);
      const days = db
        .prepare('SELECT count(DISTINCT day) FROM landing_phase1_completeness_events')
        .pluck()
        .get() as number;
      reporter.add({
        name: `Fill rate, ${label} events via store.ingest`,
        measured: `${int(size / (elapsedMs / 1000))} events/s`,
        note: `${seconds(elapsedMs)}; ${days} days of counters`,
      });

      // a week in the middle of the range
      const dayGte = dayOf(new Date(TRAFFIC_START + 45 * DAY_MS));
      const dayLte = dayOf(new Date(TRAFFIC_START + 51 * DAY_MS));
      const week = { day_gte: dayGte, day_lte: dayLte };
      const queries: Array<{ name: string; url: string; limit: number }> = [
        {
          name: 'GET /api/completeness-events, 7 days, range [0,199]',
          url: listUrl('/api/completeness-events', ['day', 'DESC'], [0, 199], week),
          limit: COMPLETENESS_P95_MS,
        },
        {
          name: 'GET /api/completeness (day × event × field), 7 days, range [0,999]',
          url: listUrl('/api/completeness', ['day', 'DESC'], [0, 999], week),
          limit: COMPLETENESS_P95_MS,
        },
        {
          name: 'GET /api/events first page [0,24]',
          url: listUrl('/api/events', ['id', 'DESC'], [0, 24], {}),
          limit: LIST_P95_MS,
        },
        {
          name: `GET /api/events deep page [${int(size - 1000)},${int(size - 976)}]`,
          url: listUrl('/api/events', ['id', 'DESC'], [size - 1000, size - 976], {}),
          limit: LIST_P95_MS,
        },
        {
          name: 'GET /api/events event=landing_view, first page [0,24]',
          url: listUrl('/api/events', ['id', 'DESC'], [0, 24], { event: 'landing_view' }),
          limit: LIST_P95_MS,
        },
        {
          name: 'GET /api/events event=landing_view, offset 100,000 [100000,100024]',
          url: listUrl('/api/events', ['id', 'DESC'], [100_000, 100_024], { event: 'landing_view' }),
          limit: LIST_P95_MS,
        },
        // tasks, the alert inbox and the ledger (issue 5): default orders are index walks
        {
          name: 'GET /api/tasks first page [0,24] (newest first)',
          url: listUrl('/api/tasks', ['first_seen_at', 'DESC'], [0, 24], {}),
          limit: LIST_P95_MS,
        },
        {
          name: 'GET /api/tasks status=failed, first page [0,24]',
          url: listUrl('/api/tasks', ['first_seen_at', 'DESC'], [0, 24], { status: 'failed' }),
          limit: LIST_P95_MS,
        },
        {
          name: 'GET /api/alerts inbox first page [0,24]',
          url: listUrl('/api/alerts', ['inbox', 'ASC'], [0, 24], {}),
          limit: LIST_P95_MS,
        },
        {
          name: 'GET /api/ledger first page [0,24]',
          url: listUrl('/api/ledger', ['seq', 'DESC'], [0, 24], {}),
          limit: LIST_P95_MS,
        },
        {
          name: 'GET /api/ledger-accounts first page [0,24] (balances grouped from all entries)',
          url: listUrl('/api/ledger-accounts', ['balance', 'ASC'], [0, 24], {}),
          limit: LIST_P95_MS,
        },
      ];
      const someTask = db
        .prepare(
          "SELECT task_id FROM landing_phase1_tasks WHERE outcome = 'succeeded' ORDER BY first_seen_at DESC LIMIT 1",
        )
        .pluck()
        .get() as string;
      queries.push({
        name: 'GET /api/tasks/:id (events, alerts, ledger, charge)',
        url: `/api/tasks/${encodeURIComponent(someTask)}`,
        limit: LIST_P95_MS,
      });
      // the metrics board (issue 7): its default two weeks in the middle of the range, and the longest range
      // (92 days, every day of the fill), filtered where a filter applies
      const metricsUrl = (chart: string, query: Record<string, string>) =>
        `/api/metrics/${chart}?${new URLSearchParams(query)}`;
      const twoWeeks = { from: dayOf(new Date(TRAFFIC_START + 32 * DAY_MS)), to: dayGte };
      const allDays = {
        from: dayOf(new Date(TRAFFIC_START)),
        to: dayOf(new Date(TRAFFIC_START + 91 * DAY_MS)),
      };
      for (const [chart, query, what] of [
        ['funnel', twoWeeks, '14 days'],
        [
          'funnel',
          { ...allDays, channel: 'search', persona: 'creator_studio' },
          '92 days, channel + persona',
        ],
        ['cta-ab', twoWeeks, '14 days'],
        ['cta-ab', { ...allDays, channel: 'search' }, '92 days, channel'],
        ['hot-templates', allDays, '92 days'],
        ['failures', allDays, '92 days'],
        ['credits', allDays, '92 days'],
        ['license-review', allDays, '92 days'],
      ] as const) {
        queries.push({
          name: `GET /api/metrics/${chart}, ${what}`,
          url: metricsUrl(chart, query),
          limit: METRICS_P95_MS,
        });
      }
      const cookie = analystCookie(db, sessions);
      for (const q of queries) {
        const t = await timeRequests((url) => app.request(url, { headers: { Cookie: cookie } }), q.url);
        const s = summarize(t.samples);
        if (s.n < SAMPLES) {
          reporter.note(
            `${q.name} at ${label}: ${s.n} samples, not ${SAMPLES}: each took so long that the ${QUERY_BUDGET_MS / 1000} s budget ran out`,
          );
        }
        reporter.add({
          name: `${q.name} (${label})`,
          measured: `p50 ${ms(s.p50)} · p95 ${ms(s.p95)} (n=${s.n})`,
          ...target(s.p95, '<=', q.limit, 'ms p95'),
          note: `${t.rows} rows; Content-Range ${t.contentRange}`,
        });
      }
    } finally {
      db.close();
    }
  });
}
