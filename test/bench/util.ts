import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedEvent } from '../../db/demo.ts';
import type { DB } from '../../db/open.ts';
import type { SessionStore } from '../../server/auth/sessions.ts';
import type { IncomingEvent } from '../../server/ingest/store.ts';
import { insertUser } from '../../server/users/store.ts';

/** the PII key every benchmark app is built with (the value does not affect timing) */
export const BENCH_PII_KEY = 'bench-only-pii-key-0123456789';

export const DAY_MS = 24 * 3600 * 1000;

/** a fixed start for generated traffic, so runs are comparable */
export const TRAFFIC_START = Date.parse('2026-06-01T00:00:00.000Z');

export const sleep = (msDelay: number) => new Promise<void>((resolve) => setTimeout(resolve, msDelay));

/** runs fn with a fresh directory under os.tmpdir() and removes it afterwards, whatever happens */
export async function withTempDir<T>(label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `landing-bench-${label}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** the envelope as a client sends it: the generator's `source` is who sends it, not part of the event */
export function envelope(e: GeneratedEvent): IncomingEvent {
  return { event: e.event, event_id: e.event_id, occurred_at: e.occurred_at, properties: e.properties };
}

/**
 * Splits a time-ordered stream into per-source batches of at most `size`, in the order they fill up: what a
 * set of client SDKs flushing their buffers would send.
 */
export function batchBySource(
  events: readonly GeneratedEvent[],
  size: number,
): Array<{ source: string; events: GeneratedEvent[] }> {
  const out: Array<{ source: string; events: GeneratedEvent[] }> = [];
  const open = new Map<string, GeneratedEvent[]>();
  for (const e of events) {
    let buffer = open.get(e.source);
    if (!buffer) {
      buffer = [];
      open.set(e.source, buffer);
    }
    buffer.push(e);
    if (buffer.length === size) {
      out.push({ source: e.source, events: buffer });
      open.delete(e.source);
    }
  }
  for (const [source, rest] of open) out.push({ source, events: rest });
  return out;
}

/**
 * A session cookie for reading the console's API as a data analyst (every console route needs one):
 * the user is inserted with an unusable password hash, the session made as a sign-in would.
 */
export function analystCookie(db: DB, sessions: SessionStore): string {
  const now = new Date();
  const id = insertUser(
    db,
    { username: 'bench', display_name: 'Bench', roles: ['data_analyst'], team: null },
    'none',
    now,
  );
  return `lc_session=${sessions.create(id, now, 'bench', 'bench')}`;
}
