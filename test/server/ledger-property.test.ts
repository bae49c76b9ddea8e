import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { LedgerAccount, LedgerEntry } from '../../server/ledger/schemas.ts';
import { creditsUpdated, type TestApp, taskCompleted, taskStart, testApp } from './helpers.ts';

/**
 * The ledger under random sequences of what happens to it: the platform charges tasks and sends tail
 * deductions (sometimes twice), ops request rollbacks and adjustments (some over the refund bound, some
 * above the approval limit), people approve or reject them (sometimes their own), and clients retry earlier
 * Idempotency-Keys with the same or another body. After every step the database is checked directly against
 * the ledger's rules, and against a plain model of the answers acknowledged per key.
 */

/** the approval limit of these runs, in credits: small, so that many requests wait for a second person */
const LIMIT = 100;
const ACCOUNTS = [
  'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef',
  'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6',
  'd4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7',
];
const REQUESTERS = ['ops', 'ops2'] as const;
const DECIDERS = ['ops', 'ops2', 'compliance_reviewer'] as const;

type Command =
  | { kind: 'charge'; account: number; spentCents: number }
  | { kind: 'tail'; task: number; cents: number; repeat: 'none' | 'ledger_id' | 'event' }
  | { kind: 'rollback'; task: number; cents: number; who: number }
  | { kind: 'adjust'; task: number; cents: number; who: number }
  | { kind: 'decide'; pending: number; approve: boolean; who: number }
  | { kind: 'retry'; key: number; sameBody: boolean };

const charge = fc.record({
  kind: fc.constant('charge' as const),
  account: fc.nat({ max: ACCOUNTS.length - 1 }),
  spentCents: fc.integer({ min: 100, max: 40_000 }),
});
/** a task by index among those charged so far; now and then (-1) a task nobody ran */
const taskIndex = fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 20, arbitrary: fc.nat() });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: charge },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tail' as const),
      task: fc.nat(),
      cents: fc.integer({ min: 1, max: 5_000 }),
      repeat: fc.constantFrom('none' as const, 'ledger_id' as const, 'event' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('rollback' as const),
      task: taskIndex,
      cents: fc.integer({ min: 1, max: 20_000 }),
      who: fc.nat({ max: REQUESTERS.length - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      task: taskIndex,
      cents: fc.integer({ min: -20_000, max: 20_000 }).filter((c) => c !== 0),
      who: fc.nat({ max: REQUESTERS.length - 1 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      pending: fc.nat(),
      approve: fc.boolean(),
      who: fc.nat({ max: DECIDERS.length - 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('retry' as const), key: fc.nat(), sameBody: fc.boolean() }),
  },
);

/** one Idempotency-Key a requester used, and the answer acknowledged under it (if any) */
interface KeyUse {
  key: string;
  user: (typeof REQUESTERS)[number];
  route: 'rollbacks' | 'adjustments';
  body: { task_id: string; amount: number; policy_tag: string; reason: string };
  acknowledged?: { text: string; entryId: string };
}

const cents = (credits: number) => Math.round(credits * 100);

/** what a task may still be refunded, from its entries, in cents: the oracle the answers are checked against */
function refundableCents(t: TestApp, taskId: string): { known: boolean; net: number; refundable: number } {
  const rows = t.db
    .prepare('SELECT amount, status FROM landing_phase1_ledger WHERE task_id = ?')
    .all(taskId) as Array<Pick<LedgerEntry, 'amount' | 'status'>>;
  const known =
    rows.length > 0 ||
    t.db.prepare('SELECT 1 FROM landing_phase1_tasks WHERE task_id = ?').get(taskId) !== undefined;
  let net = 0;
  let pending = 0;
  for (const r of rows) {
    if (r.status === 'posted') net -= cents(r.amount);
    else if (r.status === 'pending_approval' && r.amount > 0) pending += cents(r.amount);
  }
  return { known, net, refundable: Math.max(0, net - pending) };
}

/** the ledger's rules, checked on the database itself */
async function checkInvariants(t: TestApp, keys: KeyUse[], charges: number) {
  const db = t.db;
  // per task: posted refunds never exceed posted charges, and pending refunds fit in what is left
  const perTask = db
    .prepare(
      `SELECT task_id,
         sum(CASE WHEN status = 'posted' AND amount < 0 THEN -amount ELSE 0 END) AS charged,
         sum(CASE WHEN status = 'posted' AND amount > 0 THEN amount ELSE 0 END) AS refunded,
         sum(CASE WHEN status = 'pending_approval' AND amount > 0 THEN amount ELSE 0 END) AS pending
       FROM landing_phase1_ledger GROUP BY task_id`,
    )
    .all() as Array<{ task_id: string; charged: number; refunded: number; pending: number }>;
  for (const r of perTask) {
    expect(cents(r.refunded), `refunds of ${r.task_id}`).toBeLessThanOrEqual(cents(r.charged));
    expect(
      cents(r.refunded) + cents(r.pending),
      `refunds and reservations of ${r.task_id}`,
    ).toBeLessThanOrEqual(cents(r.charged));
  }

  // one charge per charged task
  expect(
    db.prepare("SELECT count(*) FROM landing_phase1_ledger WHERE kind = 'task_charge'").pluck().get(),
  ).toBe(charges);

  // posted manual entries ↔ console credits_updated events, one to one, with the same amount and task
  const manual = db
    .prepare("SELECT * FROM landing_phase1_ledger WHERE kind IN ('manual_rollback', 'manual_adjustment')")
    .all() as LedgerEntry[];
  const consoleEvents = db
    .prepare(
      `SELECT event_id, json_extract(properties, '$.ledger_id') AS ledger_id,
         json_extract(properties, '$.adjust_amount') AS amount, json_extract(properties, '$.task_id') AS task_id,
         violation_count
       FROM landing_phase1_events WHERE event = 'credits_updated' AND source = 'console'`,
    )
    .all() as Array<{
    event_id: string;
    ledger_id: string;
    amount: number;
    task_id: string;
    violation_count: number;
  }>;
  const eventsByLedger = new Map<string, typeof consoleEvents>();
  for (const e of consoleEvents)
    eventsByLedger.set(e.ledger_id, [...(eventsByLedger.get(e.ledger_id) ?? []), e]);
  for (const m of manual) {
    const events = eventsByLedger.get(m.id) ?? [];
    if (m.status === 'posted') {
      expect(events, `the event of ${m.id}`).toHaveLength(1);
      expect(events[0]).toEqual({
        event_id: `console:${m.id}:posted`,
        ledger_id: m.id,
        amount: m.amount,
        task_id: m.task_id,
        violation_count: 0,
      });
    } else expect(events, `no event for ${m.status} ${m.id}`).toEqual([]);
  }
  const posted = new Set(manual.filter((m) => m.status === 'posted').map((m) => m.id));
  for (const e of consoleEvents) expect(posted.has(e.ledger_id), `the entry of ${e.event_id}`).toBe(true);

  // tail deductions ↔ the platform's credits_updated, one per ledger_id, made from its first delivery
  const tails = db
    .prepare(
      `SELECT l.id, l.amount, l.task_id, e.event, e.source, json_extract(e.properties, '$.ledger_id') AS ledger_id,
         json_extract(e.properties, '$.adjust_amount') AS adjust_amount,
         (SELECT min(x.id) FROM landing_phase1_events x WHERE x.event = 'credits_updated' AND x.source <> 'console'
            AND json_extract(x.properties, '$.ledger_id') = l.id) AS first_pk, e.id AS pk
       FROM landing_phase1_ledger l JOIN landing_phase1_events e ON e.id = l.source_event_pk
       WHERE l.kind = 'tail_deduction'`,
    )
    .all() as Array<Record<string, unknown>>;
  for (const r of tails) {
    expect(r).toMatchObject({ event: 'credits_updated', source: 'platform-integration', ledger_id: r.id });
    expect(r.adjust_amount).toBe(r.amount);
    expect(r.pk).toBe(r.first_pk);
  }
  const platformLedgerIds = db
    .prepare(
      `SELECT count(DISTINCT json_extract(properties, '$.ledger_id')) FROM landing_phase1_events
       WHERE event = 'credits_updated' AND source <> 'console'`,
    )
    .pluck()
    .get();
  expect(tails).toHaveLength(platformLedgerIds as number);

  // balances per account, as the API answers them, are the sums of posted amounts
  const res = await t.list('ledger-accounts', { sort: ['account_id', 'ASC'], range: [0, 99] });
  expect(res.status).toBe(200);
  const accounts = (await res.json()) as LedgerAccount[];
  const sums = db
    .prepare(
      `SELECT account_id, sum(amount) AS balance FROM landing_phase1_ledger
       WHERE account_id IS NOT NULL GROUP BY account_id ORDER BY account_id`,
    )
    .all() as Array<{ account_id: string }>;
  expect(accounts.map((a) => a.account_id)).toEqual(sums.map((s) => s.account_id));
  const postedSums = db
    .prepare(
      `SELECT account_id, coalesce(sum(CASE WHEN status = 'posted' THEN amount END), 0) AS balance
       FROM landing_phase1_ledger WHERE account_id IS NOT NULL GROUP BY account_id ORDER BY account_id`,
    )
    .all() as Array<{ account_id: string; balance: number }>;
  expect(accounts.map((a) => cents(a.balance))).toEqual(postedSums.map((s) => cents(s.balance)));

  // the model: every acknowledged key maps to one entry, and every manual entry to one acknowledged key
  const acknowledged = keys.filter((k) => k.acknowledged);
  expect(new Set(acknowledged.map((k) => k.acknowledged!.entryId)).size).toBe(acknowledged.length);
  expect(new Set(acknowledged.map((k) => k.acknowledged!.entryId))).toEqual(new Set(manual.map((m) => m.id)));
  expect(db.prepare('SELECT count(*) FROM landing_phase1_idempotency').pluck().get()).toBe(
    acknowledged.length,
  );
}

it('random charges, deductions, refunds, decisions and retries keep the ledger consistent after every step', async () => {
  // a few charged tasks first, then anything
  const run = fc
    .tuple(
      fc.array(charge, { minLength: 1, maxLength: 3 }),
      fc.array(command, { minLength: 5, maxLength: 30 }),
    )
    .map(([first, rest]): Command[] => [...first, ...rest]);
  await fc.assert(
    fc.asyncProperty(run, async (commands) => {
      const t = testApp({ ledger: { approvalLimit: LIMIT } });
      try {
        const sessions = {
          ops: t.as('ops'),
          ops2: t.asUser('ops2', ['ops']),
          compliance_reviewer: t.as('compliance_reviewer'),
        };
        const tasks: string[] = [];
        const tailEvents: Array<ReturnType<typeof creditsUpdated>> = [];
        const keys: KeyUse[] = [];
        let n = 0;

        /** a money-moving request under `use`, its answer checked against the oracle; acknowledged ones recorded */
        const request = async (use: KeyUse) => {
          const { known, net, refundable } = refundableCents(t, use.body.task_id);
          // what the task's manual entries posted or waiting already add up to (four eyes count them together)
          const requestedCents = Math.round(
            100 *
              (t.db
                .prepare(
                  `SELECT coalesce(sum(abs(amount)), 0) FROM landing_phase1_ledger WHERE task_id = ?
                   AND kind IN ('manual_rollback', 'manual_adjustment') AND status <> 'rejected'`,
                )
                .pluck()
                .get(use.body.task_id) as number),
          );
          const amount = cents(use.body.amount);
          const res = await sessions[use.user].send('POST', `/api/ledger/${use.route}`, use.body, {
            'Idempotency-Key': use.key,
          });
          const text = await res.text();
          if (use.acknowledged) {
            // a retry of an acknowledged key: the first answer again, or 409 for another body
            const same = JSON.parse(text) as LedgerEntry;
            if (res.status === 201) {
              expect(res.headers.get('Idempotent-Replayed')).toBe('true');
              expect(text).toBe(use.acknowledged.text);
              expect(same.id).toBe(use.acknowledged.entryId);
            } else expect(res.status).toBe(409);
            return;
          }
          if (!known) expect(res.status).toBe(404);
          else if (amount > 0 && (net <= 0 || amount > refundable)) expect(res.status, text).toBe(422);
          else {
            expect(res.status, text).toBe(201);
            expect(res.headers.get('Idempotent-Replayed')).toBe('false');
            const e = JSON.parse(text) as LedgerEntry;
            expect(e.status).toBe(
              Math.abs(amount) + requestedCents > LIMIT * 100 ? 'pending_approval' : 'posted',
            );
            expect(e.created_by).toBe(use.user);
            use.acknowledged = { text, entryId: e.id };
          }
        };

        let charges = 0;
        for (const c of commands) {
          switch (c.kind) {
            case 'charge': {
              const taskId = `task_${tasks.length + 1}`;
              tasks.push(taskId);
              const res = t.store.ingest(
                [
                  taskStart(`s-${taskId}`, taskId, { account_id: ACCOUNTS[c.account] }),
                  taskCompleted(`c-${taskId}`, taskId, { credits_spent: c.spentCents / 100 }),
                ],
                'platform-integration',
              );
              expect(res.accepted).toBe(2);
              charges++;
              break;
            }
            case 'tail': {
              if (tasks.length === 0) continue;
              const earlier = tailEvents.length ? tailEvents[c.task % tailEvents.length]! : undefined;
              const event =
                c.repeat === 'event' && earlier
                  ? earlier // a redelivery: a duplicate event
                  : c.repeat === 'ledger_id' && earlier
                    ? { ...earlier, event_id: `cu-${++n}` } // the same deduction under another event id
                    : creditsUpdated(
                        `cu-${++n}`,
                        `led_platform_${n}`,
                        tasks[c.task % tasks.length]!,
                        -c.cents / 100,
                      );
              tailEvents.push(event);
              t.store.ingest([event], 'platform-integration');
              break;
            }
            case 'rollback':
            case 'adjust': {
              const use: KeyUse = {
                key: `key-${++n}`,
                user: REQUESTERS[c.who]!,
                route: c.kind === 'rollback' ? 'rollbacks' : 'adjustments',
                body: {
                  task_id: c.task >= 0 && tasks.length ? tasks[c.task % tasks.length]! : 'task_unknown',
                  amount: c.cents / 100,
                  policy_tag: 'B1',
                  reason: `${c.kind} ${n}`,
                },
              };
              keys.push(use);
              await request(use);
              break;
            }
            case 'decide': {
              const pending = t.db
                .prepare("SELECT * FROM landing_phase1_ledger WHERE status = 'pending_approval' ORDER BY seq")
                .all() as LedgerEntry[];
              if (pending.length === 0) continue;
              const target = pending[c.pending % pending.length]!;
              const who = DECIDERS[c.who]!;
              const res = await sessions[who].send(
                'POST',
                `/api/ledger/${target.id}/${c.approve ? 'approve' : 'reject'}`,
                c.approve ? {} : { reason: 'not justified' },
              );
              const after = t.db
                .prepare('SELECT * FROM landing_phase1_ledger WHERE id = ?')
                .get(target.id) as LedgerEntry;
              if (who === target.created_by) {
                expect(res.status).toBe(403);
                expect(after.status).toBe('pending_approval');
                const denied = t.db
                  .prepare(
                    `SELECT outcome FROM landing_phase1_audit_log WHERE resource_id = ? AND actor = ?
                     ORDER BY id DESC LIMIT 1`,
                  )
                  .pluck()
                  .get(target.id, who);
                expect(denied).toBe('denied');
              } else {
                // only platform deductions (charges) happen meanwhile, so the bound still holds at approval
                expect(res.status, await res.clone().text()).toBe(200);
                expect(after).toMatchObject({ status: c.approve ? 'posted' : 'rejected', decided_by: who });
              }
              break;
            }
            case 'retry': {
              if (keys.length === 0) continue;
              const use = keys[c.key % keys.length]!;
              if (c.sameBody) await request(use);
              else {
                const other: KeyUse = {
                  ...use,
                  body: { ...use.body, amount: use.body.amount + 0.01 },
                };
                if (use.acknowledged) {
                  const res = await sessions[use.user].send('POST', `/api/ledger/${use.route}`, other.body, {
                    'Idempotency-Key': use.key,
                  });
                  expect(res.status).toBe(409);
                } else {
                  // never acknowledged: the key is still free, and this is a new request under it
                  delete other.acknowledged;
                  await request(other);
                  if (other.acknowledged) {
                    use.body = other.body;
                    use.acknowledged = other.acknowledged;
                  }
                }
              }
              break;
            }
          }
          await checkInvariants(t, keys, charges);
        }
      } finally {
        t.hub.close();
        t.cleanup();
      }
    }),
    { seed: 20261125, numRuns: 60 },
  );
});
