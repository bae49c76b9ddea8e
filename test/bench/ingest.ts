import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type GeneratedEvent, generateTraffic } from '../../db/demo.ts';
import { openDatabase } from '../../db/open.ts';
import { makePseudonymizer } from '../../server/ingest/pseudonymize.ts';
import { dayOf } from '../../server/ingest/store.ts';
import { validateEvent } from '../../server/ingest/validate.ts';
import { PlanCache } from '../../server/plan/snapshot.ts';
import type { RunningServer } from './server.ts';
import { BENCH_PII_KEY, batchBySource, DAY_MS, envelope, TRAFFIC_START } from './util.ts';

/** exactly `n` generated events over two weeks, time-ordered, with the generator's bad/duplicate share */
export function ingestTraffic(n: number): GeneratedEvent[] {
  // ~2 events per journey; generate a little more than needed and keep the first n
  const events = generateTraffic({
    seed: 20261125,
    from: TRAFFIC_START,
    to: TRAFFIC_START + 14 * DAY_MS,
    journeys: Math.ceil(n / 1.7),
  });
  if (events.length < n) throw new Error(`generateTraffic gave ${events.length} events, fewer than ${n}`);
  return events.slice(0, n);
}

export interface HttpIngestResult {
  posted: number;
  stored: number;
  duplicates: number;
  requests: number;
  elapsedMs: number;
  eventsPerSec: number;
}

/** POSTs the events to /api/events in per-source batches, `inFlight` requests at a time */
export async function measureHttpIngest(
  server: RunningServer,
  events: readonly GeneratedEvent[],
  opts: { batchSize: number; inFlight: number },
): Promise<HttpIngestResult> {
  // everything a client would have ready before sending: serialised bodies and their keys
  const requests = batchBySource(events, opts.batchSize).map((b) => {
    const key = server.keys.get(b.source);
    if (!key) throw new Error(`no write key for source ${b.source}`);
    return { key, body: JSON.stringify(b.events.map(envelope)) };
  });
  // the client runs in a worker thread: its work is not charged to the server's thread
  const job = { url: `${server.url}/api/events`, requests, inFlight: opts.inFlight };
  const client = new Worker(new URL('./http-client.mjs', import.meta.url), { workerData: job });
  const result = await new Promise<{ elapsedMs: number } | { error: string }>((resolve, reject) => {
    client.once('message', resolve);
    client.once('error', reject);
  });
  await client.terminate();
  if ('error' in result) throw new Error(result.error);
  const { elapsedMs } = result;

  const stored = server.db.prepare('SELECT count(*) FROM landing_phase1_events').pluck().get() as number;
  const duplicates = server.db
    .prepare('SELECT coalesce(sum(duplicates), 0) FROM landing_phase1_completeness_events')
    .pluck()
    .get() as number;
  const unique = new Set(events.map((e) => e.event_id)).size;
  if (stored !== unique || stored + duplicates !== events.length) {
    throw new Error(
      `server stored ${stored} events and counted ${duplicates} duplicates; expected ${unique} of ${events.length}`,
    );
  }
  return {
    posted: events.length,
    stored,
    duplicates,
    requests: requests.length,
    elapsedMs,
    eventsPerSec: events.length / (elapsedMs / 1000),
  };
}

export interface RawInsertResult {
  rows: number;
  elapsedMs: number;
  rowsPerSec: number;
}

/** the server's INSERT, word for word */
const INSERT_EVENT = `INSERT INTO landing_phase1_events (event_id, event, day, occurred_at, received_at, source, planned,
       violation_count, properties, violations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (event_id) DO NOTHING`;

type Row = [string, string, string, string, string, string, number, number, string, string];

/**
 * The ceiling: the rows the server stores for these events (first delivery of each event_id, properties and
 * violations validated and serialised up front), inserted with a prepared statement, `batchSize` per transaction.
 */
export function measureRawInsert(
  dir: string,
  events: readonly GeneratedEvent[],
  batchSize: number,
): RawInsertResult {
  const db = openDatabase(join(dir, 'raw.db'));
  try {
    const plan = new PlanCache(db).current();
    const pseudonymize = makePseudonymizer(BENCH_PII_KEY);
    const receivedAt = new Date().toISOString();
    const seen = new Set<string>();
    const rows: Row[] = [];
    // the same order the server received them in
    for (const batch of batchBySource(events, batchSize)) {
      for (const e of batch.events) {
        if (seen.has(e.event_id)) continue;
        seen.add(e.event_id);
        const instant = new Date(e.occurred_at);
        const occurredAt = instant.toISOString();
        const v = validateEvent(plan, { event: e.event, occurredAt, properties: e.properties }, pseudonymize);
        rows.push([
          e.event_id,
          e.event,
          dayOf(instant),
          occurredAt,
          receivedAt,
          batch.source,
          v.planned ? 1 : 0,
          v.violations.length,
          JSON.stringify(v.properties),
          JSON.stringify(v.violations),
        ]);
      }
    }
    const insert = db.prepare(INSERT_EVENT);
    const insertMany = db.transaction((chunk: Row[]) => {
      for (const r of chunk) insert.run(...r);
    });
    const chunks: Row[][] = [];
    for (let i = 0; i < rows.length; i += batchSize) chunks.push(rows.slice(i, i + batchSize));
    const t0 = performance.now();
    for (const chunk of chunks) insertMany(chunk);
    const elapsedMs = performance.now() - t0;
    const stored = db.prepare('SELECT count(*) FROM landing_phase1_events').pluck().get() as number;
    if (stored !== rows.length) throw new Error(`raw insert stored ${stored} of ${rows.length} rows`);
    return { rows: rows.length, elapsedMs, rowsPerSec: rows.length / (elapsedMs / 1000) };
  } finally {
    db.close();
  }
}
