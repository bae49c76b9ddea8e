import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../db/open.ts';
import { createApp } from '../../server/app.ts';
import { createSessionStore } from '../../server/auth/sessions.ts';
import { insertUser } from '../../server/users/store.ts';
import { TEST_PII_KEY, tempDb } from './helpers.ts';

/**
 * Crash safety of rollbacks: the real server process (server/main.ts, as `npm start` runs it) is killed with
 * SIGKILL again and again while a stream of rollbacks and their retries is in flight. A client that retries
 * every unanswered request with the same Idempotency-Key must end with every acknowledged entry stored, each
 * key stored once, and one credits_updated event per posted entry.
 */

const TASK = 'task_crash';
const ROUNDS = 8;
const NEW_KEYS_PER_ROUND = 20;

let t: ReturnType<typeof tempDb>;
let cookie = '';

beforeAll(() => {
  t = tempDb();
  const now = new Date();
  const userId = insertUser(
    t.db,
    { username: 'ops', display_name: 'Ops', roles: ['ops'], team: null },
    'scrypt$1024$8$1$unused$unused', // never signed in with: the session is made below
    now,
  );
  const built = createApp({ db: t.db, piiKey: TEST_PII_KEY });
  built.store.ingest(
    [
      {
        event: 'task_start',
        event_id: 'crash-start',
        occurred_at: now.toISOString(),
        properties: {
          task_id: TASK,
          template_id: 'tpl_001',
          account_id: 'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef',
          estimated_credits: 100_000,
          queue_type: 'standard',
        },
      },
      {
        event: 'task_completed',
        event_id: 'crash-done',
        occurred_at: now.toISOString(),
        properties: {
          task_id: TASK,
          template_id: 'tpl_001',
          credits_spent: 100_000,
          duration_ms: 1,
          output_count: 1,
        },
      },
    ],
    'platform-integration',
  );
  const token = createSessionStore(t.db, { idleMs: 3600_000, maxMs: 6 * 3600_000 }).create(
    userId,
    now,
    '127.0.0.1',
    'crash-test',
  );
  cookie = `lc_session=${token}`;
  built.hub.close();
  t.db.close();
});
afterAll(() => t.cleanup());

/** starts server/main.ts on a free port over the test database; resolves with its URL once it listens */
function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: t.path,
      CONSOLE_DEMO: '0',
      CONSOLE_SIMULATOR: '0',
      CONSOLE_PII_KEY: TEST_PII_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

const bodyOf = (i: number) => ({
  task_id: TASK,
  amount: 1 + (i % 5),
  policy_tag: 'A1',
  reason: `crash test ${i}`,
});

it('SIGKILL during a stream of rollbacks with retries: no acknowledged entry missing, none duplicated', async () => {
  /** key → the entry id of its first acknowledged answer */
  const acknowledged = new Map<string, string>();
  let lostInFlight = 0;
  let replays = 0;
  /** keys whose request died with the server; a replay answer later means it had been committed */
  const lost = new Set<string>();
  let committedButUnanswered = 0;
  let next = 0;

  /** one attempt; false when the connection died with the server */
  const send = async (url: string, i: number): Promise<boolean> => {
    const key = `crash-${i}`;
    let res: Response;
    try {
      res = await fetch(`${url}/api/ledger/rollbacks`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: url, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(bodyOf(i)),
      });
    } catch {
      lostInFlight++;
      // (a re-sent key that was answered before tells nothing about commits)
      if (!acknowledged.has(key)) lost.add(key);
      return false;
    }
    const body = (await res.json()) as { id?: string; message?: string };
    expect(res.status, body.message).toBe(201);
    if (res.headers.get('Idempotent-Replayed') === 'true') {
      replays++;
      if (lost.delete(key)) committedButUnanswered++;
    }
    const first = acknowledged.get(key);
    if (first) expect(body.id, `${key} answered with another entry`).toBe(first);
    else acknowledged.set(key, body.id!);
    return true;
  };

  const pending = new Set<number>();
  for (let round = 0; round <= ROUNDS; round++) {
    const { url, child } = await startServer();
    const exited = new Promise((r) => child.once('exit', r));
    for (let k = 0; k < NEW_KEYS_PER_ROUND && round < ROUNDS; k++) pending.add(next++);
    // the unanswered keys retried, the new ones, and a few answered ones sent again (replays)
    const burst = [...pending, ...[...acknowledged.keys()].slice(0, 3).map((k) => Number(k.slice(6)))];
    let answered = 0;
    const last = round === ROUNDS;
    const killAfter = 3 + (round % 4);
    const attempts = burst.map(async (i) => {
      const ok = await send(url, i);
      if (ok) pending.delete(i);
      if (ok && ++answered === killAfter && !last) child.kill('SIGKILL');
    });
    await Promise.all(attempts);
    if (last) {
      // the last round is not killed: retry until every key is answered
      while (pending.size) for (const i of [...pending]) if (await send(url, i)) pending.delete(i);
      child.kill('SIGTERM');
    }
    await exited;
  }

  console.info(
    `crash test: ${ROUNDS} kills, ${next} keys, ${lostInFlight} requests lost in flight, ${committedButUnanswered} of them committed before the kill (answered later as replays), ${replays} replays`,
  );
  expect(lostInFlight, 'no request was in flight at a kill: the test exercised nothing').toBeGreaterThan(0);
  expect(replays).toBeGreaterThan(0);
  expect(acknowledged.size).toBe(next);

  const db = openDatabase(t.path);
  try {
    const entries = db
      .prepare("SELECT id, amount, reason, status FROM landing_phase1_ledger WHERE kind = 'manual_rollback'")
      .all() as Array<{ id: string; amount: number; reason: string; status: string }>;
    // none duplicated: one entry per key, and every acknowledged one there with what was asked
    expect(entries.length).toBe(next);
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const [key, id] of acknowledged) {
      const i = Number(key.slice(6));
      expect(byId.get(id), `${key} → ${id} missing`).toMatchObject({
        amount: bodyOf(i).amount,
        reason: bodyOf(i).reason,
        status: 'posted',
      });
    }
    expect(new Set(acknowledged.values()).size).toBe(next);
    // one credits_updated event per posted entry
    const events = db
      .prepare(
        "SELECT json_extract(properties, '$.ledger_id') AS ledger_id, count(*) AS n FROM landing_phase1_events WHERE event = 'credits_updated' AND source = 'console' GROUP BY 1",
      )
      .all() as Array<{ ledger_id: string; n: number }>;
    expect(events.length).toBe(next);
    expect(events.every((e) => e.n === 1 && byId.has(e.ledger_id))).toBe(true);
    const keys = db.prepare('SELECT count(*) FROM landing_phase1_idempotency').pluck().get();
    expect(keys).toBe(next);
  } finally {
    db.close();
  }
});
