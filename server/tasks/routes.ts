import { type Context, Hono } from 'hono';
import { ALERT_SELECT, type AlertRow, toAlert } from '../alerts/store.ts';
import { presenter, refuseSensitiveProbes } from '../auth/masking.ts';
import type { Violation } from '../events/schemas.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { chargeSummary } from '../ledger/bounds.ts';
import { taskEntries } from '../ledger/entries.ts';
import { CURRENT_LICENSE_FIRST } from '../licenses/store.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { TASK_STATUSES, type TaskDetail, type TaskRecord, type TaskStatus } from './schemas.ts';

export interface TaskPolicy {
  /** a started task with no outcome after this long is stale */
  staleMinutes: number;
}
export const DEFAULT_TASK_POLICY: TaskPolicy = { staleMinutes: 60 };

interface TaskRow {
  task_id: string;
  start_event_pk: number | null;
  account_id: string | null;
  template_id: string | null;
  queue_type: string | null;
  estimated_credits: number | null;
  started_at: string | null;
  outcome: 'succeeded' | 'failed' | null;
  finished_at: string | null;
  credits_spent: number | null;
  duration_ms: number | null;
  output_count: number | null;
  failure_code: string | null;
  sub_status: string | null;
  policy_tag: string | null;
  action_required: string | null;
  first_seen_at: string;
  net_charge: number;
  open_alerts: number;
}

const TASK_SELECT = `SELECT t.*,
  -coalesce((SELECT sum(amount) FROM landing_phase1_ledger g WHERE g.task_id = t.task_id AND g.status = 'posted'), 0) AS net_charge,
  (SELECT count(*) FROM landing_phase1_alerts a WHERE a.task_id = t.task_id AND a.state <> 'resolved') AS open_alerts
  FROM landing_phase1_tasks t`;

/** status: the outcome when one arrived; else queued, or stale once started longer ago than the limit */
const statusSql = (cutoffParam: string) =>
  `CASE WHEN t.outcome IS NOT NULL THEN t.outcome WHEN t.started_at < ${cutoffParam} THEN 'stale' ELSE 'queued' END`;

function toTask(r: TaskRow, staleBefore: string): TaskRecord {
  const {
    start_event_pk,
    outcome,
    outcome_event_pk: _pk,
    ...rest
  } = r as TaskRow & { outcome_event_pk?: number };
  const status: TaskStatus =
    outcome ?? (r.started_at !== null && r.started_at < staleBefore ? 'stale' : 'queued');
  return {
    ...rest,
    id: r.task_id,
    status,
    has_start: start_event_pk !== null,
    net_charge: Math.round(r.net_charge * 100) / 100,
  };
}

/** tasks assembled from their events, with their alerts, ledger entries and charge */
export function taskRoutes(deps: RouteDeps & { plan: PlanCache; policy: TaskPolicy; approvalLimit: number }) {
  const { db, clock, requires, plan, policy } = deps;
  const present = (c: Context<AppEnv>) => presenter(c.var.user!.roles, plan.sensitiveNames());
  const staleBefore = (now: Date) => new Date(now.getTime() - policy.staleMinutes * 60_000).toISOString();

  const where = (filter: Record<string, unknown>, cutoff: string) => {
    const { q, status, ...rest } = filter;
    const { clauses, params } = buildWhere(rest, {
      task_id: { sql: 't.task_id', type: 'text' },
      template_id: { sql: 't.template_id', type: 'text' },
      account_id: { sql: 't.account_id', type: 'text' },
      queue_type: { sql: 't.queue_type', type: 'text' },
      failure_code: { sql: 't.failure_code', type: 'text' },
      policy_tag: { sql: 't.policy_tag', type: 'text' },
      started_at: { sql: 't.started_at', type: 'text' },
      finished_at: { sql: 't.finished_at', type: 'text' },
      first_seen_at: { sql: 't.first_seen_at', type: 'text' },
    });
    if (status !== undefined && status !== '') {
      const wanted = Array.isArray(status) ? status : [status];
      if (wanted.some((s) => typeof s !== 'string' || !(TASK_STATUSES as readonly string[]).includes(s)))
        throw new ApiError(
          400,
          `filter.status must be one of ${TASK_STATUSES.join(', ')}, or a list of them`,
          {
            'filter.status': `must be one of ${TASK_STATUSES.join(', ')}`,
          },
        );
      if (wanted.length) {
        clauses.push(`${statusSql('?')} IN (${wanted.map(() => '?').join(', ')})`);
        params.push(cutoff, ...(wanted as string[]));
      } else clauses.push('0'); // an empty list matches nothing (and binds no cutoff)
    }
    if (typeof q === 'string' && q.trim()) {
      const s = q.trim();
      clauses.push('t.task_id >= ? AND t.task_id < ?');
      params.push(s, `${s}\uffff`);
    }
    return { sql: whereSql(clauses), params };
  };

  const events = db.prepare(
    `SELECT e.id, e.event_id, e.event, e.occurred_at, e.source, e.properties, e.violations FROM landing_phase1_events e
     WHERE e.id IN (SELECT start_event_pk FROM landing_phase1_tasks WHERE task_id = @task
       UNION SELECT event_pk FROM landing_phase1_task_events WHERE task_id = @task)
     ORDER BY e.occurred_at, e.id`,
  );
  const licenseOf = db
    .prepare(
      `SELECT id FROM landing_phase1_licenses WHERE account_id = ? AND template_id = ?
       ORDER BY ${CURRENT_LICENSE_FIRST} LIMIT 1`,
    )
    .pluck();

  return new Hono<AppEnv>()
    .get('/tasks', requires('tasks:read'), (c) => {
      const q = parseListQuery(c, {
        sortable: ['first_seen_at', 'started_at', 'finished_at', 'credits_spent', 'task_id'],
        defaultSort: ['first_seen_at', 'DESC'],
      });
      refuseSensitiveProbes(c.var.user!.roles, plan.sensitiveNames(), q);
      const now = clock();
      const cutoff = staleBefore(now);
      const w = where(q.filter, cutoff);
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_tasks t ${w.sql}`)
        .pluck()
        .get(...w.params) as number;
      const rows = db
        .prepare(
          `${TASK_SELECT} ${w.sql} ORDER BY t.${q.sort.field} ${q.sort.order}, t.task_id ${q.sort.order} LIMIT ? OFFSET ?`,
        )
        .all(...w.params, q.limit, q.offset) as TaskRow[];
      const show = present(c);
      return listResponse(
        c,
        'tasks',
        rows.map((r) => show(toTask(r, cutoff))),
        q.offset,
        total,
      );
    })
    .get('/tasks/:id', requires('tasks:read'), (c) => {
      const id = c.req.param('id');
      const now = clock();
      const row = db.prepare(`${TASK_SELECT} WHERE t.task_id = ?`).get(id) as TaskRow | undefined;
      if (!row) throw new ApiError(404, `no task ${id}`);
      const ledger = taskEntries(db, id);
      const detail: TaskDetail = {
        ...toTask(row, staleBefore(now)),
        events: (
          events.all({ task: id }) as Array<{
            id: number;
            event_id: string;
            event: string;
            occurred_at: string;
            source: string;
            properties: string;
            violations: string;
          }>
        ).map((e) => ({
          ...e,
          properties: JSON.parse(e.properties) as Record<string, unknown>,
          violations: JSON.parse(e.violations) as Violation[],
        })),
        alerts: (
          db.prepare(`${ALERT_SELECT} WHERE a.task_id = ? ORDER BY a.raised_at`).all(id) as AlertRow[]
        ).map((a) => toAlert(a, now)),
        ledger,
        charge: chargeSummary(ledger),
        license_pk:
          row.account_id && row.template_id
            ? ((licenseOf.get(row.account_id, row.template_id) as number | undefined) ?? null)
            : null,
        approval_limit: deps.approvalLimit,
      };
      return c.json(present(c)(detail));
    });
}
