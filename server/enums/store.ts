import type { DB } from '../../db/open.ts';
import type { EnumValueRecord } from '../plan/schemas.ts';
import { type Approval, governanceOf, missingRoles } from './governance.ts';
import type { EnumAction, EnumVersionRecord, ProposalChanges, ProposalRecord } from './schemas.ts';

export interface ProposalRow {
  id: number;
  enum_name: string;
  action: EnumAction;
  code: string;
  changes: string;
  rationale: string;
  status: 'pending' | 'approved' | 'rejected';
  version: number;
  proposed_by: string;
  proposed_by_id: number | null;
  proposed_at: string;
  approvals: string;
  decided_at: string | null;
  rejected_by: string | null;
  reject_reason: string | null;
  applied_version: number | null;
}

export const approvalsOf = (r: ProposalRow) => JSON.parse(r.approvals) as Approval[];

export function toProposal(r: ProposalRow): ProposalRecord {
  const g = governanceOf(r.enum_name);
  const approvals = approvalsOf(r);
  return {
    id: r.id,
    enum: r.enum_name,
    action: r.action,
    code: r.code,
    changes: JSON.parse(r.changes) as ProposalChanges,
    rationale: r.rationale,
    status: r.status,
    version: r.version,
    proposed_by: r.proposed_by,
    proposed_at: r.proposed_at,
    approvals,
    approve_roles: g.approve_roles,
    missing_roles: r.status === 'pending' ? missingRoles(g, approvals) : [],
    decided_at: r.decided_at,
    rejected_by: r.rejected_by,
    reject_reason: r.reject_reason,
    applied_version: r.applied_version,
  };
}

export const getProposalRow = (db: DB, id: number) =>
  db.prepare('SELECT * FROM landing_phase1_enum_proposals WHERE id = ?').get(id) as ProposalRow | undefined;

export function pendingFor(db: DB, enumName: string, code: string): number | undefined {
  return db
    .prepare(
      "SELECT id FROM landing_phase1_enum_proposals WHERE enum_name = ? AND code = ? AND status = 'pending'",
    )
    .pluck()
    .get(enumName, code) as number | undefined;
}

/** the enum's latest version number (1 once seeded) */
export function enumVersion(db: DB, enumName: string): number {
  return (db
    .prepare('SELECT max(version) FROM landing_phase1_enum_versions WHERE enum_name = ?')
    .pluck()
    .get(enumName) ?? 0) as number;
}

export function enumVersions(db: DB): Map<string, number> {
  const rows = db
    .prepare('SELECT enum_name, max(version) AS v FROM landing_phase1_enum_versions GROUP BY enum_name')
    .all() as Array<{ enum_name: string; v: number }>;
  return new Map(rows.map((r) => [r.enum_name, r.v]));
}

interface VersionRow {
  enum_name: string;
  version: number;
  at: string;
  by: string;
  proposal_id: number | null;
  values_json: string;
}

const toVersion = (r: VersionRow): EnumVersionRecord => ({
  id: `${r.enum_name}@${r.version}`,
  enum: r.enum_name,
  version: r.version,
  at: r.at,
  by: r.by,
  proposal_id: r.proposal_id,
  values: JSON.parse(r.values_json) as EnumValueRecord[],
});

/** every version of the enum, newest first */
export function listVersions(db: DB, enumName: string): EnumVersionRecord[] {
  return (
    db
      .prepare('SELECT * FROM landing_phase1_enum_versions WHERE enum_name = ? ORDER BY version DESC')
      .all(enumName) as VersionRow[]
  ).map(toVersion);
}

/** the version in force at `at`: the latest written at or before it */
export function versionAt(db: DB, enumName: string, at: string): EnumVersionRecord | undefined {
  const row = db
    .prepare(
      'SELECT * FROM landing_phase1_enum_versions WHERE enum_name = ? AND at <= ? ORDER BY version DESC LIMIT 1',
    )
    .get(enumName, at) as VersionRow | undefined;
  return row ? toVersion(row) : undefined;
}

export function insertVersion(
  db: DB,
  v: { enum_name: string; version: number; at: string; by: string; proposal_id: number | null },
  values: readonly EnumValueRecord[],
): void {
  db.prepare(
    `INSERT INTO landing_phase1_enum_versions (enum_name, version, at, by, proposal_id, values_json)
     VALUES (@enum_name, @version, @at, @by, @proposal_id, @values_json)`,
  ).run({ ...v, values_json: JSON.stringify(values) });
}

/** writes one value as it is after a change (insert for a new code, update otherwise); triggers bump plan_version */
export function writeValue(db: DB, enumName: string, value: EnumValueRecord, isNew: boolean): void {
  const params = { enum_name: enumName, ...value };
  if (isNew) {
    db.prepare(
      `INSERT INTO landing_phase1_enum_values (enum_name, code, label_en, label_zh, description, status, valid_from,
         deprecated_at, sort_order, policy_group, default_risk_level, default_action_required, min_escalation_level)
       VALUES (@enum_name, @code, @label_en, @label_zh, @description, @status, @valid_from, @deprecated_at,
         @sort_order, @policy_group, @default_risk_level, @default_action_required, @min_escalation_level)`,
    ).run(params);
  } else {
    db.prepare(
      `UPDATE landing_phase1_enum_values SET label_en = @label_en, label_zh = @label_zh, description = @description,
         status = @status, valid_from = @valid_from, deprecated_at = @deprecated_at, sort_order = @sort_order,
         policy_group = @policy_group, default_risk_level = @default_risk_level,
         default_action_required = @default_action_required, min_escalation_level = @min_escalation_level
       WHERE enum_name = @enum_name AND code = @code`,
    ).run(params);
  }
}
