import { DEMO_WRITE_KEYS, type GeneratedEvent, generateTraffic } from '../db/demo.ts';
import type { DB } from '../db/open.ts';
import type { EventStore } from './ingest/store.ts';
import { createWriteKey } from './ingest/write-keys.ts';

const DAY_MS = 24 * 3600 * 1000;

export const isDemoSeeded = (db: DB) =>
  db.prepare("SELECT 1 FROM landing_phase1_meta WHERE key = 'demo_seeded'").get() !== undefined;

/**
 * sends generated events through the real ingest path in time order: chunks of the stream, each chunk
 * split per source (one batch per write key), so stored ids follow occurred_at roughly as live traffic does
 */
export function ingestGenerated(store: EventStore, events: GeneratedEvent[], batchSize = 500): void {
  for (let i = 0; i < events.length; i += batchSize) {
    const bySource = new Map<string, Array<Omit<GeneratedEvent, 'source'>>>();
    for (const { source, ...e } of events.slice(i, i + batchSize)) {
      const list = bySource.get(source) ?? [];
      list.push(e);
      bySource.set(source, list);
    }
    for (const [source, batch] of bySource) store.ingest(batch, source);
  }
}

/** When the database is new: the demo write keys and two weeks of synthetic traffic (~50k events). */
export function seedDemo(db: DB, store: EventStore, now: Date): { events: number } | undefined {
  if (isDemoSeeded(db)) return undefined;
  db.transaction(() => {
    for (const [source, key] of Object.entries(DEMO_WRITE_KEYS))
      createWriteKey(db, source, `demo ${source}`, now.toISOString(), key);
    db.prepare("INSERT INTO landing_phase1_meta (key, value) VALUES ('demo_seeded', ?)").run(
      now.toISOString(),
    );
  })();
  const events = generateTraffic({
    seed: 20260921,
    from: now.getTime() - 14 * DAY_MS,
    to: now.getTime(),
    journeys: 14 * 1500,
  });
  ingestGenerated(store, events);
  return { events: events.length };
}

/** The light live simulator: a few events a second, a realistic share of them bad, through the real ingest. */
export function startSimulator(store: EventStore, clock: () => Date, intervalMs = 1000): () => void {
  let tick = 0;
  const timer = setInterval(() => {
    const now = clock().getTime();
    tick++;
    const events = generateTraffic({
      seed: (now ^ (tick * 7919)) >>> 0,
      from: now - 60_000,
      to: now,
      journeys: 2,
      badShare: 0.04,
      duplicateShare: 0.02,
      unplannedShare: 0.01,
    });
    ingestGenerated(store, events);
  }, intervalMs);
  return () => clearInterval(timer);
}
