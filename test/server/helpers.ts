import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DB, openDatabase } from '../../db/open.ts';
import { type AppDeps, createApp } from '../../server/app.ts';
import { ROLES, type Role } from '../../server/auth/permissions.ts';
import { insertUser } from '../../server/users/store.ts';
import { createWriteKey } from '../../server/write-keys/keys.ts';

export const TEST_PII_KEY = 'test-pii-key-0123456789';
export const KEYS = { frontend: 'test-key-frontend-build', platform: 'test-key-platform-integration' };

/** a fresh database in its own temp directory; `cleanup` closes and removes it */
export function tempDb(): { db: DB; path: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'landing-console-test-'));
  const path = join(dir, 'console.db');
  const db = openDatabase(path);
  return {
    db,
    path,
    dir,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const TEST_PASSWORD = 'correct horse battery staple';
/** a cheap scrypt cost: tests sign in often; production uses OWASP's */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
const TEST_PASSWORD_HASH = (() => {
  const salt = randomBytes(16);
  const key = scryptSync(TEST_PASSWORD, salt, 32, TEST_SCRYPT);
  return `scrypt$${TEST_SCRYPT.N}$${TEST_SCRYPT.r}$${TEST_SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
})();

/** the origin every test request comes from (app.request's default host) */
export const ORIGIN = 'http://localhost';

/**
 * An app over a temp database with two write keys, a fixed clock and one user per role (username = the role;
 * the engineer is on frontend-build), all with TEST_PASSWORD. `as(role)` sends requests with that user's
 * session cookie; `get` and `list` read as the data analyst (who reads everything in clear).
 */
export function testApp(overrides: Partial<AppDeps> = {}) {
  const t = tempDb();
  const now = new Date('2026-11-25T04:00:00.000Z');
  createWriteKey(t.db, {
    source: 'frontend-build',
    label: 'test',
    createdAt: now.toISOString(),
    key: KEYS.frontend,
  });
  createWriteKey(t.db, {
    source: 'platform-integration',
    label: 'test',
    createdAt: now.toISOString(),
    key: KEYS.platform,
  });
  const userIds = new Map<Role, number>(
    ROLES.map((role) => [
      role,
      insertUser(
        t.db,
        {
          username: role,
          display_name: `Test ${role}`,
          roles: [role],
          team: role === 'engineer' ? 'frontend-build' : null,
        },
        TEST_PASSWORD_HASH,
        now,
      ),
    ]),
  );
  const built = createApp({
    db: t.db,
    piiKey: TEST_PII_KEY,
    clock: () => now,
    streamIntervalMs: 50,
    passwordCost: TEST_SCRYPT,
    ...overrides,
  });
  const post = (
    path: string,
    body: unknown,
    key: string | null = KEYS.frontend,
    headers: Record<string, string> = {},
  ) =>
    built.app.request(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const tokens = new Map<number, string>();
  /** requests as the user of `role` (a session made directly, as a sign-in would) */
  const as = (role: Role) => sessionOf(userIds.get(role)!);
  const extraUsers = new Map<string, number>();
  /**
   * requests as a further user (created on first use with TEST_PASSWORD): a second person of the same role,
   * e.g. the colleague who approves an ops user's rollback
   */
  const asUser = (username: string, roles: Role[]) => {
    let id = extraUsers.get(username);
    if (id === undefined) {
      id = insertUser(
        t.db,
        { username, display_name: `Test ${username}`, roles, team: null },
        TEST_PASSWORD_HASH,
        now,
      );
      extraUsers.set(username, id);
    }
    return sessionOf(id);
  };
  function sessionOf(userId: number) {
    let token = tokens.get(userId);
    if (!token) {
      token = built.sessions.create(userId, now, 'test', 'vitest');
      tokens.set(userId, token);
    }
    const cookie = `lc_session=${token}`;
    const get = (path: string) => built.app.request(path, { headers: { Cookie: cookie } });
    /** a cookie-authenticated mutation from the console's own origin */
    const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      built.app.request(path, {
        method,
        headers: { Cookie: cookie, Origin: ORIGIN, 'Content-Type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    /** GET a dialect list: `query` values are JSON-encoded */
    const list = (resource: string, query: { sort?: unknown; range?: unknown; filter?: unknown } = {}) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, JSON.stringify(v));
      return get(`/api/${resource}?${qs}`);
    };
    return { get, send, list, cookie, userId };
  }
  const analyst = as('data_analyst');
  return { ...t, ...built, now, post, as, asUser, get: analyst.get, list: analyst.list, userIds };
}
export type TestApp = ReturnType<typeof testApp>;

/** a valid landing_view (override properties to break it) */
export function landingView(
  id: string,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:00:00+08:00',
) {
  return {
    event: 'landing_view',
    event_id: id,
    occurred_at,
    properties: {
      user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90',
      session_id: 's_1',
      source_channel: 'search',
      ab_bucket: 'A',
      ...properties,
    },
  };
}

/** a valid license_apply (each opens a licence application); override properties to change it */
export function licenseApply(
  id: string,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:00:00+08:00',
) {
  return {
    event: 'license_apply',
    event_id: id,
    occurred_at,
    properties: {
      template_id: 'tpl_001',
      account_id: 'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef',
      is_fast_track: false,
      persona_tag: 'creator_studio',
      policy_tag: 'A1',
      ...properties,
    },
  };
}

/** the account the task builders run tasks as (a platform account hash) */
export const TASK_ACCOUNT = 'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef';

/** an event with `defaults` under `properties` (an undefined override removes the field) */
function eventWith(
  event: string,
  id: string,
  defaults: Record<string, unknown>,
  properties: Record<string, unknown>,
  occurred_at: string,
) {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(properties)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return { event, event_id: id, occurred_at, properties: merged };
}

/** a valid task_start of `taskId` (the platform queued it) */
export function taskStart(
  id: string,
  taskId: string,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:00:00+08:00',
) {
  return eventWith(
    'task_start',
    id,
    {
      task_id: taskId,
      template_id: 'tpl_001',
      account_id: TASK_ACCOUNT,
      estimated_credits: 20,
      queue_type: 'standard',
    },
    properties,
    occurred_at,
  );
}

/** a valid task_completed of `taskId` (succeeded, credits written) */
export function taskCompleted(
  id: string,
  taskId: string,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:05:00+08:00',
) {
  return eventWith(
    'task_completed',
    id,
    { task_id: taskId, template_id: 'tpl_001', credits_spent: 18, duration_ms: 300_000, output_count: 2 },
    properties,
    occurred_at,
  );
}

/** a valid task_failed of `taskId` */
export function taskFailed(
  id: string,
  taskId: string,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:05:00+08:00',
) {
  return eventWith(
    'task_failed',
    id,
    {
      task_id: taskId,
      template_id: 'tpl_001',
      failure_code: 'safety_block',
      sub_status: 'safety_block.nsfw',
      policy_tag: 'D1',
      action_required: 'remove_asset',
    },
    properties,
    occurred_at,
  );
}

/** a valid risk_alert `alertId` on `taskId` (a high D1 at ops_review, its policy minimum) */
export function riskAlert(
  id: string,
  alertId: string,
  taskId: string,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:06:00+08:00',
) {
  return eventWith(
    'risk_alert',
    id,
    {
      alert_id: alertId,
      task_id: taskId,
      risk_level: 'high',
      policy_tag: 'D1',
      action_required: 'remove_asset',
      escalation_level: 'ops_review',
    },
    properties,
    occurred_at,
  );
}

/** a valid credits_updated of ledger entry `ledgerId` on `taskId` (negative: a tail deduction) */
export function creditsUpdated(
  id: string,
  ledgerId: string,
  taskId: string,
  adjustAmount: number,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:07:00+08:00',
) {
  return eventWith(
    'credits_updated',
    id,
    { ledger_id: ledgerId, task_id: taskId, policy_tag: 'A1', adjust_amount: adjustAmount },
    properties,
    occurred_at,
  );
}
