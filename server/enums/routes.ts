import { type Context, Hono } from 'hono';
import { recordAudit, writeAudit } from '../audit/log.ts';
import { auditContext } from '../auth/middleware.ts';
import type { Role } from '../auth/permissions.ts';
import { idParam, parseBody, versionOf } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { filterInMemory } from '../plan/routes.ts';
import type { EnumRecord } from '../plan/schemas.ts';
import { loadEnums, type PlanCache } from '../plan/snapshot.ts';
import { applyChange, type Change, changesOf, checkChange } from './apply.ts';
import { type Approval, approvalRole, type Governance, governanceOf, missingRoles } from './governance.ts';
import { impactOf, usageOf } from './impact.ts';
import {
  approveSchema,
  type GovernedEnumRecord,
  type ProposalBody,
  type ProposalRecord,
  proposalBodySchema,
  rejectSchema,
} from './schemas.ts';
import {
  approvalsOf,
  enumVersion,
  enumVersions,
  getProposalRow,
  insertVersion,
  listVersions,
  type ProposalRow,
  pendingFor,
  toProposal,
  versionAt,
  writeValue,
} from './store.ts';

type ApproveOutcome =
  | { row: ProposalRow }
  | { refused: 'self' | 'again' | 'role'; g: Governance; approvals: Approval[] };
type RejectOutcome = { row: ProposalRow } | { refused: string };

const SORTABLE = ['id', 'proposed_at', 'enum', 'status', 'decided_at'] as const;
const SORT_SQL: Record<string, string> = { enum: 'enum_name' };

/** the enum routes (read, usage, history) and the proposals that are the only way to change an enum */
export function enumRoutes(deps: RouteDeps & { plan: PlanCache }) {
  const { db, clock, requires, plan } = deps;
  const readEnums = requires('enums:read');

  const governed = (enums: EnumRecord[]): GovernedEnumRecord[] => {
    const versions = enumVersions(db);
    return enums.map((e) => ({ ...e, governance: governanceOf(e.name), version: versions.get(e.name) ?? 0 }));
  };
  const enumOr404 = (name: string) => {
    const e = loadEnums(db).find((x) => x.id === name);
    if (!e) throw new ApiError(404, `no enum ${name}`);
    return e;
  };

  /** a refusal the per-enum role rules make: audited like the permission guard's; the caller throws the 403 */
  const deny = (c: Context<AppEnv>, message: string, subject: string | number): ApiError => {
    recordAudit(
      db,
      {
        ...auditContext(c),
        action: 'access.denied',
        resource: 'enum-proposals',
        resource_id: `${c.req.method} ${c.req.path}`,
        reason: `${message} (${subject})`,
        outcome: 'denied',
      },
      clock(),
    );
    return new ApiError(403, message);
  };

  const proposable = (c: Context<AppEnv>, body: ProposalBody): { change: Change; target: EnumRecord } => {
    const enums = loadEnums(db);
    if (!enums.some((e) => e.name === body.enum))
      throw new ApiError(404, `no enum ${body.enum}`, { enum: `unknown enum ${body.enum}` });
    const g = governanceOf(body.enum);
    const user = c.var.user!;
    if (!user.roles.some((r) => g.propose_roles.includes(r)))
      throw deny(c, `changes to ${body.enum} are proposed by ${g.propose_roles.join(' or ')}`, body.enum);
    const change: Change = { action: body.action, code: body.value, changes: changesOf(body) };
    return { change, target: checkChange(enums, body.enum, change) };
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

  /** the proposal, still pending and at the version read (when one was sent): 404 / 409 otherwise */
  const pendingProposal = (id: number, version: number | undefined) => {
    const row = getProposalRow(db, id);
    if (!row) throw new ApiError(404, `no enum proposal ${id}`);
    if (row.status !== 'pending') throw new ApiError(409, `proposal ${id} is already ${row.status}`);
    if (version !== undefined && version !== row.version)
      throw new ApiError(409, `proposal ${id} changed since you read it (version ${row.version})`, {
        version: `is ${row.version}`,
      });
    return row;
  };

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
        clauses.push('proposed_by_id = ?');
        params.push(user.id);
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
      const { change } = proposable(c, body);
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
      const user = c.var.user!;
      const now = clock().toISOString();
      // the checks and the insert run with no await between them: nothing interleaves
      const { change } = proposable(c, body);
      const row = db.transaction(() => {
        const pending = pendingFor(db, body.enum, body.value);
        if (pending !== undefined)
          throw new ApiError(409, `proposal ${pending} for ${body.enum}.${body.value} is still pending`, {
            value: `pending proposal ${pending}`,
          });
        const id = Number(
          db
            .prepare(
              `INSERT INTO landing_phase1_enum_proposals (enum_name, action, code, changes, rationale, proposed_by,
                 proposed_by_id, proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              body.enum,
              body.action,
              body.value,
              JSON.stringify(change.changes),
              body.rationale,
              user.username,
              user.id,
              now,
            ).lastInsertRowid,
        );
        const created = getProposalRow(db, id)!;
        writeAudit(
          db,
          {
            ...auditContext(c),
            action: 'enum_proposal.create',
            resource: 'enum-proposals',
            resource_id: id,
            after: toProposal(created),
            reason: body.rationale,
            outcome: 'success',
          },
          clock(),
        );
        return created;
      })();
      return c.json(withImpact(row), 201);
    })
    .post('/enum-proposals/:id/approve', requires('enums:approve'), async (c) => {
      const id = idParam(c);
      const body = await parseBody(c, approveSchema, 'approval');
      const version = versionOf(c, body);
      const user = c.var.user!;
      const now = clock();
      const at = now.toISOString();
      const result = db.transaction((): ApproveOutcome => {
        const row = pendingProposal(id, version);
        const g = governanceOf(row.enum_name);
        const approvals = approvalsOf(row);
        const decision = approvalRole(g, { ...row, approvals }, user);
        if ('refused' in decision) return { refused: decision.refused, g, approvals };
        const nextApprovals = [
          ...approvals,
          { username: user.username, user_id: user.id, role: decision.role, at },
        ];
        const complete = missingRoles(g, nextApprovals).length === 0;
        if (!complete) {
          db.prepare(
            'UPDATE landing_phase1_enum_proposals SET approvals = ?, version = version + 1 WHERE id = ?',
          ).run(JSON.stringify(nextApprovals), id);
          writeAudit(
            db,
            {
              ...auditContext(c),
              action: 'enum_proposal.approve',
              resource: 'enum-proposals',
              resource_id: id,
              before: { approvals },
              after: { approvals: nextApprovals, missing_roles: missingRoles(g, nextApprovals) },
              outcome: 'success',
            },
            now,
          );
          return { row: getProposalRow(db, id)! };
        }
        // all roles satisfied: apply the change now, as checked against the enums as they stand now
        const change: Change = { action: row.action, code: row.code, changes: JSON.parse(row.changes) };
        const target = checkChange(loadEnums(db), row.enum_name, change);
        const values = applyChange(target.values, change, at);
        const before = target.values.find((v) => v.code === row.code) ?? null;
        const after = values.find((v) => v.code === row.code)!;
        writeValue(db, row.enum_name, after, row.action === 'add');
        const applied = enumVersion(db, row.enum_name) + 1;
        insertVersion(
          db,
          { enum_name: row.enum_name, version: applied, at, by: user.username, proposal_id: id },
          values,
        );
        db.prepare(
          `UPDATE landing_phase1_enum_proposals SET approvals = ?, version = version + 1, status = 'approved',
             decided_at = ?, applied_version = ? WHERE id = ?`,
        ).run(JSON.stringify(nextApprovals), at, applied, id);
        writeAudit(
          db,
          {
            ...auditContext(c),
            action: `enum.${row.action}`,
            resource: 'enums',
            resource_id: `${row.enum_name}.${row.code}`,
            before,
            after,
            reason: `proposal ${id} (by ${row.proposed_by}, approved by ${nextApprovals.map((a) => `${a.username} as ${a.role}`).join(', ')}): ${row.rationale}`,
            outcome: 'success',
          },
          now,
        );
        return { row: getProposalRow(db, id)! };
      })();
      if ('refused' in result) {
        if (result.refused === 'again') throw new ApiError(409, `you already approved proposal ${id}`);
        throw deny(
          c,
          result.refused === 'self'
            ? 'a proposal is approved by someone other than its proposer'
            : `proposal ${id} needs approval by ${missingRoles(result.g, result.approvals).join(' and ')}`,
          id,
        );
      }
      return c.json(toProposal(result.row));
    })
    .post('/enum-proposals/:id/reject', requires('enums:approve'), async (c) => {
      const id = idParam(c);
      const body = await parseBody(c, rejectSchema, 'rejection');
      const version = versionOf(c, body);
      const user = c.var.user!;
      const now = clock();
      const result = db.transaction((): RejectOutcome => {
        const row = pendingProposal(id, version);
        const g = governanceOf(row.enum_name);
        if (row.proposed_by_id === user.id)
          return { refused: 'a proposal is rejected by an approver other than its proposer' };
        if (!user.roles.some((r: Role) => g.approve_roles.includes(r)))
          return { refused: `changes to ${row.enum_name} are decided by ${g.approve_roles.join(' and ')}` };
        db.prepare(
          `UPDATE landing_phase1_enum_proposals SET status = 'rejected', version = version + 1, decided_at = ?,
             rejected_by = ?, reject_reason = ? WHERE id = ?`,
        ).run(now.toISOString(), user.username, body.reason, id);
        writeAudit(
          db,
          {
            ...auditContext(c),
            action: 'enum_proposal.reject',
            resource: 'enum-proposals',
            resource_id: id,
            before: { status: 'pending' },
            after: { status: 'rejected' },
            reason: body.reason,
            outcome: 'success',
          },
          now,
        );
        return { row: getProposalRow(db, id)! };
      })();
      if ('refused' in result) throw deny(c, result.refused, id);
      return c.json(toProposal(result.row));
    });
}
