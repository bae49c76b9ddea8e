import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, seedPlan } from '../../db/open.ts';
import type { AppDeps } from '../../server/app.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import type { LicenseTask } from '../../server/licenses/schemas.ts';
import type { TaskDetail, TaskRecord } from '../../server/tasks/schemas.ts';
import {
  creditsUpdated,
  licenseApply,
  riskAlert,
  TASK_ACCOUNT,
  type TestApp,
  taskCompleted,
  taskFailed,
  taskStart,
  testApp,
} from './helpers.ts';

/**
 * Tasks assembled from task_start / task_completed / task_failed by task_id, whatever order the events
 * arrive in: who and what from the start, how it ended from the outcome with the latest occurred_at, stale
 * when started longer ago than the configured time with no outcome; the task page with its events, alerts,
 * ledger entries and net charge; masking; and the 004 migration's backfill of a database that held events.
 */

const ACCOUNT = TASK_ACCOUNT;
const OTHER_ACCOUNT = 'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6';
const MASKED_ACCOUNT = 'b7e2••••••';

let t: TestApp;
const setUp = (overrides: Partial<AppDeps> = {}) => {
  t.hub.close();
  t.cleanup();
  t = testApp(overrides);
};
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

type Incoming = ReturnType<typeof taskStart>;
/** stores events as the platform sends them, one batch */
function platform(...events: Incoming[]) {
  const res = t.store.ingest(events, 'platform-integration');
  expect(res.accepted + res.duplicates).toBe(events.length);
  return res;
}

async function task(id: string, as = t.as('data_analyst')): Promise<TaskDetail> {
  const res = await as.get(`/api/tasks/${encodeURIComponent(id)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as TaskDetail;
}

async function taskList(query: { sort?: unknown; range?: unknown; filter?: unknown } = {}) {
  const res = await t.list('tasks', query);
  expect(res.status).toBe(200);
  return { rows: (await res.json()) as TaskRecord[], range: res.headers.get('Content-Range') };
}

/** the task as a list shows it, without its id (to compare tasks of different ids) */
const shape = (r: TaskRecord) => {
  // outcome_event_pk: the stored event's row number, which differs between two arrival orders
  const {
    id: _id,
    task_id: _task,
    outcome_event_pk: _pk,
    ...rest
  } = r as TaskRecord & { outcome_event_pk?: number };
  return rest;
};
const recordOf = ({
  events: _e,
  alerts: _a,
  ledger: _l,
  charge: _c,
  license_pk: _p,
  approval_limit: _x,
  ...r
}: TaskDetail) => r as TaskRecord;

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]),
  );
}

describe('assembly whatever the arrival order', () => {
  /** a task that failed, was retried under the same task_id and then succeeded */
  const retried = (taskId: string) => [
    taskStart(
      `${taskId}-start`,
      taskId,
      { estimated_credits: 25, queue_type: 'fast' },
      '2026-11-25T10:00:00+08:00',
    ),
    taskFailed(
      `${taskId}-failed`,
      taskId,
      {
        failure_code: 'infra_error',
        sub_status: 'gpu_oom',
        policy_tag: 'A1',
        action_required: 'appeal_only',
      },
      '2026-11-25T10:03:00+08:00',
    ),
    taskCompleted(
      `${taskId}-done`,
      taskId,
      { credits_spent: 22.5, duration_ms: 412_000, output_count: 4 },
      '2026-11-25T10:09:00+08:00',
    ),
  ];

  it('start, failed and completed give the same task in all 6 arrival orders: the latest outcome wins', async () => {
    const orders = permutations([0, 1, 2]);
    expect(orders).toHaveLength(6);
    for (const [n, order] of orders.entries()) {
      const events = retried(`perm_${n}`);
      for (const i of order) platform(events[i]!); // one event per batch: each arrives on its own
    }
    const expected = {
      status: 'succeeded',
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      queue_type: 'fast',
      estimated_credits: 25,
      credits_spent: 22.5,
      duration_ms: 412_000,
      output_count: 4,
      failure_code: null,
      sub_status: null,
      policy_tag: null,
      action_required: null,
      started_at: '2026-11-25T02:00:00.000Z',
      finished_at: '2026-11-25T02:09:00.000Z',
      first_seen_at: '2026-11-25T02:00:00.000Z',
      has_start: true,
      net_charge: 22.5,
      open_alerts: 0,
    };
    for (const n of orders.keys()) {
      const detail = await task(`perm_${n}`);
      expect(shape(recordOf(detail))).toEqual(expected);
      expect(detail.events.map((e) => e.event)).toEqual(['task_start', 'task_failed', 'task_completed']);
      expect(detail.ledger.map((l) => [l.id, l.amount, l.account_id])).toEqual([
        [`charge:perm_${n}`, -22.5, ACCOUNT],
      ]);
    }
    const { rows, range } = await taskList({ filter: { q: 'perm_' }, sort: ['task_id', 'ASC'] });
    expect(range).toBe('tasks 0-5/6');
    expect(rows.map(shape)).toEqual(Array.from({ length: 6 }, () => expected));
  });

  it('any events of one task, in any two arrival orders, give the same task (ties on occurred_at included)', async () => {
    // a start (maybe without template_id: a bad event is stored too) and up to three outcomes at a few minutes
    // apart, so outcomes at the same instant happen; each scenario is stored twice under two task ids
    const outcome = fc.record({
      event: fc.constantFrom('task_completed', 'task_failed'),
      minute: fc.integer({ min: 1, max: 3 }),
      failure_code: fc.constantFrom('safety_block', 'infra_error', 'credit_insufficient'),
      duration_ms: fc.integer({ min: 0, max: 600_000 }),
      output_count: fc.integer({ min: 1, max: 4 }),
      withTemplate: fc.boolean(),
    });
    const scenario = fc
      .record({
        start: fc.option(fc.record({ minute: fc.integer({ min: 0, max: 2 }), withTemplate: fc.boolean() }), {
          nil: undefined,
        }),
        credits: fc.integer({ min: 1, max: 500 }),
        outcomes: fc.array(outcome, { maxLength: 3 }),
      })
      .filter((s) => s.start !== undefined || s.outcomes.length > 0)
      .chain((s) => {
        const n = s.outcomes.length + (s.start ? 1 : 0);
        const order = fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });
        return fc.tuple(fc.constant(s), order, order);
      });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ([s, orderA, orderB]) => {
        run++;
        const build = (taskId: string) => {
          const at = (m: number) => `2026-11-25T10:0${m}:00+08:00`;
          const events: Incoming[] = [];
          if (s.start)
            events.push(
              taskStart(
                `${taskId}-s`,
                taskId,
                s.start.withTemplate ? {} : { template_id: undefined },
                at(s.start.minute),
              ),
            );
          s.outcomes.forEach((o, i) => {
            const common = { template_id: o.withTemplate ? 'tpl_007' : undefined };
            events.push(
              o.event === 'task_completed'
                ? taskCompleted(
                    `${taskId}-o${i}`,
                    taskId,
                    {
                      ...common,
                      credits_spent: s.credits,
                      duration_ms: o.duration_ms,
                      output_count: o.output_count,
                    },
                    at(o.minute),
                  )
                : taskFailed(
                    `${taskId}-o${i}`,
                    taskId,
                    { ...common, failure_code: o.failure_code },
                    at(o.minute),
                  ),
            );
          });
          return events;
        };
        const a = build(`prop_${run}_a`);
        const b = build(`prop_${run}_b`);
        for (const i of orderA) platform(a[i]!);
        for (const i of orderB) platform(b[i]!);
        const [da, db] = [await task(`prop_${run}_a`), await task(`prop_${run}_b`)];
        expect(shape(recordOf(db))).toEqual(shape(recordOf(da)));
        expect(db.charge).toEqual(da.charge);
        // and what the outcome is: the event with the latest occurred_at
        const latest = Math.max(...s.outcomes.map((o) => o.minute));
        if (s.outcomes.length === 0) expect(da.status).toBe('stale');
        else
          expect(da.status).toBe(
            s.outcomes.some((o) => o.minute === latest && o.event === 'task_completed') &&
              s.outcomes.some((o) => o.minute === latest && o.event === 'task_failed')
              ? da.status // a tie of both kinds: either, as long as every order agrees (checked above)
              : s.outcomes.find((o) => o.minute === latest)!.event === 'task_completed'
                ? 'succeeded'
                : 'failed',
          );
      }),
      { seed: 20261125, numRuns: 60 },
    );
  });

  it('an older outcome arriving after a newer one changes nothing', async () => {
    platform(taskStart('s', 't1'));
    platform(taskCompleted('done', 't1', { credits_spent: 30 }, '2026-11-25T10:20:00+08:00'));
    platform(
      taskFailed('late-old-failure', 't1', { failure_code: 'infra_error' }, '2026-11-25T10:10:00+08:00'),
    );
    expect(recordOf(await task('t1'))).toMatchObject({
      status: 'succeeded',
      credits_spent: 30,
      failure_code: null,
      finished_at: '2026-11-25T02:20:00.000Z',
    });
    // a newer failure does replace it
    platform(taskFailed('newer-failure', 't1', { failure_code: 'infra_error' }, '2026-11-25T10:30:00+08:00'));
    expect(recordOf(await task('t1'))).toMatchObject({
      status: 'failed',
      credits_spent: null,
      duration_ms: null,
      failure_code: 'infra_error',
      sub_status: 'safety_block.nsfw',
      policy_tag: 'D1',
      action_required: 'remove_asset',
      finished_at: '2026-11-25T02:30:00.000Z',
    });
  });

  it('an outcome before its start opens the task; the start fills in who and what, and the charge learns the account', async () => {
    platform(
      taskCompleted('done', 't9', { template_id: 'tpl_042', credits_spent: 12 }, '2026-11-25T10:05:00+08:00'),
    );
    const early = await task('t9');
    expect(recordOf(early)).toMatchObject({
      status: 'succeeded',
      has_start: false,
      account_id: null,
      template_id: 'tpl_042',
      queue_type: null,
      estimated_credits: null,
      started_at: null,
      finished_at: '2026-11-25T02:05:00.000Z',
      first_seen_at: '2026-11-25T02:05:00.000Z',
      net_charge: 12,
    });
    expect(early.ledger.map((l) => [l.id, l.account_id])).toEqual([['charge:t9', null]]);

    platform(
      taskStart('start', 't9', { template_id: 'tpl_042', queue_type: 'fast' }, '2026-11-25T10:00:00+08:00'),
    );
    const later = await task('t9');
    expect(recordOf(later)).toMatchObject({
      status: 'succeeded',
      has_start: true,
      account_id: ACCOUNT,
      queue_type: 'fast',
      estimated_credits: 20,
      started_at: '2026-11-25T02:00:00.000Z',
      first_seen_at: '2026-11-25T02:00:00.000Z',
    });
    expect(later.ledger.map((l) => [l.id, l.account_id])).toEqual([['charge:t9', ACCOUNT]]);
    expect(later.events.map((e) => e.event)).toEqual(['task_start', 'task_completed']);
  });

  it('a repeated event_id is stored once and changes nothing; a task_start for a known task keeps the first', async () => {
    platform(taskStart('s1', 't1', { estimated_credits: 20 }));
    platform(taskStart('s1', 't1', { estimated_credits: 99 })); // duplicate delivery
    platform(taskStart('s2', 't1', { estimated_credits: 77 }, '2026-11-25T10:01:00+08:00'));
    const d = await task('t1');
    expect(d.estimated_credits).toBe(20);
    expect(d.events.map((e) => e.event_id)).toEqual(['s1']);
  });
});

describe('status: queued, stale with the clock, and the status filter', () => {
  // the clock is 2026-11-25T12:00:00+08:00; tasks are stale after 60 minutes by default
  it('a started task with no outcome is queued, then stale once older than the limit (at the limit: queued)', async () => {
    platform(
      taskStart('s-old', 'old', {}, '2026-11-25T10:59:59+08:00'),
      taskStart('s-edge', 'edge', {}, '2026-11-25T11:00:00+08:00'),
      taskStart('s-new', 'new', {}, '2026-11-25T11:30:00+08:00'),
      taskStart('s-done', 'done', {}, '2026-11-25T08:00:00+08:00'),
      taskCompleted('c-done', 'done', {}, '2026-11-25T08:10:00+08:00'),
    );
    const { rows } = await taskList({ sort: ['task_id', 'ASC'] });
    expect(rows.map((r) => [r.task_id, r.status])).toEqual([
      ['done', 'succeeded'],
      ['edge', 'queued'],
      ['new', 'queued'],
      ['old', 'stale'],
    ]);
    const stale = await taskList({ filter: { status: 'stale' } });
    expect(stale.rows.map((r) => r.task_id)).toEqual(['old']);
    expect(stale.range).toBe('tasks 0-0/1');
    const waiting = await taskList({ filter: { status: ['queued', 'stale'] }, sort: ['task_id', 'ASC'] });
    expect(waiting.rows.map((r) => r.task_id)).toEqual(['edge', 'new', 'old']);
    expect((await taskList({ filter: { status: 'succeeded' } })).rows.map((r) => r.task_id)).toEqual([
      'done',
    ]);
    expect((await taskList({ filter: { status: [] } })).range).toBe('tasks 0-0/0');
  });

  it('the stale limit comes from AppDeps.tasks.staleMinutes', async () => {
    setUp({ tasks: { staleMinutes: 15 } });
    platform(
      taskStart('s1', 'a', {}, '2026-11-25T11:44:00+08:00'),
      taskStart('s2', 'b', {}, '2026-11-25T11:46:00+08:00'),
    );
    const { rows } = await taskList({ sort: ['task_id', 'ASC'] });
    expect(rows.map((r) => r.status)).toEqual(['stale', 'queued']);
    expect((await task('a')).status).toBe('stale');
  });

  it('a stale task whose outcome arrives takes the outcome', async () => {
    platform(taskStart('s1', 'late', {}, '2026-11-25T08:00:00+08:00'));
    expect((await task('late')).status).toBe('stale');
    platform(taskFailed('f1', 'late', {}, '2026-11-25T11:58:00+08:00'));
    expect((await task('late')).status).toBe('failed');
  });

  it('a status filter of the wrong type or an unknown status is a 400 naming it', async () => {
    for (const status of [[1], 'done', ['failed', 'running']]) {
      const res = await t.list('tasks', { filter: { status } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).errors).toEqual({
        'filter.status': 'must be one of queued, succeeded, failed, stale',
      });
    }
  });
});

describe('GET /api/tasks: filters and sort', () => {
  beforeEach(() => {
    platform(
      taskStart(
        's1',
        'task_a1',
        { template_id: 'tpl_001', queue_type: 'standard' },
        '2026-11-25T09:00:00+08:00',
      ),
      taskCompleted('c1', 'task_a1', { credits_spent: 40 }, '2026-11-25T09:10:00+08:00'),
      taskStart(
        's2',
        'task_a2',
        { template_id: 'tpl_002', queue_type: 'fast', account_id: OTHER_ACCOUNT },
        '2026-11-25T09:30:00+08:00',
      ),
      taskFailed('f2', 'task_a2', { failure_code: 'credit_insufficient' }, '2026-11-25T09:31:00+08:00'),
      taskStart(
        's3',
        'task_b3',
        { template_id: 'tpl_002', queue_type: 'standard' },
        '2026-11-25T11:50:00+08:00',
      ),
      taskCompleted('c4', 'task_b4', { credits_spent: 5 }, '2026-11-25T08:00:00+08:00'),
    );
  });

  it('lists newest first by default with Content-Range', async () => {
    const { rows, range } = await taskList();
    expect(rows.map((r) => r.task_id)).toEqual(['task_b3', 'task_a2', 'task_a1', 'task_b4']);
    expect(range).toBe('tasks 0-3/4');
    const page = await taskList({ range: [1, 2] });
    expect(page.rows.map((r) => r.task_id)).toEqual(['task_a2', 'task_a1']);
    expect(page.range).toBe('tasks 1-2/4');
  });

  it('filters by template, queue type, account, failure code, prefix and time range', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (await taskList({ filter, sort: ['task_id', 'ASC'] })).rows.map((r) => r.task_id);
    expect(await ids({ template_id: 'tpl_002' })).toEqual(['task_a2', 'task_b3']);
    expect(await ids({ queue_type: 'standard' })).toEqual(['task_a1', 'task_b3']);
    expect(await ids({ account_id: OTHER_ACCOUNT })).toEqual(['task_a2']);
    expect(await ids({ failure_code: 'credit_insufficient' })).toEqual(['task_a2']);
    expect(await ids({ q: 'task_a' })).toEqual(['task_a1', 'task_a2']);
    expect(await ids({ started_at_gte: '2026-11-25T01:30:00.000Z' })).toEqual(['task_a2', 'task_b3']);
    expect(await ids({ template_id: 'tpl_002', status: 'failed' })).toEqual(['task_a2']);
    expect(await ids({ template_id: ['tpl_001', 'tpl_002'], status: 'queued' })).toEqual(['task_b3']);
  });

  it('sorts by credits_spent', async () => {
    const { rows } = await taskList({ sort: ['credits_spent', 'DESC'] });
    expect(rows.map((r) => [r.task_id, r.credits_spent])).toEqual([
      ['task_a1', 40],
      ['task_b4', 5],
      ['task_b3', null],
      ['task_a2', null],
    ]);
  });

  it('an unknown filter or sort is a 400 naming it', async () => {
    const bad = await t.list('tasks', { filter: { colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as ErrorBody).errors ?? {})).toEqual(['filter.colour']);
    const sort = await t.list('tasks', { sort: ['account_id', 'ASC'] });
    expect(sort.status).toBe(400);
  });
});

describe('GET /api/tasks/:id: the task page', () => {
  /** a licensed task that ran, was charged, drew a risk alert, a tail deduction and a console rollback */
  async function fullTask() {
    platform(licenseApply('apply-1'));
    platform(
      taskStart('s1', 't1', { estimated_credits: 50 }, '2026-11-25T10:00:00+08:00'),
      taskCompleted('c1', 't1', { credits_spent: 48 }, '2026-11-25T10:05:00+08:00'),
      riskAlert('r1', 'al_1', 't1', {}, '2026-11-25T10:06:00+08:00'),
      creditsUpdated('cu1', 'led_tail_1', 't1', -2, {}, '2026-11-25T10:07:00+08:00'),
      // another task's events are not this task's
      taskStart('s2', 't2', {}, '2026-11-25T10:00:00+08:00'),
      riskAlert('r2', 'al_2', 't2', {}, '2026-11-25T10:06:00+08:00'),
    );
    const res = await t
      .as('ops')
      .send(
        'POST',
        '/api/ledger/rollbacks',
        { task_id: 't1', amount: 10, policy_tag: 'B1', reason: 'copy issue refunded' },
        { 'Idempotency-Key': 'task-page-1' },
      );
    expect(res.status).toBe(201);
  }

  it('shows the events (credits_updated from the platform and the console included), alerts, ledger and charge', async () => {
    await fullTask();
    const d = await task('t1');
    expect(recordOf(d)).toMatchObject({ id: 't1', status: 'succeeded', net_charge: 40, open_alerts: 1 });
    expect(d.events.map((e) => [e.event_id, e.event, e.source])).toEqual([
      ['s1', 'task_start', 'platform-integration'],
      ['c1', 'task_completed', 'platform-integration'],
      ['r1', 'risk_alert', 'platform-integration'],
      ['cu1', 'credits_updated', 'platform-integration'],
      ['console:led_console_3:posted', 'credits_updated', 'console'],
    ]);
    expect(d.events[4]!.properties).toEqual({
      ledger_id: 'led_console_3',
      task_id: 't1',
      policy_tag: 'B1',
      adjust_amount: 10,
    });
    expect(d.events[4]!.violations).toEqual([]);
    expect(
      d.alerts.map((a) => [a.alert_id, a.state, a.escalation_level, a.account_id, a.license_pk]),
    ).toEqual([['al_1', 'open', 'ops_review', ACCOUNT, 1]]);
    expect(d.ledger.map((l) => [l.id, l.kind, l.amount, l.status, l.created_by, l.account_id])).toEqual([
      ['charge:t1', 'task_charge', -48, 'posted', 'platform', ACCOUNT],
      ['led_tail_1', 'tail_deduction', -2, 'posted', 'platform', ACCOUNT],
      ['led_console_3', 'manual_rollback', 10, 'posted', 'ops', ACCOUNT],
    ]);
    expect(d.charge).toEqual({
      charged: 50,
      refunded: 10,
      net_charge: 40,
      pending_refunds: 0,
      refundable: 40,
    });
    expect(d.license_pk).toBe(1);
    expect(d.approval_limit).toBe(1000);
  });

  it('a resolved alert no longer counts as open; a refund pending approval is reserved in the charge', async () => {
    setUp({ ledger: { approvalLimit: 10 } });
    await fullTask(); // its rollback of 10 is at the limit: posted
    const alert = (await task('t1')).alerts[0]!;
    const resolved = await t
      .as('compliance_reviewer')
      .send('POST', `/api/alerts/${alert.id}/resolve`, { note: 'asset removed', version: alert.version });
    expect(resolved.status).toBe(200);
    const pending = await t
      .as('ops')
      .send(
        'POST',
        '/api/ledger/rollbacks',
        { task_id: 't1', amount: 15, policy_tag: 'B1', reason: 'more' },
        { 'Idempotency-Key': 'task-page-2' },
      );
    expect(pending.status).toBe(201);
    expect(((await pending.json()) as { status: string }).status).toBe('pending_approval');
    const d = await task('t1');
    expect(d.open_alerts).toBe(0);
    expect(d.alerts.map((a) => a.state)).toEqual(['resolved']);
    expect(d.charge).toEqual({
      charged: 50,
      refunded: 10,
      net_charge: 40,
      pending_refunds: 15,
      refundable: 25,
    });
    expect(d.net_charge).toBe(40);
    expect(d.approval_limit).toBe(10);
  });

  it('ops read tasks with account ids masked everywhere: list, page, events, alerts and ledger', async () => {
    await fullTask();
    const ops = t.as('ops');
    const list = (await (await ops.get('/api/tasks?filter={"task_id":"t1"}')).json()) as TaskRecord[];
    expect(list.map((r) => r.account_id)).toEqual([MASKED_ACCOUNT]);
    const d = await task('t1', ops);
    expect(d.account_id).toBe(MASKED_ACCOUNT);
    expect(d.events[0]!.properties.account_id).toBe(MASKED_ACCOUNT);
    expect(d.alerts.map((a) => a.account_id)).toEqual([MASKED_ACCOUNT]);
    expect(d.ledger.map((l) => l.account_id)).toEqual([MASKED_ACCOUNT, MASKED_ACCOUNT, MASKED_ACCOUNT]);
    expect(JSON.stringify(d)).not.toContain(ACCOUNT);
    // the sensitive readers see it in clear
    for (const role of ['compliance_reviewer', 'product_planner', 'data_analyst'] as const)
      expect((await task('t1', t.as(role))).account_id).toBe(ACCOUNT);
  });

  it('an unknown task is a 404; roles without tasks:read get 403', async () => {
    const res = await t.get('/api/tasks/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).message).toBe('no task nope');
    expect((await t.as('engineer').get('/api/tasks')).status).toBe(403);
    expect((await t.as('admin').get('/api/tasks/nope')).status).toBe(403);
  });
});

describe('GET /api/licenses/:id/tasks still lists the licence tasks', () => {
  it('with outcomes that arrived before their start, alerts, and credits_updated among the follow-ups', async () => {
    platform(licenseApply('apply-1'));
    platform(
      taskCompleted('c1', 't1', { credits_spent: 18 }, '2026-11-25T08:05:00+08:00'),
      taskStart('s1', 't1', {}, '2026-11-25T08:00:00+08:00'),
      creditsUpdated('cu1', 'led_1', 't1', -3, {}, '2026-11-25T08:06:00+08:00'),
      taskStart('s2', 't2', { queue_type: 'fast' }, '2026-11-25T09:00:00+08:00'),
      riskAlert('r2', 'al_2', 't2', {}, '2026-11-25T09:01:30+08:00'),
      taskFailed('f2', 't2', {}, '2026-11-25T09:01:00+08:00'),
    );
    const res = await t.as('ops').get('/api/licenses/1/tasks');
    expect(res.status).toBe(200);
    const tasks = (await res.json()) as LicenseTask[];
    expect(tasks.map((x) => [x.task_id, x.outcome, x.credits_spent, x.failure_code])).toEqual([
      ['t2', 'failed', null, 'safety_block'],
      ['t1', 'completed', 18, null],
    ]);
    expect(tasks[0]!.alerts.map((a) => a.alert_id)).toEqual(['al_2']);
    expect(res.headers.get('Content-Range')).toBe('license-tasks 0-1/2');
  });
});

describe('migration 004 on a database that already held events', () => {
  /** a realistic stream: tasks in mixed orders, alerts (some below their policy minimum), tail deductions */
  const STREAM: Incoming[] = [
    taskStart('e01', 't1', {}, '2026-11-25T08:00:00+08:00'),
    taskCompleted('e02', 't1', { credits_spent: 18 }, '2026-11-25T08:05:00+08:00'),
    creditsUpdated('e03', 'led_t1_tail', 't1', -1.5, {}, '2026-11-25T08:06:00+08:00'),
    creditsUpdated('e04', 'led_t1_tail', 't1', -1.5, {}, '2026-11-25T08:06:01+08:00'), // same ledger_id again
    riskAlert('e05', 'al_b1', 't1', { policy_tag: 'B1', risk_level: 'low', escalation_level: 'none' }),
    // outcome and deduction before the start
    taskCompleted('e06', 't2', { credits_spent: 40, template_id: 'tpl_002' }, '2026-11-25T09:05:00+08:00'),
    creditsUpdated('e07', 'led_t2_tail', 't2', -4, {}, '2026-11-25T09:06:00+08:00'),
    taskStart(
      'e08',
      't2',
      { template_id: 'tpl_002', queue_type: 'fast', account_id: OTHER_ACCOUNT },
      '2026-11-25T09:00:00+08:00',
    ),
    // failed, retried, succeeded; the alert is D3 sent below compliance_committee
    taskStart('e09', 't3', {}, '2026-11-25T09:10:00+08:00'),
    taskFailed('e10', 't3', { failure_code: 'infra_error' }, '2026-11-25T09:11:00+08:00'),
    riskAlert(
      'e11',
      'al_d3',
      't3',
      { policy_tag: 'D3', escalation_level: 'ops_review' },
      '2026-11-25T09:11:30+08:00',
    ),
    taskCompleted('e12', 't3', { credits_spent: 9.25 }, '2026-11-25T09:20:00+08:00'),
    // completed and charged, then reported failed: the charge stands, the task shows the failure
    taskStart('e19', 't6', {}, '2026-11-25T09:50:00+08:00'),
    taskCompleted('e20', 't6', { credits_spent: 7 }, '2026-11-25T09:51:00+08:00'),
    taskFailed('e21', 't6', { failure_code: 'infra_error' }, '2026-11-25T09:52:00+08:00'),
    // two outcomes at the same instant: the larger event_id wins, whichever was stored first
    taskStart('e22', 't7', {}, '2026-11-25T09:53:00+08:00'),
    taskFailed('e24', 't7', {}, '2026-11-25T09:54:00+08:00'),
    taskCompleted('e23', 't7', { credits_spent: 3 }, '2026-11-25T09:54:00+08:00'),
    // a start with no outcome (stale), a failure with no start
    taskStart('e13', 't4', {}, '2026-11-25T09:30:00+08:00'),
    taskFailed('e14', 't5', {}, '2026-11-25T09:40:00+08:00'),
    // an alert without alert_id, a repeated alert_id, a D1 sent at none
    riskAlert('e15', '', 't5', { alert_id: undefined, risk_level: 'medium' }, '2026-11-25T09:41:00+08:00'),
    riskAlert('e16', 'al_b1', 't5', { policy_tag: 'D2', risk_level: 'high' }, '2026-11-25T09:42:00+08:00'),
    riskAlert('e17', 'al_d1', 't4', { escalation_level: 'none' }, '2026-11-25T09:43:00+08:00'),
    // an unknown policy tag (no minimum), and an unknown level under a tag whose minimum is ops_review
    riskAlert(
      'e25',
      'al_zz',
      't4',
      { policy_tag: 'Z9', escalation_level: 'none' },
      '2026-11-25T09:45:00+08:00',
    ),
    riskAlert(
      'e26',
      'al_c2',
      't4',
      { policy_tag: 'C2', escalation_level: 'urgent' },
      '2026-11-25T09:46:00+08:00',
    ),
    // a credits_updated without a task_id is kept as an event but makes no entry
    creditsUpdated('e18', 'led_orphan', 'tx', -1, { task_id: undefined }, '2026-11-25T09:44:00+08:00'),
  ];

  const migrationsDir = fileURLToPath(new URL('../../db/migrations', import.meta.url));
  const dump = (db: Database.Database) => ({
    tasks: db.prepare('SELECT * FROM landing_phase1_tasks ORDER BY task_id').all(),
    taskEvents: db.prepare('SELECT * FROM landing_phase1_task_events ORDER BY task_id, event_pk').all(),
    alerts: db.prepare('SELECT * FROM landing_phase1_alerts ORDER BY id').all(),
    accounts: db.prepare('SELECT * FROM landing_phase1_ledger_accounts ORDER BY account_id').all(),
    // seq is the order entries were made in: live it follows the stream, the backfill goes kind by kind
    ledger: db
      .prepare('SELECT * FROM landing_phase1_ledger ORDER BY id')
      .all()
      .map((r) => {
        const { seq: _seq, ...rest } = r as { seq: number };
        return rest;
      }),
  });

  it('yields the same tasks, task events, alerts and ledger as live ingestion of the same events', () => {
    // live: the events through the store, one at a time, in stream order
    for (const e of STREAM) platform(e);
    const live = dump(t.db);
    expect(live.tasks).toHaveLength(7);
    expect(live.tasks.find((x) => (x as { task_id: string }).task_id === 't7')).toMatchObject({
      outcome: 'failed',
    });
    expect(live.alerts).toHaveLength(6);
    expect(live.ledger.map((l) => (l as { id: string }).id)).toEqual([
      'charge:t1',
      'charge:t2',
      'charge:t3',
      'charge:t6',
      'charge:t7',
      'led_t1_tail',
      'led_t2_tail',
    ]);

    // a database at migration 002 holding the same stored events; opening it runs 003 and 004 over them
    const dir = mkdtempSync(join(tmpdir(), 'landing-console-migrate-'));
    try {
      const path = join(dir, 'old.db');
      const old = new Database(path);
      old.pragma('journal_mode = WAL');
      old.exec(`CREATE TABLE landing_phase1_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      for (const file of ['001_foundation.sql', '002_access.sql']) {
        old.exec(readFileSync(join(migrationsDir, file), 'utf8'));
        old
          .prepare('INSERT INTO landing_phase1_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(Number.parseInt(file, 10), file, t.now.toISOString());
      }
      seedPlan(old);
      const rows = t.db.prepare('SELECT * FROM landing_phase1_events ORDER BY id').all() as Array<
        Record<string, unknown>
      >;
      const columns = Object.keys(rows[0]!);
      const insert = old.prepare(
        `INSERT INTO landing_phase1_events (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      old.transaction(() => {
        for (const r of rows) insert.run(r);
      })();
      old.close();

      const migrated = openDatabase(path);
      try {
        expect(
          migrated.prepare('SELECT name FROM landing_phase1_migrations ORDER BY version').pluck().all(),
        ).toEqual([
          '001_foundation.sql',
          '002_access.sql',
          '003_licenses.sql',
          '004_tasks_alerts_ledger.sql',
          '005_enum_governance.sql',
          '006_metabase_views.sql',
          '007_metrics.sql',
        ]);
        expect(dump(migrated)).toEqual(live);
      } finally {
        migrated.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
