import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../server/audit/log.ts';
import { THROTTLE } from '../../server/auth/routes.ts';
import type { Me } from '../../server/auth/schemas.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { KEYS, landingView, ORIGIN, TEST_PASSWORD, type TestApp, testApp } from './helpers.ts';

/**
 * Signing in and out: the session cookie and its attributes, rotation at every sign-in, sessions that end on
 * logout, after inactivity and at their absolute limit, tokens stored only hashed, throttled sign-ins, the
 * same-origin JSON rule for cookie-authenticated mutations and the security headers.
 */

const START = '2026-11-25T04:00:00.000Z';
const MINUTE = 60_000;

let t: TestApp;
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

/** an app whose clock the test moves: `at(ms)` sets it to START + ms */
function appWithClock(overrides: Parameters<typeof testApp>[0] = {}) {
  let now = new Date(START);
  t = testApp({ clock: () => now, ...overrides });
  return {
    at: (ms: number) => {
      now = new Date(Date.parse(START) + ms);
    },
  };
}

function login(username: string, password: string, headers: Record<string, string> = {}) {
  return t.app.request('/api/auth/login', {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
}

/** the session token a response set, by cookie name */
function tokenOf(res: Response, name = 'lc_session'): string {
  const setCookie = res.headers.get('set-cookie') ?? '';
  const m = new RegExp(`(?:^|, )${name.replace(/[$]/g, '\\$&')}=([^;]*)`).exec(setCookie);
  expect(m, `Set-Cookie "${setCookie}" has ${name}`).not.toBeNull();
  return m![1]!;
}

const me = (cookie: string) => t.app.request('/api/auth/me', { headers: { Cookie: cookie } });

function logout(cookie: string) {
  return t.app.request('/api/auth/logout', {
    method: 'POST',
    headers: { Cookie: cookie, Origin: ORIGIN, 'Content-Type': 'application/json' },
  });
}

const auditRows = (action: string) =>
  t.db
    .prepare('SELECT * FROM landing_phase1_audit_log WHERE action = ? ORDER BY id')
    .all(action) as AuditRow[];

const sessionRow = (token: string) =>
  t.db
    .prepare('SELECT * FROM landing_phase1_sessions WHERE token_hash = ?')
    .get(createHash('sha256').update(token).digest('hex')) as
    | { user_id: number; ended_at: string | null; expires_at: string; last_seen_at: string }
    | undefined;

/** every byte the database holds on disk (main file and write-ahead log) */
function databaseBytes(): Buffer {
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  return Buffer.concat([t.path, `${t.path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}

describe('POST /api/auth/login', () => {
  it('sets an HttpOnly, SameSite=Strict lc_session cookie and answers the user with their permissions', async () => {
    t = testApp();
    const res = await login('ops', TEST_PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^lc_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    const body = (await res.json()) as Me;
    expect(body).toEqual({
      id: t.userIds.get('ops'),
      username: 'ops',
      display_name: 'Test ops',
      roles: ['ops'],
      team: null,
      permissions: [
        'completeness:read',
        'events:read',
        'tracking-plan:read',
        'enums:read',
        'permissions:read',
        'licenses:read',
        'tasks:read',
        'alerts:read',
        'ledger:read',
        'ledger:write',
        'ledger:approve',
        'metrics:read',
      ],
    });
    expect((await me(`lc_session=${tokenOf(res)}`)).status).toBe(200);
  });

  it('with secureCookies the cookie is __Host-lc_session and Secure, only that name signs in, and logout clears it', async () => {
    t = testApp({ secureCookies: true });
    const res = await login('admin', TEST_PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-lc_session=/);
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Domain=');
    const token = tokenOf(res, '__Host-lc_session');
    expect((await me(`__Host-lc_session=${token}`)).status).toBe(200);
    expect((await me(`lc_session=${token}`)).status).toBe(401);

    const out = await logout(`__Host-lc_session=${token}`);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('__Host-lc_session=; Max-Age=0; Path=/; Secure');
    expect((await me(`__Host-lc_session=${token}`)).status).toBe(401);
  });

  it('issues a new token at every sign-in and ends the session the browser signed in from', async () => {
    t = testApp();
    const first = tokenOf(await login('ops', TEST_PASSWORD));
    const secondRes = await login('ops', TEST_PASSWORD, { Cookie: `lc_session=${first}` });
    expect(secondRes.status).toBe(200);
    const second = tokenOf(secondRes);
    expect(second).not.toBe(first);
    expect((await me(`lc_session=${first}`)).status).toBe(401);
    expect(sessionRow(first)?.ended_at).toBe(START);
    expect((await me(`lc_session=${second}`)).status).toBe(200);
  });

  it('GET /api/auth/me returns the signed-in user with exactly their permissions', async () => {
    t = testApp();
    const expected = {
      admin: [
        'completeness:read',
        'events:read',
        'tracking-plan:read',
        'enums:read',
        'permissions:read',
        'users:read',
        'users:write',
        'write-keys:read',
        'write-keys:write',
        'audit:read',
        'audit:export',
        'service-tokens:read',
        'service-tokens:write',
        'metrics:read',
      ],
      compliance_reviewer: [
        'completeness:read',
        'events:read',
        'tracking-plan:read',
        'enums:read',
        'permissions:read',
        'enums:propose',
        'enums:approve',
        'sensitive:read',
        'audit:read',
        'audit:export',
        'licenses:read',
        'licenses:decide',
        'tasks:read',
        'alerts:read',
        'alerts:act',
        'ledger:read',
        'ledger:approve',
        'metrics:read',
      ],
      engineer: [
        'completeness:read',
        'events:read',
        'tracking-plan:read',
        'enums:read',
        'permissions:read',
        'metrics:read',
      ],
    } as const;
    for (const [role, permissions] of Object.entries(expected)) {
      const res = await me(t.as(role as keyof typeof expected).cookie);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Me;
      expect(body.username).toBe(role);
      expect(body.roles).toEqual([role]);
      expect(body.team).toBe(role === 'engineer' ? 'frontend-build' : null);
      expect([...body.permissions].sort(), role).toEqual([...permissions].sort());
    }
    const anonymous = await me('');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as ErrorBody).message).toBe('sign in first');
  });

  it('a wrong password, an unknown user and a disabled user all get 401 with the same message, and are audited', async () => {
    t = testApp();
    t.db
      .prepare('UPDATE landing_phase1_users SET disabled_at = ? WHERE username = ?')
      .run(START, 'product_planner');
    const attempts = [
      ['ops', 'not the password', 'wrong password'],
      ['nobody', TEST_PASSWORD, 'unknown user'],
      ['product_planner', TEST_PASSWORD, 'account disabled'],
    ] as const;
    for (const [username, password] of attempts) {
      const res = await login(username, password);
      expect(res.status, username).toBe(401);
      expect(res.headers.get('set-cookie'), username).toBeNull();
      expect(await res.json(), username).toEqual({ message: 'invalid username or password' });
    }
    expect(
      auditRows('auth.login').map((r) => ({
        actor: r.actor,
        actor_id: r.actor_id,
        outcome: r.outcome,
        reason: r.reason,
      })),
    ).toEqual([
      { actor: 'ops', actor_id: t.userIds.get('ops'), outcome: 'failure', reason: 'wrong password' },
      { actor: 'nobody', actor_id: null, outcome: 'failure', reason: 'unknown user' },
      {
        actor: 'product_planner',
        actor_id: t.userIds.get('product_planner'),
        outcome: 'failure',
        reason: 'account disabled',
      },
    ]);
  });

  it('a successful sign-in is audited with the user as actor', async () => {
    t = testApp();
    expect((await login('data_analyst', TEST_PASSWORD)).status).toBe(200);
    const [row] = auditRows('auth.login');
    expect(row).toMatchObject({
      actor: 'data_analyst',
      actor_id: t.userIds.get('data_analyst'),
      resource: 'session',
      resource_id: String(t.userIds.get('data_analyst')),
      outcome: 'success',
    });
  });

  it('stores the session token only as its SHA-256: the cookie value appears nowhere in the database file', async () => {
    t = testApp();
    const token = tokenOf(await login('compliance_reviewer', TEST_PASSWORD));
    const hash = createHash('sha256').update(token).digest('hex');
    const row = sessionRow(token);
    expect(row?.user_id).toBe(t.userIds.get('compliance_reviewer'));
    const bytes = databaseBytes();
    // the search would find the stored hash, so it would find the token too were it there
    expect(bytes.includes(hash)).toBe(true);
    expect(bytes.includes(token)).toBe(false);
  });
});

describe('POST /api/auth/logout', () => {
  it('ends the session on the server: the old cookie then gets 401', async () => {
    t = testApp();
    const cookie = `lc_session=${tokenOf(await login('ops', TEST_PASSWORD))}`;
    expect((await me(cookie)).status).toBe(200);
    const res = await logout(cookie);
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^lc_session=; Max-Age=0; Path=\//);
    expect((await me(cookie)).status).toBe(401);
    expect((await t.app.request('/api/events', { headers: { Cookie: cookie } })).status).toBe(401);
    expect(sessionRow(cookie.slice('lc_session='.length))?.ended_at).toBe(START);
    expect(auditRows('auth.logout').map((r) => [r.actor, r.outcome])).toEqual([['ops', 'success']]);
  });

  it('without a session it still answers 204 and audits nothing', async () => {
    t = testApp();
    const res = await t.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(204);
    expect(auditRows('auth.logout')).toEqual([]);
  });
});

describe('session expiry (injected clock)', () => {
  const policy = { idleMs: 10 * MINUTE, maxMs: 30 * MINUTE };

  it('a session unused for idleMs has ended; using it before then keeps it alive', async () => {
    const clock = appWithClock({ sessions: policy });
    const cookie = `lc_session=${tokenOf(await login('ops', TEST_PASSWORD))}`;
    clock.at(policy.idleMs - 1);
    expect((await me(cookie)).status).toBe(200);
    // used at idleMs - 1: the inactivity period counts from there
    clock.at(2 * policy.idleMs - 2);
    expect((await me(cookie)).status).toBe(200);
    clock.at(3 * policy.idleMs - 2);
    expect((await me(cookie)).status).toBe(401);
    // ended on the server: going back in time does not revive it
    clock.at(2 * policy.idleMs);
    expect((await me(cookie)).status).toBe(401);
    expect(sessionRow(cookie.slice('lc_session='.length))?.ended_at).toBe(
      new Date(Date.parse(START) + 3 * policy.idleMs - 2).toISOString(),
    );
  });

  it('a session ends at its absolute limit (maxMs) even while in use', async () => {
    const clock = appWithClock({ sessions: policy });
    const cookie = `lc_session=${tokenOf(await login('admin', TEST_PASSWORD))}`;
    for (let m = 5; m < 30; m += 5) {
      clock.at(m * MINUTE);
      expect((await me(cookie)).status, `${m} minutes in`).toBe(200);
    }
    clock.at(policy.maxMs - 1);
    expect((await me(cookie)).status).toBe(200);
    clock.at(policy.maxMs);
    expect((await me(cookie)).status).toBe(401);
  });
});

describe('sign-in throttling', () => {
  it(`after ${THROTTLE.perAccount} failures for one username the next attempt is 429 with Retry-After, even with the right password, until the window passes`, async () => {
    const clock = appWithClock();
    for (let i = 0; i < THROTTLE.perAccount; i++) {
      expect((await login('ops', 'wrong password')).status).toBe(401);
    }
    const throttled = await login('ops', TEST_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe(String(THROTTLE.windowMs / 1000));
    expect(throttled.headers.get('set-cookie')).toBeNull();
    expect(((await throttled.json()) as ErrorBody).message).toMatch(/^too many failed sign-ins/);

    // another account from the same address is not throttled
    expect((await login('admin', TEST_PASSWORD)).status).toBe(200);

    clock.at(THROTTLE.windowMs - 1000);
    const stillThrottled = await login('ops', TEST_PASSWORD);
    expect(stillThrottled.status).toBe(429);
    expect(stillThrottled.headers.get('retry-after')).toBe('1');

    clock.at(THROTTLE.windowMs);
    expect((await login('ops', TEST_PASSWORD)).status).toBe(200);
  });

  it(`after ${THROTTLE.perAddress} failures from one address across usernames, every username is throttled`, async () => {
    const clock = appWithClock();
    for (let i = 0; i < THROTTLE.perAddress; i++) {
      expect((await login(`guess-${i}`, 'wrong password')).status).toBe(401);
    }
    const throttled = await login('admin', TEST_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe(String(THROTTLE.windowMs / 1000));
    clock.at(THROTTLE.windowMs);
    expect((await login('admin', TEST_PASSWORD)).status).toBe(200);
  });

  it('throttled attempts are audited as denied, failed ones as failure', async () => {
    appWithClock();
    for (let i = 0; i < THROTTLE.perAccount; i++) await login('engineer', 'wrong password');
    await login('engineer', TEST_PASSWORD);
    await login('engineer', 'wrong password');
    const rows = auditRows('auth.login');
    expect(rows.map((r) => [r.actor, r.outcome, r.reason])).toEqual([
      ...Array.from({ length: THROTTLE.perAccount }, () => ['engineer', 'failure', 'wrong password']),
      ['engineer', 'denied', 'too many failed sign-ins'],
      ['engineer', 'denied', 'too many failed sign-ins'],
    ]);
    expect(rows.every((r) => r.resource === 'session' && r.ip === 'unknown')).toBe(true);
  });

  it('a successful sign-in clears the account’s failures', async () => {
    appWithClock();
    for (let i = 0; i < THROTTLE.perAccount - 1; i++) await login('ops', 'wrong password');
    expect((await login('ops', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < THROTTLE.perAccount - 1; i++) {
      expect((await login('ops', 'wrong password')).status).toBe(401);
    }
    expect((await login('ops', TEST_PASSWORD)).status).toBe(200);
  });
});

describe('cookie-authenticated mutations: same origin, JSON only', () => {
  const newUser = { username: 'csrf-victim', display_name: 'X', roles: ['ops'], password: TEST_PASSWORD };
  const countUsers = () => t.db.prepare('SELECT count(*) FROM landing_phase1_users').pluck().get() as number;
  const countAudit = () =>
    t.db.prepare('SELECT count(*) FROM landing_phase1_audit_log').pluck().get() as number;

  function createUser(headers: Record<string, string>) {
    return t.app.request('/api/users', {
      method: 'POST',
      headers: { Cookie: t.as('admin').cookie, ...headers },
      body: JSON.stringify(newUser),
    });
  }

  it('without an Origin, or from another origin, is 403 and changes nothing', async () => {
    t = testApp();
    const before = { users: countUsers(), audit: countAudit() };
    for (const origin of [
      undefined,
      'https://evil.example',
      'null',
      'http://localhost.evil.example',
      'junk',
    ]) {
      const res = await createUser({
        'Content-Type': 'application/json',
        ...(origin === undefined ? {} : { Origin: origin }),
      });
      expect(res.status, `Origin ${origin}`).toBe(403);
      expect(((await res.json()) as ErrorBody).message).toMatch(/Origin header must be the console’s own/);
    }
    expect({ users: countUsers(), audit: countAudit() }).toEqual(before);
  });

  it('from the right origin but not JSON (text/plain, a form, none) is 415 and changes nothing', async () => {
    t = testApp();
    const before = { users: countUsers(), audit: countAudit() };
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      undefined,
    ]) {
      const res = await createUser({
        Origin: ORIGIN,
        ...(type === undefined ? {} : { 'Content-Type': type }),
      });
      expect(res.status, `Content-Type ${type}`).toBe(415);
    }
    expect({ users: countUsers(), audit: countAudit() }).toEqual(before);
    const ok = await createUser({ Origin: ORIGIN, 'Content-Type': 'application/json; charset=utf-8' });
    expect(ok.status).toBe(201);
  });

  it('sign-in and sign-out need the same origin too', async () => {
    t = testApp();
    expect((await login('ops', TEST_PASSWORD, { Origin: 'https://evil.example' })).status).toBe(403);
    const cookie = t.as('ops').cookie;
    const res = await t.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'https://evil.example', 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(403);
    expect((await me(cookie)).status).toBe(200);
  });

  it('with publicOrigin set, only that origin is the console’s own', async () => {
    t = testApp({ publicOrigin: 'https://console.example.com' });
    expect((await createUser({ Origin: ORIGIN, 'Content-Type': 'application/json' })).status).toBe(403);
    expect(
      (await createUser({ Origin: 'https://console.example.com', 'Content-Type': 'application/json' }))
        .status,
    ).toBe(201);
  });

  it('ingestion authenticated by a write key is not subject to the rule', async () => {
    t = testApp();
    const bearer = await t.app.request('/api/events', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${KEYS.frontend}`,
        Origin: 'https://evil.example',
        'Content-Type': 'text/plain',
      },
      body: JSON.stringify(landingView('cross-origin-1')),
    });
    expect(bearer.status).toBe(200);
    const basic = await t.app.request('/v1/track', {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${KEYS.frontend}:`).toString('base64')}` },
      body: JSON.stringify({
        type: 'track',
        event: 'landing_view',
        messageId: 'cross-origin-2',
        timestamp: '2026-11-25T10:00:00+08:00',
        properties: landingView('x').properties,
      }),
    });
    expect(basic.status).toBe(200);
    expect(
      t.db
        .prepare("SELECT count(*) FROM landing_phase1_events WHERE event_id LIKE 'cross-origin-%'")
        .pluck()
        .get(),
    ).toBe(2);
  });
});

describe('security headers', () => {
  it('every auth response carries them, errors included', async () => {
    t = testApp();
    const responses: Array<[string, Response]> = [
      ['login 200', await login('ops', TEST_PASSWORD)],
      ['login 401', await login('ops', 'nope')],
      ['me 200', await me(t.as('ops').cookie)],
      ['me 401', await me('')],
      ['403 origin', await login('ops', TEST_PASSWORD, { Origin: 'https://evil.example' })],
      ['403 role', await t.as('ops').get('/api/users')],
      ['415', await t.as('admin').send('POST', '/api/users', '{}', { 'Content-Type': 'text/plain' })],
    ];
    for (const [name, res] of responses) {
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), name).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy'), name).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security'), name).toMatch(/^max-age=\d+/);
      expect(res.headers.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy'), name).toContain("script-src 'self'");
    }
    expect(responses.map(([, r]) => r.status)).toEqual([200, 401, 200, 401, 403, 403, 415]);
  });
});

describe('an Authorization header does not excuse a cookie-authenticated mutation', () => {
  let t: TestApp;
  beforeEach(() => {
    t = testApp();
  });
  afterEach(() => {
    t.hub.close();
    t.cleanup();
  });

  it('a session cookie plus a junk Bearer header from a foreign origin is still 403', async () => {
    const res = await t.app.request('/api/write-keys', {
      method: 'POST',
      headers: {
        Cookie: t.as('admin').cookie,
        Authorization: 'Bearer junk',
        Origin: 'https://evil.example',
        'Content-Type': 'text/plain',
      },
      body: JSON.stringify({ source: 'frontend-build', label: 'sneaky' }),
    });
    expect(res.status).toBe(403);
    expect(
      t.db.prepare("SELECT count(*) FROM landing_phase1_write_keys WHERE label = 'sneaky'").pluck().get(),
    ).toBe(0);
  });
});
