import { maskDeep } from '../server/auth/masking.ts';
import { can } from '../server/auth/permissions.ts';
import type { StoredEvent } from '../server/events/schemas.ts';
import type { SessionUser } from '../server/http/env.ts';
import { cents, chargeSummary } from '../server/ledger/bounds.ts';
import type { LedgerEntry } from '../server/ledger/schemas.ts';
import type { TaskDetail, TaskRecord, TaskStatus } from '../server/tasks/schemas.ts';
import { sensitiveNames } from './access.ts';
import { alertViews } from './alerts.ts';
import type { MockDb } from './data.ts';

/**
 * The mock API's tasks, as server/tasks: each task assembled from its task_start and its task_completed /
 * task_failed events whatever order they arrive in (the first task_start says who ran it on what, the latest
 * outcome, by occurred_at then event_id, says how it ended), its status worked out at read time (queued, or stale once started longer ago
 * than the limit with no outcome), its net charge from the posted ledger entries and its unresolved alerts.
 * Like the server's projection it is kept up to date on insert: each read first takes in the events stored
 * since the last one.
 */

/** as the server's DEFAULT_TASK_POLICY (server/tasks/routes.ts, not importable here: it pulls in SQL) */
export const STALE_MINUTES = 60;
/** as the server's DEFAULT_LEDGER_POLICY (server/ledger/entries.ts): above it a manual entry waits for a second person */
export const APPROVAL_LIMIT = 1000;

/** a task as the projection keeps it: what the API answers, less what is worked out at read time */
export interface StoredTask {
  task_id: string;
  start_event_pk: number | null;
  account_id: string | null;
  template_id: string | null;
  queue_type: string | null;
  estimated_credits: number | null;
  started_at: string | null;
  outcome: 'succeeded' | 'failed' | null;
  outcome_event_pk: number | null;
  /** the outcome event's event_id: the tie-break between two outcomes of one instant */
  outcome_event_id: string | null;
  finished_at: string | null;
  credits_spent: number | null;
  duration_ms: number | null;
  output_count: number | null;
  failure_code: string | null;
  sub_status: string | null;
  policy_tag: string | null;
  action_required: string | null;
  first_seen_at: string;
}

interface TaskProjection {
  /** how many of db.events were taken in */
  seen: number;
  tasks: Map<string, StoredTask>;
  /** the events after a task's start that its page lists, by task_id (kept even before the task opens) */
  followUps: Map<string, number[]>;
}

const projections = new WeakMap<MockDb, TaskProjection>();

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

/** as server/tasks/projection.ts TASK_FOLLOW_UPS */
const FOLLOW_UPS = new Set(['task_completed', 'task_failed', 'risk_alert', 'credits_updated']);

function open(p: TaskProjection, taskId: string, at: string): StoredTask {
  const known = p.tasks.get(taskId);
  if (known) {
    if (at < known.first_seen_at) known.first_seen_at = at;
    return known;
  }
  const task: StoredTask = {
    task_id: taskId,
    start_event_pk: null,
    account_id: null,
    template_id: null,
    queue_type: null,
    estimated_credits: null,
    started_at: null,
    outcome: null,
    outcome_event_pk: null,
    outcome_event_id: null,
    finished_at: null,
    credits_spent: null,
    duration_ms: null,
    output_count: null,
    failure_code: null,
    sub_status: null,
    policy_tag: null,
    action_required: null,
    first_seen_at: at,
  };
  p.tasks.set(taskId, task);
  return task;
}

/** takes in one stored event, as the server's trackTasks does inside the storing transaction */
function track(p: TaskProjection, e: StoredEvent) {
  const taskId = text(e.properties.task_id);
  if (!taskId) return;
  const q = e.properties;
  if (e.event === 'task_start') {
    const task = open(p, taskId, e.occurred_at);
    if (task.start_event_pk !== null) return;
    Object.assign(task, {
      start_event_pk: e.id,
      account_id: text(q.account_id),
      template_id: text(q.template_id) ?? task.template_id,
      queue_type: text(q.queue_type),
      estimated_credits: num(q.estimated_credits),
      started_at: e.occurred_at,
    } satisfies Partial<StoredTask>);
    return;
  }
  if (!FOLLOW_UPS.has(e.event)) return;
  const linked = p.followUps.get(taskId) ?? [];
  linked.push(e.id);
  p.followUps.set(taskId, linked);
  if (e.event !== 'task_completed' && e.event !== 'task_failed') return;
  const task = open(p, taskId, e.occurred_at);
  // the template: the start's; else any outcome's (whether or not that outcome is the latest)
  task.template_id ??= text(q.template_id);
  // the newer outcome wins: by occurred_at, then by event_id (not by arrival: the same events give the same
  // task whatever order they arrive in)
  const newer =
    task.finished_at === null ||
    task.finished_at < e.occurred_at ||
    (task.finished_at === e.occurred_at && (task.outcome_event_id ?? '') < e.event_id);
  if (!newer) return;
  const done = e.event === 'task_completed';
  Object.assign(task, {
    outcome: done ? 'succeeded' : 'failed',
    outcome_event_pk: e.id,
    outcome_event_id: e.event_id,
    finished_at: e.occurred_at,
    credits_spent: done ? num(q.credits_spent) : null,
    duration_ms: done ? int(q.duration_ms) : null,
    output_count: done ? int(q.output_count) : null,
    failure_code: done ? null : text(q.failure_code),
    sub_status: done ? null : text(q.sub_status),
    policy_tag: done ? null : text(q.policy_tag),
    action_required: done ? null : text(q.action_required),
  } satisfies Partial<StoredTask>);
}

/** the task projection of `db`, with every event stored so far taken in */
export function taskProjection(db: MockDb): TaskProjection {
  let p = projections.get(db);
  if (!p) {
    p = { seen: 0, tasks: new Map(), followUps: new Map() };
    projections.set(db, p);
  }
  while (p.seen < db.events.length) {
    const event = db.events[p.seen++];
    if (event) track(p, event);
  }
  return p;
}

/** status at `now`: the outcome when one arrived; else queued, or stale once started longer ago than the limit */
export function taskStatus(task: StoredTask, now: number): TaskStatus {
  if (task.outcome) return task.outcome;
  const staleBefore = new Date(now - STALE_MINUTES * 60_000).toISOString();
  return task.started_at !== null && task.started_at < staleBefore ? 'stale' : 'queued';
}

/** what a task costs now: its posted entries, charges negative and refunds positive, as a positive net */
const netCharge = (entries: readonly LedgerEntry[]) =>
  cents(-entries.reduce((sum, e) => (e.status === 'posted' ? sum + e.amount : sum), 0));

function taskRecord(
  task: StoredTask,
  entries: readonly LedgerEntry[],
  openAlerts: number,
  now: number,
): TaskRecord {
  const { start_event_pk, outcome: _outcome, outcome_event_pk: _pk, outcome_event_id: _id, ...rest } = task;
  return {
    ...rest,
    id: task.task_id,
    status: taskStatus(task, now),
    has_start: start_event_pk !== null,
    net_charge: netCharge(entries),
    open_alerts: openAlerts,
  };
}

const byTask = <T extends { task_id: string | null }>(rows: readonly T[]) => {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    if (!row.task_id) continue;
    const list = grouped.get(row.task_id) ?? [];
    list.push(row);
    grouped.set(row.task_id, list);
  }
  return grouped;
};

/** every task as GET /api/tasks answers it at `now`, given the ledger's entries */
export function taskRecords(db: MockDb, ledger: readonly LedgerEntry[], now: number): TaskRecord[] {
  const { tasks } = taskProjection(db);
  const entries = byTask(ledger);
  const unresolved = byTask(db.alerts.filter((a) => a.state !== 'resolved'));
  return [...tasks.values()].map((task) =>
    taskRecord(task, entries.get(task.task_id) ?? [], unresolved.get(task.task_id)?.length ?? 0, now),
  );
}

/** the licence a task ran under: the account's approved application for the template, else its latest */
function licenseOf(db: MockDb, task: StoredTask): number | null {
  if (!task.account_id || !task.template_id) return null;
  const mine = db.licenses.filter(
    (l) => l.account_id === task.account_id && l.template_id === task.template_id,
  );
  const approved = mine.filter((l) => l.status === 'approved');
  return (approved.at(-1) ?? mine.at(-1))?.id ?? null;
}

/** GET /api/tasks/:id at `now`: the task with its events, its alerts, its ledger entries and its charge */
export function taskDetail(
  db: MockDb,
  taskId: string,
  ledger: readonly LedgerEntry[],
  now: number,
): TaskDetail | undefined {
  const p = taskProjection(db);
  const task = p.tasks.get(taskId);
  if (!task) return undefined;
  const entries = ledger.filter((e) => e.task_id === taskId).sort((a, b) => a.seq - b.seq);
  const alerts = db.alerts.filter((a) => a.task_id === taskId);
  const pks = new Set([
    ...(task.start_event_pk === null ? [] : [task.start_event_pk]),
    ...(p.followUps.get(taskId) ?? []),
  ]);
  const events = db.events
    .filter((e) => pks.has(e.id))
    .sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.id - b.id)
    .map(({ id, event_id, event, occurred_at, source, properties, violations }) => ({
      id,
      event_id,
      event,
      occurred_at,
      source,
      properties,
      violations,
    }));
  return {
    ...taskRecord(task, entries, alerts.filter((a) => a.state !== 'resolved').length, now),
    events,
    alerts: alertViews(db, alerts, now).sort((a, b) => a.raised_at.localeCompare(b.raised_at)),
    ledger: entries,
    charge: chargeSummary(entries),
    license_pk: licenseOf(db, task),
    approval_limit: APPROVAL_LIMIT,
  };
}

/** a task (or its page) as `user` may read it: hashed ids masked for roles without sensitive:read */
export function taskReader(user: SessionUser, db: MockDb) {
  const names = sensitiveNames(db.planEvents);
  const clear = can(user.roles, 'sensitive:read');
  return <T>(task: T): T => (clear ? task : (maskDeep(task, names) as T));
}
