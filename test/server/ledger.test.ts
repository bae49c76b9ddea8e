import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../../server/app.ts';
import type { AuditRow } from '../../server/audit/log.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import type { LedgerAccount, LedgerEntry } from '../../server/ledger/schemas.ts';
import {
  creditsUpdated,
  TASK_ACCOUNT,
  type TestApp,
  taskCompleted,
  taskFailed,
  taskStart,
  testApp,
} from './helpers.ts';

/**
 * The credits ledger: append-only entries. The platform's task_completed is the task's charge (once per
 * task), its credits_updated a tail deduction (once per ledger_id). Ops request rollbacks and adjustments with
 * an Idempotency-Key (a retry replays the first answer, another body under the key is 409), never refunding
 * more than the task's net charge less the refunds awaiting approval; above the approval limit an entry waits
 * for a second ops or compliance person (never the requester). Each posted manual entry writes its
 * credits_updated event and every change an audit row, in one transaction.
 */

const ACCOUNT = TASK_ACCOUNT;
const OTHER_ACCOUNT = 'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6';
const MASKED = 'b7e2••••••';

let t: TestApp;
const setUp = (overrides: Partial<AppDeps> = {}) => {
  t = testApp(overrides);
};
beforeEach(() => setUp());
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

let seq = 0;
type Incoming = ReturnType<typeof taskStart>;
const platform = (...events: Incoming[]) => t.store.ingest(events, 'platform-integration');
/** a task the platform ran and charged `spent` credits for */
function charged(taskId: string, spent: number, account = ACCOUNT) {
  const res = platform(
    taskStart(`s-${taskId}`, taskId, { account_id: account }, '2026-11-25T10:00:00+08:00'),
    taskCompleted(`c-${taskId}`, taskId, { credits_spent: spent }, '2026-11-25T10:05:00+08:00'),
  );
  expect(res.accepted).toBe(2);
}
/** the platform's tail deduction (a negative adjust_amount) or refund (positive) */
const tail = (ledgerId: string, taskId: string, amount: number, eventId = `cu-${++seq}`) =>
  platform(creditsUpdated(eventId, ledgerId, taskId, amount));

const ops = () => t.as('ops');
const ops2 = () => t.asUser('ops2', ['ops']);
const reviewer = () => t.as('compliance_reviewer');
type Session = ReturnType<typeof ops>;

const refund = (taskId: string, amount: number, extra: Record<string, unknown> = {}) => ({
  task_id: taskId,
  amount,
  policy_tag: 'B1',
  reason: 'customer complaint upheld',
  ...extra,
});
const rollback = (body: unknown, key: string | null = `key-${++seq}`, as: Session = ops()) =>
  as.send('POST', '/api/ledger/rollbacks', body, key === null ? {} : { 'Idempotency-Key': key });
const adjust = (body: unknown, key: string | null = `key-${++seq}`, as: Session = ops()) =>
  as.send('POST', '/api/ledger/adjustments', body, key === null ? {} : { 'Idempotency-Key': key });

async function created(res: Response): Promise<LedgerEntry> {
  expect(res.status).toBe(201);
  return (await res.json()) as LedgerEntry;
}
async function expectError(res: Response, status: number) {
  expect(res.status).toBe(status);
  return (await res.json()) as ErrorBody;
}

const entries = () => t.db.prepare('SELECT * FROM landing_phase1_ledger ORDER BY seq').all() as LedgerEntry[];
const entry = (id: string) =>
  t.db.prepare('SELECT * FROM landing_phase1_ledger WHERE id = ?').get(id) as LedgerEntry;
interface EventRow {
  event_id: string;
  source: string;
  occurred_at: string;
  properties: string;
  violations: string;
}
const consoleEvents = () =>
  t.db
    .prepare("SELECT * FROM landing_phase1_events WHERE source = 'console' ORDER BY id")
    .all() as EventRow[];
const ledgerAudit = () =>
  t.db
    .prepare("SELECT * FROM landing_phase1_audit_log WHERE resource = 'ledger' ORDER BY id")
    .all() as AuditRow[];
const idempotencyRows = () =>
  t.db.prepare('SELECT count(*) FROM landing_phase1_idempotency').pluck().get() as number;

/** asserts nothing was written: entries, console events, ledger audit rows */
function expectNothingWritten(before: { entries: number; events: number; audits: number }) {
  expect(entries()).toHaveLength(before.entries);
  expect(consoleEvents()).toHaveLength(before.events);
  expect(ledgerAudit()).toHaveLength(before.audits);
}
const snapshot = () => ({
  entries: entries().length,
  events: consoleEvents().length,
  audits: ledgerAudit().length,
});

describe('entries from the event stream', () => {
  it('a task_completed is the task charge, once per task, with the account of its start', () => {
    charged('t1', 18);
    // the same task completed again (another event id): still one charge
    platform(taskCompleted('c-t1-again', 't1', { credits_spent: 18 }, '2026-11-25T10:06:00+08:00'));
    // no charge without credits spent, nor for a failure
    platform(
      taskStart('s-t2', 't2'),
      taskCompleted('c-t2', 't2', { credits_spent: 0 }),
      taskStart('s-t3', 't3'),
      taskFailed('f-t3', 't3'),
    );
    const pk = t.db.prepare("SELECT id FROM landing_phase1_events WHERE event_id = 'c-t1'").pluck().get();
    expect(entries()).toEqual([
      {
        seq: 1,
        id: 'charge:t1',
        account_id: ACCOUNT,
        task_id: 't1',
        amount: -18,
        kind: 'task_charge',
        policy_tag: null,
        reason: null,
        created_by: 'platform',
        created_at: '2026-11-25T02:05:00.000Z',
        status: 'posted',
        reverses: null,
        source_event_pk: pk,
        decided_by: null,
        decided_at: null,
        decision_note: null,
      },
    ]);
  });

  it('a platform credits_updated is a tail deduction once by ledger_id, whatever is repeated', () => {
    charged('t1', 18);
    tail('led_tail_1', 't1', -2.5, 'cu-a');
    tail('led_tail_1', 't1', -2.5, 'cu-a'); // the same delivery again: a duplicate event
    tail('led_tail_1', 't1', -2.5, 'cu-b'); // the same ledger_id under another event id
    tail('led_tail_2', 't1', -1, 'cu-c');
    const tails = entries().filter((e) => e.kind === 'tail_deduction');
    expect(tails.map((e) => [e.id, e.amount, e.account_id, e.policy_tag, e.created_by, e.status])).toEqual([
      ['led_tail_1', -2.5, ACCOUNT, 'A1', 'platform', 'posted'],
      ['led_tail_2', -1, ACCOUNT, 'A1', 'platform', 'posted'],
    ]);
    const cuA = t.db.prepare("SELECT id FROM landing_phase1_events WHERE event_id = 'cu-a'").pluck().get();
    expect(tails[0]!.source_event_pk).toBe(cuA);
    // every delivery but the duplicate is stored as an event (nothing is dropped)
    expect(
      t.db
        .prepare("SELECT count(*) FROM landing_phase1_events WHERE event = 'credits_updated'")
        .pluck()
        .get(),
    ).toBe(3);
  });

  it('a credits_updated without a ledger_id or a usable amount is stored as an event but makes no entry', () => {
    charged('t1', 18);
    const res = platform(
      creditsUpdated('cu-1', 'x', 't1', -1, { ledger_id: undefined }),
      creditsUpdated('cu-2', 'led_zero', 't1', 0),
      creditsUpdated('cu-3', 'led_text', 't1', -1, { adjust_amount: 'minus one' }),
      creditsUpdated('cu-4', 'led_notask', 't1', -1, { task_id: undefined }),
    );
    expect(res.accepted).toBe(4);
    expect(entries().map((e) => e.id)).toEqual(['charge:t1']);
  });

  it('entries recorded before the task_start learn its account when it arrives', () => {
    platform(taskCompleted('c-t9', 't9', { credits_spent: 10 }), creditsUpdated('cu-9', 'led_9', 't9', -1));
    expect(entries().map((e) => e.account_id)).toEqual([null, null]);
    platform(taskStart('s-t9', 't9', { account_id: OTHER_ACCOUNT }));
    expect(entries().map((e) => e.account_id)).toEqual([OTHER_ACCOUNT, OTHER_ACCOUNT]);
  });

  it("the console's own credits_updated events are not entered again", async () => {
    charged('t1', 18);
    const posted = await created(await rollback(refund('t1', 5)));
    expect(entries().map((e) => [e.id, e.kind])).toEqual([
      ['charge:t1', 'task_charge'],
      [posted.id, 'manual_rollback'],
    ]);
    // the platform echoing the entry (another event id, same ledger_id), or redelivering the console event
    const event = consoleEvents()[0]!;
    platform(creditsUpdated('echo-1', posted.id, 't1', 5));
    platform({
      event: 'credits_updated',
      event_id: event.event_id,
      occurred_at: event.occurred_at,
      properties: JSON.parse(event.properties) as Record<string, unknown>,
    });
    expect(entries()).toHaveLength(2);
    expect(entry(posted.id).kind).toBe('manual_rollback');
  });
});

describe('POST /api/ledger/rollbacks', () => {
  it('below the limit: posted at once with its credits_updated event and audit row, in one answer', async () => {
    charged('t1', 18);
    tail('led_tail_1', 't1', -2);
    const res = await rollback(refund('t1', 7.5), 'rb-1');
    expect(res.headers.get('Idempotent-Replayed')).toBe('false');
    const body = await created(res);
    expect(body).toEqual({
      id: 'led_console_3',
      seq: 3,
      account_id: MASKED, // ops read account ids masked
      task_id: 't1',
      amount: 7.5,
      kind: 'manual_rollback',
      policy_tag: 'B1',
      reason: 'customer complaint upheld',
      created_by: 'ops',
      created_at: t.now.toISOString(),
      status: 'posted',
      reverses: 'charge:t1',
      source_event_pk: null,
      decided_by: null,
      decided_at: null,
      decision_note: null,
    } satisfies LedgerEntry);
    expect(entry('led_console_3').account_id).toBe(ACCOUNT);

    const events = consoleEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_id: 'console:led_console_3:posted',
      source: 'console',
      occurred_at: t.now.toISOString(),
      violations: '[]',
    });
    expect(JSON.parse(events[0]!.properties)).toEqual({
      ledger_id: 'led_console_3',
      task_id: 't1',
      policy_tag: 'B1',
      adjust_amount: 7.5,
    });

    const audits = ledgerAudit();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: 'ops',
      action: 'ledger.rollback',
      resource: 'ledger',
      resource_id: 'led_console_3',
      reason: 'customer complaint upheld',
      outcome: 'success',
    });
    expect(JSON.parse(audits[0]!.before!)).toEqual({
      charged: 20,
      refunded: 0,
      net_charge: 20,
      pending_refunds: 0,
      refundable: 20,
    });
    expect(JSON.parse(audits[0]!.after!)).toMatchObject({
      id: 'led_console_3',
      amount: 7.5,
      status: 'posted',
    });

    const task = (await (await t.get('/api/tasks/t1')).json()) as { net_charge: number };
    expect(task.net_charge).toBe(12.5);
  });

  it('never refunds more than the net charge: 422 naming amount, and nothing is written', async () => {
    charged('t1', 18);
    await created(await rollback(refund('t1', 10)));
    const before = snapshot();
    const err = await expectError(await rollback(refund('t1', 8.01)), 422);
    expect(err.message).toBe('a refund of 8.01 for t1 exceeds what may be refunded: 8 (net charge 8)');
    expect(err.errors).toEqual({ amount: 'exceeds what may be refunded: 8 (net charge 8)' });
    expectNothingWritten(before);
    expect(idempotencyRows()).toBe(1);
    // exactly the rest may be refunded; then nothing more
    await created(await rollback(refund('t1', 8)));
    const none = await expectError(await rollback(refund('t1', 0.01)), 422);
    expect(none.errors).toEqual({ amount: 'the task has no net charge to refund' });
  });

  it('refunds awaiting approval are reserved: the bound is net charge less pending refunds', async () => {
    charged('t1', 3000);
    const pending = await created(await rollback(refund('t1', 1500)));
    expect(pending.status).toBe('pending_approval');
    const err = await expectError(await rollback(refund('t1', 1500.01)), 422);
    expect(err.errors).toEqual({
      amount: 'exceeds what may be refunded: 1500 (net charge 3000, 1500 awaiting approval)',
    });
    // the task's manual entries count together for the four eyes: this one waits as well
    expect((await created(await rollback(refund('t1', 1000)))).status).toBe('pending_approval');
    expect((await expectError(await rollback(refund('t1', 500.01)), 422)).errors?.amount).toBe(
      'exceeds what may be refunded: 500 (net charge 3000, 2500 awaiting approval)',
    );
    // a rejected request frees its reservation
    expect((await reviewer().send('POST', `/api/ledger/${pending.id}/reject`, { reason: 'no' })).status).toBe(
      200,
    );
    expect((await created(await rollback(refund('t1', 2000)))).status).toBe('pending_approval');
  });

  it('splitting a large refund into small ones does not get around the four eyes', async () => {
    charged('t1', 3000);
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await created(await rollback(refund('t1', 300), `split-${i}`))).status);
    // 300, 600, 900 posted; 1200 and 1500 together are above the 1000 limit
    expect(statuses).toEqual(['posted', 'posted', 'posted', 'pending_approval', 'pending_approval']);
    expect(consoleEvents()).toHaveLength(3);
  });

  it('concurrent rollbacks under different keys never refund more than the charge together', async () => {
    charged('t1', 18);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => rollback(refund('t1', 5), `race-${i}`, i % 2 ? ops() : ops2())),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(17);
    expect(entries().filter((e) => e.kind === 'manual_rollback')).toHaveLength(3);
    expect(consoleEvents()).toHaveLength(3);
    expect(((await (await t.get('/api/tasks/t1')).json()) as { net_charge: number }).net_charge).toBe(3);
  });

  it('an unknown task is a 404 naming task_id; a task with no charge has nothing to refund', async () => {
    const err = await expectError(await rollback(refund('nope', 1)), 404);
    expect(err).toEqual({ message: 'no task nope', errors: { task_id: 'no such task' } });
    platform(taskStart('s-f', 'failed_task'), taskFailed('f-f', 'failed_task'));
    expect((await expectError(await rollback(refund('failed_task', 1)), 422)).errors).toEqual({
      amount: 'the task has no net charge to refund',
    });
    expect(entries()).toEqual([]);
  });

  it('an unknown or deprecated policy_tag is a 422 naming it', async () => {
    charged('t1', 18);
    const unknown = await expectError(await rollback(refund('t1', 1, { policy_tag: 'Z9' })), 422);
    expect(unknown.errors).toEqual({ policy_tag: 'Z9 is not a value of policy_tag' });
    t.db
      .prepare(
        `UPDATE landing_phase1_enum_values SET status = 'deprecated', deprecated_at = ?
         WHERE enum_name = 'policy_tag' AND code = 'C1'`,
      )
      .run('2026-11-20T00:00:00.000Z');
    const deprecated = await expectError(await rollback(refund('t1', 1, { policy_tag: 'C1' })), 422);
    expect(deprecated.errors).toEqual({ policy_tag: 'C1 is deprecated in policy_tag' });
    expect(entries()).toHaveLength(1);
  });

  it('a missing or malformed Idempotency-Key, or a bad body, is a 400 naming what is wrong', async () => {
    charged('t1', 18);
    const noKey = await expectError(await rollback(refund('t1', 1), null), 400);
    expect(noKey.errors).toEqual({ 'Idempotency-Key': 'is required' });
    const spaced = await expectError(await rollback(refund('t1', 1), 'two words'), 400);
    expect(spaced.errors).toEqual({ 'Idempotency-Key': 'must be 1–200 printable characters without spaces' });
    const long = await expectError(await rollback(refund('t1', 1), 'k'.repeat(201)), 400);
    expect(Object.keys(long.errors ?? {})).toEqual(['Idempotency-Key']);

    const fields = async (body: unknown) =>
      Object.keys((await expectError(await rollback(body), 400)).errors ?? {});
    expect(await fields({})).toEqual(['task_id', 'amount', 'policy_tag', 'reason']);
    expect(await fields(refund('t1', -1))).toEqual(['amount']);
    expect(await fields(refund('t1', 0))).toEqual(['amount']);
    expect(await fields(refund('t1', 1.005))).toEqual(['amount']);
    expect(await fields(refund('t1', 1, { reason: '  ' }))).toEqual(['reason']);
    expect(await fields({ ...refund('t1', 1), amount: '1' })).toEqual(['amount']);
    expect(await fields('not json')).toEqual(['(body)']);
    expect(entries()).toHaveLength(1);
    expect(idempotencyRows()).toBe(0);
  });

  it('only ops request rollbacks', async () => {
    charged('t1', 18);
    for (const role of [
      'compliance_reviewer',
      'data_analyst',
      'product_planner',
      'admin',
      'engineer',
    ] as const)
      expect((await rollback(refund('t1', 1), `k-${role}`, t.as(role))).status).toBe(403);
    expect(entries()).toHaveLength(1);
  });
});

describe('Idempotency-Key', () => {
  it('1000 retries of one key, 50 at a time: one entry, one event, one audit row, byte-identical answers', async () => {
    charged('t1', 180);
    const body = refund('t1', 12.34);
    const texts: string[] = [];
    const replayed: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(Array.from({ length: 50 }, () => rollback(body, 'retry-key-1')));
      for (const r of responses) {
        expect(r.status).toBe(201);
        replayed.push(r.headers.get('Idempotent-Replayed')!);
        texts.push(await r.text());
      }
    }
    expect(texts).toHaveLength(1000);
    expect(new Set(texts).size).toBe(1);
    expect(replayed.filter((h) => h === 'false')).toHaveLength(1);
    expect(replayed.filter((h) => h === 'true')).toHaveLength(999);
    const manual = entries().filter((e) => e.kind === 'manual_rollback');
    expect(manual).toHaveLength(1);
    expect(JSON.parse(texts[0]!)).toMatchObject({ id: manual[0]!.id, amount: 12.34, status: 'posted' });
    expect(consoleEvents()).toHaveLength(1);
    expect(ledgerAudit()).toHaveLength(1);
    expect(idempotencyRows()).toBe(1);
    expect(((await (await t.get('/api/tasks/t1')).json()) as { net_charge: number }).net_charge).toBe(167.66);
  });

  it('the same body with its keys in another order and other spacing is the same request', async () => {
    charged('t1', 18);
    const first = await rollback(refund('t1', 3), 'k-order');
    const text = await first.text();
    const again = await rollback(
      `{ "reason": "customer complaint upheld", "policy_tag": "B1", "amount": 3, "task_id": "t1" }`,
      'k-order',
    );
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.text()).toBe(text);
    expect(entries()).toHaveLength(2);
  });

  it('the same key with another body, or on the other route, is a 409; nothing new is made', async () => {
    charged('t1', 18);
    await created(await rollback(refund('t1', 3), 'k-1'));
    const before = snapshot();
    for (const res of [
      await rollback(refund('t1', 4), 'k-1'),
      await rollback(refund('t1', 3, { reason: 'another reason' }), 'k-1'),
      await adjust(refund('t1', 3), 'k-1'),
    ]) {
      const err = await expectError(res, 409);
      expect(err).toEqual({
        message: 'this Idempotency-Key was used for a different request; use a fresh key for a new one',
        errors: { 'Idempotency-Key': 'was used for a different request' },
      });
    }
    expectNothingWritten(before);
  });

  it('keys are per user: the same key from another person is a request of its own', async () => {
    charged('t1', 18);
    const mine = await created(await rollback(refund('t1', 3), 'shared-key', ops()));
    const theirs = await created(await rollback(refund('t1', 3), 'shared-key', ops2()));
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.created_by).toBe('ops2');
    expect(entries().filter((e) => e.kind === 'manual_rollback')).toHaveLength(2);
    expect(consoleEvents()).toHaveLength(2);
  });

  it('a refused request does not use up its key: retried once it may be made, it is made', async () => {
    charged('t1', 18);
    await expectError(await rollback(refund('t1', 30), 'k-later'), 422);
    tail('led_tail_1', 't1', -20);
    const entryMade = await created(await rollback(refund('t1', 30), 'k-later'));
    expect(entryMade.status).toBe('posted');
    const replay = await rollback(refund('t1', 30), 'k-later');
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(entries().filter((e) => e.kind === 'manual_rollback')).toHaveLength(1);
  });

  it('a replay answers what was first answered, even after the entry was decided', async () => {
    charged('t1', 5000);
    const first = await rollback(refund('t1', 1200), 'k-pending');
    const text = await first.text();
    const pending = JSON.parse(text) as LedgerEntry;
    expect(pending.status).toBe('pending_approval');
    expect((await ops2().send('POST', `/api/ledger/${pending.id}/approve`, {})).status).toBe(200);
    const replay = await rollback(refund('t1', 1200), 'k-pending');
    expect(await replay.text()).toBe(text);
    expect(entry(pending.id).status).toBe('posted');
    expect(consoleEvents()).toHaveLength(1);
  });
});

describe('four-eyes above the approval limit', () => {
  it('above the limit an entry waits: no event yet, audited as a request, its refund reserved; at the limit it posts', async () => {
    charged('t1', 5000);
    const atLimit = await created(await rollback(refund('t1', 1000)));
    expect(atLimit.status).toBe('posted');
    const pending = await created(await rollback(refund('t1', 1000.01)));
    expect(pending).toMatchObject({ status: 'pending_approval', decided_by: null });
    expect(consoleEvents().map((e) => e.event_id)).toEqual([`console:${atLimit.id}:posted`]);
    expect(ledgerAudit().map((a) => [a.action, a.resource_id])).toEqual([
      ['ledger.rollback', atLimit.id],
      ['ledger.rollback.request', pending.id],
    ]);
    const task = (await (await t.get('/api/tasks/t1')).json()) as { charge: unknown; net_charge: number };
    expect(task.net_charge).toBe(4000);
    expect(task.charge).toEqual({
      charged: 5000,
      refunded: 1000,
      net_charge: 4000,
      pending_refunds: 1000.01,
      refundable: 2999.99,
    });
  });

  it('the limit comes from AppDeps.ledger.approvalLimit', async () => {
    t.hub.close();
    t.cleanup();
    setUp({ ledger: { approvalLimit: 50 } });
    charged('t1', 500);
    expect((await created(await rollback(refund('t1', 50)))).status).toBe('posted');
    expect((await created(await rollback(refund('t1', 50.5)))).status).toBe('pending_approval');
  });

  it('the requester may not approve or reject their own entry: 403, audited as denied, nothing changes', async () => {
    charged('t1', 5000);
    const pending = await created(await rollback(refund('t1', 2000)));
    const self = await expectError(await ops().send('POST', `/api/ledger/${pending.id}/approve`, {}), 403);
    expect(self.message).toBe(`${pending.id} was requested by you; a second person must approve it`);
    const selfReject = await expectError(
      await ops().send('POST', `/api/ledger/${pending.id}/reject`, { reason: 'changed my mind' }),
      403,
    );
    expect(selfReject.message).toBe(`${pending.id} was requested by you; a second person must reject it`);
    expect(entry(pending.id)).toMatchObject({ status: 'pending_approval', decided_by: null });
    expect(consoleEvents()).toEqual([]);
    const denied = ledgerAudit().filter((a) => a.outcome === 'denied');
    expect(denied.map((a) => [a.actor, a.action, a.resource_id, a.reason])).toEqual([
      ['ops', 'ledger.approve', pending.id, 'four-eyes: the requester may not decide their own entry'],
      ['ops', 'ledger.reject', pending.id, 'four-eyes: the requester may not decide their own entry'],
    ]);
  });

  it('a second ops person approves: posted, with its credits_updated event and audit row', async () => {
    charged('t1', 5000);
    const pending = await created(await rollback(refund('t1', 2000)));
    const res = await ops2().send('POST', `/api/ledger/${pending.id}/approve`, {
      note: 'checked the ticket',
    });
    expect(res.status).toBe(200);
    const approved = (await res.json()) as LedgerEntry;
    expect(approved).toMatchObject({
      id: pending.id,
      status: 'posted',
      decided_by: 'ops2',
      decided_at: t.now.toISOString(),
      decision_note: 'checked the ticket',
      account_id: MASKED,
      amount: 2000,
    });
    const events = consoleEvents();
    expect(events.map((e) => [e.event_id, JSON.parse(e.properties).adjust_amount])).toEqual([
      [`console:${pending.id}:posted`, 2000],
    ]);
    const audit = ledgerAudit().at(-1)!;
    expect(audit).toMatchObject({
      actor: 'ops2',
      action: 'ledger.approve',
      resource_id: pending.id,
      reason: 'checked the ticket',
      outcome: 'success',
    });
    expect(JSON.parse(audit.before!)).toMatchObject({ status: 'pending_approval' });
    expect(JSON.parse(audit.after!)).toMatchObject({ status: 'posted', decided_by: 'ops2' });
    expect(((await (await t.get('/api/tasks/t1')).json()) as { net_charge: number }).net_charge).toBe(3000);
  });

  it('a compliance reviewer may approve too; approving twice is a 409', async () => {
    charged('t1', 5000);
    const pending = await created(await rollback(refund('t1', 2000)));
    expect((await reviewer().send('POST', `/api/ledger/${pending.id}/approve`, {})).status).toBe(200);
    const twice = await expectError(await ops2().send('POST', `/api/ledger/${pending.id}/approve`, {}), 409);
    expect(twice.message).toBe(
      `${pending.id} is posted by compliance_reviewer; only an entry pending approval can be decided`,
    );
    const rejectLater = await ops2().send('POST', `/api/ledger/${pending.id}/reject`, { reason: 'x' });
    expect(rejectLater.status).toBe(409);
    expect(consoleEvents()).toHaveLength(1);
    expect(ledgerAudit().map((a) => a.action)).toEqual(['ledger.rollback.request', 'ledger.approve']);
  });

  it('a rejection needs a reason; rejected: no event, the reservation is freed, it cannot be approved', async () => {
    charged('t1', 5000);
    const pending = await created(await rollback(refund('t1', 4000)));
    const noReason = await expectError(
      await ops2().send('POST', `/api/ledger/${pending.id}/reject`, {}),
      400,
    );
    expect(Object.keys(noReason.errors ?? {})).toEqual(['reason']);
    const res = await ops2().send('POST', `/api/ledger/${pending.id}/reject`, { reason: 'no ticket found' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'rejected',
      decided_by: 'ops2',
      decision_note: 'no ticket found',
    });
    expect(consoleEvents()).toEqual([]);
    expect(ledgerAudit().at(-1)).toMatchObject({ action: 'ledger.reject', reason: 'no ticket found' });
    expect((await ops2().send('POST', `/api/ledger/${pending.id}/approve`, {})).status).toBe(409);
    // the full charge is refundable again
    expect((await created(await rollback(refund('t1', 5000)))).status).toBe('pending_approval');
  });

  it('approval checks the bound again: a refund posted meanwhile can make it a 422; it stays pending', async () => {
    charged('t1', 1500);
    const pending = await created(await rollback(refund('t1', 1200)));
    // the platform refunds 500 of the charge itself in the meantime
    tail('led_platform_refund', 't1', 500);
    const err = await expectError(await ops2().send('POST', `/api/ledger/${pending.id}/approve`, {}), 422);
    expect(err.message).toBe(
      `${pending.id} can no longer be approved: it exceeds what may be refunded: 1000 (net charge 1000)`,
    );
    expect(entry(pending.id).status).toBe('pending_approval');
    expect(consoleEvents()).toEqual([]);
    // it can still be rejected
    expect(
      (await ops2().send('POST', `/api/ledger/${pending.id}/reject`, { reason: 'too much now' })).status,
    ).toBe(200);
  });

  it('an unknown entry is a 404; only ops and compliance reviewers decide', async () => {
    expect((await ops2().send('POST', '/api/ledger/led_nope/approve', {})).status).toBe(404);
    charged('t1', 5000);
    const pending = await created(await rollback(refund('t1', 2000)));
    for (const role of ['data_analyst', 'product_planner', 'admin', 'engineer'] as const)
      expect((await t.as(role).send('POST', `/api/ledger/${pending.id}/approve`, {})).status).toBe(403);
    expect(entry(pending.id).status).toBe('pending_approval');
  });
});

describe('adjustments', () => {
  it('a negative adjustment charges more: posted with its event; above the limit it waits like a rollback', async () => {
    charged('t1', 18);
    const more = await created(
      await adjust({ task_id: 't1', amount: -4.5, policy_tag: 'C2', reason: 'under-charged output' }),
    );
    expect(more).toMatchObject({
      kind: 'manual_adjustment',
      amount: -4.5,
      status: 'posted',
      reverses: 'charge:t1',
    });
    expect(JSON.parse(consoleEvents()[0]!.properties)).toEqual({
      ledger_id: more.id,
      task_id: 't1',
      policy_tag: 'C2',
      adjust_amount: -4.5,
    });
    expect(ledgerAudit().map((a) => a.action)).toEqual(['ledger.adjust']);
    const big = await created(
      await adjust({ task_id: 't1', amount: -1500, policy_tag: 'C2', reason: 'bulk job' }),
    );
    expect(big.status).toBe('pending_approval');
    expect((await ops2().send('POST', `/api/ledger/${big.id}/approve`, {})).status).toBe(200);
    const task = (await (await t.get('/api/tasks/t1')).json()) as { net_charge: number };
    expect(task.net_charge).toBe(1522.5);
    // a positive adjustment is a refund: bounded like one
    const over = await expectError(
      await adjust({ task_id: 't1', amount: 1522.51, policy_tag: 'C2', reason: 'x' }),
      422,
    );
    expect(over.errors?.amount).toBe('exceeds what may be refunded: 1522.5 (net charge 1522.5)');
    expect(Object.keys((await expectError(await adjust(refund('t1', 0)), 400)).errors ?? {})).toEqual([
      'amount',
    ]);
  });

  it('reverses must name a posted entry of the task', async () => {
    charged('t1', 18);
    charged('t2', 18);
    const err = await expectError(await adjust(refund('t1', 1, { reverses: 'charge:t2' })), 422);
    expect(err.errors).toEqual({ reverses: 'is not a posted entry of t1' });
    tail('led_tail_1', 't1', -3);
    const ok = await created(await adjust(refund('t1', 1, { reverses: 'led_tail_1' })));
    expect(ok.reverses).toBe('led_tail_1');
  });
});

describe('one transaction per change', () => {
  /** makes the database refuse one kind of write, as a full disk or a constraint would */
  const refuse = (table: string, when: string) =>
    t.db.exec(
      `CREATE TRIGGER test_refuse BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
  const quietly = async <T>(f: () => T | Promise<T>) => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      return await f();
    } finally {
      quiet.mockRestore();
    }
  };

  it('when the credits_updated event cannot be stored, no entry, no audit row and no remembered key (500)', async () => {
    charged('t1', 18);
    const before = snapshot();
    refuse('landing_phase1_events', "NEW.source = 'console'");
    expect((await quietly(() => rollback(refund('t1', 5), 'k-atomic'))).status).toBe(500);
    expectNothingWritten(before);
    expect(idempotencyRows()).toBe(0);
    // the key is still free: once the store works, the retry makes the entry
    t.db.exec('DROP TRIGGER test_refuse');
    expect((await created(await rollback(refund('t1', 5), 'k-atomic'))).status).toBe('posted');
    expect(consoleEvents()).toHaveLength(1);
  });

  it('when the audit row cannot be written, no entry and no event (500)', async () => {
    charged('t1', 18);
    const before = snapshot();
    refuse('landing_phase1_audit_log', "NEW.action LIKE 'ledger.%'");
    expect((await quietly(() => rollback(refund('t1', 5)))).status).toBe(500);
    expectNothingWritten(before);
  });

  it('an approval whose event cannot be stored leaves the entry pending (500)', async () => {
    charged('t1', 5000);
    const pending = await created(await rollback(refund('t1', 2000)));
    refuse('landing_phase1_events', "NEW.source = 'console'");
    expect((await quietly(() => ops2().send('POST', `/api/ledger/${pending.id}/approve`, {}))).status).toBe(
      500,
    );
    expect(entry(pending.id)).toMatchObject({ status: 'pending_approval', decided_by: null });
    expect(ledgerAudit().map((a) => a.action)).toEqual(['ledger.rollback.request']);
  });
});

describe('the ledger is append-only in the database', () => {
  it('DELETE and UPDATE of amounts, kinds, ids, decided statuses and known accounts are refused', async () => {
    charged('t1', 18);
    const posted = await created(await rollback(refund('t1', 2)));
    const refused = [
      "DELETE FROM landing_phase1_ledger WHERE id = 'charge:t1'",
      "UPDATE landing_phase1_ledger SET amount = -1 WHERE id = 'charge:t1'",
      "UPDATE landing_phase1_ledger SET kind = 'tail_deduction' WHERE id = 'charge:t1'",
      "UPDATE landing_phase1_ledger SET id = 'charge:x' WHERE id = 'charge:t1'",
      "UPDATE landing_phase1_ledger SET task_id = 't2' WHERE id = 'charge:t1'",
      `UPDATE landing_phase1_ledger SET status = 'rejected' WHERE id = '${posted.id}'`,
      `UPDATE landing_phase1_ledger SET decided_by = 'someone' WHERE id = '${posted.id}'`,
      `UPDATE landing_phase1_ledger SET account_id = '${OTHER_ACCOUNT}' WHERE id = 'charge:t1'`,
      `UPDATE landing_phase1_ledger SET reason = 'edited' WHERE id = '${posted.id}'`,
    ];
    for (const sql of refused)
      expect(() => t.db.exec(sql), sql).toThrow(
        'landing_phase1_ledger is append-only: correct an entry with a reversal',
      );
    expect(entry('charge:t1')).toMatchObject({ amount: -18, kind: 'task_charge', account_id: ACCOUNT });
    expect(entries()).toHaveLength(2);
  });

  it('what may change: a pending entry is decided; an entry with no account learns it', async () => {
    platform(taskCompleted('c-t9', 't9', { credits_spent: 5000 }));
    const pending = await created(await rollback(refund('t9', 2000)));
    t.db.exec(
      `UPDATE landing_phase1_ledger SET status = 'rejected', decided_by = 'x', decided_at = 'y' WHERE id = '${pending.id}'`,
    );
    t.db.exec(`UPDATE landing_phase1_ledger SET account_id = '${OTHER_ACCOUNT}' WHERE id = 'charge:t9'`);
    expect(entry(pending.id).status).toBe('rejected');
    expect(entry('charge:t9').account_id).toBe(OTHER_ACCOUNT);
  });
});

describe('GET /api/ledger and /api/ledger-accounts', () => {
  /** two accounts: charges, tail deductions, a posted, a pending and a rejected refund, and one with no account */
  async function book() {
    charged('a1', 100, ACCOUNT);
    charged('a2', 3000, ACCOUNT);
    charged('b1', 40, OTHER_ACCOUNT);
    tail('led_a1', 'a1', -5);
    tail('led_b1', 'b1', -1.25);
    platform(taskCompleted('c-orphan', 'orphan', { credits_spent: 9 })); // no start yet: no account
    await created(await rollback(refund('a1', 30)));
    const pending = await created(await rollback(refund('a2', 1500)));
    const rejected = await created(await rollback(refund('a2', 1100)));
    expect((await ops2().send('POST', `/api/ledger/${rejected.id}/reject`, { reason: 'dup' })).status).toBe(
      200,
    );
    await created(await rollback(refund('b1', 0.25)));
    return { pending };
  }

  it('balances per account are the sums of their posted entries', async () => {
    await book();
    const res = await t.list('ledger-accounts', { sort: ['account_id', 'ASC'] });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Range')).toBe('ledger-accounts 0-1/2');
    const accounts = (await res.json()) as LedgerAccount[];
    const sums = t.db
      .prepare(
        `SELECT account_id, round(sum(amount), 2) AS balance FROM landing_phase1_ledger
         WHERE status = 'posted' AND account_id IS NOT NULL GROUP BY account_id ORDER BY account_id`,
      )
      .all();
    expect(accounts.map((a) => ({ account_id: a.account_id, balance: a.balance }))).toEqual(sums);
    expect(accounts).toEqual([
      {
        id: ACCOUNT,
        account_id: ACCOUNT,
        balance: -3075,
        charged: 3105,
        refunded: 30,
        pending_refunds: 1500,
        entries: 6,
        tasks: 2,
        last_entry_at: t.now.toISOString(),
      },
      {
        id: OTHER_ACCOUNT,
        account_id: OTHER_ACCOUNT,
        balance: -41,
        charged: 41.25,
        refunded: 0.25,
        pending_refunds: 0,
        entries: 3,
        tasks: 1,
        last_entry_at: t.now.toISOString(),
      },
    ]);
    // the orphan charge joins its account when its start arrives
    platform(taskStart('s-orphan', 'orphan', { account_id: OTHER_ACCOUNT }));
    const after = (await (
      await t.list('ledger-accounts', { filter: { account_id: OTHER_ACCOUNT } })
    ).json()) as LedgerAccount[];
    expect(after[0]!.balance).toBe(-50);
  });

  it('ops see account ids masked, with row numbers as record ids', async () => {
    await book();
    const res = await ops().list('ledger-accounts', { sort: ['balance', 'ASC'] });
    const accounts = (await res.json()) as LedgerAccount[];
    expect(accounts.map((a) => [a.id, a.account_id, a.balance])).toEqual([
      ['row_1', MASKED, -3075],
      ['row_2', 'c3d4••••••', -41],
    ]);
    const list = (await (await ops().list('ledger', { filter: { task_id: 'a1' } })).json()) as LedgerEntry[];
    expect(list.map((e) => e.account_id)).toEqual([MASKED, MASKED, MASKED]);
    expect(JSON.stringify(list)).not.toContain(ACCOUNT);
  });

  it('the ledger list filters by task, kind and status; one entry by id; 404 for an unknown one', async () => {
    const { pending } = await book();
    const ids = async (filter: Record<string, unknown>) =>
      ((await (await t.list('ledger', { filter, sort: ['seq', 'ASC'] })).json()) as LedgerEntry[]).map(
        (e) => e.id,
      );
    expect(await ids({ task_id: 'a1' })).toEqual(['charge:a1', 'led_a1', 'led_console_7']);
    expect(await ids({ kind: 'tail_deduction' })).toEqual(['led_a1', 'led_b1']);
    expect(await ids({ status: 'pending_approval' })).toEqual([pending.id]);
    expect(await ids({ q: 'charge:' })).toEqual(['charge:a1', 'charge:a2', 'charge:b1', 'charge:orphan']);
    const one = await t.get(`/api/ledger/${encodeURIComponent('charge:a1')}`);
    expect(((await one.json()) as LedgerEntry).amount).toBe(-100);
    expect((await t.get('/api/ledger/led_nope')).status).toBe(404);
  });
});

describe('hardening', () => {
  it('a platform ledger_id that takes a task charge id does not cost that task its charge', async () => {
    charged('t1', 100);
    tail('charge:t2', 't1', -3);
    charged('t2', 40);
    const charges = entries().filter((e) => e.kind === 'task_charge' && e.task_id === 't2');
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ amount: -40, status: 'posted' });
    expect(charges[0]!.id).toMatch(/^charge:t2:\d+$/);
    expect(entry('charge:t2')).toMatchObject({ kind: 'tail_deduction', task_id: 't1', amount: -3 });
    // and a repeated task_completed still charges once
    platform(taskCompleted('c-t2-again', 't2', { credits_spent: 40 }, '2026-11-25T10:06:00+08:00'));
    expect(entries().filter((e) => e.kind === 'task_charge' && e.task_id === 't2')).toHaveLength(1);
  });

  it('a money-moving body with an unknown field is a 400 naming it (a misspelt "reverse" must not default)', async () => {
    charged('t1', 100);
    const before = snapshot();
    const err = await expectError(await rollback(refund('t1', 5, { reverse: 'charge:t1' })), 400);
    expect(Object.keys(err.errors ?? {})).toEqual(['(body)']);
    expect(err.message).toContain('reverse');
    expectNothingWritten(before);
  });

  it('amounts are kept as the cents they were meant as', async () => {
    charged('t1', 100);
    const e = await created(await rollback(refund('t1', 0.1 + 0.2)));
    expect(e.amount).toBe(0.3);
    expect(entry(e.id).amount).toBe(0.3);
  });

  it('a sub-cent charge never lets a refund exceed it: refundable is rounded down', async () => {
    charged('t1', 10.005);
    const task = (await (await t.get('/api/tasks/t1')).json()) as { charge: { refundable: number } };
    expect(task.charge.refundable).toBe(10);
    await expectError(await rollback(refund('t1', 10.01)), 422);
    expect((await created(await rollback(refund('t1', 10)))).status).toBe('posted');
  });

  it('a body larger than 64 KiB is a 413, and nothing is written', async () => {
    charged('t1', 100);
    const before = snapshot();
    const err = await expectError(await rollback(refund('t1', 5, { reason: 'x'.repeat(70_000) })), 413);
    expect(err.message).toContain('larger than');
    expectNothingWritten(before);
  });

  it('ops, who see account ids masked, cannot recover one by ranges, prefix search or sorting (403)', async () => {
    charged('t1', 100);
    const probes: Array<[string, Record<string, unknown>, number]> = [
      ['ledger', { filter: { account_id_gte: ACCOUNT.slice(0, 5) } }, 403],
      ['tasks', { filter: { account_id_lt: ACCOUNT.slice(0, 5) } }, 403],
      ['ledger-accounts', { filter: { q: ACCOUNT.slice(0, 5) } }, 403],
      ['ledger-accounts', { sort: ['account_id', 'ASC'] }, 403],
      ['licenses', { filter: { account_id_gt: 'a' } }, 403],
      // the ledger is not sortable by account at all, for anyone
      ['ledger', { sort: ['account_id', 'ASC'] }, 400],
    ];
    for (const [resource, query, status] of probes)
      expect((await ops().list(resource, query)).status, `${resource} ${JSON.stringify(query)}`).toBe(status);
    const refused = await ops().list('ledger-accounts', { filter: { q: ACCOUNT.slice(0, 5) } });
    expect((await expectError(refused, 403)).errors).toEqual({
      'filter.q': 'your role sees the ids it searches masked',
    });
    // an exact match needs the whole id already: allowed; the analyst may probe as they read in clear
    expect((await ops().list('ledger', { filter: { account_id: ACCOUNT } })).status).toBe(200);
    expect((await t.list('ledger-accounts', { filter: { q: ACCOUNT.slice(0, 5) } })).status).toBe(200);
    expect((await t.list('tasks', { filter: { account_id_gte: 'a' } })).status).toBe(200);
  });
});
