import { type Context, Hono } from 'hono';
import { writeAudit } from '../audit/log.ts';
import { presenter } from '../auth/masking.ts';
import { auditContext } from '../auth/middleware.ts';
import { idParam, parseBody, versionOf } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { alertStep } from './lifecycle.ts';
import { type AlertAction, type AlertRecord, alertBulkSchema, alertStepSchema } from './schemas.ts';
import { ALERT_SELECT, type AlertRow, getAlertRow, toAlert } from './store.ts';

const SORTABLE = ['inbox', 'raised_at', 'id', 'risk_level', 'state', 'escalation_level'] as const;
/** unresolved first (open before acknowledged), high risk first, oldest first */
const INBOX_ORDER = `CASE a.state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END,
  CASE a.risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, a.raised_at ASC, a.id ASC`;

const PAST: Record<AlertAction, string> = {
  acknowledge: 'acknowledged',
  escalate: 'escalated',
  resolve: 'resolved',
};

export interface StepContext {
  user: { username: string };
  audit: ReturnType<typeof auditContext>;
}

/** the alert inbox: risk_alerts worked open → acknowledged → resolved and escalated, each step noted */
export function alertRoutes(deps: RouteDeps & { plan: PlanCache }) {
  const { db, clock, requires, plan } = deps;
  const present = (c: Context<AppEnv>) => presenter(c.var.user!.roles, plan.sensitiveNames());

  const update = db.prepare(
    `UPDATE landing_phase1_alerts SET state = @state, escalation_level = @escalation_level, version = version + 1,
       acknowledged_at = coalesce(acknowledged_at, @acknowledged_at), acknowledged_by = coalesce(acknowledged_by, @acknowledged_by),
       resolved_at = @resolved_at, resolved_by = @resolved_by, updated_at = @at, updated_by = @by, last_note = @note
     WHERE id = @id AND version = @version`,
  );

  /** one step on the version read, in one transaction with its audit row: 409 when stale or not allowed */
  const step = (id: number, version: number | undefined, action: AlertAction, note: string, ctx: StepContext) => {
    if (version === undefined)
      throw new ApiError(400, 'send the version you read (If-Match header or a version field)', {
        version: 'is required',
      });
    const now = clock();
    const at = now.toISOString();
    return db.transaction(() => {
      const before = getAlertRow(db, id);
      if (!before) throw new ApiError(404, `no alert ${id}`);
      const by = before.updated_by ? ` by ${before.updated_by}` : '';
      if (before.version !== version)
        throw new ApiError(409, `alert ${before.alert_id} was changed${by} since you read it (it is ${before.state} now); reload it`, {
          version: `is ${before.version} now`,
        });
      const next = alertStep(before.state, before.escalation_level, action);
      if (!next.ok) throw new ApiError(409, `alert ${before.alert_id} ${next.why}${by}; it cannot be ${PAST[action]}`);
      const who = ctx.user.username;
      update.run({
        id,
        version,
        state: next.state,
        escalation_level: next.escalation_level,
        acknowledged_at: next.state === 'acknowledged' ? at : null,
        acknowledged_by: next.state === 'acknowledged' ? who : null,
        resolved_at: next.state === 'resolved' ? at : null,
        resolved_by: next.state === 'resolved' ? who : null,
        at,
        by: who,
        note,
      });
      const after = getAlertRow(db, id)!;
      writeAudit(
        db,
        {
          ...ctx.audit,
          action: `alert.${action}`,
          resource: 'alert',
          resource_id: id,
          before: toAlert(before, now),
          after: toAlert(after, now),
          reason: note,
          outcome: 'success',
        },
        now,
      );
      return toAlert(after, now);
    }).immediate();
  };

  const where = (filter: Record<string, unknown>, now: Date) => {
    const { q, age_hours_gte: olderThan, ...rest } = filter;
    const { clauses, params } = buildWhere(rest, {
      id: { sql: 'a.id', type: 'number' },
      alert_id: { sql: 'a.alert_id', type: 'text' },
      task_id: { sql: 'a.task_id', type: 'text' },
      state: { sql: 'a.state', type: 'text' },
      risk_level: { sql: 'a.risk_level', type: 'text' },
      policy_tag: { sql: 'a.policy_tag', type: 'text' },
      escalation_level: { sql: 'a.escalation_level', type: 'text' },
      action_required: { sql: 'a.action_required', type: 'text' },
      auto_escalated: { sql: 'a.auto_escalated', type: 'boolean' },
      raised_at: { sql: 'a.raised_at', type: 'text' },
      day: { sql: 'a.day', type: 'text' },
    });
    if (olderThan !== undefined && olderThan !== '') {
      const hours = Number(olderThan);
      if (!Number.isFinite(hours) || hours < 0)
        throw new ApiError(400, 'filter.age_hours_gte must be a number of hours', {
          'filter.age_hours_gte': 'must be a non-negative number',
        });
      clauses.push('a.raised_at <= ?');
      params.push(new Date(now.getTime() - hours * 3600_000).toISOString());
    }
    if (typeof q === 'string' && q.trim()) {
      const s = q.trim();
      clauses.push('((a.alert_id >= ? AND a.alert_id < ?) OR (a.task_id >= ? AND a.task_id < ?))');
      params.push(s, `${s}\uffff`, s, `${s}\uffff`);
    }
    return { sql: whereSql(clauses), params };
  };

  const stepRoute = (action: AlertAction) => async (c: Context<AppEnv>) => {
    const id = idParam(c);
    const body = await parseBody(c, alertStepSchema, `alert ${action}`);
    const alert = step(id, versionOf(c, body), action, body.note, {
      user: c.var.user!,
      audit: auditContext(c),
    });
    return c.json(present(c)(alert));
  };

  return new Hono<AppEnv>()
    .get('/alerts', requires('alerts:read'), (c) => {
      const q = parseListQuery(c, { sortable: SORTABLE, defaultSort: ['inbox', 'ASC'] });
      const now = clock();
      const w = where(q.filter, now);
      const order = q.sort.field === 'inbox' ? INBOX_ORDER : `a.${q.sort.field} ${q.sort.order}, a.id ${q.sort.order}`;
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_alerts a ${w.sql}`)
        .pluck()
        .get(...w.params) as number;
      const rows = db
        .prepare(`${ALERT_SELECT} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...w.params, q.limit, q.offset) as AlertRow[];
      const show = present(c);
      return listResponse(c, 'alerts', rows.map((r) => show(toAlert(r, now))), q.offset, total);
    })
    .get('/alerts/:id', requires('alerts:read'), (c) => {
      const id = idParam(c);
      const row = getAlertRow(db, id);
      if (!row) throw new ApiError(404, `no alert ${id}`);
      return c.json(present(c)(toAlert(row, clock())));
    })
    .post('/alerts/:id/acknowledge', requires('alerts:act'), stepRoute('acknowledge'))
    .post('/alerts/:id/escalate', requires('alerts:act'), stepRoute('escalate'))
    .post('/alerts/:id/resolve', requires('alerts:act'), stepRoute('resolve'))
    .post('/alerts/bulk', requires('alerts:act'), async (c) => {
      const body = await parseBody(c, alertBulkSchema, 'bulk alert step');
      const ctx = { user: c.var.user!, audit: auditContext(c) };
      const show = present(c);
      const results = body.items.map(({ id, version }) => {
        try {
          return { id, ok: true, status: 200, alert: show(step(id, version, body.action, body.note, ctx)) as AlertRecord };
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          return { id, ok: false, status: e.status, message: e.message };
        }
      });
      return c.json({ results });
    });
}
