import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRow } from '../../server/audit/log.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import type { UserRecord } from '../../server/users/schemas.ts';
import { ORIGIN, TEST_PASSWORD, type TestApp, testApp } from './helpers.ts';

/**
 * User administration (admins only): create, update with optimistic versions, no self-lockout, sessions
 * that end when an account is disabled or its roles change, list filters, and an audit row for every
 * change, written in the same transaction and never holding a password hash.
 */

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const admin = () => t.as('admin');
const NEW_USER = {
  username: 'alice.ops',
  display_name: 'Alice Ops',
  roles: ['ops', 'data_analyst'],
  password: 'a long enough password',
};

async function create(body: Record<string, unknown> = NEW_USER): Promise<UserRecord> {
  const res = await admin().send('POST', '/api/users', body);
  expect(res.status).toBe(201);
  return (await res.json()) as UserRecord;
}
async function update(id: number, body: Record<string, unknown>) {
  return admin().send('PUT', `/api/users/${id}`, body);
}
const versionOf = (id: number) =>
  t.db.prepare('SELECT version FROM landing_phase1_users WHERE id = ?').pluck().get(id) as number;
const auditCount = () =>
  t.db.prepare('SELECT count(*) FROM landing_phase1_audit_log').pluck().get() as number;
const lastAudit = () =>
  t.db.prepare('SELECT * FROM landing_phase1_audit_log ORDER BY id DESC LIMIT 1').get() as AuditRow;
function login(username: string, password: string) {
  return t.app.request('/api/auth/login', {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

describe('POST /api/users', () => {
  it('creates a user (201) who can then sign in with that password', async () => {
    const user = await create();
    expect(user).toEqual({
      id: expect.any(Number),
      username: 'alice.ops',
      display_name: 'Alice Ops',
      roles: ['ops', 'data_analyst'],
      team: null,
      disabled: false,
      disabled_at: null,
      created_at: t.now.toISOString(),
      updated_at: t.now.toISOString(),
      version: 1,
    });
    expect((await admin().get(`/api/users/${user.id}`)).status).toBe(200);
    const signIn = await login('alice.ops', NEW_USER.password);
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { roles: string[] }).roles).toEqual(['ops', 'data_analyst']);
  });

  it('a taken username is 409', async () => {
    const res = await admin().send('POST', '/api/users', { ...NEW_USER, username: 'ops' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).errors).toEqual({ username: 'is taken' });
  });

  it('a password under 12 characters is 400 naming password', async () => {
    const res = await admin().send('POST', '/api/users', { ...NEW_USER, password: 'short pw' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).errors).toEqual({ password: 'must be at least 12 characters' });
  });

  it('an engineer without a team is 422 naming team; with one it is created', async () => {
    const res = await admin().send('POST', '/api/users', { ...NEW_USER, roles: ['engineer'] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).errors).toEqual({ team: 'is required for an engineer' });
    const ok = await create({ ...NEW_USER, roles: ['engineer'], team: 'platform-integration' });
    expect(ok.team).toBe('platform-integration');
  });

  it('none of the refused creations stored a user or an audit row', async () => {
    const users = () => t.db.prepare('SELECT count(*) FROM landing_phase1_users').pluck().get() as number;
    const before = { users: users(), audit: auditCount() };
    await admin().send('POST', '/api/users', { ...NEW_USER, username: 'ops' });
    await admin().send('POST', '/api/users', { ...NEW_USER, password: 'short' });
    await admin().send('POST', '/api/users', { ...NEW_USER, roles: ['engineer'] });
    await admin().send('POST', '/api/users', { ...NEW_USER, roles: ['root'] });
    expect({ users: users(), audit: auditCount() }).toEqual(before);
  });
});

describe('PUT /api/users/:id', () => {
  it('updates with the version read (bumping it); a stale version is 409 and changes nothing', async () => {
    const user = await create();
    const res = await update(user.id, { display_name: 'Alice O.', version: 1 });
    expect(res.status).toBe(200);
    expect((await res.json()) as UserRecord).toMatchObject({ display_name: 'Alice O.', version: 2 });

    const stale = await update(user.id, { display_name: 'Lost update', version: 1 });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).errors).toEqual({ version: 'is stale' });
    const now = (await (await admin().get(`/api/users/${user.id}`)).json()) as UserRecord;
    expect(now).toMatchObject({ display_name: 'Alice O.', version: 2 });
  });

  it('an admin cannot take away their own admin role (422)', async () => {
    const me = admin().userId;
    const res = await update(me, { roles: ['ops'], version: versionOf(me) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).errors).toEqual({ roles: 'would lock you out' });
    expect(t.db.prepare('SELECT roles FROM landing_phase1_users WHERE id = ?').pluck().get(me)).toBe(
      '["admin"]',
    );
  });

  it('an admin cannot disable themselves (422)', async () => {
    const me = admin().userId;
    const res = await update(me, { disabled: true, version: versionOf(me) });
    expect(res.status).toBe(422);
    expect(
      t.db.prepare('SELECT disabled_at FROM landing_phase1_users WHERE id = ?').pluck().get(me),
    ).toBeNull();
    expect((await admin().get('/api/auth/me')).status).toBe(200);
  });

  it('an admin may still edit their own name, and add roles while keeping admin', async () => {
    const me = admin().userId;
    const res = await update(me, { display_name: 'Boss', roles: ['admin', 'ops'], version: versionOf(me) });
    expect(res.status).toBe(200);
    expect((await res.json()) as UserRecord).toMatchObject({ display_name: 'Boss', roles: ['admin', 'ops'] });
  });

  it('disabling a user ends their sessions at once, and they cannot sign in until re-enabled', async () => {
    const ops = t.as('ops');
    expect((await ops.get('/api/events')).status).toBe(200);
    const res = await update(ops.userId, { disabled: true, version: versionOf(ops.userId) });
    expect(res.status).toBe(200);
    expect((await res.json()) as UserRecord).toMatchObject({
      disabled: true,
      disabled_at: t.now.toISOString(),
    });
    expect((await ops.get('/api/events')).status).toBe(401);
    expect((await login('ops', TEST_PASSWORD)).status).toBe(401);

    expect((await update(ops.userId, { disabled: false, version: versionOf(ops.userId) })).status).toBe(200);
    expect((await login('ops', TEST_PASSWORD)).status).toBe(200);
    // the old session stays ended
    expect((await ops.get('/api/events')).status).toBe(401);
  });

  it('changing a user’s roles ends their sessions; changing only their name does not', async () => {
    const analyst = t.as('data_analyst');
    const renamed = await update(analyst.userId, {
      display_name: 'Dana',
      version: versionOf(analyst.userId),
    });
    expect(renamed.status).toBe(200);
    expect((await analyst.get('/api/auth/me')).status).toBe(200);

    const res = await update(analyst.userId, { roles: ['ops'], version: versionOf(analyst.userId) });
    expect(res.status).toBe(200);
    expect((await analyst.get('/api/auth/me')).status).toBe(401);
  });

  it('a new password ends the user’s sessions, and only the new password signs in', async () => {
    const planner = t.as('product_planner');
    const res = await update(planner.userId, {
      password: 'a brand new passphrase',
      version: versionOf(planner.userId),
    });
    expect(res.status).toBe(200);
    expect((await planner.get('/api/auth/me')).status).toBe(401);
    expect((await login('product_planner', TEST_PASSWORD)).status).toBe(401);
    expect((await login('product_planner', 'a brand new passphrase')).status).toBe(200);
  });

  it('making someone an engineer without a team is 422', async () => {
    const ops = t.userIds.get('ops')!;
    const res = await update(ops, { roles: ['engineer'], version: versionOf(ops) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).errors).toEqual({ team: 'is required for an engineer' });
  });

  it('an unknown user is 404', async () => {
    expect((await update(9999, { display_name: 'x', version: 1 })).status).toBe(404);
    expect((await admin().get('/api/users/9999')).status).toBe(404);
  });
});

describe('GET /api/users', () => {
  async function usernames(filter: Record<string, unknown>) {
    const res = await admin().list('users', { filter });
    expect(res.status).toBe(200);
    const rows = (await res.json()) as UserRecord[];
    const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
    expect(total).toBe(rows.length);
    return rows.map((u) => u.username);
  }

  it('filters by role, by q (username or display name) and by disabled', async () => {
    await create();
    await create({ ...NEW_USER, username: 'bob', display_name: 'Robert Tables', roles: ['admin'] });
    expect(await usernames({})).toEqual([
      'admin',
      'alice.ops',
      'bob',
      'compliance_reviewer',
      'data_analyst',
      'engineer',
      'ops',
      'product_planner',
    ]);
    expect(await usernames({ role: 'ops' })).toEqual(['alice.ops', 'ops']);
    expect(await usernames({ role: 'admin' })).toEqual(['admin', 'bob']);
    expect(await usernames({ role: 'data_analyst', q: 'alice' })).toEqual(['alice.ops']);
    expect(await usernames({ q: 'tables' })).toEqual(['bob']);
    expect(await usernames({ q: 'Test comp' })).toEqual(['compliance_reviewer']);

    const bob = t.db
      .prepare("SELECT id FROM landing_phase1_users WHERE username = 'bob'")
      .pluck()
      .get() as number;
    await update(bob, { disabled: true, version: 1 });
    expect(await usernames({ disabled: true })).toEqual(['bob']);
    expect(await usernames({ role: 'admin', disabled: false })).toEqual(['admin']);
  });

  it('never returns a password hash', async () => {
    await create();
    const res = await admin().list('users', { range: [0, 99] });
    const text = await res.text();
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain('password');
  });
});

describe('every user change is audited', () => {
  it('create and update each write one row with before/after, and no audit row holds a password hash', async () => {
    const count0 = auditCount();
    const user = await create();
    expect(auditCount()).toBe(count0 + 1);
    const created = lastAudit();
    expect(created).toMatchObject({
      actor: 'admin',
      actor_id: admin().userId,
      action: 'user.create',
      resource: 'user',
      resource_id: String(user.id),
      before: null,
      outcome: 'success',
    });
    expect(JSON.parse(created.after!)).toEqual(user);

    const res = await update(user.id, { roles: ['ops'], password: 'another long passphrase', version: 1 });
    const updated = (await res.json()) as UserRecord;
    expect(auditCount()).toBe(count0 + 2);
    const row = lastAudit();
    expect(row).toMatchObject({ action: 'user.update', resource_id: String(user.id), outcome: 'success' });
    expect(JSON.parse(row.before!)).toEqual(user);
    expect(JSON.parse(row.after!)).toEqual({ ...updated, password: 'changed' });

    // the password hashes are in the users table, and nowhere in the audit log
    expect(
      t.db
        .prepare("SELECT count(*) FROM landing_phase1_users WHERE password_hash LIKE 'scrypt$%'")
        .pluck()
        .get(),
    ).toBe(7);
    const leaked = t.db
      .prepare(
        `SELECT count(*) FROM landing_phase1_audit_log
         WHERE instr(coalesce(before, '') || coalesce(after, '') || coalesce(reason, ''), 'scrypt$') > 0`,
      )
      .pluck()
      .get();
    expect(leaked).toBe(0);
  });

  it('the audit row is written in the change’s transaction: when it cannot be written the change is undone', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      t.db.exec(`CREATE TRIGGER test_audit_down BEFORE INSERT ON landing_phase1_audit_log
                 BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END`);
      const ops = t.userIds.get('ops')!;
      expect((await admin().send('POST', '/api/users', NEW_USER)).status).toBe(500);
      expect((await update(ops, { display_name: 'Renamed', version: 1 })).status).toBe(500);
      expect(
        t.db.prepare("SELECT count(*) FROM landing_phase1_users WHERE username = 'alice.ops'").pluck().get(),
      ).toBe(0);
      expect(
        t.db.prepare('SELECT display_name, version FROM landing_phase1_users WHERE id = ?').get(ops),
      ).toEqual({
        display_name: 'Test ops',
        version: 1,
      });
    } finally {
      logged.mockRestore();
    }
  });
});
