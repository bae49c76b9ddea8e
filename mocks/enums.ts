import { applyChange, type Change, changesOf, checkChange } from '../server/enums/apply.ts';
import { approvalRole, governanceOf, missingRoles } from '../server/enums/governance.ts';
import {
  ALERT_COLUMNS,
  IMPACT_ID_LIMIT,
  IMPACT_WINDOW_DAYS,
  LICENSE_COLUMNS,
  validityFlips,
} from '../server/enums/impact.ts';
import type {
  EnumVersionRecord,
  GovernedEnumRecord,
  Impact,
  ProposalBody,
  ProposalRecord,
} from '../server/enums/schemas.ts';
import { approvalsOf, type ProposalRow, toProposal } from '../server/enums/store.ts';
import type { StoredEvent } from '../server/events/schemas.ts';
import type { SessionUser } from '../server/http/env.ts';
import { ApiError } from '../server/http/errors.ts';
import type { EnumRecord } from '../server/plan/schemas.ts';
import { snapshotOf } from '../server/plan/snapshot.ts';
import { MOCK_USERS, MockApiError, writeAudit } from './access.ts';
import { type MockDb, VALID_FROM } from './data.ts';

/**
 * The mock API's enum governance, as server/enums: every change to an enum is a proposal, applied only once
 * someone other than the proposer has approved it for each of the enum's approve roles. The rules are the
 * server's own pure functions (governance.ts who proposes and approves, apply.ts what a change may be and
 * what it does, store.ts toProposal the record served); proposals are kept as the server's rows. An applied
 * change rewrites the enum in db.enums, which ingest() reads for every batch, so the next ingested event is
 * validated against the new table; each applied change also writes a new version of the enum's whole table.
 * Every proposal, approval, applied change and rejection writes the audit row the server writes.
 */

interface EnumState {
  /** the proposals as the server's rows, in id order */
  proposals: ProposalRow[];
  /** per enum, its versions oldest first (version 1: the seed table) */
  versions: Map<string, EnumVersionRecord[]>;
}

const states = new WeakMap<MockDb, EnumState>();

const DAY_MS = 86_400_000;

/** the enums' governance state of `db`; version 1 of each enum is its table as the state is first read */
function enumState(db: MockDb): EnumState {
  let state = states.get(db);
  if (!state) {
    state = {
      proposals: [],
      versions: new Map(
        db.enums.map((e) => [
          e.name,
          [
            {
              id: `${e.name}@1`,
              enum: e.name,
              version: 1,
              at: VALID_FROM,
              by: 'seed',
              proposal_id: null,
              values: structuredClone(e.values),
            },
          ],
        ]),
      ),
    };
    states.set(db, state);
  }
  return state;
}

/** a refusal of the server's pure checks (ApiError) as the mock's */
function checked<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof ApiError) throw new MockApiError(e.status, e.message, e.errors);
    throw e;
  }
}

const actor = (user: Pick<SessionUser, 'id' | 'username'>) => ({ id: user.id, username: user.username });

/** a refusal by the per-enum role rules: audited as the permission guard's are; the caller throws it */
function deny(
  db: MockDb,
  user: Pick<SessionUser, 'id' | 'username'>,
  where: string,
  message: string,
  subject: string | number,
): MockApiError {
  writeAudit(db, {
    actor: actor(user),
    action: 'access.denied',
    resource: 'enum-proposals',
    resource_id: where,
    reason: `${message} (${subject})`,
    outcome: 'denied',
  });
  return new MockApiError(403, message);
}

// ---------------------------------------------------------------------------------------------- enums

/** the enum's latest version number (1 once seeded) */
export const enumVersion = (db: MockDb, name: string): number =>
  enumState(db).versions.get(name)?.at(-1)?.version ?? 0;

const governed = (db: MockDb, e: EnumRecord): GovernedEnumRecord => ({
  ...e,
  governance: governanceOf(e.name),
  version: enumVersion(db, e.name),
});

/** GET /api/enums: every enum with who governs it and its current version */
export const governedEnums = (db: MockDb): GovernedEnumRecord[] => db.enums.map((e) => governed(db, e));

function enumOr404(db: MockDb, name: string): EnumRecord {
  const e = db.enums.find((x) => x.id === name);
  if (!e) throw new MockApiError(404, `no enum ${name}`);
  return e;
}

/** GET /api/enums/:id */
export const governedEnum = (db: MockDb, name: string): GovernedEnumRecord =>
  governed(db, enumOr404(db, name));

/** the plan's (event, field) pairs whose field takes values of the enum, by event name and field position */
export function fieldsOfEnum(db: MockDb, enumName: string): Array<{ event: string; field: string }> {
  return db.planEvents
    .flatMap((e) => e.fields.filter((f) => f.enum === enumName).map((f) => ({ e, f })))
    .sort((a, b) => (a.e.name === b.e.name ? a.f.position - b.f.position : a.e.name < b.e.name ? -1 : 1))
    .map(({ e, f }) => ({ event: e.name, field: f.name }));
}

/** stored events since `from` (by occurred_at) of the events with fields of the enum, with those fields' values */
function eventsWithFields(db: MockDb, enumName: string, from: string) {
  const byEvent = new Map<string, string[]>();
  for (const { event, field } of fieldsOfEnum(db, enumName))
    byEvent.set(event, [...(byEvent.get(event) ?? []), field]);
  const out: Array<{ event: StoredEvent; values: unknown[] }> = [];
  for (const e of db.events) {
    const fields = byEvent.get(e.event);
    if (!fields || e.occurred_at < from) continue;
    out.push({ event: e, values: fields.map((f) => e.properties[f]) });
  }
  return out;
}

/** GET /api/enums/:id/usage: per value, stored events of the last 7 and 30 days with it in a field of the enum */
export function enumUsage(db: MockDb, name: string, now = Date.now()) {
  const e = enumOr404(db, name);
  const from7 = new Date(now - 7 * DAY_MS).toISOString();
  const from30 = new Date(now - 30 * DAY_MS).toISOString();
  const counts = new Map(e.values.map((v) => [v.code, { code: v.code, last_7d: 0, last_30d: 0 }]));
  for (const row of eventsWithFields(db, e.name, from30)) {
    for (const code of new Set(row.values.filter((v): v is string => typeof v === 'string'))) {
      const c = counts.get(code);
      if (!c) continue;
      c.last_30d++;
      if (row.event.occurred_at >= from7) c.last_7d++;
    }
  }
  return { enum: e.name, fields: fieldsOfEnum(db, e.name), values: [...counts.values()] };
}

/** GET /api/enums/:id/history: every version of the enum, newest first */
export function enumHistory(db: MockDb, name: string): EnumVersionRecord[] {
  const e = enumOr404(db, name);
  return [...(enumState(db).versions.get(e.name) ?? [])].reverse();
}

/** GET /api/enums/:id/history?at=: the version in force at `at` (the latest written at or before it) */
export function enumVersionAt(db: MockDb, name: string, at: string): EnumVersionRecord {
  const e = enumOr404(db, name);
  const when = new Date(at);
  if (at.trim() === '' || Number.isNaN(when.getTime()))
    throw new MockApiError(400, 'at must be an ISO-8601 date-time', { at: 'not a date-time' });
  const iso = when.toISOString();
  const version = (enumState(db).versions.get(e.name) ?? []).findLast((v) => v.at <= iso);
  if (!version) throw new MockApiError(404, `${e.name} had no version at ${iso}`);
  return version;
}

// ---------------------------------------------------------------------------------------------- impact

function idsUsing<T extends { id: number }>(
  records: readonly T[],
  columns: string[] | undefined,
  open: (record: T) => boolean,
  code: string,
) {
  if (!columns?.length) return { total: 0, ids: [] as number[] };
  const ids = records
    .filter((r) => open(r) && columns.some((c) => (r as unknown as Record<string, unknown>)[c] === code))
    .map((r) => r.id)
    .sort((a, b) => a - b);
  return { total: ids.length, ids: ids.slice(0, IMPACT_ID_LIMIT) };
}

/**
 * What a change would do, as the server's impactOf: the stored events of the last 7 days that carry the
 * value in a field of the enum, validated against the current table and against the table with the change
 * in force over the whole window; those whose validity flips are counted each way. Plus the open licences
 * (pending or approved) and unresolved alerts that use the value.
 */
export function impactOf(db: MockDb, enumName: string, change: Change, now = Date.now()): Impact {
  const from = new Date(now - IMPACT_WINDOW_DAYS * DAY_MS).toISOString();
  const before = snapshotOf(1, db.planEvents, db.enums);
  const hypothetical = snapshotOf(
    -1,
    db.planEvents,
    db.enums.map((e) => (e.name === enumName ? { ...e, values: applyChange(e.values, change, from) } : e)),
  );
  const flips = validityFlips(
    before,
    hypothetical,
    change.code,
    eventsWithFields(db, enumName, from).map((row) => ({
      values: row.values,
      input: {
        event: row.event.event,
        occurredAt: row.event.occurred_at,
        properties: row.event.properties,
      },
    })),
  );
  return {
    window_from: from,
    ...flips,
    licenses: idsUsing(
      db.licenses,
      LICENSE_COLUMNS[enumName],
      (l) => l.status === 'pending' || l.status === 'approved',
      change.code,
    ),
    alerts: idsUsing(db.alerts, ALERT_COLUMNS[enumName], (a) => a.state !== 'resolved', change.code),
  };
}

// ---------------------------------------------------------------------------------------------- proposals

const changeOf = (r: ProposalRow): Change => ({
  action: r.action,
  code: r.code,
  changes: JSON.parse(r.changes),
});

/** a pending proposal with its impact as of now (a decided one has none: it was already applied or not) */
function withImpact(db: MockDb, r: ProposalRow, now: number): ProposalRecord {
  const record = toProposal(r);
  return r.status === 'pending' ? { ...record, impact: impactOf(db, r.enum_name, changeOf(r), now) } : record;
}

/** whether this user could approve the proposal now */
const mayApprove = (user: SessionUser, r: ProposalRow) =>
  r.status === 'pending' &&
  !('refused' in approvalRole(governanceOf(r.enum_name), { ...r, approvals: approvalsOf(r) }, user));

/**
 * GET /api/enum-proposals before the plain filters: every proposal in id order, only the user's own with
 * `mine`, only those they could approve now with `toApprove`
 */
export function proposalRecords(
  db: MockDb,
  user: SessionUser,
  only: { mine?: boolean; toApprove?: boolean } = {},
): ProposalRecord[] {
  return enumState(db)
    .proposals.filter(
      (r) => (!only.mine || r.proposed_by_id === user.id) && (!only.toApprove || mayApprove(user, r)),
    )
    .map(toProposal);
}

/** GET /api/enum-proposals/:id: with its impact while pending */
export function proposalDetail(db: MockDb, id: number, now = Date.now()): ProposalRecord {
  const row = enumState(db).proposals.find((r) => r.id === id);
  if (!row) throw new MockApiError(404, `no enum proposal ${id}`);
  return withImpact(db, row, now);
}

/** whether this user may propose the change, and the change: 404 unknown enum, 403, then apply.ts's checks */
function proposable(db: MockDb, body: ProposalBody, user: SessionUser, where: string): Change {
  if (!db.enums.some((e) => e.name === body.enum))
    throw new MockApiError(404, `no enum ${body.enum}`, { enum: `unknown enum ${body.enum}` });
  const g = governanceOf(body.enum);
  if (!user.roles.some((r) => g.propose_roles.includes(r)))
    throw deny(
      db,
      user,
      where,
      `changes to ${body.enum} are proposed by ${g.propose_roles.join(' or ')}`,
      body.enum,
    );
  const change: Change = { action: body.action, code: body.value, changes: changesOf(body) };
  checked(() => checkChange(db.enums, body.enum, change));
  return change;
}

/** POST /api/enum-proposals/impact: what the proposal would do, storing nothing */
export function previewImpact(
  db: MockDb,
  body: ProposalBody,
  user: SessionUser,
  where: string,
  now = Date.now(),
): Impact {
  return impactOf(db, body.enum, proposable(db, body, user, where), now);
}

/** POST /api/enum-proposals: a pending proposal (409 while another for the same value is pending), audited */
export function propose(
  db: MockDb,
  body: ProposalBody,
  user: SessionUser,
  where: string,
  now = Date.now(),
): ProposalRecord {
  const state = enumState(db);
  const change = proposable(db, body, user, where);
  const pending = state.proposals.find(
    (r) => r.enum_name === body.enum && r.code === body.value && r.status === 'pending',
  );
  if (pending)
    throw new MockApiError(409, `proposal ${pending.id} for ${body.enum}.${body.value} is still pending`, {
      value: `pending proposal ${pending.id}`,
    });
  const at = new Date(now).toISOString();
  const row: ProposalRow = {
    id: (state.proposals.at(-1)?.id ?? 0) + 1,
    enum_name: body.enum,
    action: body.action,
    code: body.value,
    changes: JSON.stringify(change.changes),
    rationale: body.rationale,
    status: 'pending',
    version: 1,
    proposed_by: user.username,
    proposed_by_id: user.id,
    proposed_at: at,
    approvals: '[]',
    decided_at: null,
    rejected_by: null,
    reject_reason: null,
    applied_version: null,
  };
  state.proposals.push(row);
  writeAudit(
    db,
    {
      actor: actor(user),
      action: 'enum_proposal.create',
      resource: 'enum-proposals',
      resource_id: row.id,
      after: toProposal(row),
      reason: body.rationale,
      outcome: 'success',
    },
    at,
  );
  return withImpact(db, row, now);
}

/** the proposal, still pending and at the version read (when one was sent): 404 / 409 otherwise */
function pendingProposal(db: MockDb, id: number, version: number | undefined): ProposalRow {
  const row = enumState(db).proposals.find((r) => r.id === id);
  if (!row) throw new MockApiError(404, `no enum proposal ${id}`);
  if (row.status !== 'pending') throw new MockApiError(409, `proposal ${id} is already ${row.status}`);
  if (version !== undefined && version !== row.version)
    throw new MockApiError(409, `proposal ${id} changed since you read it (version ${row.version})`, {
      version: `is ${row.version}`,
    });
  return row;
}

/**
 * POST /api/enum-proposals/:id/approve: an approval for the first missing role the user holds (never the
 * proposer's, never twice by one person); the last one applies the change, dated now, as a new version of
 * the enum's table
 */
export function approveProposal(
  db: MockDb,
  id: number,
  version: number | undefined,
  user: SessionUser,
  where: string,
  now = Date.now(),
): ProposalRecord {
  const row = pendingProposal(db, id, version);
  const g = governanceOf(row.enum_name);
  const approvals = approvalsOf(row);
  const decision = approvalRole(g, { ...row, approvals }, user);
  if ('refused' in decision) {
    if (decision.refused === 'again') throw new MockApiError(409, `you already approved proposal ${id}`);
    throw deny(
      db,
      user,
      where,
      decision.refused === 'self'
        ? 'a proposal is approved by someone other than its proposer'
        : `proposal ${id} needs approval by ${missingRoles(g, approvals).join(' and ')}`,
      id,
    );
  }
  const at = new Date(now).toISOString();
  const nextApprovals = [
    ...approvals,
    { username: user.username, user_id: user.id, role: decision.role, at },
  ];
  if (missingRoles(g, nextApprovals).length > 0) {
    Object.assign(row, { approvals: JSON.stringify(nextApprovals), version: row.version + 1 });
    writeAudit(
      db,
      {
        actor: actor(user),
        action: 'enum_proposal.approve',
        resource: 'enum-proposals',
        resource_id: id,
        before: { approvals },
        after: { approvals: nextApprovals, missing_roles: missingRoles(g, nextApprovals) },
        outcome: 'success',
      },
      at,
    );
    return toProposal(row);
  }
  // all roles satisfied: apply the change now, as checked against the enums as they stand now
  const change = changeOf(row);
  const target = checked(() => checkChange(db.enums, row.enum_name, change));
  const values = applyChange(target.values, change, at);
  const before = target.values.find((v) => v.code === row.code) ?? null;
  const after = values.find((v) => v.code === row.code)!;
  // db.enums is what ingest() validates against: the next event sees the new table
  target.values = values;
  const applied = enumVersion(db, row.enum_name) + 1;
  const versions = enumState(db).versions;
  versions.set(row.enum_name, [
    ...(versions.get(row.enum_name) ?? []),
    {
      id: `${row.enum_name}@${applied}`,
      enum: row.enum_name,
      version: applied,
      at,
      by: user.username,
      proposal_id: id,
      values: structuredClone(values),
    },
  ]);
  Object.assign(row, {
    approvals: JSON.stringify(nextApprovals),
    version: row.version + 1,
    status: 'approved',
    decided_at: at,
    applied_version: applied,
  } satisfies Partial<ProposalRow>);
  writeAudit(
    db,
    {
      actor: actor(user),
      action: `enum.${row.action}`,
      resource: 'enums',
      resource_id: `${row.enum_name}.${row.code}`,
      before,
      after,
      reason: `proposal ${id} (by ${row.proposed_by}, approved by ${nextApprovals.map((a) => `${a.username} as ${a.role}`).join(', ')}): ${row.rationale}`,
      outcome: 'success',
    },
    at,
  );
  return toProposal(row);
}

/** POST /api/enum-proposals/:id/reject: by someone other than the proposer holding one of the approve roles */
export function rejectProposal(
  db: MockDb,
  id: number,
  reason: string,
  version: number | undefined,
  user: SessionUser,
  where: string,
  now = Date.now(),
): ProposalRecord {
  const row = pendingProposal(db, id, version);
  const g = governanceOf(row.enum_name);
  if (row.proposed_by_id === user.id)
    throw deny(db, user, where, 'a proposal is rejected by an approver other than its proposer', id);
  if (!user.roles.some((r) => g.approve_roles.includes(r)))
    throw deny(
      db,
      user,
      where,
      `changes to ${row.enum_name} are decided by ${g.approve_roles.join(' and ')}`,
      id,
    );
  const at = new Date(now).toISOString();
  Object.assign(row, {
    status: 'rejected',
    version: row.version + 1,
    decided_at: at,
    rejected_by: user.username,
    reject_reason: reason,
  } satisfies Partial<ProposalRow>);
  writeAudit(
    db,
    {
      actor: actor(user),
      action: 'enum_proposal.reject',
      resource: 'enum-proposals',
      resource_id: id,
      before: { status: 'pending' },
      after: { status: 'rejected' },
      reason,
      outcome: 'success',
    },
    at,
  );
  return toProposal(row);
}

// ---------------------------------------------------------------------------------------------- seed

const HOUR_MS = 3_600_000;

/** a mock user as signed in (ids are 1, 2, … in MOCK_USERS order, as seedAccess creates them) */
function mockUser(username: string): SessionUser {
  const index = MOCK_USERS.findIndex((u) => u.username === username);
  const user = MOCK_USERS[index];
  if (!user) throw new Error(`no mock user ${username}`);
  return {
    id: index + 1,
    username,
    display_name: user.display_name,
    roles: [...user.roles],
    team: user.team,
  };
}

/**
 * A few proposals so the API-less console's governance screens show each state: a persona_tag addition
 * approved (persona_tag version 2), a queue_type addition rejected with its reason, a policy_tag relabel by
 * a compliance reviewer awaiting another reviewer, and a failure_code addition by a planner that another
 * planner approved, awaiting a compliance reviewer.
 */
export function generateEnumProposals(db: MockDb, now: number): MockDb {
  const planner = mockUser('planner');
  const planner2 = mockUser('planner2');
  const reviewer = mockUser('reviewer');
  const ago = (hours: number) => now - hours * HOUR_MS;
  const seeded = 'seed';
  const persona = propose(
    db,
    {
      enum: 'persona_tag',
      action: 'add',
      value: 'brand_inhouse',
      label_en: 'Brand in-house team (C)',
      label_zh: '品牌自营团队（C）',
      description: 'Brands producing their own campaigns, neither a studio nor a contractor',
      rationale: 'Brand teams apply as creator studios today, which skews the Persona A numbers',
    },
    planner,
    seeded,
    ago(72),
  );
  approveProposal(db, persona.id, persona.version, planner2, seeded, ago(60));
  const queue = propose(
    db,
    {
      enum: 'queue_type',
      action: 'add',
      value: 'priority',
      label_en: 'Priority',
      label_zh: '优先队列',
      rationale: 'The platform plans a paid priority queue above fast',
    },
    planner2,
    seeded,
    ago(48),
  );
  rejectProposal(
    db,
    queue.id,
    'No such queue is scheduled yet; add it when the platform sends it',
    queue.version,
    planner,
    seeded,
    ago(40),
  );
  propose(
    db,
    {
      enum: 'policy_tag',
      action: 'relabel',
      value: 'B1',
      label_en: 'Exaggerated or misleading copy',
      label_zh: '文案夸大或误导宣传',
      rationale: 'Reviewers also use B1 for misleading claims; the label should say so',
    },
    reviewer,
    seeded,
    ago(5),
  );
  const failure = propose(
    db,
    {
      enum: 'failure_code',
      action: 'add',
      value: 'quota_exceeded',
      label_en: 'Quota exceeded',
      label_zh: '配额超限',
      rationale: 'The platform now fails tasks over the daily template quota with a code of its own',
    },
    planner,
    seeded,
    ago(3),
  );
  approveProposal(db, failure.id, failure.version, planner2, seeded, ago(2));
  return db;
}
