import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../../server/app.ts';
import type { AuditRow } from '../../server/audit/log.ts';
import type { Role } from '../../server/auth/permissions.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { makeReviewerPseudonym } from '../../server/ingest/pseudonymize.ts';
import type { LicenseRecord } from '../../server/licenses/schemas.ts';
import type { LicenseRow } from '../../server/licenses/store.ts';
import { KEYS, licenseApply, TEST_PII_KEY, type TestApp, testApp } from './helpers.ts';

/**
 * Licence review: every stored license_apply opens a pending application; compliance reviewers approve,
 * reject or revoke it on the version they read (one decision wins, the rest get 409 and change nothing); each
 * decision writes the new state, one audit row and one license_approved / license_rejected event in one
 * transaction; the queue lists, filters and masks applications.
 */

/** the account licenseApply() applies as */
const ACCOUNT = 'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef';
const OTHER_ACCOUNT = 'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6';
/** the reviewer's pseudonym, as license_approved carries it in approver_id */
const REVIEWER_ID = makeReviewerPseudonym(TEST_PII_KEY)('compliance_reviewer');

/** a permanent approval taking effect at the test clock's instant (12:00 UTC+8) */
const PERMANENT = { effective_at: '2026-11-25T12:00:00+08:00', expiry_type: 'permanent' };
const RUN_LIMITED = { effective_at: '2026-11-25T12:00:00+08:00', expiry_type: 'run_limited', max_runs: 3 };
const FIXED_TERM = {
  effective_at: '2026-11-25T12:00:00+08:00',
  expiry_type: 'fixed_term',
  expires_at: '2026-12-25T12:00:00+08:00',
};
const REJECTION = {
  reason_code: 'material_incomplete',
  policy_tag: 'A1',
  action_required: 'resubmit_material',
};

let t: TestApp;
let applied = 0;
const setUp = (overrides: Partial<AppDeps> = {}) => {
  t = testApp(overrides);
  applied = 0;
};
beforeEach(() => setUp());
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const reviewer = () => t.as('compliance_reviewer');
const hoursAgo = (h: number) => new Date(t.now.getTime() - h * 3600_000).toISOString();

/** stores a license_apply as the platform sends it; the id of the application it opened */
function apply(properties: Record<string, unknown> = {}, occurred_at?: string): number {
  const eventId = `apply-${++applied}`;
  const res = t.store.ingest([licenseApply(eventId, properties, occurred_at)], 'platform-integration');
  expect(res.accepted).toBe(1);
  return t.db
    .prepare('SELECT id FROM landing_phase1_licenses WHERE source_event_id = ?')
    .pluck()
    .get(eventId) as number;
}

const decide = (action: 'approve' | 'reject' | 'revoke', id: number, body: unknown, headers = {}) =>
  reviewer().send('POST', `/api/licenses/${id}/${action}`, body, headers);

async function decided(action: 'approve' | 'reject' | 'revoke', id: number, body: unknown) {
  const res = await decide(action, id, body);
  expect(res.status).toBe(200);
  return (await res.json()) as LicenseRecord;
}

const row = (id: number) =>
  t.db.prepare('SELECT * FROM landing_phase1_licenses WHERE id = ?').get(id) as LicenseRow;
const licenseCount = () =>
  t.db.prepare('SELECT count(*) FROM landing_phase1_licenses').pluck().get() as number;
const licenseAudit = () =>
  t.db
    .prepare("SELECT * FROM landing_phase1_audit_log WHERE action LIKE 'license.%' ORDER BY id")
    .all() as AuditRow[];
interface EventRow {
  id: number;
  event_id: string;
  event: string;
  day: string;
  occurred_at: string;
  source: string;
  violation_count: number;
  properties: string;
  violations: string;
}
const consoleEvents = () =>
  t.db
    .prepare("SELECT * FROM landing_phase1_events WHERE source = 'console' ORDER BY id")
    .all() as EventRow[];
const counters = (event: string) =>
  t.db
    .prepare(
      'SELECT total, valid, with_violations, duplicates FROM landing_phase1_completeness_events WHERE day = ? AND event = ?',
    )
    .get('2026-11-25', event);

/** asserts nothing about the application changed: its state and version, no audit row, no event */
function expectUnchanged(id: number, status: string, version: number, audits = 0, events = 0) {
  expect(row(id)).toMatchObject({ status, version });
  expect(licenseAudit()).toHaveLength(audits);
  expect(consoleEvents()).toHaveLength(events);
}

async function expectError(res: Response, status: number) {
  expect(res.status).toBe(status);
  return (await res.json()) as ErrorBody;
}

describe('opening applications from license_apply events', () => {
  it('a stored license_apply opens a pending application with its properties, UTC+8 day and source event', async () => {
    const event = licenseApply(
      'apply-http-1',
      { template_id: 'tpl_042', is_fast_track: true, persona_tag: 'operator_contractor', policy_tag: 'B1' },
      '2026-11-25T01:30:00+08:00', // 2026-11-24 17:30 UTC: its UTC+8 day is the 25th
    );
    const ingest = await t.post('/api/events', event, KEYS.platform);
    expect(ingest.status).toBe(200);
    const pk = t.db
      .prepare("SELECT id FROM landing_phase1_events WHERE event_id = 'apply-http-1'")
      .pluck()
      .get() as number;

    const res = await reviewer().get('/api/licenses/1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: 1,
      license_id: 'lic_1',
      status: 'pending',
      version: 1,
      template_id: 'tpl_042',
      account_id: ACCOUNT,
      is_fast_track: true,
      persona_tag: 'operator_contractor',
      policy_tag: 'B1',
      applied_at: '2026-11-24T17:30:00.000Z',
      day: '2026-11-25',
      source_event_id: 'apply-http-1',
      source_event_pk: pk,
      previous_id: null,
      age_hours: 10.5,
      sla_hours: 4,
      sla_breached: true,
      decided_at: null,
      decided_by: null,
      effective_at: null,
      expiry_type: null,
      max_runs: null,
      expires_at: null,
      reason_code: null,
      decision_policy_tag: null,
      action_required: null,
      note: null,
      revoked_at: null,
      revoked_by: null,
    } satisfies LicenseRecord);
  });

  it('every stored license_apply opens one application; a repeated event_id opens nothing new', () => {
    const first = t.store.ingest([licenseApply('apply-a'), licenseApply('apply-b')], 'platform-integration');
    expect(first).toMatchObject({ accepted: 2, duplicates: 0 });
    const again = t.store.ingest(
      [licenseApply('apply-a', { template_id: 'tpl_999' })],
      'platform-integration',
    );
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(licenseCount()).toBe(2);
    expect(
      t.db.prepare('SELECT source_event_id, template_id FROM landing_phase1_licenses ORDER BY id').all(),
    ).toEqual([
      { source_event_id: 'apply-a', template_id: 'tpl_001' },
      { source_event_id: 'apply-b', template_id: 'tpl_001' },
    ]);
  });

  it('an invalid license_apply (no policy_tag) still opens an application: nothing is silently dropped', () => {
    const { policy_tag: _, ...withoutTag } = licenseApply('apply-bad').properties;
    const res = t.store.ingest(
      [{ ...licenseApply('apply-bad'), properties: withoutTag }],
      'platform-integration',
    );
    expect(res.results[0]).toEqual({
      event_id: 'apply-bad',
      status: 'stored',
      violations: [{ field: 'policy_tag', rule: 'missing' }],
    });
    expect(row(1)).toMatchObject({
      source_event_id: 'apply-bad',
      status: 'pending',
      policy_tag: null,
      template_id: 'tpl_001',
      account_id: ACCOUNT,
    });
  });

  it('a re-application after a rejection links to the rejected one (same account and template only)', async () => {
    const first = apply();
    const whilePending = apply(); // the first is not rejected yet: nothing to link
    await decided('reject', first, { ...REJECTION, version: 1 });
    const again = apply();
    const otherTemplate = apply({ template_id: 'tpl_002' });
    const otherAccount = apply({ account_id: OTHER_ACCOUNT });
    expect(row(whilePending).previous_id).toBeNull();
    expect(row(again).previous_id).toBe(first);
    expect(row(otherTemplate).previous_id).toBeNull();
    expect(row(otherAccount).previous_id).toBeNull();
    const res = await reviewer().get(`/api/licenses/${again}`);
    expect(((await res.json()) as LicenseRecord).previous_id).toBe(first);
  });

  it('a re-application after a revocation links to the revoked licence', async () => {
    const first = apply();
    await decided('approve', first, { ...PERMANENT, version: 1 });
    const whileApproved = apply();
    await decided('revoke', first, { ...REJECTION, note: 'material forged', version: 2 });
    const again = apply();
    expect(row(whileApproved).previous_id).toBeNull();
    expect(row(again).previous_id).toBe(first);
  });
});

describe('POST /api/licenses/:id/approve', () => {
  it('approves: new state and version, one audit row, one valid license_approved event, counted', async () => {
    const id = apply();
    const answer = await decided('approve', id, { ...RUN_LIMITED, note: 'material complete', version: 1 });
    expect(await (await reviewer().get(`/api/licenses/${id}`)).json()).toEqual(answer);
    expect(answer).toMatchObject({
      id,
      license_id: 'lic_1',
      status: 'approved',
      version: 2,
      account_id: ACCOUNT,
      decided_at: t.now.toISOString(),
      decided_by: 'compliance_reviewer',
      effective_at: '2026-11-25T04:00:00.000Z',
      expiry_type: 'run_limited',
      max_runs: 3,
      expires_at: null,
      reason_code: null,
      note: 'material complete',
      age_hours: 2, // applied at 10:00 UTC+8, decided at 12:00
      sla_breached: false,
    });
    expect(row(id)).toMatchObject({ status: 'approved', version: 2, max_runs: 3 });

    const audit = licenseAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'license.approve',
      resource: 'license',
      resource_id: String(id),
      actor: 'compliance_reviewer',
      actor_id: t.userIds.get('compliance_reviewer'),
      outcome: 'success',
      reason: 'material complete',
      at: t.now.toISOString(),
    });
    expect(JSON.parse(audit[0]!.before!)).toMatchObject({ status: 'pending', version: 1, decided_by: null });
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({
      status: 'approved',
      version: 2,
      decided_by: 'compliance_reviewer',
      max_runs: 3,
    });

    const events = consoleEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'license_approved',
      event_id: 'console:lic_1:approve:v2',
      source: 'console',
      occurred_at: t.now.toISOString(),
      day: '2026-11-25',
      violation_count: 0,
      violations: '[]',
    });
    expect(JSON.parse(events[0]!.properties)).toEqual({
      license_id: 'lic_1',
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      approver_id: REVIEWER_ID,
      effective_at: '2026-11-25T04:00:00.000Z',
      expiry_type: 'run_limited',
      max_runs: 3,
    });
    expect(REVIEWER_ID).toMatch(/^[0-9a-f]{32}$/);
    expect(counters('license_approved')).toEqual({ total: 1, valid: 1, with_violations: 0, duplicates: 0 });
  });

  it('a permanent approval emits max_runs null; a fixed-term one its expires_at; both without violations', async () => {
    const permanent = apply();
    const fixed = apply({ template_id: 'tpl_002' });
    await decided('approve', permanent, { ...PERMANENT, version: 1 });
    const answer = await decided('approve', fixed, { ...FIXED_TERM, version: 1 });
    expect(answer).toMatchObject({ expiry_type: 'fixed_term', expires_at: '2026-12-25T04:00:00.000Z' });

    const [p, f] = consoleEvents();
    expect(JSON.parse(p!.properties)).toEqual({
      license_id: `lic_${permanent}`,
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      approver_id: REVIEWER_ID,
      effective_at: '2026-11-25T04:00:00.000Z',
      expiry_type: 'permanent',
      max_runs: null,
    });
    expect(JSON.parse(f!.properties)).toEqual({
      license_id: `lic_${fixed}`,
      template_id: 'tpl_002',
      account_id: ACCOUNT,
      approver_id: REVIEWER_ID,
      effective_at: '2026-11-25T04:00:00.000Z',
      expiry_type: 'fixed_term',
      max_runs: null,
      expires_at: '2026-12-25T04:00:00.000Z',
    });
    expect([p!.violations, f!.violations]).toEqual(['[]', '[]']);
    expect(counters('license_approved')).toEqual({ total: 2, valid: 2, with_violations: 0, duplicates: 0 });
  });

  it('takes the version from If-Match', async () => {
    const id = apply();
    const res = await decide('approve', id, PERMANENT, { 'If-Match': '"1"' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'approved', version: 2 });
  });

  it('approval terms: run_limited needs max_runs, fixed_term expires_at after effective_at (422, nothing changes)', async () => {
    const id = apply();
    const cases: Array<[unknown, Record<string, string>]> = [
      [
        { effective_at: PERMANENT.effective_at, expiry_type: 'run_limited' },
        { max_runs: 'is required when expiry_type is run_limited' },
      ],
      [
        { effective_at: PERMANENT.effective_at, expiry_type: 'fixed_term' },
        { expires_at: 'is required when expiry_type is fixed_term' },
      ],
      [
        { ...FIXED_TERM, expires_at: '2026-11-25T11:00:00+08:00' },
        { expires_at: 'must be after effective_at' },
      ],
    ];
    for (const [terms, errors] of cases) {
      const body = await expectError(await decide('approve', id, { ...(terms as object), version: 1 }), 422);
      expect(body.errors).toEqual(errors);
      for (const field of Object.keys(errors)) expect(body.message).toContain(field);
    }
    expectUnchanged(id, 'pending', 1);
  });
});

describe('POST /api/licenses/:id/reject', () => {
  it('rejects: new state and version, one audit row, one valid license_rejected event, counted', async () => {
    const id = apply();
    const answer = await decided('reject', id, { ...REJECTION, note: 'licence scan missing', version: 1 });
    expect(answer).toMatchObject({
      status: 'rejected',
      version: 2,
      account_id: ACCOUNT,
      decided_at: t.now.toISOString(),
      decided_by: 'compliance_reviewer',
      reason_code: 'material_incomplete',
      decision_policy_tag: 'A1',
      action_required: 'resubmit_material',
      note: 'licence scan missing',
      effective_at: null,
      revoked_at: null,
    });
    expect(row(id)).toMatchObject({ status: 'rejected', version: 2, reason_code: 'material_incomplete' });

    const audit = licenseAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'license.reject',
      resource_id: String(id),
      actor: 'compliance_reviewer',
      reason: 'material_incomplete: licence scan missing',
    });
    expect(JSON.parse(audit[0]!.before!)).toMatchObject({ status: 'pending', version: 1 });
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ status: 'rejected', version: 2 });

    const events = consoleEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'license_rejected',
      event_id: 'console:lic_1:reject:v2',
      source: 'console',
      violations: '[]',
    });
    expect(JSON.parse(events[0]!.properties)).toEqual({
      license_id: 'lic_1',
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      reason_code: 'material_incomplete',
      policy_tag: 'A1',
      action_required: 'resubmit_material',
      status: 'rejected',
    });
    expect(counters('license_rejected')).toEqual({ total: 1, valid: 1, with_violations: 0, duplicates: 0 });
  });

  it('an unknown code is 422 naming the field; nothing changes', async () => {
    const id = apply();
    const body = await expectError(
      await decide('reject', id, { ...REJECTION, reason_code: 'nope', version: 1 }),
      422,
    );
    expect(body.errors).toEqual({ reason_code: 'nope is not a value of reason_code' });
    expect(body.message).toContain('reason_code');
    const approve = await expectError(
      await decide('approve', id, { ...PERMANENT, expiry_type: 'forever', version: 1 }),
      422,
    );
    expect(approve.errors).toEqual({ expiry_type: 'forever is not a value of expiry_type' });
    expectUnchanged(id, 'pending', 1);
  });

  it('a code deprecated before now is 422 naming the field; one deprecated later is still accepted', async () => {
    const deprecate = (code: string, at: string) =>
      t.db
        .prepare(
          `UPDATE landing_phase1_enum_values SET status = 'deprecated', deprecated_at = ?
           WHERE enum_name = 'reason_code' AND code = ?`,
        )
        .run(at, code);
    deprecate('other', '2026-11-01T00:00:00.000Z');
    deprecate('persona_mismatch', '2026-12-01T00:00:00.000Z');
    const id = apply();
    const body = await expectError(
      await decide('reject', id, { ...REJECTION, reason_code: 'other', version: 1 }),
      422,
    );
    expect(body.errors).toEqual({ reason_code: 'other is deprecated in reason_code' });
    expectUnchanged(id, 'pending', 1);

    const answer = await decided('reject', id, { ...REJECTION, reason_code: 'persona_mismatch', version: 1 });
    expect(answer).toMatchObject({ status: 'rejected', reason_code: 'persona_mismatch' });
  });
});

describe('POST /api/licenses/:id/revoke', () => {
  it('revokes an approved licence: revoked, one more audit row and a license_rejected event with status revoked', async () => {
    const id = apply();
    await decided('approve', id, { ...PERMANENT, version: 1 });
    const answer = await decided('revoke', id, {
      reason_code: 'fraud_suspected',
      policy_tag: 'C2',
      action_required: 'escalate_review',
      note: 'credit farming detected',
      version: 2,
    });
    expect(answer).toMatchObject({
      status: 'revoked',
      version: 3,
      revoked_at: t.now.toISOString(),
      revoked_by: 'compliance_reviewer',
      reason_code: 'fraud_suspected',
      decision_policy_tag: 'C2',
      action_required: 'escalate_review',
      note: 'credit farming detected',
      // the approval it revokes stays on record
      decided_by: 'compliance_reviewer',
      effective_at: '2026-11-25T04:00:00.000Z',
      expiry_type: 'permanent',
    });

    const audit = licenseAudit();
    expect(audit.map((a) => a.action)).toEqual(['license.approve', 'license.revoke']);
    expect(audit[1]).toMatchObject({ reason: 'fraud_suspected: credit farming detected' });
    expect(JSON.parse(audit[1]!.before!)).toMatchObject({ status: 'approved', version: 2 });
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ status: 'revoked', version: 3 });

    const events = consoleEvents();
    expect(events.map((e) => e.event_id)).toEqual(['console:lic_1:approve:v2', 'console:lic_1:revoke:v3']);
    expect(events[1]).toMatchObject({ event: 'license_rejected', violations: '[]' });
    expect(JSON.parse(events[1]!.properties)).toEqual({
      license_id: 'lic_1',
      template_id: 'tpl_001',
      account_id: ACCOUNT,
      reason_code: 'fraud_suspected',
      policy_tag: 'C2',
      action_required: 'escalate_review',
      status: 'revoked',
    });
    expect(counters('license_rejected')).toEqual({ total: 1, valid: 1, with_violations: 0, duplicates: 0 });
  });

  it('a revocation needs a note (400 naming note); nothing changes', async () => {
    const id = apply();
    await decided('approve', id, { ...PERMANENT, version: 1 });
    for (const note of [undefined, '', '   ']) {
      const body = await expectError(await decide('revoke', id, { ...REJECTION, note, version: 2 }), 400);
      expect(Object.keys(body.errors ?? {})).toEqual(['note']);
      expect(body.message).toContain('note');
    }
    expectUnchanged(id, 'approved', 2, 1, 1);
  });
});

describe('decision conflicts', () => {
  it('a stale version is 409 naming who decided; nothing changes (no state, audit row or event)', async () => {
    const id = apply();
    await decided('approve', id, { ...PERMANENT, version: 1 });
    const body = await expectError(await decide('reject', id, { ...REJECTION, version: 1 }), 409);
    expect(body.message).toBe(
      'lic_1 was changed by compliance_reviewer since you read it (it is approved now); reload it',
    );
    expect(body.errors).toEqual({ version: 'is 2 now' });
    const viaHeader = await decide('revoke', id, { ...REJECTION, note: 'x' }, { 'If-Match': '1' });
    expect(viaHeader.status).toBe(409);
    expectUnchanged(id, 'approved', 2, 1, 1);
  });

  it('a version ahead of the current one is 409 too', async () => {
    const id = apply();
    const body = await expectError(await decide('approve', id, { ...PERMANENT, version: 2 }), 409);
    expect(body.message).toBe('lic_1 was changed since you read it (it is pending now); reload it');
    expectUnchanged(id, 'pending', 1);
  });

  it('a missing version is 400 naming version; nothing changes', async () => {
    const id = apply();
    const body = await expectError(await decide('approve', id, PERMANENT), 400);
    expect(body.errors).toEqual({ version: 'is required' });
    expect(body.message).toContain('version');
    expectUnchanged(id, 'pending', 1);
  });

  it('an action the state does not allow is 409 naming who decided; nothing changes', async () => {
    const approved = apply();
    const rejected = apply({ template_id: 'tpl_002' });
    const pending = apply({ template_id: 'tpl_003' });
    await decided('approve', approved, { ...PERMANENT, version: 1 });
    await decided('reject', rejected, { ...REJECTION, version: 1 });

    const cases: Array<[number, 'approve' | 'reject' | 'revoke', unknown, string]> = [
      [
        approved,
        'approve',
        { ...PERMANENT, version: 2 },
        'lic_1 is approved by compliance_reviewer; it cannot be approved',
      ],
      [
        rejected,
        'approve',
        { ...PERMANENT, version: 2 },
        'lic_2 is rejected by compliance_reviewer; it cannot be approved',
      ],
      [
        rejected,
        'revoke',
        { ...REJECTION, note: 'x', version: 2 },
        'lic_2 is rejected by compliance_reviewer; it cannot be revoked',
      ],
      [pending, 'revoke', { ...REJECTION, note: 'x', version: 1 }, 'lic_3 is pending; it cannot be revoked'],
    ];
    for (const [id, action, body, message] of cases) {
      expect((await expectError(await decide(action, id, body), 409)).message).toBe(message);
    }
    // rejecting an approved licence: only the part naming the state and who decided (the verb reads "rejectd")
    const reject = await expectError(await decide('reject', approved, { ...REJECTION, version: 2 }), 409);
    expect(reject.message).toBe('lic_1 is approved by compliance_reviewer; it cannot be rejected');
    expect([row(approved), row(rejected), row(pending)].map((r) => [r.status, r.version])).toEqual([
      ['approved', 2],
      ['rejected', 2],
      ['pending', 1],
    ]);
    expect(licenseAudit()).toHaveLength(2);
    expect(consoleEvents()).toHaveLength(2);
  });

  it('an If-Match that is not a version is 400 naming version', async () => {
    const id = apply();
    const body = await expectError(await decide('approve', id, PERMANENT, { 'If-Match': 'abc' }), 400);
    expect(body.errors).toEqual({ version: 'If-Match is not a version' });
    expectUnchanged(id, 'pending', 1);
  });

  it('an unknown application is 404', async () => {
    const body = await expectError(await decide('approve', 99, { ...PERMANENT, version: 1 }), 404);
    expect(body.message).toBe('no licence application 99');
  });

  it('50 concurrent decisions on version 1: exactly one wins, 49 get 409; one audit row, one event', async () => {
    const id = apply();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? decide('approve', id, { ...PERMANENT, version: 1 })
          : decide('reject', id, { ...REJECTION, version: 1 }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = (await responses[statuses.indexOf(200)]!.json()) as LicenseRecord;
    expect(winner.version).toBe(2);
    expect(row(id)).toMatchObject({ status: winner.status, version: 2 });
    const audit = licenseAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.action).toBe(winner.status === 'approved' ? 'license.approve' : 'license.reject');
    const events = consoleEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toBe(winner.status === 'approved' ? 'license_approved' : 'license_rejected');
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(((await r.json()) as ErrorBody).message).toMatch(
        /^lic_1 was changed by compliance_reviewer since you read it/,
      );
    }
  });
});

describe('one transaction per decision', () => {
  /** makes the database refuse one kind of write, as a full disk or a constraint would */
  const refuse = (table: string, when: string) =>
    t.db.exec(
      `CREATE TRIGGER test_refuse BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );

  it('when the event cannot be stored, the state and the audit row roll back too (500)', async () => {
    const id = apply();
    refuse('landing_phase1_events', "NEW.source = 'console'");
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await decide('approve', id, { ...PERMANENT, version: 1 })).status).toBe(500);
    quiet.mockRestore();
    expectUnchanged(id, 'pending', 1);
    expect(counters('license_approved')).toBeUndefined();
  });

  it('when the audit row cannot be written, the state and the event roll back too (500)', async () => {
    const id = apply();
    refuse('landing_phase1_audit_log', "NEW.action LIKE 'license.%'");
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await decide('reject', id, { ...REJECTION, version: 1 })).status).toBe(500);
    quiet.mockRestore();
    expectUnchanged(id, 'pending', 1);
    expect(counters('license_rejected')).toBeUndefined();
  });
});

describe('POST /api/licenses/bulk', () => {
  it('decides each application on its own: per-item results, the good ones decided, the bad ones untouched', async () => {
    const good1 = apply();
    const stale = apply({ template_id: 'tpl_002' });
    const alreadyRejected = apply({ template_id: 'tpl_003' });
    const good2 = apply({ template_id: 'tpl_004' });
    await decided('reject', alreadyRejected, { ...REJECTION, version: 1 });

    const res = await reviewer().send('POST', '/api/licenses/bulk', {
      action: 'approve',
      decision: PERMANENT,
      items: [
        { id: good1, version: 1 },
        { id: stale, version: 2 },
        { id: alreadyRejected, version: 2 },
        { id: good2, version: 1 },
        { id: 99, version: 1 },
      ],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as {
      results: Array<{ id: number; ok: boolean; status: number; message?: string; license?: LicenseRecord }>;
    };
    expect(results.map(({ license: _, ...r }) => r)).toEqual([
      { id: good1, ok: true, status: 200 },
      {
        id: stale,
        ok: false,
        status: 409,
        message: 'lic_2 was changed since you read it (it is pending now); reload it',
      },
      {
        id: alreadyRejected,
        ok: false,
        status: 409,
        message: 'lic_3 is rejected by compliance_reviewer; it cannot be approved',
      },
      { id: good2, ok: true, status: 200 },
      { id: 99, ok: false, status: 404, message: 'no licence application 99' },
    ]);
    expect(results[0]!.license).toMatchObject({
      id: good1,
      status: 'approved',
      version: 2,
      account_id: ACCOUNT,
    });
    expect(results[1]!.license).toBeUndefined();

    expect([good1, stale, alreadyRejected, good2].map((id) => [row(id).status, row(id).version])).toEqual([
      ['approved', 2],
      ['pending', 1],
      ['rejected', 2],
      ['approved', 2],
    ]);
    expect(licenseAudit().map((a) => [a.action, a.resource_id])).toEqual([
      ['license.reject', String(alreadyRejected)],
      ['license.approve', String(good1)],
      ['license.approve', String(good2)],
    ]);
    expect(consoleEvents().map((e) => e.event_id)).toEqual([
      'console:lic_3:reject:v2',
      'console:lic_1:approve:v2',
      'console:lic_4:approve:v2',
    ]);
  });

  it('a bulk rejection decides the selection with one set of codes', async () => {
    const a = apply();
    const b = apply({ template_id: 'tpl_002' });
    const res = await reviewer().send('POST', '/api/licenses/bulk', {
      action: 'reject',
      decision: REJECTION,
      items: [
        { id: a, version: 1 },
        { id: b, version: 1 },
      ],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ ok: boolean; license: LicenseRecord }> };
    expect(results.map((r) => [r.ok, r.license.status, r.license.reason_code])).toEqual([
      [true, 'rejected', 'material_incomplete'],
      [true, 'rejected', 'material_incomplete'],
    ]);
    expect(consoleEvents().map((e) => e.event)).toEqual(['license_rejected', 'license_rejected']);
  });
});

describe('roles', () => {
  it('ops reads the queue and one application but gets 403 on every decision; nothing changes', async () => {
    const id = apply();
    const ops = t.as('ops');
    expect((await ops.list('licenses')).status).toBe(200);
    expect((await ops.get(`/api/licenses/${id}`)).status).toBe(200);
    const attempts: Array<[string, unknown]> = [
      [`/api/licenses/${id}/approve`, { ...PERMANENT, version: 1 }],
      [`/api/licenses/${id}/reject`, { ...REJECTION, version: 1 }],
      [`/api/licenses/${id}/revoke`, { ...REJECTION, note: 'x', version: 1 }],
      ['/api/licenses/bulk', { action: 'approve', decision: PERMANENT, items: [{ id, version: 1 }] }],
    ];
    for (const [path, body] of attempts) {
      const res = await ops.send('POST', path, body);
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).message).toBe(
        'your role may not do this (needs licenses:decide)',
      );
    }
    expectUnchanged(id, 'pending', 1);
  });

  it.each(['product_planner', 'data_analyst'] as Role[])(
    '%s reads the queue but may not decide',
    async (role) => {
      const id = apply();
      expect((await t.as(role).list('licenses')).status).toBe(200);
      expect(
        (await t.as(role).send('POST', `/api/licenses/${id}/approve`, { ...PERMANENT, version: 1 })).status,
      ).toBe(403);
    },
  );

  it.each(['engineer', 'admin'] as Role[])('%s may not read the queue', async (role) => {
    apply();
    expect((await t.as(role).list('licenses')).status).toBe(403);
    expect((await t.as(role).get('/api/licenses/1')).status).toBe(403);
  });
});

describe('masking', () => {
  it('account_id is masked for ops (list and show), clear for the compliance reviewer (list, show, decisions)', async () => {
    const id = apply();
    const ops = t.as('ops');
    const opsList = (await (await ops.list('licenses')).json()) as LicenseRecord[];
    expect(opsList.map((l) => l.account_id)).toEqual(['b7e2••••••']);
    expect(opsList[0]!.template_id).toBe('tpl_001');
    const opsOne = (await (await ops.get(`/api/licenses/${id}`)).json()) as LicenseRecord;
    expect(opsOne.account_id).toBe('b7e2••••••');

    const list = (await (await reviewer().list('licenses')).json()) as LicenseRecord[];
    expect(list.map((l) => l.account_id)).toEqual([ACCOUNT]);
    const one = (await (await reviewer().get(`/api/licenses/${id}`)).json()) as LicenseRecord;
    expect(one.account_id).toBe(ACCOUNT);
    expect((await decided('approve', id, { ...PERMANENT, version: 1 })).account_id).toBe(ACCOUNT);

    // after the decision, ops still sees it masked
    const after = (await (await ops.get(`/api/licenses/${id}`)).json()) as LicenseRecord;
    expect(after).toMatchObject({ status: 'approved', account_id: 'b7e2••••••' });
  });
});

describe('GET /api/licenses', () => {
  /**
   * Six applications at different ages (the test clock is 2026-11-25 04:00 UTC = 12:00 UTC+8):
   *   1 standard, 10 h, pending          day 11-25
   *   2 fast,      1 h, pending          day 11-25
   *   3 standard, 30 h, pending (breach) day 11-24
   *   4 fast,     40 h, rejected         day 11-23
   *   5 fast,      5 h, pending (breach) day 11-25
   *   6 standard, 50 h, approved         day 11-23
   */
  async function seedQueue() {
    apply({ template_id: 'tpl_001' }, hoursAgo(10));
    apply(
      { template_id: 'tpl_002', is_fast_track: true, persona_tag: 'operator_contractor', policy_tag: 'B1' },
      hoursAgo(1),
    );
    apply({ template_id: 'tpl_001' }, hoursAgo(30));
    apply({ template_id: 'tpl_002', is_fast_track: true, policy_tag: 'B1' }, hoursAgo(40));
    apply({ template_id: 'tpl_001', is_fast_track: true, persona_tag: 'operator_contractor' }, hoursAgo(5));
    apply({ template_id: 'tpl_003', policy_tag: 'C1' }, hoursAgo(50));
    await decided('reject', 4, { ...REJECTION, version: 1 });
    await decided('approve', 6, { ...PERMANENT, version: 1 });
  }
  async function list(filter: Record<string, unknown> = {}, sort?: [string, string]) {
    const res = await reviewer().list('licenses', { filter, range: [0, 99], ...(sort ? { sort } : {}) });
    expect(res.status).toBe(200);
    return (await res.json()) as LicenseRecord[];
  }
  const ids = async (filter: Record<string, unknown> = {}) => (await list(filter)).map((l) => l.id);

  beforeEach(() => {
    t.hub.close();
    t.cleanup();
    setUp({ sla: { fastTrackHours: 4, standardHours: 24 } });
  });

  it("orders by 'queue' by default: pending first, fast track first among pending, oldest first", async () => {
    await seedQueue();
    const res = await reviewer().list('licenses');
    expect(res.headers.get('Content-Range')).toBe('licenses 0-5/6');
    expect(((await res.json()) as LicenseRecord[]).map((l) => l.id)).toEqual([5, 2, 3, 1, 6, 4]);
    expect((await list({}, ['applied_at', 'DESC'])).map((l) => l.id)).toEqual([2, 5, 1, 3, 4, 6]);
  });

  it('answers each application’s age, SLA target and breach', async () => {
    await seedQueue();
    const rows = await list({}, ['id', 'ASC']);
    expect(rows.map((l) => [l.id, l.status, l.age_hours, l.sla_hours, l.sla_breached])).toEqual([
      [1, 'pending', 10, 24, false],
      [2, 'pending', 1, 4, false],
      [3, 'pending', 30, 24, true],
      [4, 'rejected', 40, 4, false], // decided: its age stops at the decision, never breached
      [5, 'pending', 5, 4, true],
      [6, 'approved', 50, 24, false],
    ]);
  });

  it('filters by status (one or several), track, tags, template and q', async () => {
    await seedQueue();
    expect(await ids({ status: 'pending' })).toEqual([5, 2, 3, 1]);
    expect(await ids({ status: ['approved', 'rejected'] })).toEqual([6, 4]);
    expect(await ids({ is_fast_track: true })).toEqual([5, 2, 4]);
    expect(await ids({ is_fast_track: false })).toEqual([3, 1, 6]);
    expect(await ids({ policy_tag: 'B1' })).toEqual([2, 4]);
    expect(await ids({ persona_tag: 'operator_contractor' })).toEqual([5, 2]);
    expect(await ids({ template_id: 'tpl_001' })).toEqual([5, 3, 1]);
    expect(await ids({ template_id: 'tpl_001', status: 'pending', is_fast_track: false })).toEqual([3, 1]);
    expect(await ids({ q: 'lic_3' })).toEqual([3]);
    expect(await ids({ q: 'lic_99' })).toEqual([]);
  });

  it('filters by UTC+8 day range', async () => {
    await seedQueue();
    expect(await ids({ day: '2026-11-24' })).toEqual([3]);
    expect(await ids({ day_gte: '2026-11-25' })).toEqual([5, 2, 1]);
    expect(await ids({ day_lte: '2026-11-23' })).toEqual([6, 4]);
    expect(await ids({ day_gte: '2026-11-23', day_lte: '2026-11-24' })).toEqual([3, 6, 4]);
  });

  it('filters by SLA breach', async () => {
    await seedQueue();
    const breached = await list({ sla_breached: true });
    expect(breached.map((l) => l.id)).toEqual([5, 3]);
    expect(breached.every((l) => l.sla_breached)).toBe(true);
    expect(await ids({ sla_breached: false })).toEqual([2, 1, 6, 4]);
    expect(await ids({ sla_breached: true, is_fast_track: true })).toEqual([5]);
  });

  it('an unknown filter is 400 naming it', async () => {
    const res = await reviewer().list('licenses', { filter: { colour: 'red' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).errors).toHaveProperty(['filter.colour']);
  });
});

describe('SLA policy from the app deps', () => {
  it('a longer target moves the breach', async () => {
    t.hub.close();
    t.cleanup();
    setUp({ sla: { fastTrackHours: 6, standardHours: 48 } });
    apply({ is_fast_track: true }, hoursAgo(5));
    apply({}, hoursAgo(30));
    apply({}, hoursAgo(49));
    const res = await reviewer().list('licenses', { sort: ['id', 'ASC'] });
    const rows = (await res.json()) as LicenseRecord[];
    expect(rows.map((l) => [l.sla_hours, l.sla_breached])).toEqual([
      [6, false],
      [48, false],
      [48, true],
    ]);
  });
});

describe('GET /api/licenses/:id/tasks', () => {
  const task = (event: string, id: string, at: string, properties: Record<string, unknown>) => ({
    event,
    event_id: `${event}-${id}-${at}`,
    occurred_at: at,
    properties: { task_id: id, ...properties },
  });

  it("lists the account's tasks on the template, newest first, each with its outcome and risk alerts", async () => {
    const id = apply();
    t.store.ingest(
      [
        task('task_start', 't1', '2026-11-25T08:00:00+08:00', {
          template_id: 'tpl_001',
          account_id: ACCOUNT,
          estimated_credits: 20,
          queue_type: 'standard',
        }),
        task('task_completed', 't1', '2026-11-25T08:05:00+08:00', {
          template_id: 'tpl_001',
          credits_spent: 18,
          duration_ms: 300000,
          output_count: 2,
        }),
        task('task_start', 't2', '2026-11-25T09:00:00+08:00', {
          template_id: 'tpl_001',
          account_id: ACCOUNT,
          estimated_credits: 30,
          queue_type: 'fast',
        }),
        task('task_failed', 't2', '2026-11-25T09:01:00+08:00', {
          template_id: 'tpl_001',
          failure_code: 'safety_block',
          sub_status: 'x',
          policy_tag: 'D1',
          action_required: 'remove_asset',
        }),
        task('risk_alert', 't2', '2026-11-25T09:01:30+08:00', {
          alert_id: 'al-1',
          risk_level: 'high',
          policy_tag: 'D1',
          action_required: 'remove_asset',
          escalation_level: 'ops_review',
        }),
        task('task_start', 't3', '2026-11-25T10:00:00+08:00', {
          template_id: 'tpl_001',
          account_id: ACCOUNT,
          estimated_credits: 10,
          queue_type: 'standard',
        }),
        // not this licence's: another account, another template
        task('task_start', 'x1', '2026-11-25T10:00:00+08:00', {
          template_id: 'tpl_001',
          account_id: OTHER_ACCOUNT,
          estimated_credits: 10,
          queue_type: 'standard',
        }),
        task('task_start', 'x2', '2026-11-25T10:00:00+08:00', {
          template_id: 'tpl_002',
          account_id: ACCOUNT,
          estimated_credits: 10,
          queue_type: 'standard',
        }),
      ],
      'platform-integration',
    );
    const res = await t.as('ops').get(`/api/licenses/${id}/tasks`);
    expect(res.status).toBe(200);
    const tasks = (await res.json()) as Array<Record<string, unknown>>;
    expect(tasks.map((x) => [x.task_id, x.outcome])).toEqual([
      ['t3', 'running'],
      ['t2', 'failed'],
      ['t1', 'completed'],
    ]);
    expect(tasks[1]).toMatchObject({
      failure_code: 'safety_block',
      queue_type: 'fast',
      alerts: [{ alert_id: 'al-1', risk_level: 'high', policy_tag: 'D1', escalation_level: 'ops_review' }],
    });
    expect(tasks[2]).toMatchObject({
      credits_spent: 18,
      estimated_credits: 20,
      finished_at: '2026-11-25T00:05:00.000Z',
      alerts: [],
    });
    expect(res.headers.get('Content-Range')).toBe('license-tasks 0-2/3');
  });

  it('is empty for an application without account or template, and 404 for an unknown licence', async () => {
    const id = apply({ account_id: undefined });
    expect(await (await t.as('ops').get(`/api/licenses/${id}/tasks`)).json()).toEqual([]);
    expect((await t.as('ops').get('/api/licenses/999/tasks')).status).toBe(404);
  });
});
