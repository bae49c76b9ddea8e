import { type Context, Hono } from 'hono';
import type { DB } from '../../db/open.ts';
import { presenter, refuseSensitiveProbes } from '../auth/masking.ts';
import { auditContext } from '../auth/middleware.ts';
import { idParam, parseBody, versionOf } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { ApiError, invalid } from '../http/errors.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { requireServiceToken } from '../write-keys/keys.ts';
import type { Decide, DecisionInput } from './decide.ts';
import { licenceAllows } from './lifecycle.ts';
import {
  approveSchema,
  bulkSchema,
  type LicenseCheck,
  type LicenseTask,
  licenseCheckQuerySchema,
  rejectSchema,
  revokeSchema,
} from './schemas.ts';
import {
  CURRENT_LICENSE_FIRST,
  getLicenseRow,
  type LicenseRow,
  licenseIdOf,
  type SlaPolicy,
  toLicense,
} from './store.ts';
import { assembleTask, MAX_LICENSE_TASKS, type TaskEvent } from './tasks.ts';

const SORTABLE = ['queue', 'applied_at', 'id', 'status', 'decided_at'] as const;
/** pending first, fast track first within pending, oldest first */
const QUEUE_ORDER =
  "(status = 'pending') DESC, (status = 'pending' AND is_fast_track = 1) DESC, applied_at ASC, id ASC";

export function licenseRoutes(deps: RouteDeps & { plan: PlanCache; decide: Decide; sla: SlaPolicy }) {
  const { db, clock, requires, plan, decide, sla } = deps;

  const present = (user: SessionUser) => presenter(user.roles, plan.sensitiveNames());
  const where = (filter: Record<string, unknown>, now: Date) => {
    const { sla_breached: breached, q, ...rest } = filter;
    const { clauses, params } = buildWhere(rest, {
      id: { sql: 'id', type: 'number' },
      status: { sql: 'status', type: 'text' },
      persona_tag: { sql: 'persona_tag', type: 'text' },
      policy_tag: { sql: 'policy_tag', type: 'text' },
      is_fast_track: { sql: 'is_fast_track', type: 'boolean' },
      template_id: { sql: 'template_id', type: 'text' },
      account_id: { sql: 'account_id', type: 'text' },
      day: { sql: 'day', type: 'text' },
      applied_at: { sql: 'applied_at', type: 'text' },
    });
    if (breached !== undefined && breached !== '') {
      const fast = new Date(now.getTime() - sla.fastTrackHours * 3600_000).toISOString();
      const standard = new Date(now.getTime() - sla.standardHours * 3600_000).toISOString();
      const cond = "(status = 'pending' AND applied_at < CASE WHEN is_fast_track = 1 THEN ? ELSE ? END)";
      clauses.push(breached === true || breached === 'true' ? cond : `NOT ${cond}`);
      params.push(fast, standard);
    }
    if (typeof q === 'string' && q.trim()) {
      const s = q.trim();
      const byId = /^lic_(\d+)$/.exec(s);
      clauses.push(byId ? 'id = ?' : '(template_id >= ? AND template_id < ?)');
      params.push(...(byId ? [Number(byId[1])] : [s, `${s}\uffff`]));
    }
    return { sql: whereSql(clauses), params };
  };

  // the licence's tasks and what followed each, from the task projection (landing_phase1_tasks_account)
  const starts = db.prepare(
    `SELECT e.occurred_at, e.properties FROM landing_phase1_tasks t JOIN landing_phase1_events e ON e.id = t.start_event_pk
     WHERE t.account_id = ? AND t.template_id = ? ORDER BY t.started_at DESC LIMIT ${MAX_LICENSE_TASKS}`,
  );
  const followUps = db.prepare(
    `SELECT e.event, e.occurred_at, e.properties FROM landing_phase1_task_events f
     JOIN landing_phase1_events e ON e.id = f.event_pk WHERE f.task_id = ? ORDER BY e.occurred_at, e.event_id`,
  );
  const parse = (r: { event?: string; occurred_at: string; properties: string }): TaskEvent => ({
    event: r.event ?? 'task_start',
    occurred_at: r.occurred_at,
    properties: JSON.parse(r.properties) as Record<string, unknown>,
  });
  const tasksOf = (account: string, template: string): LicenseTask[] =>
    (starts.all(account, template) as Array<{ occurred_at: string; properties: string }>).flatMap((s) => {
      const start = parse(s);
      const follow = followUps.all(start.properties.task_id) as Array<{
        event: string;
        occurred_at: string;
        properties: string;
      }>;
      const task = assembleTask(start, follow.map(parse));
      return task ? [task] : [];
    });

  const decision = (action: 'approve' | 'reject' | 'revoke') => async (c: Context<AppEnv>) => {
    const id = idParam(c);
    const user = c.var.user!;
    let input: DecisionInput;
    let version: number | undefined;
    if (action === 'approve') {
      const terms = await parseBody(c, approveSchema, 'approval');
      input = { action, terms };
      version = versionOf(c, terms);
    } else {
      const terms = await parseBody(
        c,
        action === 'reject' ? rejectSchema : revokeSchema,
        action === 'reject' ? 'rejection' : 'revocation',
      );
      input = { action, terms };
      version = versionOf(c, terms);
    }
    const license = decide(id, version, input, { user, audit: auditContext(c) });
    return c.json(present(user)(license));
  };

  return new Hono<AppEnv>()
    .get('/licenses', requires('licenses:read'), (c) => {
      const q = parseListQuery(c, { sortable: SORTABLE, defaultSort: ['queue', 'ASC'] });
      refuseSensitiveProbes(c.var.user!.roles, plan.sensitiveNames(), q);
      const now = clock();
      const w = where(q.filter, now);
      const order =
        q.sort.field === 'queue' ? QUEUE_ORDER : `${q.sort.field} ${q.sort.order}, id ${q.sort.order}`;
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_licenses ${w.sql}`)
        .pluck()
        .get(...w.params) as number;
      const rows = db
        .prepare(`SELECT * FROM landing_phase1_licenses ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...w.params, q.limit, q.offset) as LicenseRow[];
      return listResponse(
        c,
        'licenses',
        rows.map((r) => present(c.var.user!)(toLicense(r, sla, now))),
        q.offset,
        total,
      );
    })
    .get('/licenses/:id', requires('licenses:read'), (c) => {
      const id = idParam(c);
      const row = getLicenseRow(db, id);
      if (!row) throw new ApiError(404, `no licence application ${id}`);
      return c.json(present(c.var.user!)(toLicense(row, sla, clock())));
    })
    .get('/licenses/:id/tasks', requires('licenses:read'), (c) => {
      const id = idParam(c);
      const row = getLicenseRow(db, id);
      if (!row) throw new ApiError(404, `no licence application ${id}`);
      const tasks = row.account_id && row.template_id ? tasksOf(row.account_id, row.template_id) : [];
      return listResponse(c, 'license-tasks', tasks, 0, tasks.length);
    })
    .post('/licenses/:id/approve', requires('licenses:decide'), decision('approve'))
    .post('/licenses/:id/reject', requires('licenses:decide'), decision('reject'))
    .post('/licenses/:id/revoke', requires('licenses:decide'), decision('revoke'))
    .post('/licenses/bulk', requires('licenses:decide'), async (c) => {
      const body = await parseBody(c, bulkSchema, 'bulk decision');
      const user = c.var.user!;
      const audit = auditContext(c);
      const results = body.items.map(({ id, version }) => {
        try {
          const input: DecisionInput =
            body.action === 'approve'
              ? { action: 'approve', terms: body.decision }
              : { action: 'reject', terms: body.decision };
          return {
            id,
            ok: true,
            status: 200,
            license: present(user)(decide(id, version, input, { user, audit })),
          };
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          return { id, ok: false, status: e.status, message: e.message };
        }
      });
      return c.json({ results });
    });
}

/**
 * The platform's licence check, `Authorization: Bearer <service token>` (not a session): is this account
 * licensed for this template now, until when, how many runs left. One indexed lookup for the licence, one
 * index range for the runs used.
 */
export function licenseCheckRoutes(db: DB, clock: () => Date) {
  const latest = db.prepare(
    `SELECT * FROM landing_phase1_licenses WHERE account_id = ? AND template_id = ?
     ORDER BY ${CURRENT_LICENSE_FIRST} LIMIT 1`,
  );
  // one range of landing_phase1_tasks_account
  const runs = db
    .prepare(
      'SELECT count(*) FROM landing_phase1_tasks WHERE account_id = ? AND template_id = ? AND started_at >= ?',
    )
    .pluck();
  return new Hono().get('/api/licenses/check', requireServiceToken(db), (c) => {
    const parsed = licenseCheckQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw invalid(parsed.error, 'licence check');
    const { account_id, template_id } = parsed.data;
    const l = latest.get(account_id, template_id) as LicenseRow | undefined;
    const runsUsed = l?.effective_at ? (runs.get(account_id, template_id, l.effective_at) as number) : 0;
    const answer: LicenseCheck = {
      licensed: l ? licenceAllows(l, runsUsed, clock()) : false,
      license_id: l ? licenseIdOf(l.id) : null,
      status: l?.status ?? null,
      expiry_type: l?.expiry_type ?? null,
      effective_at: l?.effective_at ?? null,
      expires_at: l?.expires_at ?? null,
      runs_used: runsUsed,
      runs_left:
        l?.max_runs === null || l?.max_runs === undefined ? null : Math.max(0, l.max_runs - runsUsed),
      policy_tag: l?.policy_tag ?? null,
    };
    return c.json(answer);
  });
}
