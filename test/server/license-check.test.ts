import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../db/open.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { licenseCheckRoutes } from '../../server/licenses/routes.ts';
import type { LicenseCheck } from '../../server/licenses/schemas.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';
import { KEYS, landingView, licenseApply, type TestApp, testApp } from './helpers.ts';

/**
 * The platform's licence check, GET /api/licenses/check?account_id&template_id with a service token: is this
 * account licensed for this template now, until when, and how many runs are left (task_start events of that
 * account on that template since the licence took effect). One indexed lookup, one index range.
 */

const ACCOUNT = 'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef'; // licenseApply()'s
const OTHER_ACCOUNT = 'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6';
const TEMPLATE = 'tpl_001';

const PERMANENT = { effective_at: '2026-11-25T12:00:00+08:00', expiry_type: 'permanent' };
const REJECTION = {
  reason_code: 'material_incomplete',
  policy_tag: 'A1',
  action_required: 'resubmit_material',
};

/** the answer when the account never applied for the template */
const NOTHING: LicenseCheck = {
  licensed: false,
  license_id: null,
  status: null,
  expiry_type: null,
  effective_at: null,
  expires_at: null,
  runs_used: 0,
  runs_left: null,
  policy_tag: null,
};

let t: TestApp;
/** the injected clock; tests move it (decisions first: the reviewer's session lives 30 minutes) */
let now: Date;
let serviceToken: { id: number; key: string };
let seq = 0;
beforeEach(() => {
  now = new Date('2026-11-25T04:00:00.000Z');
  t = testApp({ clock: () => now });
  seq = 0;
  serviceToken = createWriteKey(t.db, {
    kind: 'service_token',
    source: 'platform-integration',
    label: 'licence check',
    createdAt: now.toISOString(),
  });
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const check = (params: Record<string, string>, token: string | null = serviceToken.key) =>
  t.app.request(`/api/licenses/check?${new URLSearchParams(params)}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
async function checked(account_id = ACCOUNT, template_id = TEMPLATE): Promise<LicenseCheck> {
  const res = await check({ account_id, template_id });
  expect(res.status).toBe(200);
  return (await res.json()) as LicenseCheck;
}

/** opens an application (a stored license_apply); its id */
function apply(properties: Record<string, unknown> = {}): number {
  const eventId = `apply-${++seq}`;
  t.store.ingest([licenseApply(eventId, properties)], 'platform-integration');
  return t.db
    .prepare('SELECT id FROM landing_phase1_licenses WHERE source_event_id = ?')
    .pluck()
    .get(eventId) as number;
}

async function decide(action: 'approve' | 'reject' | 'revoke', id: number, body: Record<string, unknown>) {
  const res = await t.as('compliance_reviewer').send('POST', `/api/licenses/${id}/${action}`, body);
  expect(res.status).toBe(200);
}

/** a valid task_start of `account` on `template` */
function taskStart(occurred_at: string, account = ACCOUNT, template = TEMPLATE) {
  const res = t.store.ingest(
    [
      {
        event: 'task_start',
        event_id: `task-${++seq}`,
        occurred_at,
        properties: {
          task_id: `task_${seq}`,
          template_id: template,
          account_id: account,
          estimated_credits: 12,
          queue_type: 'standard',
        },
      },
    ],
    'platform-integration',
  );
  expect(res.results[0]).toMatchObject({ status: 'stored', violations: [] });
}

describe('authentication', () => {
  it('answers a service token', async () => {
    expect((await check({ account_id: ACCOUNT, template_id: TEMPLATE })).status).toBe(200);
  });

  it('without a token is 401 with a Bearer challenge', async () => {
    const res = await check({ account_id: ACCOUNT, template_id: TEMPLATE }, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="service"');
    expect(((await res.json()) as ErrorBody).message).toBe(
      'missing service token: send Authorization: Bearer <service token>',
    );
  });

  it('a write key is not a service token (401)', async () => {
    const res = await check({ account_id: ACCOUNT, template_id: TEMPLATE }, KEYS.platform);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).message).toBe('unknown or revoked service token');
  });

  it('a session cookie is not a service token (401)', async () => {
    const res = await t
      .as('compliance_reviewer')
      .get(`/api/licenses/check?account_id=${ACCOUNT}&template_id=tpl_001`);
    expect(res.status).toBe(401);
  });

  it('a service token is not a write key: ingestion refuses it (401), nothing is stored', async () => {
    const res = await t.post('/api/events', landingView('st-1'), serviceToken.key);
    expect(res.status).toBe(401);
    expect(t.db.prepare('SELECT count(*) FROM landing_phase1_events').pluck().get()).toBe(0);
  });

  it('a revoked service token is 401', async () => {
    const revoke = await t.as('admin').send('POST', `/api/service-tokens/${serviceToken.id}/revoke`);
    expect(revoke.status).toBe(200);
    const res = await check({ account_id: ACCOUNT, template_id: TEMPLATE });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).message).toBe('unknown or revoked service token');
  });

  it.each([
    [{ template_id: TEMPLATE }, 'account_id'],
    [{ account_id: ACCOUNT }, 'template_id'],
    [{ account_id: '', template_id: TEMPLATE }, 'account_id'],
  ])('missing parameters are 400 naming the field (%j)', async (params, field) => {
    const res = await check(params);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.errors).toEqual({ [field]: 'is required' });
    expect(body.message).toContain(field);
  });
});

describe('GET /api/licenses/check', () => {
  it('no application: not licensed, nothing known', async () => {
    apply({ account_id: OTHER_ACCOUNT }); // another account's application says nothing about this one
    apply({ template_id: 'tpl_002' });
    expect(await checked()).toEqual(NOTHING);
  });

  it('pending: not licensed', async () => {
    apply();
    expect(await checked()).toEqual({ ...NOTHING, license_id: 'lic_1', status: 'pending', policy_tag: 'A1' });
  });

  it('approved permanent: licensed, no expiry, no run limit', async () => {
    const id = apply();
    await decide('approve', id, { ...PERMANENT, version: 1 });
    expect(await checked()).toEqual({
      licensed: true,
      license_id: 'lic_1',
      status: 'approved',
      expiry_type: 'permanent',
      effective_at: '2026-11-25T04:00:00.000Z',
      expires_at: null,
      runs_used: 0,
      runs_left: null,
      policy_tag: 'A1',
    });
    // and for another account or template, still nothing
    expect(await checked(OTHER_ACCOUNT)).toEqual(NOTHING);
    expect(await checked(ACCOUNT, 'tpl_002')).toEqual(NOTHING);
  });

  it('approved to take effect later: not licensed until effective_at', async () => {
    const id = apply();
    await decide('approve', id, {
      effective_at: '2026-11-26T00:00:00+08:00',
      expiry_type: 'permanent',
      version: 1,
    });
    const before = await checked();
    expect(before).toMatchObject({
      licensed: false,
      status: 'approved',
      effective_at: '2026-11-25T16:00:00.000Z',
    });
    now = new Date('2026-11-25T16:00:00.000Z');
    expect(await checked()).toEqual({ ...before, licensed: true });
  });

  it('approved fixed_term: licensed before expires_at, not from it on', async () => {
    const id = apply();
    await decide('approve', id, {
      effective_at: '2026-11-25T12:00:00+08:00',
      expiry_type: 'fixed_term',
      expires_at: '2026-12-25T12:00:00+08:00',
      version: 1,
    });
    const licensed: LicenseCheck = {
      licensed: true,
      license_id: 'lic_1',
      status: 'approved',
      expiry_type: 'fixed_term',
      effective_at: '2026-11-25T04:00:00.000Z',
      expires_at: '2026-12-25T04:00:00.000Z',
      runs_used: 0,
      runs_left: null,
      policy_tag: 'A1',
    };
    expect(await checked()).toEqual(licensed);
    now = new Date('2026-12-25T03:59:59.999Z');
    expect(await checked()).toEqual(licensed);
    now = new Date('2026-12-25T04:00:00.000Z');
    expect(await checked()).toEqual({ ...licensed, licensed: false });
    now = new Date('2027-01-10T00:00:00.000Z');
    expect(await checked()).toEqual({ ...licensed, licensed: false });
  });

  it('approved run_limited: counts this account’s task_start on this template since effective_at', async () => {
    const id = apply();
    // effective 08:00 UTC+8 = 00:00 UTC, four hours before the clock
    await decide('approve', id, {
      effective_at: '2026-11-25T08:00:00+08:00',
      expiry_type: 'run_limited',
      max_runs: 3,
      version: 1,
    });
    const base: LicenseCheck = {
      licensed: true,
      license_id: 'lic_1',
      status: 'approved',
      expiry_type: 'run_limited',
      effective_at: '2026-11-25T00:00:00.000Z',
      expires_at: null,
      runs_used: 0,
      runs_left: 3,
      policy_tag: 'A1',
    };
    // none of these count: before effective_at, another account, another template
    taskStart('2026-11-24T23:59:59.999Z');
    taskStart('2026-11-25T01:00:00.000Z', OTHER_ACCOUNT);
    taskStart('2026-11-25T01:00:00.000Z', ACCOUNT, 'tpl_002');
    expect(await checked()).toEqual(base);

    taskStart('2026-11-25T00:00:00.000Z'); // exactly at effective_at: counts
    expect(await checked()).toEqual({ ...base, runs_used: 1, runs_left: 2 });

    taskStart('2026-11-25T01:00:00.000Z');
    taskStart('2026-11-25T02:00:00.000Z');
    expect(await checked()).toEqual({ ...base, licensed: false, runs_used: 3, runs_left: 0 });

    taskStart('2026-11-25T03:00:00.000Z');
    expect(await checked()).toEqual({ ...base, licensed: false, runs_used: 4, runs_left: 0 });
  });

  it('revoked: not licensed, status revoked', async () => {
    const id = apply();
    await decide('approve', id, { ...PERMANENT, version: 1 });
    await decide('revoke', id, { ...REJECTION, note: 'material forged', version: 2 });
    expect(await checked()).toEqual({
      licensed: false,
      license_id: 'lic_1',
      status: 'revoked',
      expiry_type: 'permanent',
      effective_at: '2026-11-25T04:00:00.000Z',
      expires_at: null,
      runs_used: 0,
      runs_left: null,
      policy_tag: 'A1',
    });
  });

  it('rejected: not licensed', async () => {
    const id = apply();
    await decide('reject', id, { ...REJECTION, version: 1 });
    expect(await checked()).toEqual({
      ...NOTHING,
      license_id: 'lic_1',
      status: 'rejected',
      policy_tag: 'A1',
    });
  });

  it('an approved licence is preferred over a later rejected re-application', async () => {
    const first = apply();
    await decide('approve', first, { ...PERMANENT, version: 1 });
    const second = apply({ policy_tag: 'B1' });
    await decide('reject', second, { ...REJECTION, version: 1 });
    expect(await checked()).toEqual({
      licensed: true,
      license_id: `lic_${first}`,
      status: 'approved',
      expiry_type: 'permanent',
      effective_at: '2026-11-25T04:00:00.000Z',
      expires_at: null,
      runs_used: 0,
      runs_left: null,
      policy_tag: 'A1',
    });
  });

  it('the latest application answers when none is approved', async () => {
    const first = apply();
    await decide('reject', first, { ...REJECTION, version: 1 });
    apply({ policy_tag: 'B1' });
    expect(await checked()).toEqual({ ...NOTHING, license_id: 'lic_2', status: 'pending', policy_tag: 'B1' });
  });
});

describe('query plans', () => {
  /** the SQL the check prepares, recorded by handing it a database that notes every prepare */
  function checkStatements(): string[] {
    const seen: string[] = [];
    const recording = new Proxy(t.db, {
      get(target, prop) {
        if (prop === 'prepare')
          return (sql: string) => {
            seen.push(sql);
            return target.prepare(sql);
          };
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as DB;
    licenseCheckRoutes(recording, () => now);
    return seen;
  }
  const plan = (sql: string, params: unknown[]) =>
    (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('\n');

  it('the runs count is one range of landing_phase1_tasks_account', () => {
    for (let i = 0; i < 20; i++)
      taskStart(`2026-11-25T0${i % 4}:00:00.000Z`, i % 2 ? ACCOUNT : OTHER_ACCOUNT);
    const runs = checkStatements().find((s) => s.includes('landing_phase1_tasks'));
    expect(runs).toBeDefined();
    expect(plan(runs!, [ACCOUNT, TEMPLATE, '2026-11-25T00:00:00.000Z'])).toMatch(
      /SEARCH landing_phase1_tasks USING (COVERING )?INDEX landing_phase1_tasks_account/,
    );
  });

  it('the licence lookup uses landing_phase1_licenses_account', () => {
    for (let i = 0; i < 20; i++) apply({ template_id: `tpl_${i % 5}` });
    const latest = checkStatements().find((s) => s.includes('landing_phase1_licenses'));
    expect(latest).toBeDefined();
    expect(plan(latest!, [ACCOUNT, TEMPLATE])).toMatch(
      /SEARCH landing_phase1_licenses USING INDEX landing_phase1_licenses_account \(account_id=\? AND template_id=\?\)/,
    );
  });
});
