import { DEMO_WRITE_KEYS, type GeneratedEvent, generateTraffic, rng } from '../db/demo.ts';
import type { DB } from '../db/open.ts';
import { writeAudit } from './audit/log.ts';
import { hashPassword, type ScryptCost } from './auth/passwords.ts';
import { toSessionUser } from './auth/sessions.ts';
import type { EventStore } from './ingest/store.ts';
import type { Decide } from './licenses/decide.ts';
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

/** the demo service token of the platform's licence check (README) */
export const DEMO_SERVICE_TOKEN = 'demo-platform-service';

/**
 * When the database is new: the demo write keys and service token, two weeks of synthetic traffic (~50k
 * events), and the demo reviewers' decisions on the applications older than 36 hours (through the real
 * decision path: state, emitted event, audit row), so the queue holds what a day and a half brings.
 */
export function seedDemo(
  db: DB,
  store: EventStore,
  decide: Decide,
  now: Date,
): { events: number; decisions: number } | undefined {
  if (isDemoSeeded(db)) return undefined;
  db.transaction(() => {
    const createdAt = now.toISOString();
    for (const [source, key] of Object.entries(DEMO_WRITE_KEYS)) {
      createWriteKey(db, { source, label: `demo ${source}`, createdAt, key });
    }
    createWriteKey(db, {
      kind: 'service_token',
      source: 'platform-integration',
      label: 'demo licence check',
      createdAt,
      key: DEMO_SERVICE_TOKEN,
    });
    db.prepare("INSERT INTO landing_phase1_meta (key, value) VALUES ('demo_seeded', ?)").run(createdAt);
  })();
  const events = generateTraffic({
    seed: 20260921,
    from: now.getTime() - 14 * DAY_MS,
    to: now.getTime(),
    journeys: 14 * 1500,
  });
  ingestGenerated(store, events);
  return { events: events.length, decisions: decideDemoApplications(db, decide, now) };
}

function decideDemoApplications(db: DB, decide: Decide, now: Date): number {
  const r = rng(7);
  const reviewers = db
    .prepare(
      "SELECT id, username, display_name, roles, team FROM landing_phase1_users WHERE username IN ('reviewer', 'reviewer2')",
    )
    .all() as Array<Parameters<typeof toSessionUser>[0]>;
  if (reviewers.length === 0) return 0;
  const cutoff = new Date(now.getTime() - 36 * 3600_000).toISOString();
  const pending = db
    .prepare(
      "SELECT id, version, policy_tag, applied_at FROM landing_phase1_licenses WHERE status = 'pending' AND applied_at < ? ORDER BY id",
    )
    .all(cutoff) as Array<{ id: number; version: number; policy_tag: string | null; applied_at: string }>;
  const actions: Record<string, string> = {
    A1: 'resubmit_material',
    A2: 'resubmit_material',
    B1: 'update_copy',
    B2: 'remove_asset',
    C1: 'appeal_only',
    C2: 'escalate_review',
  };
  for (const p of pending) {
    const user = toSessionUser(r.pick(reviewers));
    const ctx = {
      user,
      audit: { actor: { id: user.id, username: user.username }, request_id: 'demo-seed', ip: null },
    };
    const decidedAt = new Date(Date.parse(p.applied_at) + r.int(1, 30) * 3600_000).toISOString();
    if (r.chance(0.78)) {
      const expiry = r.pick(['fixed_term', 'run_limited', 'permanent']);
      decide(
        p.id,
        p.version,
        {
          action: 'approve',
          terms: {
            effective_at: decidedAt,
            expiry_type: expiry,
            max_runs: expiry === 'run_limited' ? r.int(5, 50) : null,
            expires_at:
              expiry === 'fixed_term' ? new Date(Date.parse(decidedAt) + 90 * DAY_MS).toISOString() : null,
          },
        },
        ctx,
      );
    } else {
      const tag = p.policy_tag && actions[p.policy_tag] ? p.policy_tag : 'A1';
      const reason = r.pick([
        'material_incomplete',
        'copyright_unverified',
        'content_violation',
        'persona_mismatch',
      ]);
      decide(
        p.id,
        p.version,
        { action: 'reject', terms: { reason_code: reason, policy_tag: tag, action_required: actions[tag]! } },
        ctx,
      );
    }
  }
  return pending.length;
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
