import { afterEach, beforeEach, expect, it } from 'vitest';
import { recordAudit } from '../../server/audit/log.ts';
import { PERMISSIONS, ROLES, type Role } from '../../server/auth/permissions.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';
import { KEYS, landingView, ORIGIN, TEST_PASSWORD, type TestApp, testApp } from './helpers.ts';

/**
 * The permission matrix, walked route by route: every route the app registers × every role and no session.
 * The expectations below are written out by hand from the access rules (SPEC.md §1), not read from the
 * server's route code, and a route missing from them fails the test.
 */

/** who may do what, by hand: resource × action → roles */
const HOLDERS = {
  'completeness:read': [...ROLES],
  'events:read': [...ROLES],
  'tracking-plan:read': [...ROLES],
  'enums:read': [...ROLES],
  'permissions:read': [...ROLES],
  'sensitive:read': ['product_planner', 'data_analyst', 'compliance_reviewer'],
  'users:read': ['admin'],
  'users:write': ['admin'],
  'write-keys:read': ['admin'],
  'write-keys:write': ['admin'],
  'audit:read': ['admin', 'compliance_reviewer', 'product_planner', 'data_analyst'],
  'audit:export': ['admin', 'compliance_reviewer', 'product_planner', 'data_analyst'],
} satisfies Record<string, Role[]>;
type Permission = keyof typeof HOLDERS;

/** what a route needs: a permission, any session, nothing, or an ingestion write key */
type Access = Permission | 'signed-in' | 'public' | 'write-key';

/** every route of the app → what it needs */
const ROUTES: Record<string, Access> = {
  'POST /api/events': 'write-key',
  'POST /v1/batch': 'write-key',
  'POST /v1/track': 'write-key',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'signed-in',
  'GET /api/permissions': 'permissions:read',
  'GET /api/completeness': 'completeness:read',
  'GET /api/completeness/stream': 'completeness:read',
  'GET /api/completeness/:id': 'completeness:read',
  'GET /api/completeness-events': 'completeness:read',
  'GET /api/completeness-events/:id': 'completeness:read',
  'GET /api/events': 'events:read',
  'GET /api/events/:id': 'events:read',
  'GET /api/tracking-plan': 'tracking-plan:read',
  'GET /api/tracking-plan/:id': 'tracking-plan:read',
  'GET /api/enums': 'enums:read',
  'GET /api/enums/:id': 'enums:read',
  'GET /api/users': 'users:read',
  'GET /api/users/:id': 'users:read',
  'POST /api/users': 'users:write',
  'PUT /api/users/:id': 'users:write',
  'GET /api/write-keys': 'write-keys:read',
  'GET /api/write-keys/:id': 'write-keys:read',
  'POST /api/write-keys': 'write-keys:write',
  'PUT /api/write-keys/:id': 'write-keys:write',
  'POST /api/write-keys/:id/rotate': 'write-keys:write',
  'POST /api/write-keys/:id/revoke': 'write-keys:write',
  'GET /api/audit': 'audit:read',
  'GET /api/audit/verify': 'audit:read',
  'GET /api/audit/export': 'audit:export',
  'GET /api/audit/:id': 'audit:read',
};

type Who = Role | 'no session';
const WHO: Who[] = ['no session', ...ROLES];

/** the outcome a caller should see: '2xx' when allowed with a valid request */
function expectedOutcome(access: Access, who: Who): string {
  if (access === 'write-key') return '401'; // no write key sent, whatever the cookie
  if (access === 'public') return '2xx';
  if (who === 'no session') return '401';
  if (access === 'signed-in') return '2xx';
  return (HOLDERS[access] as readonly Role[]).includes(who) ? '2xx' : '403 audited';
}

const segmentTrack = (messageId: string) => ({
  type: 'track',
  event: 'landing_view',
  messageId,
  timestamp: '2026-11-25T10:00:00+08:00',
  properties: landingView(messageId).properties,
});

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

it('the hand-written matrix is the one the server enforces', () => {
  expect(Object.fromEntries(Object.entries(PERMISSIONS).map(([p, roles]) => [p, [...roles].sort()]))).toEqual(
    Object.fromEntries(Object.entries(HOLDERS).map(([p, roles]) => [p, [...roles].sort()])),
  );
});

it('every route × every role and no session: 401 without a session, 403 (audited) without the permission, allowed with it', async () => {
  // the app's routes, less the SPA fallbacks and the health check, must be exactly those expected
  const registered = [
    ...new Set(
      t.app.routes
        .filter((r) => r.method !== 'ALL' && r.path !== '/healthz' && r.path !== '*' && r.path !== '/*')
        .map((r) => `${r.method} ${r.path}`),
    ),
  ].sort();
  expect(registered).toEqual(Object.keys(ROUTES).sort());

  // real ids for the path parameters
  expect((await t.post('/api/events', landingView('matrix-event'))).status).toBe(200);
  const eventId = t.db
    .prepare("SELECT id FROM landing_phase1_events WHERE event_id = 'matrix-event'")
    .pluck()
    .get() as number;
  const at = t.now.toISOString();
  const keys = {
    relabel: createWriteKey(t.db, { source: 'frontend-build', label: 'relabel me', createdAt: at }).id,
    rotate: createWriteKey(t.db, { source: 'frontend-build', label: 'rotate me', createdAt: at }).id,
    revoke: createWriteKey(t.db, { source: 'frontend-build', label: 'revoke me', createdAt: at }).id,
  };
  const auditId = recordAudit(
    t.db,
    { actor: { id: null, username: 'system' }, action: 'matrix.setup', resource: 'test', outcome: 'success' },
    t.now,
  );
  const editedUser = t.userIds.get('product_planner')!;
  const userVersion = () =>
    t.db.prepare('SELECT version FROM landing_phase1_users WHERE id = ?').pluck().get(editedUser) as number;

  let n = 0;
  /** a valid request for each route (fresh ids and bodies, computed when sent) */
  const requestFor: Record<string, () => { path: string; body?: unknown }> = {
    'POST /api/events': () => ({ path: '/api/events', body: landingView(`m-${++n}`) }),
    'POST /v1/batch': () => ({ path: '/v1/batch', body: { batch: [segmentTrack(`m-${++n}`)] } }),
    'POST /v1/track': () => ({ path: '/v1/track', body: segmentTrack(`m-${++n}`) }),
    'POST /api/auth/login': () => ({
      path: '/api/auth/login',
      body: { username: 'data_analyst', password: TEST_PASSWORD },
    }),
    'POST /api/auth/logout': () => ({ path: '/api/auth/logout' }),
    'GET /api/auth/me': () => ({ path: '/api/auth/me' }),
    'GET /api/permissions': () => ({ path: '/api/permissions' }),
    'GET /api/completeness': () => ({ path: '/api/completeness' }),
    'GET /api/completeness/stream': () => ({ path: '/api/completeness/stream' }),
    'GET /api/completeness/:id': () => ({
      path: `/api/completeness/${encodeURIComponent('2026-11-25|landing_view|user_id')}`,
    }),
    'GET /api/completeness-events': () => ({ path: '/api/completeness-events' }),
    'GET /api/completeness-events/:id': () => ({
      path: `/api/completeness-events/${encodeURIComponent('2026-11-25|landing_view')}`,
    }),
    'GET /api/events': () => ({ path: '/api/events' }),
    'GET /api/events/:id': () => ({ path: `/api/events/${eventId}` }),
    'GET /api/tracking-plan': () => ({ path: '/api/tracking-plan' }),
    'GET /api/tracking-plan/:id': () => ({ path: '/api/tracking-plan/landing_view' }),
    'GET /api/enums': () => ({ path: '/api/enums' }),
    'GET /api/enums/:id': () => ({ path: '/api/enums/ab_bucket' }),
    'GET /api/users': () => ({ path: '/api/users' }),
    'GET /api/users/:id': () => ({ path: `/api/users/${editedUser}` }),
    'POST /api/users': () => ({
      path: '/api/users',
      body: { username: `matrix-${++n}`, display_name: 'Matrix', roles: ['ops'], password: TEST_PASSWORD },
    }),
    'PUT /api/users/:id': () => ({
      path: `/api/users/${editedUser}`,
      body: { display_name: `Planner ${++n}`, version: userVersion() },
    }),
    'GET /api/write-keys': () => ({ path: '/api/write-keys' }),
    'GET /api/write-keys/:id': () => ({ path: `/api/write-keys/${keys.relabel}` }),
    'POST /api/write-keys': () => ({
      path: '/api/write-keys',
      body: { source: 'platform-integration', label: `matrix ${++n}` },
    }),
    'PUT /api/write-keys/:id': () => ({
      path: `/api/write-keys/${keys.relabel}`,
      body: { label: `l ${++n}` },
    }),
    'POST /api/write-keys/:id/rotate': () => ({ path: `/api/write-keys/${keys.rotate}/rotate`, body: {} }),
    'POST /api/write-keys/:id/revoke': () => ({ path: `/api/write-keys/${keys.revoke}/revoke`, body: {} }),
    'GET /api/audit': () => ({ path: '/api/audit' }),
    'GET /api/audit/verify': () => ({ path: '/api/audit/verify' }),
    'GET /api/audit/export': () => ({ path: '/api/audit/export' }),
    'GET /api/audit/:id': () => ({ path: `/api/audit/${auditId}` }),
  };
  expect(Object.keys(requestFor).sort()).toEqual(Object.keys(ROUTES).sort());

  const denials = () =>
    t.db
      .prepare("SELECT id, actor, resource_id FROM landing_phase1_audit_log WHERE action = 'access.denied'")
      .all() as Array<{ id: number; actor: string; resource_id: string }>;

  const expected: Record<string, Record<Who, string>> = {};
  const actual: Record<string, Record<Who, string>> = {};
  for (const [route, access] of Object.entries(ROUTES)) {
    const method = route.split(' ')[0]!;
    expected[route] = {} as Record<Who, string>;
    actual[route] = {} as Record<Who, string>;
    for (const who of WHO) {
      expected[route][who] = expectedOutcome(access, who);
      const { path, body } = requestFor[route]!();
      // a session of its own for each request (signing in or out must not end another request's session)
      const cookie =
        who === 'no session'
          ? undefined
          : `lc_session=${t.sessions.create(t.userIds.get(who)!, t.now, 'test', 'vitest')}`;
      const before = denials().length;
      const res = await t.app.request(path, {
        method,
        headers: {
          ...(cookie ? { Cookie: cookie } : {}),
          ...(method === 'GET' ? {} : { Origin: ORIGIN, 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      await res.body?.cancel(); // the completeness stream never ends on its own
      const added = denials().slice(before);
      let outcome = res.status >= 200 && res.status < 300 ? '2xx' : String(res.status);
      if (res.status === 403) {
        const audited =
          added.length === 1 && added[0]!.actor === who && added[0]!.resource_id === `${method} ${path}`;
        outcome = audited ? '403 audited' : `403 with ${added.length} matching access.denied rows`;
      } else if (added.length > 0) {
        outcome += ` (+${added.length} access.denied rows)`;
      }
      actual[route][who] = outcome;
    }
  }
  expect(actual).toEqual(expected);

  // and the ingest routes do take a write key (with no session at all)
  const basic = `Basic ${Buffer.from(`${KEYS.frontend}:`).toString('base64')}`;
  const withKey = await Promise.all([
    t.post('/api/events', landingView('key-1')),
    t.post('/v1/batch', { batch: [segmentTrack('key-2')] }, null, { Authorization: basic }),
    t.post('/v1/track', segmentTrack('key-3'), null, { Authorization: basic }),
  ]);
  expect(withKey.map((r) => r.status)).toEqual([200, 200, 200]);
});
