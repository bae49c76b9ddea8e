import { afterEach, beforeEach, expect, it } from 'vitest';
import { recordAudit } from '../../server/audit/log.ts';
import { PERMISSIONS, ROLES, type Role } from '../../server/auth/permissions.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';
import { KEYS, landingView, licenseApply, ORIGIN, TEST_PASSWORD, type TestApp, testApp } from './helpers.ts';

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
  'enums:propose': ['product_planner', 'compliance_reviewer'],
  'enums:approve': ['product_planner', 'compliance_reviewer'],
  'sensitive:read': ['product_planner', 'data_analyst', 'compliance_reviewer'],
  'users:read': ['admin'],
  'users:write': ['admin'],
  'write-keys:read': ['admin'],
  'write-keys:write': ['admin'],
  'audit:read': ['admin', 'compliance_reviewer', 'product_planner', 'data_analyst'],
  'audit:export': ['admin', 'compliance_reviewer', 'product_planner', 'data_analyst'],
  'licenses:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  'licenses:decide': ['compliance_reviewer'],
  'service-tokens:read': ['admin'],
  'service-tokens:write': ['admin'],
  'tasks:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  'alerts:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  'alerts:act': ['compliance_reviewer'],
  'ledger:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  'ledger:write': ['ops'],
  'ledger:approve': ['ops', 'compliance_reviewer'],
  'metrics:read': [...ROLES],
} satisfies Record<string, Role[]>;
type Permission = keyof typeof HOLDERS;

/** what a route needs: a permission, any session, nothing, or an ingestion write key */
type Access = Permission | 'signed-in' | 'public' | 'write-key' | 'service-token';

/** every route of the app → what it needs */
const ROUTES: Record<string, Access> = {
  'POST /api/events': 'write-key',
  'POST /v1/batch': 'write-key',
  'POST /v1/track': 'write-key',
  'GET /api/licenses/check': 'service-token',
  'POST /api/credits/estimate': 'service-token',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'signed-in',
  'GET /api/permissions': 'permissions:read',
  'GET /api/openapi.json': 'signed-in',
  'GET /api/docs': 'public',
  'GET /api/docs/:asset': 'public',
  'GET /api/completeness': 'completeness:read',
  'GET /api/completeness/stream': 'completeness:read',
  'GET /api/completeness/:id': 'completeness:read',
  'GET /api/completeness-events': 'completeness:read',
  'GET /api/completeness-events/:id': 'completeness:read',
  'GET /api/events': 'events:read',
  'GET /api/events/:id': 'events:read',
  'GET /api/exports/events': 'events:read',
  'GET /api/tracking-plan': 'tracking-plan:read',
  'GET /api/tracking-plan/:id': 'tracking-plan:read',
  'GET /api/enums': 'enums:read',
  'GET /api/enums/:id': 'enums:read',
  'GET /api/enums/:id/usage': 'enums:read',
  'GET /api/enums/:id/history': 'enums:read',
  'GET /api/enum-proposals': 'enums:read',
  'GET /api/enum-proposals/:id': 'enums:read',
  'POST /api/enum-proposals': 'enums:propose',
  'POST /api/enum-proposals/impact': 'enums:propose',
  'POST /api/enum-proposals/:id/approve': 'enums:approve',
  'POST /api/enum-proposals/:id/reject': 'enums:approve',
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
  'GET /api/licenses': 'licenses:read',
  'GET /api/licenses/:id': 'licenses:read',
  'GET /api/licenses/:id/tasks': 'licenses:read',
  'POST /api/licenses/:id/approve': 'licenses:decide',
  'POST /api/licenses/:id/reject': 'licenses:decide',
  'POST /api/licenses/:id/revoke': 'licenses:decide',
  'POST /api/licenses/bulk': 'licenses:decide',
  'GET /api/service-tokens': 'service-tokens:read',
  'GET /api/service-tokens/:id': 'service-tokens:read',
  'POST /api/service-tokens': 'service-tokens:write',
  'PUT /api/service-tokens/:id': 'service-tokens:write',
  'POST /api/service-tokens/:id/rotate': 'service-tokens:write',
  'POST /api/service-tokens/:id/revoke': 'service-tokens:write',
  'GET /api/tasks': 'tasks:read',
  'GET /api/tasks/:id': 'tasks:read',
  'GET /api/alerts': 'alerts:read',
  'GET /api/alerts/:id': 'alerts:read',
  'POST /api/alerts/:id/acknowledge': 'alerts:act',
  'POST /api/alerts/:id/escalate': 'alerts:act',
  'POST /api/alerts/:id/resolve': 'alerts:act',
  'POST /api/alerts/bulk': 'alerts:act',
  'GET /api/ledger': 'ledger:read',
  'GET /api/ledger/:id': 'ledger:read',
  'GET /api/ledger-accounts': 'ledger:read',
  'POST /api/ledger/rollbacks': 'ledger:write',
  'POST /api/ledger/adjustments': 'ledger:write',
  'POST /api/ledger/:id/approve': 'ledger:approve',
  'POST /api/ledger/:id/reject': 'ledger:approve',
  'GET /api/metrics/funnel': 'metrics:read',
  'GET /api/metrics/cta-ab': 'metrics:read',
  'GET /api/metrics/hot-templates': 'metrics:read',
  'GET /api/metrics/failures': 'metrics:read',
  'GET /api/metrics/credits': 'metrics:read',
  'GET /api/metrics/license-review': 'metrics:read',
};

type Who = Role | 'no session';
const WHO: Who[] = ['no session', ...ROLES];

/** the outcome a caller should see: '2xx' when allowed with a valid request */
function expectedOutcome(access: Access, who: Who): string {
  if (access === 'write-key' || access === 'service-token') return '401'; // no key or token sent, whatever the cookie
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
  const token = (label: string) =>
    createWriteKey(t.db, { kind: 'service_token', source: 'platform-integration', label, createdAt: at }).id;
  const tokens = { relabel: token('relabel me'), rotate: token('rotate me'), revoke: token('revoke me') };
  /** a fresh pending application (from a stored license_apply), and a fresh approved licence */
  const application = () => {
    const eventId = `apply-${++n}`;
    t.store.ingest([licenseApply(eventId)], 'platform-integration');
    return t.db
      .prepare('SELECT id FROM landing_phase1_licenses WHERE source_event_id = ?')
      .pluck()
      .get(eventId) as number;
  };
  const reviewer = {
    user: {
      id: 0,
      username: 'setup',
      display_name: 'setup',
      roles: ['compliance_reviewer' as const],
      team: null,
    },
  };
  const approved = () => {
    const id = application();
    t.decide(
      id,
      1,
      { action: 'approve', terms: { effective_at: at, expiry_type: 'permanent' } },
      { ...reviewer, audit: { actor: { id: null, username: 'setup' } } },
    );
    return id;
  };
  const rejection = {
    reason_code: 'material_incomplete',
    policy_tag: 'A1',
    action_required: 'resubmit_material',
  };
  const auditId = recordAudit(
    t.db,
    { actor: { id: null, username: 'system' }, action: 'matrix.setup', resource: 'test', outcome: 'success' },
    t.now,
  );
  const editedUser = t.userIds.get('product_planner')!;
  const userVersion = () =>
    t.db.prepare('SELECT version FROM landing_phase1_users WHERE id = ?').pluck().get(editedUser) as number;

  /** a task charged a million credits (task_start + task_completed), and a fresh alert on it */
  const taskId = 'task_matrix';
  t.store.ingest(
    [
      {
        event: 'task_start',
        event_id: 'matrix-task-start',
        occurred_at: at,
        properties: {
          task_id: taskId,
          template_id: 'tpl_001',
          account_id: 'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef',
          estimated_credits: 1_000_000,
          queue_type: 'standard',
        },
      },
      {
        event: 'task_completed',
        event_id: 'matrix-task-done',
        occurred_at: at,
        properties: {
          task_id: taskId,
          template_id: 'tpl_001',
          credits_spent: 1_000_000,
          duration_ms: 10,
          output_count: 1,
        },
      },
    ],
    'platform-integration',
  );
  const alert = () => {
    const id = `matrix-alert-${++n}`;
    t.store.ingest(
      [
        {
          event: 'risk_alert',
          event_id: id,
          occurred_at: at,
          properties: {
            alert_id: id,
            task_id: taskId,
            risk_level: 'medium',
            policy_tag: 'B1',
            action_required: 'update_copy',
            escalation_level: 'none',
          },
        },
      ],
      'operations-compliance',
    );
    return t.db.prepare('SELECT id FROM landing_phase1_alerts WHERE alert_id = ?').pluck().get(id) as number;
  };
  /** a refund above the four-eyes limit, requested by someone who is none of the roles tried */
  const pendingEntry = () =>
    t.db.transaction(() =>
      t.ledger.requestEntry(
        'manual_rollback',
        { task_id: taskId, amount: 1001, policy_tag: 'A1', reason: 'matrix' },
        {
          ...reviewer,
          user: { ...reviewer.user, roles: ['ops'] },
          audit: { actor: { id: null, username: 'setup' } },
        },
      ),
    )().id;
  const refund = { task_id: taskId, amount: 1, policy_tag: 'A1', reason: 'matrix refund' };
  const step = { note: 'matrix step', version: 1 };

  let n = 0;
  /** a failure_code addition (both planners and reviewers propose and approve those) */
  const failureCodeAdd = () => ({
    enum: 'failure_code',
    action: 'add',
    value: `matrix_${++n}`,
    label_en: 'Matrix',
    label_zh: '矩阵',
    rationale: 'matrix',
  });
  /** a fresh pending failure_code proposal by someone who is none of the roles tried */
  const enumProposal = () =>
    Number(
      t.db
        .prepare(
          `INSERT INTO landing_phase1_enum_proposals (enum_name, action, code, changes, rationale, proposed_by,
             proposed_at) VALUES ('failure_code', 'add', ?, '{"label_en":"M","label_zh":"M"}', 'matrix', 'setup', ?)`,
        )
        .run(`matrix_p${++n}`, at).lastInsertRowid,
    );
  /** a valid request for each route (fresh ids and bodies, computed when sent) */
  const requestFor: Record<string, () => { path: string; body?: unknown; headers?: Record<string, string> }> =
    {
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
      'GET /api/openapi.json': () => ({ path: '/api/openapi.json' }),
      'GET /api/docs': () => ({ path: '/api/docs' }),
      'GET /api/docs/:asset': () => ({ path: '/api/docs/docs.js' }),
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
      'GET /api/exports/events': () => ({ path: '/api/exports/events?day=2026-11-25' }),
      'GET /api/tracking-plan': () => ({ path: '/api/tracking-plan' }),
      'GET /api/tracking-plan/:id': () => ({ path: '/api/tracking-plan/landing_view' }),
      'GET /api/enums': () => ({ path: '/api/enums' }),
      'GET /api/enums/:id': () => ({ path: '/api/enums/ab_bucket' }),
      'GET /api/enums/:id/usage': () => ({ path: '/api/enums/ab_bucket/usage' }),
      'GET /api/enums/:id/history': () => ({ path: '/api/enums/ab_bucket/history' }),
      'GET /api/enum-proposals': () => ({ path: '/api/enum-proposals' }),
      'GET /api/enum-proposals/:id': () => ({ path: `/api/enum-proposals/${enumProposal()}` }),
      'POST /api/enum-proposals': () => ({ path: '/api/enum-proposals', body: failureCodeAdd() }),
      'POST /api/enum-proposals/impact': () => ({
        path: '/api/enum-proposals/impact',
        body: failureCodeAdd(),
      }),
      'POST /api/enum-proposals/:id/approve': () => ({
        path: `/api/enum-proposals/${enumProposal()}/approve`,
        body: {},
      }),
      'POST /api/enum-proposals/:id/reject': () => ({
        path: `/api/enum-proposals/${enumProposal()}/reject`,
        body: { reason: 'matrix' },
      }),
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
      'GET /api/licenses/check': () => ({ path: '/api/licenses/check?account_id=a&template_id=b' }),
      'GET /api/licenses': () => ({ path: '/api/licenses' }),
      'GET /api/licenses/:id': () => ({ path: `/api/licenses/${application()}` }),
      'GET /api/licenses/:id/tasks': () => ({ path: `/api/licenses/${application()}/tasks` }),
      'POST /api/licenses/:id/approve': () => ({
        path: `/api/licenses/${application()}/approve`,
        body: { effective_at: at, expiry_type: 'permanent', version: 1 },
      }),
      'POST /api/licenses/:id/reject': () => ({
        path: `/api/licenses/${application()}/reject`,
        body: { ...rejection, version: 1 },
      }),
      'POST /api/licenses/:id/revoke': () => ({
        path: `/api/licenses/${approved()}/revoke`,
        body: { ...rejection, note: 'revoked in the matrix test', version: 2 },
      }),
      'POST /api/licenses/bulk': () => ({
        path: '/api/licenses/bulk',
        body: { action: 'reject', items: [{ id: application(), version: 1 }], decision: rejection },
      }),
      'GET /api/service-tokens': () => ({ path: '/api/service-tokens' }),
      'GET /api/service-tokens/:id': () => ({ path: `/api/service-tokens/${tokens.relabel}` }),
      'POST /api/service-tokens': () => ({
        path: '/api/service-tokens',
        body: { source: 'platform-integration', label: `matrix ${++n}` },
      }),
      'PUT /api/service-tokens/:id': () => ({
        path: `/api/service-tokens/${tokens.relabel}`,
        body: { label: `l ${++n}` },
      }),
      'POST /api/service-tokens/:id/rotate': () => ({
        path: `/api/service-tokens/${tokens.rotate}/rotate`,
        body: {},
      }),
      'POST /api/service-tokens/:id/revoke': () => ({
        path: `/api/service-tokens/${tokens.revoke}/revoke`,
        body: {},
      }),
      'POST /api/credits/estimate': () => ({
        path: '/api/credits/estimate',
        body: { queue_type: 'standard' },
      }),
      'GET /api/tasks': () => ({ path: '/api/tasks' }),
      'GET /api/tasks/:id': () => ({ path: `/api/tasks/${taskId}` }),
      'GET /api/alerts': () => ({ path: '/api/alerts' }),
      'GET /api/alerts/:id': () => ({ path: `/api/alerts/${alert()}` }),
      'POST /api/alerts/:id/acknowledge': () => ({ path: `/api/alerts/${alert()}/acknowledge`, body: step }),
      'POST /api/alerts/:id/escalate': () => ({ path: `/api/alerts/${alert()}/escalate`, body: step }),
      'POST /api/alerts/:id/resolve': () => ({ path: `/api/alerts/${alert()}/resolve`, body: step }),
      'POST /api/alerts/bulk': () => ({
        path: '/api/alerts/bulk',
        body: { action: 'acknowledge', note: 'matrix', items: [{ id: alert(), version: 1 }] },
      }),
      'GET /api/ledger': () => ({ path: '/api/ledger' }),
      'GET /api/ledger/:id': () => ({ path: `/api/ledger/${encodeURIComponent(`charge:${taskId}`)}` }),
      'GET /api/ledger-accounts': () => ({ path: '/api/ledger-accounts' }),
      'POST /api/ledger/rollbacks': () => ({
        path: '/api/ledger/rollbacks',
        body: refund,
        headers: { 'Idempotency-Key': `matrix-${++n}` },
      }),
      'POST /api/ledger/adjustments': () => ({
        path: '/api/ledger/adjustments',
        body: { ...refund, amount: -1 },
        headers: { 'Idempotency-Key': `matrix-${++n}` },
      }),
      'POST /api/ledger/:id/approve': () => ({ path: `/api/ledger/${pendingEntry()}/approve`, body: {} }),
      'POST /api/ledger/:id/reject': () => ({
        path: `/api/ledger/${pendingEntry()}/reject`,
        body: { reason: 'matrix' },
      }),
      'GET /api/metrics/funnel': () => ({ path: '/api/metrics/funnel?persona=creator_studio' }),
      'GET /api/metrics/cta-ab': () => ({ path: '/api/metrics/cta-ab?channel=search' }),
      'GET /api/metrics/hot-templates': () => ({ path: '/api/metrics/hot-templates' }),
      'GET /api/metrics/failures': () => ({ path: '/api/metrics/failures?from=2026-11-01&to=2026-11-25' }),
      'GET /api/metrics/credits': () => ({ path: '/api/metrics/credits' }),
      'GET /api/metrics/license-review': () => ({ path: '/api/metrics/license-review' }),
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
      const { path, body, headers } = requestFor[route]!();
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
          ...headers,
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
