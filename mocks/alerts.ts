import { rng } from '../db/demo.ts';
import { alertStep, arrivalEscalation, RISK_ORDER } from '../server/alerts/lifecycle.ts';
import type { AlertAction, AlertRecord, AlertState } from '../server/alerts/schemas.ts';
import { maskDeep } from '../server/auth/masking.ts';
import { can } from '../server/auth/permissions.ts';
import type { StoredEvent } from '../server/events/schemas.ts';
import type { SessionUser } from '../server/http/env.ts';
import { MockApiError, sensitiveNames, writeAudit } from './access.ts';
import type { MockDb } from './data.ts';

/**
 * The mock API's risk alert inbox, as server/alerts: an alert opened by each stored risk_alert (one per
 * alert_id), raised on arrival to its policy tag's minimum escalation (D3 → compliance_committee) with an
 * audit row, and worked open → acknowledged → resolved / escalated by the server's own pure state machine
 * (server/alerts/lifecycle.ts), each step on the version read (stale: 409 naming who changed it) with its
 * audit row. The task's account and template and the licence it ran under are joined at read time.
 */

/** an alert as stored: what the API answers, less what is worked out at read time */
export type StoredAlert = Omit<AlertRecord, 'age_hours' | 'account_id' | 'template_id' | 'license_pk'>;

const HOUR_MS = 3_600_000;

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * Opens an alert for a newly stored risk_alert event, as the server's openAlerts does: kept under its
 * alert_id (or its event_id when it has none); a repeated alert_id opens nothing.
 */
export function openAlert(db: MockDb, event: StoredEvent): StoredAlert | undefined {
  if (event.event !== 'risk_alert') return undefined;
  const p = event.properties;
  const alertId = text(p.alert_id) ?? `event:${event.event_id}`;
  if (db.alerts.some((a) => a.alert_id === alertId)) return undefined;
  const tag = text(p.policy_tag);
  const minimum = tag
    ? db.enums.find((e) => e.name === 'policy_tag')?.values.find((v) => v.code === tag)?.min_escalation_level
    : null;
  const sent = text(p.escalation_level);
  const { level, raised } = arrivalEscalation(sent, minimum);
  const alert: StoredAlert = {
    id: (db.alerts.at(-1)?.id ?? 0) + 1,
    alert_id: alertId,
    task_id: text(p.task_id),
    risk_level: text(p.risk_level),
    policy_tag: tag,
    action_required: text(p.action_required),
    escalation_level: level,
    arrived_escalation: sent,
    auto_escalated: raised,
    event_violations: event.violation_count,
    source_event_pk: event.id,
    raised_at: event.occurred_at,
    day: event.day,
    state: 'open',
    version: 1,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    updated_at: null,
    updated_by: null,
    last_note: null,
  };
  db.alerts.push(alert);
  if (raised)
    writeAudit(
      db,
      {
        actor: { id: null, username: 'system' },
        action: 'alert.auto_escalate',
        resource: 'alert',
        resource_id: alert.id,
        before: { escalation_level: sent },
        after: { escalation_level: level },
        reason: `policy_tag ${tag} requires ${minimum} on arrival`,
        outcome: 'success',
      },
      event.received_at,
    );
  return alert;
}

interface TaskInfo {
  account_id: string | null;
  template_id: string | null;
}

/**
 * Who ran each task and on what, as the server's task projection keeps it: the first task_start fills the
 * account and template; a task with no start yet takes its template from its newest outcome event.
 */
function taskIndex(events: readonly StoredEvent[]): Map<string, TaskInfo> {
  const tasks = new Map<string, TaskInfo & { started: boolean }>();
  for (const e of events) {
    const taskId = text(e.properties.task_id);
    if (!taskId) continue;
    const known = tasks.get(taskId);
    if (e.event === 'task_start' && !known?.started) {
      tasks.set(taskId, {
        started: true,
        account_id: text(e.properties.account_id),
        template_id: text(e.properties.template_id) ?? known?.template_id ?? null,
      });
    } else if ((e.event === 'task_completed' || e.event === 'task_failed') && !known?.started) {
      tasks.set(taskId, {
        started: false,
        account_id: null,
        template_id: text(e.properties.template_id) ?? known?.template_id ?? null,
      });
    }
  }
  return tasks;
}

/** the licence a task ran under: the account's approved application for the template, else its latest */
function licenseOf(db: MockDb, task: TaskInfo | undefined): number | null {
  if (!task?.account_id || !task.template_id) return null;
  let best: MockDb['licenses'][number] | undefined;
  for (const l of db.licenses) {
    if (l.account_id !== task.account_id || l.template_id !== task.template_id) continue;
    // in id order: a later one wins unless it would replace an approved one with one that is not
    if (!best || l.status === 'approved' || best.status !== 'approved') best = l;
  }
  return best?.id ?? null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The alerts as the API answers them at `now`: each with its age (until it was resolved) and its task's
 * account, template and licence.
 */
export function alertViews(db: MockDb, alerts: readonly StoredAlert[], now: number): AlertRecord[] {
  const tasks = taskIndex(db.events);
  return alerts.map((alert) => {
    const task = alert.task_id ? tasks.get(alert.task_id) : undefined;
    const until = alert.resolved_at ? Date.parse(alert.resolved_at) : now;
    return {
      ...alert,
      age_hours: round2(Math.max(0, until - Date.parse(alert.raised_at)) / HOUR_MS),
      account_id: task?.account_id ?? null,
      template_id: task?.template_id ?? null,
      license_pk: licenseOf(db, task),
    };
  });
}

export const alertView = (db: MockDb, alert: StoredAlert, now: number): AlertRecord =>
  alertViews(db, [alert], now)[0] as AlertRecord;

/** the alert as `user` may read it: the task's hashed account id masked for roles without sensitive:read */
export function alertReader(user: SessionUser, db: MockDb) {
  const names = sensitiveNames(db.planEvents);
  const clear = can(user.roles, 'sensitive:read');
  return (alert: AlertRecord): AlertRecord => (clear ? alert : (maskDeep(alert, names) as AlertRecord));
}

const STATE_RANK: Record<AlertState, number> = { open: 0, acknowledged: 1, resolved: 2 };
const riskRank = (level: string | null) => {
  const rank = RISK_ORDER.indexOf(level as (typeof RISK_ORDER)[number]);
  return rank === -1 ? RISK_ORDER.length : rank;
};

/** the inbox's order (sort `inbox`): open, then acknowledged, resolved last; high risk first; oldest first */
export function inboxOrder(a: StoredAlert, b: StoredAlert): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    riskRank(a.risk_level) - riskRank(b.risk_level) ||
    a.raised_at.localeCompare(b.raised_at) ||
    a.id - b.id
  );
}

const PAST: Record<AlertAction, string> = {
  acknowledge: 'acknowledged',
  escalate: 'escalated',
  resolve: 'resolved',
};

/**
 * One step on one alert, as server/alerts/steps.ts in its order: the version (400 when absent), the alert
 * (404), the version read must be current and the state machine must allow the step (409 naming who
 * changed it last); then the new state and the audit row, whose reason is the note.
 */
export function stepAlert(
  db: MockDb,
  id: number,
  version: number | undefined,
  action: AlertAction,
  note: string,
  user: Pick<SessionUser, 'id' | 'username'>,
  at = new Date().toISOString(),
): StoredAlert {
  if (version === undefined)
    throw new MockApiError(400, 'send the version you read (If-Match header or a version field)', {
      version: 'is required',
    });
  const alert = db.alerts.find((a) => a.id === id);
  if (!alert) throw new MockApiError(404, `no alert ${id}`);
  const by = alert.updated_by ? ` by ${alert.updated_by}` : '';
  if (alert.version !== version)
    throw new MockApiError(
      409,
      `alert ${alert.alert_id} was changed${by} since you read it (it is ${alert.state} now); reload it`,
      { version: `is ${alert.version} now` },
    );
  const next = alertStep(alert.state, alert.escalation_level, action);
  if (!next.ok)
    throw new MockApiError(
      409,
      `alert ${alert.alert_id} ${next.why}${alert.updated_by ? ` (last step by ${alert.updated_by})` : ''}; it cannot be ${PAST[action]}`,
    );

  const now = Date.parse(at);
  const before = alertView(db, alert, now);
  Object.assign(alert, {
    state: next.state,
    escalation_level: next.escalation_level,
    version: alert.version + 1,
    acknowledged_at: alert.acknowledged_at ?? (next.state === 'acknowledged' ? at : null),
    acknowledged_by: alert.acknowledged_by ?? (next.state === 'acknowledged' ? user.username : null),
    resolved_at: next.state === 'resolved' ? at : null,
    resolved_by: next.state === 'resolved' ? user.username : null,
    updated_at: at,
    updated_by: user.username,
    last_note: note,
  } satisfies Partial<StoredAlert>);
  writeAudit(
    db,
    {
      actor: { id: user.id, username: user.username },
      action: `alert.${action}`,
      resource: 'alert',
      resource_id: id,
      before,
      after: alertView(db, alert, now),
      reason: note,
      outcome: 'success',
    },
    at,
  );
  return alert;
}

// ---------------------------------------------------------------------------------------------- seed

const WORKERS = [
  { id: 1, username: 'reviewer' },
  { id: 2, username: 'reviewer2' },
] as const;
const DAY_MS = 24 * HOUR_MS;

/**
 * Work on the alerts the generated traffic raised: those of the last day are still open; of the older ones
 * most were acknowledged some hours after they were raised by one of the two mock reviewers, and most of
 * those resolved later, a few escalated on the way. Steps go through stepAlert in time order, so each has
 * its audit row.
 */
export function generateAlertSteps(db: MockDb, now: number, seed = 7_331): void {
  const r = rng(seed);
  const steps: Array<{
    id: number;
    at: number;
    action: AlertAction;
    note: string;
    user: (typeof WORKERS)[number];
  }> = [];
  for (const alert of db.alerts) {
    const raised = Date.parse(alert.raised_at);
    if (now - raised < DAY_MS || r.chance(0.3)) continue;
    const user = r.pick(WORKERS);
    let at = raised + r.int(1, 20) * HOUR_MS;
    if (at >= now) continue;
    steps.push({ id: alert.id, at, action: 'acknowledge', note: 'looking into it', user });
    if (alert.escalation_level === 'none' && r.chance(0.2)) {
      at += r.int(1, 6) * HOUR_MS;
      steps.push({ id: alert.id, at, action: 'escalate', note: 'needs an ops review', user });
    }
    at += r.int(2, 48) * HOUR_MS;
    if (at < now && r.chance(0.8))
      steps.push({ id: alert.id, at, action: 'resolve', note: 'asset removed, account notified', user });
  }
  steps.sort((a, b) => a.at - b.at || a.id - b.id);
  for (const { id, at, action, note, user } of steps) {
    const version = db.alerts.find((a) => a.id === id)?.version;
    stepAlert(db, id, version, action, note, user, new Date(at).toISOString());
  }
}
