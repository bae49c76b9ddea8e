import { type Context, Hono } from 'hono';
import { auditContext } from '../auth/middleware.ts';
import { idParam, parseBody, versionOf } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { filterInMemory } from '../plan/routes.ts';
import type { EnumRecord } from '../plan/schemas.ts';
import { loadEnums, type PlanCache } from '../plan/snapshot.ts';
import { approvalRole, governanceOf } from './governance.ts';
import { impactOf, usageOf } from './impact.ts';
import type { EnumGovernance, GovernanceContext } from './proposals.ts';
import {
  approveSchema,
  type GovernedEnumRecord,
  type ProposalRecord,
  proposalBodySchema,
  rejectSchema,
} from './schemas.ts';
import {
  approvalsOf,
  enumVersions,
  getProposalRow,
  listVersions,
  type ProposalRow,
  toProposal,
  versionAt,
} from './store.ts';

const SORTABLE = ['id', 'proposed_at', 'enum', 'status', 'decided_at'] as const;
const SORT_SQL: Record<string, string> = { enum: 'enum_name' };

/** the enum routes (read, usage, history) and the proposals that are the only way to change an enum */
export function enumRoutes(deps: RouteDeps & { plan: PlanCache; governance: EnumGovernance }) {
  const { db, clock, requires, plan, governance } = deps;
  const readEnums = requires('enums:read');

  const governed = (enums: EnumRecord[]): GovernedEnumRecord[] => {
    const versions = enumVersions(db);
    return enums.map((e) => ({ ...e, governance: governanceOf(e.name), version: versions.get(e.name) ?? 0 }));
  };
  /** the acting user, the request for audit rows, and what a refusal's audit row names */
  const ctxOf = (c: Context<AppEnv>): GovernanceContext => ({
    user: c.var.user!,
    audit: auditContext(c),
    where: `${c.req.method} ${c.req.path}`,
  });
  const enumOr404 = (name: string) => {
    const e = loadEnums(db).find((x) => x.id === name);
    if (!e) throw new ApiError(404, `no enum ${name}`);
    return e;
  };

  /** a pending proposal with its impact as of now (a decided one has none: it was already applied or not) */
  const withImpact = (r: ProposalRow): ProposalRecord =>
    r.status !== 'pending'
      ? toProposal(r)
      : {
          ...toProposal(r),
          impact: impactOf(
            db,
            r.enum_name,
            { action: r.action, code: r.code, changes: JSON.parse(r.changes) },
            clock(),
            plan.current(),
          ),
        };

  /** the pending proposals this user could approve now */
  const mayApprove = (user: SessionUser, r: ProposalRow) =>
    r.status === 'pending' &&
    !('refused' in approvalRole(governanceOf(r.enum_name), { ...r, approvals: approvalsOf(r) }, user));

  return new Hono<AppEnv>()
    .get('/enums', readEnums, (c) => {
      const q = parseListQuery(c, { sortable: ['name', 'id', 'owner'], defaultSort: ['name', 'ASC'] });
      const rows = filterInMemory(loadEnums(db), q.filter, q.sort);
      return listResponse(
        c,
        'enums',
        governed(rows.slice(q.offset, q.offset + q.limit)),
        q.offset,
        rows.length,
      );
    })
    .get('/enums/:id', readEnums, (c) => c.json(governed([enumOr404(c.req.param('id'))])[0]))
    .get('/enums/:id/usage', readEnums, (c) => c.json(usageOf(db, enumOr404(c.req.param('id')), clock())))
    .get('/enums/:id/history', readEnums, (c) => {
      const e = enumOr404(c.req.param('id'));
      const at = c.req.query('at');
      if (at === undefined) {
        const versions = listVersions(db, e.name);
        return listResponse(c, 'enum-versions', versions, 0, versions.length);
      }
      const when = new Date(at);
      if (at.trim() === '' || Number.isNaN(when.getTime()))
        throw new ApiError(400, 'at must be an ISO-8601 date-time', { at: 'not a date-time' });
      const v = versionAt(db, e.name, when.toISOString());
      if (!v) throw new ApiError(404, `${e.name} had no version at ${when.toISOString()}`);
      return c.json(v);
    })
    .get('/enum-proposals', readEnums, (c) => {
      const q = parseListQuery(c, { sortable: SORTABLE, defaultSort: ['id', 'DESC'] });
      const user = c.var.user!;
      const { mine, to_approve: toApprove, ...rest } = q.filter;
      const { clauses, params } = buildWhere(
        rest,
        {
          id: { sql: 'id', type: 'number' },
          status: { sql: 'status', type: 'text' },
          enum: { sql: 'enum_name', type: 'text' },
          code: { sql: 'code', type: 'text' },
          action: { sql: 'action', type: 'text' },
          proposed_by: { sql: 'proposed_by', type: 'text' },
        },
        [],
      );
      const flag = (v: unknown) => v === true || v === 'true';
      if (flag(mine)) {
        clauses.push('(proposed_by_id = ? OR proposed_by = ?)');
        params.push(user.id, user.username);
      }
      if (flag(toApprove)) clauses.push("status = 'pending'");
      const col = SORT_SQL[q.sort.field] ?? q.sort.field;
      let rows = db
        .prepare(
          `SELECT * FROM landing_phase1_enum_proposals ${whereSql(clauses)} ORDER BY ${col} ${q.sort.order}, id ${q.sort.order}`,
        )
        .all(...params) as ProposalRow[];
      if (flag(toApprove)) rows = rows.filter((r) => mayApprove(user, r));
      return listResponse(
        c,
        'enum-proposals',
        rows.slice(q.offset, q.offset + q.limit).map(toProposal),
        q.offset,
        rows.length,
      );
    })
    .post('/enum-proposals/impact', requires('enums:propose'), async (c) => {
      const body = await parseBody(c, proposalBodySchema, 'proposal');
      const { change } = governance.proposable(ctxOf(c), body);
      return c.json(impactOf(db, body.enum, change, clock(), plan.current()));
    })
    .get('/enum-proposals/:id', readEnums, (c) => {
      const id = idParam(c);
      const row = getProposalRow(db, id);
      if (!row) throw new ApiError(404, `no enum proposal ${id}`);
      return c.json(withImpact(row));
    })
    .post('/enum-proposals', requires('enums:propose'), async (c) => {
      const body = await parseBody(c, proposalBodySchema, 'proposal');
      const row = governance.propose(ctxOf(c), body);
      return c.json(withImpact(row), 201);
    })
    .post('/enum-proposals/:id/approve', requires('enums:approve'), async (c) => {
      const id = idParam(c);
      const body = await parseBody(c, approveSchema, 'approval');
      return c.json(toProposal(governance.approve(ctxOf(c), id, versionOf(c, body))));
    })
    .post('/enum-proposals/:id/reject', requires('enums:approve'), async (c) => {
      const id = idParam(c);
      const body = await parseBody(c, rejectSchema, 'rejection');
      return c.json(toProposal(governance.reject(ctxOf(c), id, body.reason, versionOf(c, body))));
    });
}
