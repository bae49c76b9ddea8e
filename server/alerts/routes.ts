import { type Context, Hono } from 'hono';
import { presenter } from '../auth/masking.ts';
import { auditContext } from '../auth/middleware.ts';
import { idParam, parseBody, versionOf } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { type AlertAction, type AlertRecord, alertBulkSchema, alertStepSchema } from './schemas.ts';
import type { AlertStepper } from './steps.ts';
import { ALERT_SELECT, type AlertRow, getAlertRow, toAlert } from './store.ts';

/** risk is ordered by the inbox (high first), not by the words' alphabet */
const SORTABLE = ['inbox', 'raised_at', 'id', 'state', 'escalation_level'] as const;
/** unresolved first (open before acknowledged), high risk first, oldest first */
const INBOX_ORDER = 'a.inbox_rank, a.raised_at, a.id';

/** the alert inbox: risk_alerts worked open → acknowledged → resolved and escalated, each step noted */
export function alertRoutes(deps: RouteDeps & { plan: PlanCache; step: AlertStepper }) {
  const { db, clock, requires, plan, step } = deps;
  const present = (c: Context<AppEnv>) => presenter(c.var.user!.roles, plan.sensitiveNames());

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
      // hours, at most a century: anything else names the field (and never builds an invalid date)
      const hours =
        typeof olderThan === 'number' || typeof olderThan === 'string' ? Number(olderThan) : Number.NaN;
      if (!Number.isFinite(hours) || hours < 0 || hours > 100 * 365 * 24)
        throw new ApiError(400, 'filter.age_hours_gte must be a number of hours (0 to 876000)', {
          'filter.age_hours_gte': 'must be a number of hours from 0 to 876000',
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
      const order =
        q.sort.field === 'inbox' ? INBOX_ORDER : `a.${q.sort.field} ${q.sort.order}, a.id ${q.sort.order}`;
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_alerts a ${w.sql}`)
        .pluck()
        .get(...w.params) as number;
      const rows = db
        .prepare(`${ALERT_SELECT} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...w.params, q.limit, q.offset) as AlertRow[];
      const show = present(c);
      return listResponse(
        c,
        'alerts',
        rows.map((r) => show(toAlert(r, now))),
        q.offset,
        total,
      );
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
          return {
            id,
            ok: true,
            status: 200,
            alert: show(step(id, version, body.action, body.note, ctx)) as AlertRecord,
          };
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          return { id, ok: false, status: e.status, message: e.message };
        }
      });
      return c.json({ results });
    });
}
