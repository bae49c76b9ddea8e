import type { DB } from '../../db/open.ts';
import { type AuditEntry, recordAudit, writeAudit } from '../audit/log.ts';
import type { SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { EnumRecord } from '../plan/schemas.ts';
import { loadEnums } from '../plan/snapshot.ts';
import { applyChange, type Change, changesOf, checkChange } from './apply.ts';
import { type Approval, approvalRole, type Governance, governanceOf, missingRoles } from './governance.ts';
import type { ProposalBody } from './schemas.ts';
import {
  approvalsOf,
  enumVersion,
  getProposalRow,
  insertVersion,
  type ProposalRow,
  pendingFor,
  toProposal,
  writeValue,
} from './store.ts';

/** who acts, the request for the audit row, and what a refusal's audit row names (method and path) */
export interface GovernanceContext {
  user: SessionUser;
  audit: Pick<AuditEntry, 'actor' | 'request_id' | 'ip'>;
  where?: string;
}

type ApproveOutcome =
  | { row: ProposalRow }
  | { refused: 'self' | 'again' | 'role'; g: Governance; approvals: Approval[] };
type RejectOutcome = { row: ProposalRow } | { refused: string };

/** the proposer, by id or (for a row whose user is gone) by name */
const isProposer = (row: Pick<ProposalRow, 'proposed_by_id' | 'proposed_by'>, user: SessionUser) =>
  row.proposed_by_id === user.id || row.proposed_by === user.username;

/**
 * The only way an enum changes: proposals, approved by people other than their proposer holding the roles
 * the enum's governance names (each role by a different person), or rejected with a reason. Each step runs in
 * one transaction with its audit row; the last approval applies the change to the table, writes its next
 * version and bumps the plan version, so ingestion validates against it from the next event. A refusal by
 * the per-enum role rules is audited (`access.denied`) like the permission guard's and answered 403.
 */
export function createEnumGovernance(deps: { db: DB; clock: () => Date }) {
  const { db, clock } = deps;

  const deny = (ctx: GovernanceContext, message: string, subject: string | number): ApiError => {
    recordAudit(
      db,
      {
        ...ctx.audit,
        action: 'access.denied',
        resource: 'enum-proposals',
        resource_id: ctx.where ?? 'enum-proposals',
        reason: `${message} (${subject})`,
        outcome: 'denied',
      },
      clock(),
    );
    return new ApiError(403, message);
  };

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

  /** the change a body asks for, if this user may propose it and it may be made to the enums as they stand */
  const proposable = (ctx: GovernanceContext, body: ProposalBody): { change: Change; target: EnumRecord } => {
    const enums = loadEnums(db);
    if (!enums.some((e) => e.name === body.enum))
      throw new ApiError(404, `no enum ${body.enum}`, { enum: `unknown enum ${body.enum}` });
    const g = governanceOf(body.enum);
    if (!ctx.user.roles.some((r) => g.propose_roles.includes(r)))
      throw deny(ctx, `changes to ${body.enum} are proposed by ${g.propose_roles.join(' or ')}`, body.enum);
    const change: Change = { action: body.action, code: body.value, changes: changesOf(body) };
    return { change, target: checkChange(enums, body.enum, change) };
  };

  /** a new pending proposal (409 while another for the same value is pending) */
  const propose = (ctx: GovernanceContext, body: ProposalBody): ProposalRow => {
    const now = clock();
    // the checks and the insert run with no await between them: nothing interleaves
    const { change } = proposable(ctx, body);
    return db.transaction(() => {
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
            ctx.user.username,
            ctx.user.id,
            now.toISOString(),
          ).lastInsertRowid,
      );
      const created = getProposalRow(db, id)!;
      writeAudit(
        db,
        {
          ...ctx.audit,
          action: 'enum_proposal.create',
          resource: 'enum-proposals',
          resource_id: id,
          after: toProposal(created),
          reason: body.rationale,
          outcome: 'success',
        },
        now,
      );
      return created;
    })();
  };

  /** one approval; the last one the governance needs applies the change, checked against the enums as they are */
  const approve = (ctx: GovernanceContext, id: number, version: number | undefined): ProposalRow => {
    const { user } = ctx;
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
      if (missingRoles(g, nextApprovals).length > 0) {
        db.prepare(
          'UPDATE landing_phase1_enum_proposals SET approvals = ?, version = version + 1 WHERE id = ?',
        ).run(JSON.stringify(nextApprovals), id);
        writeAudit(
          db,
          {
            ...ctx.audit,
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
          ...ctx.audit,
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
        ctx,
        result.refused === 'self'
          ? 'a proposal is approved by someone other than its proposer'
          : `proposal ${id} needs approval by ${missingRoles(result.g, result.approvals).join(' and ')}`,
        id,
      );
    }
    return result.row;
  };

  /** a pending proposal refused with the reason, by someone holding an approve role who did not propose it */
  const reject = (ctx: GovernanceContext, id: number, reason: string, version: number | undefined) => {
    const { user } = ctx;
    const now = clock();
    const result = db.transaction((): RejectOutcome => {
      const row = pendingProposal(id, version);
      const g = governanceOf(row.enum_name);
      if (isProposer(row, user))
        return { refused: 'a proposal is rejected by an approver other than its proposer' };
      if (!user.roles.some((r) => g.approve_roles.includes(r)))
        return { refused: `changes to ${row.enum_name} are decided by ${g.approve_roles.join(' and ')}` };
      db.prepare(
        `UPDATE landing_phase1_enum_proposals SET status = 'rejected', version = version + 1, decided_at = ?,
           rejected_by = ?, reject_reason = ? WHERE id = ?`,
      ).run(now.toISOString(), user.username, reason, id);
      writeAudit(
        db,
        {
          ...ctx.audit,
          action: 'enum_proposal.reject',
          resource: 'enum-proposals',
          resource_id: id,
          before: { status: 'pending' },
          after: { status: 'rejected' },
          reason,
          outcome: 'success',
        },
        now,
      );
      return { row: getProposalRow(db, id)! };
    })();
    if ('refused' in result) throw deny(ctx, result.refused, id);
    return result.row;
  };

  return { proposable, propose, approve, reject };
}

export type EnumGovernance = ReturnType<typeof createEnumGovernance>;
