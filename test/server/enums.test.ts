import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, SEED_VALID_FROM, seedPlan } from '../../db/open.ts';
import type { AppDeps } from '../../server/app.ts';
import type { AuditRow } from '../../server/audit/log.ts';
import type {
  EnumVersionRecord,
  GovernedEnumRecord,
  Impact,
  ProposalRecord,
} from '../../server/enums/schemas.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { readPlanVersion } from '../../server/plan/snapshot.ts';
import { landingView, licenseApply, riskAlert, type TestApp, testApp } from './helpers.ts';

/**
 * Enum governance: every change to an enum is a proposal that takes effect only when approved by someone
 * other than the proposer holding the required role(s); an approved change applies to the very next
 * ingested event, is audited with before/after and writes a new version of the enum's table.
 */

let t: TestApp;
/** the app's clock: tests move it forward to date approvals apart */
let clock: Date;
const setUp = (overrides: Partial<AppDeps> = {}) => {
  clock = new Date('2026-11-25T04:00:00.000Z');
  t = testApp({ clock: () => clock, ...overrides });
};
beforeEach(() => setUp());
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const at = (iso: string) => {
  clock = new Date(iso);
};

async function errorOf(res: Response, status: number): Promise<ErrorBody> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function ok<T>(res: Response, status = 200): Promise<T> {
  const body = (await res.json()) as T;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

const planner = () => t.as('product_planner');
const planner2 = () => t.asUser('planner_two', ['product_planner']);
const reviewer = () => t.as('compliance_reviewer');
const reviewer2 = () => t.asUser('reviewer_two', ['compliance_reviewer']);

const propose = (who: ReturnType<typeof planner>, body: Record<string, unknown>) =>
  who.send('POST', '/api/enum-proposals', { rationale: 'because', ...body });
const approve = (who: ReturnType<typeof planner>, id: number, body: Record<string, unknown> = {}) =>
  who.send('POST', `/api/enum-proposals/${id}/approve`, body);
const reject = (who: ReturnType<typeof planner>, id: number, reason: string, version?: number) =>
  who.send('POST', `/api/enum-proposals/${id}/reject`, { reason, ...(version ? { version } : {}) });

/** ingests one event and answers its stored violations */
async function ingest(event: ReturnType<typeof landingView>) {
  const res = await t.post('/api/events', event);
  expect(res.status).toBe(200);
  const row = t.db
    .prepare('SELECT violations FROM landing_phase1_events WHERE event_id = ?')
    .get(event.event_id) as { violations: string };
  return JSON.parse(row.violations) as Array<{ field: string; rule: string }>;
}

const storedValue = (enumName: string, code: string) =>
  t.db
    .prepare('SELECT * FROM landing_phase1_enum_values WHERE enum_name = ? AND code = ?')
    .get(enumName, code) as Record<string, unknown> | undefined;

const auditRows = (action: string) =>
  t.db
    .prepare('SELECT * FROM landing_phase1_audit_log WHERE action = ? ORDER BY id')
    .all(action) as AuditRow[];

describe('GET /api/enums', () => {
  it('answers every enum with its values, governance and version', async () => {
    const list = await ok<GovernedEnumRecord[]>(await t.get('/api/enums?range=[0,99]'));
    expect(list.map((e) => e.name)).toContain('failure_code');
    expect(list).toHaveLength(12);
    for (const e of list) expect(e.version).toBe(1);
    const failure = list.find((e) => e.name === 'failure_code')!;
    expect(failure.governance).toEqual({
      owner_team: 'product-planning',
      propose_roles: ['product_planner', 'compliance_reviewer'],
      approve_roles: ['product_planner', 'compliance_reviewer'],
    });
    const tag = await ok<GovernedEnumRecord>(await t.get('/api/enums/policy_tag'));
    expect(tag.governance).toEqual({
      owner_team: 'operations-compliance',
      propose_roles: ['compliance_reviewer', 'product_planner'],
      approve_roles: ['compliance_reviewer'],
    });
    expect(tag.values.find((v) => v.code === 'D3')).toMatchObject({ policy_group: 'D', status: 'active' });
    const bucket = await ok<GovernedEnumRecord>(await t.get('/api/enums/ab_bucket'));
    expect(bucket.governance.approve_roles).toEqual(['product_planner']);
    await errorOf(await t.get('/api/enums/nope'), 404);
  });
});

describe('proposal → approval → the next ingested event', () => {
  it('an added value is out_of_enum before approval and valid right after it, with no restart', async () => {
    const planBefore = readPlanVersion(t.db);
    const created = await ok<ProposalRecord>(
      await propose(planner(), {
        enum: 'ab_bucket',
        action: 'add',
        value: 'C',
        label_en: 'Bucket C',
        label_zh: 'C 组',
      }),
      201,
    );
    expect(created).toMatchObject({
      status: 'pending',
      proposed_by: 'product_planner',
      rationale: 'because',
      version: 1,
      missing_roles: ['product_planner'],
      changes: { label_en: 'Bucket C', label_zh: 'C 组' },
    });
    expect(created.impact).toBeDefined();
    expect(await ingest(landingView('before', { ab_bucket: 'C' }))).toEqual([
      { field: 'ab_bucket', rule: 'out_of_enum' },
    ]);
    expect(storedValue('ab_bucket', 'C')).toBeUndefined();

    const approved = await ok<ProposalRecord>(await approve(planner2(), created.id, { version: 1 }));
    expect(approved).toMatchObject({
      status: 'approved',
      applied_version: 2,
      decided_at: clock.toISOString(),
    });
    expect(approved.approvals).toEqual([
      {
        username: 'planner_two',
        user_id: expect.any(Number),
        role: 'product_planner',
        at: clock.toISOString(),
      },
    ]);
    expect(readPlanVersion(t.db)).toBeGreaterThan(planBefore);
    expect(storedValue('ab_bucket', 'C')).toMatchObject({
      status: 'active',
      valid_from: clock.toISOString(),
      sort_order: 3,
      label_en: 'Bucket C',
    });
    // the next event (dated after the value's valid_from) validates against the new table
    expect(await ingest(landingView('after', { ab_bucket: 'C' }, '2026-11-25T04:30:00.000Z'))).toEqual([]);
    // one dated before the value existed is still out of the enum
    expect(await ingest(landingView('older', { ab_bucket: 'C' }, '2026-11-25T03:00:00.000Z'))).toEqual([
      { field: 'ab_bucket', rule: 'out_of_enum' },
    ]);
    const e = await ok<GovernedEnumRecord>(await t.get('/api/enums/ab_bucket'));
    expect(e.version).toBe(2);
    expect(e.values.map((v) => v.code)).toEqual(['A', 'B', 'C']);
  });

  it('the approval is audited once with the value before and after, in the same transaction', async () => {
    const p = await ok<ProposalRecord>(
      await propose(planner(), {
        enum: 'cta_id',
        action: 'relabel',
        value: 'view_cases',
        label_en: 'See cases',
      }),
      201,
    );
    expect(auditRows('enum_proposal.create')).toHaveLength(1);
    await ok(await approve(planner2(), p.id));
    const [row, ...more] = auditRows('enum.relabel');
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ actor: 'planner_two', resource: 'enums', resource_id: 'cta_id.view_cases' });
    expect(JSON.parse(row!.before!)).toMatchObject({ code: 'view_cases', label_en: 'View cases' });
    expect(JSON.parse(row!.after!)).toMatchObject({
      code: 'view_cases',
      label_en: 'See cases',
      label_zh: '看案例',
    });
    expect(row!.reason).toContain(`proposal ${p.id}`);
    expect(storedValue('cta_id', 'view_cases')).toMatchObject({ label_en: 'See cases' });
  });

  it('update_mapping of a policy tag applies to the next risk_alert (escalation below the new minimum)', async () => {
    const p = await ok<ProposalRecord>(
      await propose(planner(), {
        enum: 'policy_tag',
        action: 'update_mapping',
        value: 'D1',
        min_escalation_level: 'compliance_committee',
      }),
      201,
    );
    expect(p.missing_roles).toEqual(['compliance_reviewer']);
    expect(await ingest(riskAlert('ra-1', 'al-1', 'task-1') as never)).toEqual([]);
    await ok(await approve(reviewer(), p.id));
    expect(storedValue('policy_tag', 'D1')).toMatchObject({ min_escalation_level: 'compliance_committee' });
    expect(await ingest(riskAlert('ra-2', 'al-2', 'task-2') as never)).toEqual([
      { field: 'escalation_level', rule: 'escalation_below_policy' },
    ]);
    const audit = auditRows('enum.update_mapping')[0]!;
    expect(JSON.parse(audit.before!)).toMatchObject({ min_escalation_level: 'ops_review' });
    expect(JSON.parse(audit.after!)).toMatchObject({ min_escalation_level: 'compliance_committee' });
  });
});

describe('who approves', () => {
  it('self-approval is refused (403, audited as denied) and changes nothing', async () => {
    const p = await ok<ProposalRecord>(
      await propose(planner(), {
        enum: 'ab_bucket',
        action: 'add',
        value: 'C',
        label_en: 'C',
        label_zh: 'C',
      }),
      201,
    );
    const err = await errorOf(await approve(planner(), p.id), 403);
    expect(err.message).toMatch(/other than its proposer/);
    const denied = auditRows('access.denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      actor: 'product_planner',
      outcome: 'denied',
      resource_id: `POST /api/enum-proposals/${p.id}/approve`,
    });
    const after = await ok<ProposalRecord>(await t.get(`/api/enum-proposals/${p.id}`));
    expect(after).toMatchObject({ status: 'pending', version: 1, approvals: [] });
    expect(storedValue('ab_bucket', 'C')).toBeUndefined();
    // nor may the proposer reject it
    await errorOf(await reject(planner(), p.id, 'changed my mind'), 403);
  });

  it('failure_code needs a product planner and a compliance reviewer, two people, neither the proposer', async () => {
    const p = await ok<ProposalRecord>(
      await propose(planner(), {
        enum: 'failure_code',
        action: 'add',
        value: 'quota_exceeded',
        label_en: 'Quota exceeded',
        label_zh: '配额超限',
      }),
      201,
    );
    expect(p.missing_roles).toEqual(['product_planner', 'compliance_reviewer']);
    const first = await ok<ProposalRecord>(await approve(reviewer(), p.id, { version: 1 }));
    expect(first).toMatchObject({ status: 'pending', version: 2, missing_roles: ['product_planner'] });
    expect(storedValue('failure_code', 'quota_exceeded')).toBeUndefined();
    expect(auditRows('enum_proposal.approve')).toHaveLength(1);
    // the same reviewer again: 409; another reviewer: their role is already satisfied (403); the proposer: 403
    await errorOf(await approve(reviewer(), p.id), 409);
    await errorOf(await approve(reviewer2(), p.id), 403);
    await errorOf(await approve(planner(), p.id), 403);
    // a stale version
    await errorOf(await approve(planner2(), p.id, { version: 1 }), 409);
    const done = await ok<ProposalRecord>(await approve(planner2(), p.id, { version: 2 }));
    expect(done).toMatchObject({ status: 'approved', missing_roles: [], applied_version: 2 });
    expect(done.approvals.map((a) => [a.username, a.role])).toEqual([
      ['compliance_reviewer', 'compliance_reviewer'],
      ['planner_two', 'product_planner'],
    ]);
    expect(storedValue('failure_code', 'quota_exceeded')).toMatchObject({ status: 'active' });
    await errorOf(await approve(reviewer2(), p.id), 409);
  });

  it('a planner may propose a policy_tag change but not approve it; a reviewer may; engineers do neither', async () => {
    const body = { enum: 'policy_tag', action: 'relabel', value: 'A1', label_en: 'Material incomplete' };
    await errorOf(await propose(t.as('engineer'), body), 403);
    await errorOf(await propose(t.as('ops'), body), 403);
    const p = await ok<ProposalRecord>(await propose(planner(), body), 201);
    await errorOf(await approve(planner2(), p.id), 403);
    await errorOf(await approve(t.as('engineer'), p.id), 403);
    await ok(await approve(reviewer(), p.id));
    expect(storedValue('policy_tag', 'A1')).toMatchObject({ label_en: 'Material incomplete' });
    // a reviewer may not propose or approve ab_bucket changes (product planning's)
    const err = await errorOf(
      await propose(reviewer(), {
        enum: 'ab_bucket',
        action: 'add',
        value: 'C',
        label_en: 'C',
        label_zh: 'C',
      }),
      403,
    );
    expect(err.message).toMatch(/product_planner/);
    const q = await ok<ProposalRecord>(
      await propose(planner(), {
        enum: 'ab_bucket',
        action: 'add',
        value: 'C',
        label_en: 'C',
        label_zh: 'C',
      }),
      201,
    );
    await errorOf(await approve(reviewer(), q.id), 403);
    await errorOf(await reject(reviewer(), q.id, 'no'), 403);
    // every refusal above was audited
    expect(auditRows('access.denied').length).toBeGreaterThanOrEqual(6);
  });
});

describe('reject', () => {
  it('keeps the reason, changes nothing, and a decided proposal cannot be decided again', async () => {
    const planBefore = readPlanVersion(t.db);
    const p = await ok<ProposalRecord>(
      await propose(planner(), { enum: 'ab_bucket', action: 'deprecate', value: 'B' }),
      201,
    );
    await errorOf(await planner2().send('POST', `/api/enum-proposals/${p.id}/reject`, {}), 400);
    await errorOf(await reject(planner2(), p.id, 'stale', 7), 409);
    const rejected = await ok<ProposalRecord>(await reject(planner2(), p.id, 'the experiment still runs', 1));
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejected_by: 'planner_two',
      reject_reason: 'the experiment still runs',
      decided_at: clock.toISOString(),
      applied_version: null,
    });
    expect(storedValue('ab_bucket', 'B')).toMatchObject({ status: 'active', deprecated_at: null });
    expect(readPlanVersion(t.db)).toBe(planBefore);
    expect((await ok<EnumVersionRecord[]>(await t.get('/api/enums/ab_bucket/history'))).length).toBe(1);
    expect(auditRows('enum_proposal.reject')[0]).toMatchObject({ reason: 'the experiment still runs' });
    await errorOf(await approve(planner2(), p.id), 409);
    await errorOf(await reject(planner2(), p.id, 'again'), 409);
    // the value is free for a new proposal once the first is decided
    await ok(await propose(planner(), { enum: 'ab_bucket', action: 'deprecate', value: 'B' }), 201);
  });
});

describe('validation of each action', () => {
  it('400 for a malformed body, naming the fields', async () => {
    const p = planner();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ enum: 'ab_bucket', action: 'rename', value: 'A' }, 'action'],
      [{ enum: 'ab_bucket', action: 'add', value: 'bad code', label_en: 'x', label_zh: 'x' }, 'value'],
      [{ enum: 'ab_bucket', action: 'add', value: 'C', label_zh: 'x' }, 'label_en'],
      [{ enum: 'ab_bucket', action: 'add', value: 'C', label_en: '', label_zh: 'x' }, 'label_en'],
      [
        { enum: 'ab_bucket', action: 'add', value: 'C', label_en: 'x'.repeat(201), label_zh: 'x' },
        'label_en',
      ],
      [{ enum: 'ab_bucket', action: 'relabel', value: 'A' }, 'label_en'],
      [{ enum: 'ab_bucket', action: 'deprecate', value: 'A', extra: 1 }, '(body)'],
      [{ enum: 'policy_tag', action: 'update_mapping', value: 'A1', policy_group: 'E' }, 'policy_group'],
      [{ enum: 'policy_tag', action: 'update_mapping', value: 'A1' }, 'policy_group'],
    ];
    for (const [body, field] of cases) {
      const err = await errorOf(await propose(p, body), 400);
      expect(Object.keys(err.errors ?? {}).join(' '), JSON.stringify(body)).toContain(
        field === '(body)' ? '' : field,
      );
    }
    const noRationale = await errorOf(
      await p.send('POST', '/api/enum-proposals', { enum: 'ab_bucket', action: 'deprecate', value: 'A' }),
      400,
    );
    expect(noRationale.errors).toHaveProperty('rationale');
    const blank = await errorOf(
      await propose(p, { enum: 'ab_bucket', action: 'deprecate', value: 'A', rationale: ' ' }),
      400,
    );
    expect(blank.errors).toHaveProperty('rationale');
    expect(t.db.prepare('SELECT count(*) FROM landing_phase1_enum_proposals').pluck().get()).toBe(0);
  });

  it('404 for an unknown enum or value, 409 for an existing or pending code or a value in the wrong state', async () => {
    const p = planner();
    expect(
      (await errorOf(await propose(p, { enum: 'nope', action: 'deprecate', value: 'A' }), 404)).errors,
    ).toHaveProperty('enum');
    for (const action of ['relabel', 'deprecate', 'reactivate']) {
      const body = {
        enum: 'ab_bucket',
        action,
        value: 'Z',
        ...(action === 'relabel' ? { label_en: 'Z' } : {}),
      };
      expect((await errorOf(await propose(p, body), 404)).errors).toHaveProperty('value');
    }
    expect(
      (
        await errorOf(
          await propose(p, { enum: 'ab_bucket', action: 'add', value: 'A', label_en: 'A', label_zh: 'A' }),
          409,
        )
      ).errors,
    ).toHaveProperty('value');
    await errorOf(await propose(p, { enum: 'ab_bucket', action: 'reactivate', value: 'A' }), 409);
    const first = await ok<ProposalRecord>(
      await propose(p, { enum: 'ab_bucket', action: 'deprecate', value: 'A' }),
      201,
    );
    const dup = await errorOf(
      await propose(p, { enum: 'ab_bucket', action: 'relabel', value: 'A', label_en: 'AA' }),
      409,
    );
    expect(dup.message).toContain(`proposal ${first.id}`);
    await ok(await approve(planner2(), first.id));
    // a decided proposal shows no impact (it was applied already)
    expect((await ok<ProposalRecord>(await t.get(`/api/enum-proposals/${first.id}`))).impact).toBeUndefined();
    await errorOf(await propose(p, { enum: 'ab_bucket', action: 'deprecate', value: 'A' }), 409);
    // a deprecated code cannot be added again: it is reactivated
    await errorOf(
      await propose(p, { enum: 'ab_bucket', action: 'add', value: 'A', label_en: 'A', label_zh: 'A' }),
      409,
    );
    const back = await ok<ProposalRecord>(
      await propose(p, { enum: 'ab_bucket', action: 'reactivate', value: 'A' }),
      201,
    );
    await ok(await approve(planner2(), back.id));
    expect(storedValue('ab_bucket', 'A')).toMatchObject({ status: 'active', deprecated_at: null });
    await errorOf(await approve(planner2(), 999), 404);
    await errorOf(await t.get('/api/enum-proposals/999'), 404);
    await errorOf(await t.get('/api/enum-proposals/abc'), 400);
  });

  it('422 for mapping fields outside policy_tag, missing on a new policy_tag, or not active values', async () => {
    const r = reviewer();
    const onBucket = await errorOf(
      await propose(planner(), {
        enum: 'ab_bucket',
        action: 'update_mapping',
        value: 'A',
        policy_group: 'A',
      }),
      422,
    );
    expect(onBucket.errors).toHaveProperty('action');
    const mappingElsewhere = await errorOf(
      await propose(r, {
        enum: 'risk_level',
        action: 'add',
        value: 'critical',
        label_en: 'C',
        label_zh: 'C',
        policy_group: 'A',
      }),
      422,
    );
    expect(mappingElsewhere.errors).toHaveProperty('policy_group');
    const missing = await errorOf(
      await propose(r, {
        enum: 'policy_tag',
        action: 'add',
        value: 'E1',
        label_en: 'E',
        label_zh: 'E',
        policy_group: 'A',
      }),
      422,
    );
    expect(Object.keys(missing.errors ?? {}).sort()).toEqual([
      'default_action_required',
      'default_risk_level',
      'min_escalation_level',
    ]);
    const notValue = await errorOf(
      await propose(r, {
        enum: 'policy_tag',
        action: 'update_mapping',
        value: 'A1',
        default_risk_level: 'extreme',
      }),
      422,
    );
    expect(notValue.errors).toEqual({ default_risk_level: 'extreme is not an active risk_level' });
    // a deprecated risk level is not active any more
    const dep = await ok<ProposalRecord>(
      await propose(r, { enum: 'risk_level', action: 'deprecate', value: 'low' }),
      201,
    );
    await ok(await approve(reviewer2(), dep.id));
    const deprecated = await errorOf(
      await propose(r, {
        enum: 'policy_tag',
        action: 'update_mapping',
        value: 'A1',
        default_risk_level: 'low',
      }),
      422,
    );
    expect(deprecated.errors).toHaveProperty('default_risk_level');
    // a complete new policy tag is accepted
    await ok(
      await propose(r, {
        enum: 'policy_tag',
        action: 'add',
        value: 'E1',
        label_en: 'E',
        label_zh: 'E',
        policy_group: 'D',
        default_risk_level: 'high',
        default_action_required: 'escalate_review',
        min_escalation_level: 'compliance_committee',
      }),
      201,
    );
  });
});

describe('deprecation', () => {
  it('is dated at approval: events before it stay valid, events after are out_of_enum', async () => {
    const p = await ok<ProposalRecord>(
      await propose(planner(), { enum: 'ab_bucket', action: 'deprecate', value: 'B' }),
      201,
    );
    at('2026-11-25T04:10:00.000Z');
    await ok(await approve(planner2(), p.id));
    expect(storedValue('ab_bucket', 'B')).toMatchObject({
      status: 'deprecated',
      deprecated_at: '2026-11-25T04:10:00.000Z',
      valid_from: SEED_VALID_FROM,
    });
    expect(await ingest(landingView('before', { ab_bucket: 'B' }, '2026-11-25T04:09:59.999Z'))).toEqual([]);
    expect(await ingest(landingView('at', { ab_bucket: 'B' }, '2026-11-25T04:10:00.000Z'))).toEqual([
      { field: 'ab_bucket', rule: 'out_of_enum' },
    ]);
    expect(await ingest(landingView('after', { ab_bucket: 'B' }, '2026-11-25T06:00:00.000Z'))).toEqual([
      { field: 'ab_bucket', rule: 'out_of_enum' },
    ]);
    // never deleted: still listed, as deprecated
    const e = await ok<GovernedEnumRecord>(await t.get('/api/enums/ab_bucket'));
    expect(e.values.find((v) => v.code === 'B')?.status).toBe('deprecated');
  });
});

describe('history', () => {
  it('lists every version newest first and answers the table as it stood at any instant', async () => {
    const rel = await ok<ProposalRecord>(
      await propose(planner(), { enum: 'rank_type', action: 'relabel', value: 'hot', label_en: 'Trending' }),
      201,
    );
    at('2026-11-25T04:10:00.000Z');
    await ok(await approve(planner2(), rel.id));
    const dep = await ok<ProposalRecord>(
      await propose(planner(), { enum: 'rank_type', action: 'deprecate', value: 'new' }),
      201,
    );
    at('2026-11-25T04:20:00.000Z');
    await ok(await approve(planner2(), dep.id));

    const versions = await ok<EnumVersionRecord[]>(await t.get('/api/enums/rank_type/history'));
    expect(versions.map((v) => [v.version, v.at, v.by, v.proposal_id])).toEqual([
      [3, '2026-11-25T04:20:00.000Z', 'planner_two', dep.id],
      [2, '2026-11-25T04:10:00.000Z', 'planner_two', rel.id],
      [1, SEED_VALID_FROM, 'seed', null],
    ]);
    const table = (v: EnumVersionRecord) => v.values.map((x) => [x.code, x.label_en, x.status]);
    expect(table(versions[2]!)).toEqual([
      ['hot', 'Hot', 'active'],
      ['rising', 'Rising', 'active'],
      ['new', 'New', 'active'],
    ]);
    const asOf = async (iso: string) =>
      table(
        await ok<EnumVersionRecord>(
          await t.get(`/api/enums/rank_type/history?at=${encodeURIComponent(iso)}`),
        ),
      );
    expect(await asOf('2026-11-25T04:09:59.999Z')).toEqual(table(versions[2]!));
    expect(await asOf('2026-11-25T04:10:00.000Z')).toEqual([
      ['hot', 'Trending', 'active'],
      ['rising', 'Rising', 'active'],
      ['new', 'New', 'active'],
    ]);
    expect(await asOf('2026-11-25T12:15:00+08:00')).toEqual(await asOf('2026-11-25T04:15:00.000Z'));
    expect(await asOf('2026-12-01T00:00:00Z')).toEqual([
      ['hot', 'Trending', 'active'],
      ['rising', 'Rising', 'active'],
      ['new', 'New', 'deprecated'],
    ]);
    // the latest version is the live table
    const live = await ok<GovernedEnumRecord>(await t.get('/api/enums/rank_type'));
    expect(live.version).toBe(3);
    expect(live.values).toEqual(versions[0]!.values);
    await errorOf(await t.get('/api/enums/rank_type/history?at=yesterday'), 400);
    await errorOf(await t.get('/api/enums/rank_type/history?at=1969-12-31T00:00:00Z'), 404);
    await errorOf(await t.get('/api/enums/nope/history'), 404);
  });

  it('a database seeded before migration 005 gets version 1 from the migration, equal to a new database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'landing-console-enum-migrate-'));
    try {
      const path = join(dir, 'old.db');
      const old = new Database(path);
      old.exec(`CREATE TABLE landing_phase1_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      const migrations = join(import.meta.dirname, '../../db/migrations');
      for (const file of [
        '001_foundation.sql',
        '002_access.sql',
        '003_licenses.sql',
        '004_tasks_alerts_ledger.sql',
      ]) {
        old.exec(readFileSync(join(migrations, file), 'utf8'));
        old
          .prepare('INSERT INTO landing_phase1_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(Number.parseInt(file, 10), file, clock.toISOString());
      }
      seedPlan(old);
      expect(
        old.prepare("SELECT 1 FROM sqlite_master WHERE name = 'landing_phase1_enum_versions'").get(),
      ).toBeUndefined();
      old.close();
      const migrated = openDatabase(path);
      try {
        const dump = (db: typeof migrated) =>
          (
            db
              .prepare('SELECT * FROM landing_phase1_enum_versions ORDER BY enum_name, version')
              .all() as Array<{
              values_json: string;
            }>
          ).map((r) => ({ ...r, values_json: JSON.parse(r.values_json) }));
        expect(dump(migrated)).toHaveLength(12);
        expect(dump(migrated)).toEqual(dump(t.db));
      } finally {
        migrated.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('impact preview', () => {
  /** events in and out of the 7-day window, valid and not, with and without the value */
  async function seedEvents() {
    const day = 86_400_000;
    const iso = (msAgo: number) => new Date(clock.getTime() - msAgo).toISOString();
    const events = [
      landingView('b-valid-1', { ab_bucket: 'B' }, iso(1 * day)),
      landingView('b-valid-2', { ab_bucket: 'B' }, iso(6 * day)),
      landingView('b-invalid', { ab_bucket: 'B', session_id: undefined }, iso(2 * day)),
      landingView('b-old', { ab_bucket: 'B' }, iso(8 * day)),
      landingView('a-valid', { ab_bucket: 'A' }, iso(1 * day)),
      landingView('c-only', { ab_bucket: 'C' }, iso(1 * day)),
      landingView('c-also-bad', { ab_bucket: 'C', session_id: undefined }, iso(3 * day)),
      landingView('c-old', { ab_bucket: 'C' }, iso(10 * day)),
    ].map((e) => {
      // landingView takes overrides; drop the ones set to undefined
      const props: Record<string, unknown> = e.properties;
      for (const [k, v] of Object.entries(props)) if (v === undefined) delete props[k];
      return e;
    });
    for (const e of events) await ingest(e);
  }
  const preview = async (body: Record<string, unknown>) =>
    ok<Impact>(await planner().send('POST', '/api/enum-proposals/impact', { rationale: 'what if', ...body }));
  /** the direct count: stored events in the window with the value, by stored violations */
  const direct = (code: string) => {
    const from = new Date(clock.getTime() - 7 * 86_400_000).toISOString();
    const rows = t.db
      .prepare(
        `SELECT violations FROM landing_phase1_events
         WHERE event = 'landing_view' AND occurred_at >= ? AND json_extract(properties, '$.ab_bucket') = ?`,
      )
      .all(from, code) as Array<{ violations: string }>;
    const parsed = rows.map((r) => JSON.parse(r.violations) as Array<{ field: string; rule: string }>);
    return {
      using: rows.length,
      valid: parsed.filter((v) => v.length === 0).length,
      onlyOutOfEnum: parsed.filter((v) => v.length === 1 && v[0]!.rule === 'out_of_enum').length,
    };
  };

  it('deprecating counts the valid events that would become invalid, as a direct count does', async () => {
    await seedEvents();
    const impact = await preview({ enum: 'ab_bucket', action: 'deprecate', value: 'B' });
    const d = direct('B');
    expect(d).toEqual({ using: 3, valid: 2, onlyOutOfEnum: 0 });
    expect(impact).toMatchObject({ events_using: d.using, becoming_invalid: d.valid, becoming_valid: 0 });
    expect(impact.window_from).toBe('2026-11-18T04:00:00.000Z');
    // nothing was stored
    expect(t.db.prepare('SELECT count(*) FROM landing_phase1_enum_proposals').pluck().get()).toBe(0);
  });

  it('adding counts the out-of-enum events that would become valid; the stored proposal shows the same', async () => {
    await seedEvents();
    const body = { enum: 'ab_bucket', action: 'add', value: 'C', label_en: 'C', label_zh: 'C' };
    const impact = await preview(body);
    const d = direct('C');
    expect(d).toEqual({ using: 2, valid: 0, onlyOutOfEnum: 1 });
    expect(impact).toMatchObject({
      events_using: d.using,
      becoming_valid: d.onlyOutOfEnum,
      becoming_invalid: 0,
    });
    const p = await ok<ProposalRecord>(await propose(planner(), body), 201);
    expect(p.impact).toEqual(impact);
    expect((await ok<ProposalRecord>(await t.get(`/api/enum-proposals/${p.id}`))).impact).toEqual(impact);
    // a relabel flips nothing
    expect(
      await preview({ enum: 'ab_bucket', action: 'relabel', value: 'B', label_en: 'Bee' }),
    ).toMatchObject({
      events_using: 3,
      becoming_valid: 0,
      becoming_invalid: 0,
    });
  });

  it('lists the open licences and alerts that use the value, with totals', async () => {
    for (let i = 0; i < 3; i++)
      t.store.ingest([licenseApply(`apply-${i}`, { policy_tag: 'A2' })], 'platform-integration');
    t.store.ingest([licenseApply('apply-a1')], 'platform-integration');
    t.store.ingest([riskAlert('alert-1', 'al-1', 'task-1')], 'operations-compliance');
    t.store.ingest(
      [
        riskAlert('alert-2', 'al-2', 'task-2', {
          policy_tag: 'A2',
          risk_level: 'low',
          action_required: 'update_copy',
          escalation_level: 'none',
        }),
      ],
      'operations-compliance',
    );
    t.db.prepare("UPDATE landing_phase1_alerts SET state = 'resolved' WHERE alert_id = 'al-2'").run();
    const impact = await ok<Impact>(
      await reviewer().send('POST', '/api/enum-proposals/impact', {
        enum: 'policy_tag',
        action: 'update_mapping',
        value: 'A2',
        default_risk_level: 'high',
        rationale: 'what if',
      }),
    );
    const licences = t.db
      .prepare(
        "SELECT id FROM landing_phase1_licenses WHERE (policy_tag = 'A2' OR decision_policy_tag = 'A2') AND status IN ('pending', 'approved') ORDER BY id",
      )
      .pluck()
      .all() as number[];
    expect(licences).toHaveLength(3);
    expect(impact.licenses).toEqual({ total: 3, ids: licences });
    expect(impact.alerts).toEqual({ total: 0, ids: [] });
    const d1 = await ok<Impact>(
      await reviewer().send('POST', '/api/enum-proposals/impact', {
        enum: 'policy_tag',
        action: 'relabel',
        value: 'D1',
        label_en: 'D one',
        rationale: 'what if',
      }),
    );
    const alertIds = t.db
      .prepare("SELECT id FROM landing_phase1_alerts WHERE alert_id = 'al-1'")
      .pluck()
      .all();
    expect(d1.alerts).toEqual({ total: 1, ids: alertIds });
    expect(d1.events_using).toBe(1);
  });
});

describe('GET /api/enums/:id/usage', () => {
  it('counts stored events per value over the last 7 and 30 days', async () => {
    const day = 86_400_000;
    const iso = (msAgo: number) => new Date(clock.getTime() - msAgo).toISOString();
    for (const [id, bucket, ago] of [
      ['u1', 'A', 1 * day],
      ['u2', 'A', 10 * day],
      ['u3', 'B', 20 * day],
      ['u4', 'B', 40 * day],
      ['u5', 'Z', 1 * day],
    ] as const)
      await ingest(landingView(id, { ab_bucket: bucket }, iso(ago)));
    const usage = await ok<{
      values: Array<{ code: string; last_7d: number; last_30d: number }>;
      fields: unknown[];
    }>(await t.get('/api/enums/ab_bucket/usage'));
    expect(usage.values).toEqual([
      { code: 'A', last_7d: 1, last_30d: 2 },
      { code: 'B', last_7d: 0, last_30d: 1 },
    ]);
    expect(usage.fields).toEqual([{ event: 'landing_view', field: 'ab_bucket' }]);
  });
});

describe('GET /api/enum-proposals', () => {
  it('lists newest first with status, enum, mine and to_approve filters', async () => {
    const a = await ok<ProposalRecord>(
      await propose(planner(), { enum: 'ab_bucket', action: 'deprecate', value: 'A' }),
      201,
    );
    const b = await ok<ProposalRecord>(
      await propose(planner(), { enum: 'policy_tag', action: 'relabel', value: 'A1', label_en: 'x' }),
      201,
    );
    const c = await ok<ProposalRecord>(
      await propose(planner2(), {
        enum: 'failure_code',
        action: 'relabel',
        value: 'infra_error',
        label_en: 'Infra',
      }),
      201,
    );
    const d = await ok<ProposalRecord>(
      await propose(planner2(), { enum: 'cta_id', action: 'deprecate', value: 'view_cases' }),
      201,
    );
    await ok(await reject(planner(), d.id, 'no'));

    const ids = async (who: ReturnType<typeof planner>, filter: Record<string, unknown> = {}) => {
      const res = await who.list('enum-proposals', { filter });
      expect(res.status).toBe(200);
      return ((await res.json()) as ProposalRecord[]).map((p) => p.id);
    };
    expect(await ids(planner())).toEqual([d.id, c.id, b.id, a.id]);
    const res = await planner().list('enum-proposals', { range: [0, 1] });
    expect(res.headers.get('Content-Range')).toBe('enum-proposals 0-1/4');
    expect(await ids(planner(), { status: 'pending' })).toEqual([c.id, b.id, a.id]);
    expect(await ids(planner(), { enum: 'policy_tag' })).toEqual([b.id]);
    expect(await ids(planner(), { mine: true })).toEqual([b.id, a.id]);
    expect(await ids(planner2(), { mine: true })).toEqual([d.id, c.id]);
    expect(await ids(planner(), { proposed_by: 'planner_two' })).toEqual([d.id, c.id]);
    // planner: c (failure_code, needs a planner; not theirs); planner_two: a (ab_bucket) only
    expect(await ids(planner(), { to_approve: true })).toEqual([c.id]);
    expect(await ids(planner2(), { to_approve: true })).toEqual([a.id]);
    // reviewer: b (policy_tag) and c (failure_code needs a reviewer too)
    expect(await ids(reviewer(), { to_approve: true })).toEqual([c.id, b.id]);
    await ok(await approve(reviewer(), c.id));
    expect(await ids(reviewer(), { to_approve: true })).toEqual([b.id]);
    expect(await ids(reviewer2(), { to_approve: true })).toEqual([b.id]);
    expect(await ids(planner(), { to_approve: true })).toEqual([c.id]);
    expect(await ids(t.as('engineer'), { to_approve: true })).toEqual([]);
    const sorted = await planner().list('enum-proposals', { sort: ['id', 'ASC'] });
    expect(((await sorted.json()) as ProposalRecord[]).map((p) => p.id)).toEqual([a.id, b.id, c.id, d.id]);
    await errorOf(await planner().list('enum-proposals', { filter: { colour: 'red' } }), 400);
    await errorOf(await planner().list('enum-proposals', { sort: ['rationale', 'ASC'] }), 400);
  });
});
