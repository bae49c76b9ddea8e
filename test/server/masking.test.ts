import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAudit } from '../../server/audit/log.ts';
import type { AuditRecord } from '../../server/audit/schemas.ts';
import { ROLES, type Role } from '../../server/auth/permissions.ts';
import type { StoredEvent } from '../../server/events/schemas.ts';
import { insertUser } from '../../server/users/store.ts';
import { KEYS, landingView, type TestApp, testApp } from './helpers.ts';

/**
 * Sensitive fields (the plan's user_id, account_id, approver_id) leave the server masked — first 4 characters
 * and •••••• — for ops, engineers and admins, and in clear for product planners, data analysts and compliance
 * reviewers: in event lists, single events and the audit log (list, one row, CSV export). Engineers read only
 * their own team's events.
 */

const USER = 'a3f1c2d4e5f60718293a4b5c6d7e8f90';
const ACCOUNT = '9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc';
const APPROVER = 'reviewer-42';
const MASKED = { user: 'a3f1••••••', account: '9f8e••••••', approver: 'revi••••••' };

const CLEAR_READERS: Role[] = ['product_planner', 'data_analyst', 'compliance_reviewer'];
const MASKED_READERS: Role[] = ['ops', 'engineer', 'admin'];

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const licenseApproved = (id: string) => ({
  event: 'license_approved',
  event_id: id,
  occurred_at: '2026-11-25T10:00:00+08:00',
  properties: {
    license_id: 'lic_1',
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    approver_id: APPROVER,
    effective_at: '2026-11-25T10:00:00+08:00',
    expiry_type: 'run_limited',
    max_runs: 10,
  },
});
const licenseApply = (id: string) => ({
  event: 'license_apply',
  event_id: id,
  occurred_at: '2026-11-25T10:00:00+08:00',
  properties: {
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    is_fast_track: false,
    persona_tag: 'creator_studio',
    policy_tag: 'A1',
  },
});
const taskStart = (id: string) => ({
  event: 'task_start',
  event_id: id,
  occurred_at: '2026-11-25T10:00:00+08:00',
  properties: {
    task_id: 't1',
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    estimated_credits: 1,
    queue_type: 'fast',
  },
});

/** five events: three the frontend-build team reads (its plan events, or sent with its key), two it does not */
async function ingestFixture() {
  const sent = [
    await t.post('/api/events', landingView('fe-view', { user_id: USER }), KEYS.frontend),
    await t.post('/api/events', licenseApply('fe-apply'), KEYS.frontend),
    await t.post('/api/events', landingView('pl-view', { user_id: USER }), KEYS.platform),
    await t.post('/api/events', licenseApproved('pl-approved'), KEYS.platform),
    await t.post('/api/events', taskStart('pl-task'), KEYS.platform),
  ];
  expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
}
const idOf = (eventId: string) =>
  t.db.prepare('SELECT id FROM landing_phase1_events WHERE event_id = ?').pluck().get(eventId) as number;

async function eventsAs(role: Role, filter: Record<string, unknown> = {}) {
  const res = await t.as(role).list('events', { filter });
  expect(res.status).toBe(200);
  return {
    rows: (await res.json()) as StoredEvent[],
    total: Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]),
  };
}
async function eventAs(role: Role, eventId: string) {
  const res = await t.as(role).get(`/api/events/${idOf(eventId)}`);
  return { status: res.status, event: res.status === 200 ? ((await res.json()) as StoredEvent) : undefined };
}

describe('events: sensitive properties by role', () => {
  beforeEach(ingestFixture);

  it.each(CLEAR_READERS)('%s reads user_id, account_id and approver_id in clear', async (role) => {
    const view = (await eventsAs(role, { event_id: 'fe-view' })).rows[0]!;
    expect(view.properties).toMatchObject({ user_id: USER, session_id: 's_1' });
    const approved = (await eventsAs(role, { event_id: 'pl-approved' })).rows[0]!;
    expect(approved.properties).toMatchObject({
      account_id: ACCOUNT,
      approver_id: APPROVER,
      license_id: 'lic_1',
    });

    expect((await eventAs(role, 'fe-view')).event?.properties.user_id).toBe(USER);
    expect((await eventAs(role, 'pl-approved')).event?.properties).toMatchObject({
      account_id: ACCOUNT,
      approver_id: APPROVER,
    });
  });

  it.each(MASKED_READERS)(
    '%s gets them masked (first 4 characters kept), other properties untouched',
    async (role) => {
      const view = (await eventsAs(role, { event_id: 'fe-view' })).rows[0]!;
      expect(view.properties).toEqual({
        user_id: MASKED.user,
        session_id: 's_1',
        source_channel: 'search',
        ab_bucket: 'A',
      });
      expect((await eventAs(role, 'fe-view')).event?.properties.user_id).toBe(MASKED.user);

      // the frontend-build engineer may read license_apply sent with the team's key, not license_approved
      const eventId = role === 'engineer' ? 'fe-apply' : 'pl-approved';
      const listed = (await eventsAs(role, { event_id: eventId })).rows[0]!;
      expect(listed.properties.account_id).toBe(MASKED.account);
      expect(listed.properties.template_id).toBe('tpl_001');
      expect((await eventAs(role, eventId)).event?.properties.account_id).toBe(MASKED.account);
      if (role !== 'engineer') {
        expect(listed.properties.approver_id).toBe(MASKED.approver);
        expect((await eventAs(role, eventId)).event?.properties.approver_id).toBe(MASKED.approver);
      }
      // the clear value appears nowhere in the answer
      const text = await (await t.as(role).list('events', { range: [0, 99] })).text();
      expect(text).not.toContain(USER);
      expect(text).not.toContain(ACCOUNT);
      expect(text).not.toContain(APPROVER);
    },
  );

  it('every role is covered by exactly one of the two expectations', () => {
    expect([...CLEAR_READERS, ...MASKED_READERS].sort()).toEqual([...ROLES].sort());
  });
});

describe('engineers read only their team’s events', () => {
  beforeEach(ingestFixture);

  it('the frontend-build engineer lists the team’s plan events and those sent with its key', async () => {
    expect((await eventsAs('data_analyst')).total).toBe(5);
    const { rows, total } = await eventsAs('engineer');
    expect(total).toBe(3);
    expect(rows.map((e) => e.event_id).sort()).toEqual(['fe-apply', 'fe-view', 'pl-view']);
    expect((await eventsAs('engineer', { event: 'license_approved' })).total).toBe(0);
    expect((await eventsAs('engineer', { source: 'platform-integration' })).total).toBe(1);
  });

  it('another team’s event is 404 to the engineer, their own is 200', async () => {
    expect((await eventAs('engineer', 'pl-approved')).status).toBe(404);
    expect((await eventAs('engineer', 'pl-task')).status).toBe(404);
    expect((await eventAs('engineer', 'pl-view')).status).toBe(200);
    expect((await eventAs('engineer', 'fe-apply')).status).toBe(200);
  });

  it('a platform-integration engineer sees that team’s events instead', async () => {
    const id = insertUser(
      t.db,
      { username: 'pi-eng', display_name: 'PI engineer', roles: ['engineer'], team: 'platform-integration' },
      'scrypt$1024$8$1$x$y',
      t.now,
    );
    const cookie = `lc_session=${t.sessions.create(id, t.now, 'test', 'vitest')}`;
    const res = await t.app.request('/api/events?range=[0,99]', { headers: { Cookie: cookie } });
    expect(res.headers.get('content-range')).toBe('events 0-3/4');
    const rows = (await res.json()) as StoredEvent[];
    // license_apply is a platform-integration plan event even though frontend-build sent it
    expect(rows.map((e) => e.event_id).sort()).toEqual(['fe-apply', 'pl-approved', 'pl-task', 'pl-view']);
  });
});

describe('audit log: sensitive fields in before/after by role', () => {
  let auditId: number;
  beforeEach(() => {
    auditId = t.db.transaction(() =>
      writeAudit(
        t.db,
        {
          actor: { id: null, username: 'system' },
          action: 'license.review',
          resource: 'license',
          resource_id: 'lic_1',
          before: { account_id: ACCOUNT, status: 'pending' },
          after: { account_id: ACCOUNT, status: 'approved', review: { approver_id: APPROVER } },
          outcome: 'success',
        },
        t.now,
      ),
    )();
  });

  const clearBefore = { account_id: ACCOUNT, status: 'pending' };
  const clearAfter = { account_id: ACCOUNT, status: 'approved', review: { approver_id: APPROVER } };
  const maskedBefore = { account_id: MASKED.account, status: 'pending' };
  const maskedAfter = {
    account_id: MASKED.account,
    status: 'approved',
    review: { approver_id: MASKED.approver },
  };

  it.each([
    ['admin', maskedBefore, maskedAfter],
    ['compliance_reviewer', clearBefore, clearAfter],
    ['product_planner', clearBefore, clearAfter],
    ['data_analyst', clearBefore, clearAfter],
  ] as const)(
    '%s reads them as expected in GET /api/audit and /api/audit/:id',
    async (role, before, after) => {
      const list = await t.as(role).list('audit', { filter: { action: 'license.review' } });
      expect(list.status).toBe(200);
      const rows = (await list.json()) as AuditRecord[];
      expect(rows.map((r) => [r.id, r.before, r.after])).toEqual([[auditId, before, after]]);

      const one = await t.as(role).get(`/api/audit/${auditId}`);
      expect(one.status).toBe(200);
      expect((await one.json()) as AuditRecord).toMatchObject({ id: auditId, before, after });
    },
  );

  it('the CSV export is masked for an admin and clear for a compliance reviewer', async () => {
    const adminCsv = await (await t.as('admin').get('/api/audit/export')).text();
    expect(adminCsv).toContain(MASKED.account);
    expect(adminCsv).toContain(MASKED.approver);
    expect(adminCsv).not.toContain(ACCOUNT);
    expect(adminCsv).not.toContain(APPROVER);

    const reviewerCsv = await (await t.as('compliance_reviewer').get('/api/audit/export')).text();
    expect(reviewerCsv).toContain(ACCOUNT);
    expect(reviewerCsv).toContain(APPROVER);
    expect(reviewerCsv).not.toContain('••••••');
  });

  it('masking is only on the way out: the stored row keeps the values in clear', () => {
    const stored = t.db
      .prepare('SELECT after FROM landing_phase1_audit_log WHERE id = ?')
      .pluck()
      .get(auditId);
    expect(JSON.parse(stored as string)).toEqual(clearAfter);
  });
});
