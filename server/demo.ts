import { DEMO_WRITE_KEYS, type GeneratedEvent, generateTraffic } from '../db/demo.ts';
import type { DB } from '../db/open.ts';
import { writeAudit } from './audit/log.ts';
import { hashPassword, type ScryptCost } from './auth/passwords.ts';
import type { EventStore } from './ingest/store.ts';
import type { NewUser } from './users/store.ts';
import { countUsers, insertUser } from './users/store.ts';
import { createWriteKey } from './write-keys/keys.ts';

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

/** the demo sign-ins (README): two of most roles, so four-eyes approvals can be tried */
export const DEMO_USERS: NewUser[] = [
  { username: 'reviewer', display_name: 'Reviewer Li', roles: ['compliance_reviewer'], team: null },
  { username: 'reviewer2', display_name: 'Reviewer Zhao', roles: ['compliance_reviewer'], team: null },
  { username: 'ops', display_name: 'Ops Wang', roles: ['ops'], team: null },
  { username: 'ops2', display_name: 'Ops Chen', roles: ['ops'], team: null },
  { username: 'planner', display_name: 'Planner Liu', roles: ['product_planner'], team: null },
  { username: 'planner2', display_name: 'Planner Yang', roles: ['product_planner'], team: null },
  { username: 'analyst', display_name: 'Analyst Huang', roles: ['data_analyst'], team: null },
  { username: 'engineer', display_name: 'Engineer Zhou', roles: ['engineer'], team: 'frontend-build' },
  { username: 'admin', display_name: 'Admin Wu', roles: ['admin'], team: null },
];

/** creates `users` when there is no user yet; each creation audited as done by the system */
export async function seedUsers(
  db: DB,
  users: NewUser[],
  password: string,
  now: Date,
  cost?: ScryptCost,
): Promise<number> {
  if (countUsers(db) > 0) return 0;
  const hashes = await Promise.all(users.map(() => hashPassword(password, cost)));
  db.transaction(() => {
    users.forEach((u, i) => {
      const id = insertUser(db, u, hashes[i]!, now);
      writeAudit(
        db,
        {
          actor: { id: null, username: 'system' },
          action: 'user.create',
          resource: 'user',
          resource_id: id,
          after: u,
          outcome: 'success',
          reason: 'seeded at start',
        },
        now,
      );
    });
  })();
  return users.length;
}

/** When the database is new: the demo write keys and two weeks of synthetic traffic (~50k events). */
export function seedDemo(db: DB, store: EventStore, now: Date): { events: number } | undefined {
  if (isDemoSeeded(db)) return undefined;
  db.transaction(() => {
    for (const [source, key] of Object.entries(DEMO_WRITE_KEYS))
      createWriteKey(db, { source, label: `demo ${source}`, createdAt: now.toISOString(), key });
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
