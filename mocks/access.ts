import { GENESIS_HASH, type VerifyResult, walkChain } from '../server/audit/chain.ts';
import type { AuditRecord } from '../server/audit/schemas.ts';
import { maskDeep } from '../server/auth/masking.ts';
import { can, isTeamScoped, type Role } from '../server/auth/permissions.ts';
import { DEFAULT_DEMO_PASSWORD } from '../server/config.ts';
import type { StoredEvent } from '../server/events/schemas.ts';
import type { SessionUser } from '../server/http/env.ts';
import type { PlanEventRecord } from '../server/plan/schemas.ts';
import { DEMO_USERS } from '../server/users/demo-users.ts';
import type { UserRecord } from '../server/users/schemas.ts';
import type { CredentialKind } from '../server/write-keys/keys.ts';
import type { WriteKeyRecord } from '../server/write-keys/schemas.ts';

/**
 * The mock API's access control: users and their passwords, the signed-in session, write keys, service
 * tokens and the hash-chained audit log, with the rules the server applies (server/users, server/write-keys, server/audit,
 * server/auth). The permission matrix, masking and team scope are the server's own functions.
 */

/** the password of every mock user: the demo password of `npm start` */
export const MOCK_PASSWORD = DEFAULT_DEMO_PASSWORD;

/** the server's demo users; ids are 1, 2, … in this order */
export const MOCK_USERS = DEMO_USERS;

/** as db/demo.ts DEMO_WRITE_KEYS: one key per source team */
const MOCK_WRITE_KEYS = ['frontend-build', 'platform-integration', 'operations-compliance'] as const;

/** as server/demo.ts DEMO_SERVICE_TOKEN: the platform's licence check */
export const MOCK_SERVICE_TOKEN = 'demo-platform-service';

/** when the mock's users, keys and first audit rows were made */
const SEEDED_AT = '2026-01-05T02:00:00.000Z';

export interface MockAuditRow extends AuditRecord {
  prev_hash: string;
}

export interface AccessData {
  users: UserRecord[];
  /** password by user id */
  passwords: Map<number, string>;
  writeKeys: WriteKeyRecord[];
  /** the service tokens: the same shape as write keys, numbered on their own */
  serviceTokens: WriteKeyRecord[];
  audit: MockAuditRow[];
  /** failed sign-ins per username since the last success (the server counts them in a 15-minute window) */
  loginFailures: Map<string, number>;
}

/** a failure the API answers with a status and the error body */
export class MockApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------- session

/**
 * The mock browser's one cookie jar: who is signed in, shared by every handler set (tests swap handler
 * sets, a session outlives them as a cookie would). msw under Node keeps no cookies, so this stands in.
 */
let session: SessionUser | null = null;

export const currentUser = (): SessionUser | null => session;

export function signIn(user: Pick<UserRecord, 'id' | 'username' | 'display_name' | 'roles' | 'team'>) {
  session = {
    id: user.id,
    username: user.username,
    display_name: user.display_name,
    roles: [...user.roles],
    team: user.team,
  };
}

/** the session ends (signed out, expired, or ended by the server): the next call answers 401 */
export function signOut() {
  session = null;
}

/** signs the mock browser in as the first mock user with `role` (every role has one) */
export function signInAs(role: Role): SessionUser {
  const index = MOCK_USERS.findIndex((u) => u.roles.includes(role));
  const user = MOCK_USERS[index];
  if (!user) throw new Error(`no mock user has the role ${role}`);
  signIn({ ...user, id: index + 1 });
  return session as SessionUser;
}

// ---------------------------------------------------------------------------------------------- audit

/**
 * An unkeyed FNV-1a hash in `lanes` 32-bit lanes, as hex: the mock's stand-in for SHA-256 and HMAC (the
 * server's node:crypto is not available in the browser). It only ever sees generated data.
 */
export function fnvHex(input: string, lanes: number): string {
  let digest = '';
  for (let lane = 0; lane < lanes; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 0x01000193) >>> 0;
    digest += h.toString(16).padStart(8, '0');
  }
  return digest;
}

/** as server/audit/log.ts rowHash: over every column but the hash, in a fixed order */
function rowHash(r: Omit<MockAuditRow, 'hash'>): string {
  return fnvHex(
    JSON.stringify([
      r.id,
      r.at,
      r.actor_id,
      r.actor,
      r.action,
      r.resource,
      r.resource_id,
      r.before ?? null,
      r.after ?? null,
      r.reason,
      r.request_id,
      r.outcome,
      r.ip,
      r.prev_hash,
    ]),
    8,
  );
}

export interface AuditEntry {
  actor: { id: number | null; username: string };
  action: string;
  resource: string;
  resource_id?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  outcome: AuditRecord['outcome'];
}

/** appends one chained row, as writeAudit does */
export function writeAudit(db: AccessData, entry: AuditEntry, at: string = new Date().toISOString()): number {
  const last = db.audit.at(-1);
  const row: Omit<MockAuditRow, 'hash'> = {
    id: (last?.id ?? 0) + 1,
    at,
    actor_id: entry.actor.id,
    actor: entry.actor.username,
    action: entry.action,
    resource: entry.resource,
    resource_id:
      entry.resource_id === undefined || entry.resource_id === null ? null : String(entry.resource_id),
    // stored as JSON, as the server does: a copy that later changes to the record do not reach
    before: entry.before === undefined ? null : structuredClone(entry.before),
    after: entry.after === undefined ? null : structuredClone(entry.after),
    reason: entry.reason ?? null,
    request_id: `mock-${(last?.id ?? 0) + 1}`,
    outcome: entry.outcome,
    ip: '127.0.0.1',
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  db.audit.push({ ...row, hash: rowHash(row) });
  return row.id;
}

/** as verifyAuditChain: the first row whose link or hash does not hold (with the mock's hash) */
export const verifyAudit = (db: AccessData): VerifyResult => walkChain(db.audit, rowHash);

const actorOf = (user: SessionUser | null) =>
  user ? { id: user.id, username: user.username } : { id: null, username: 'system' };

// ---------------------------------------------------------------------------------------------- users

export interface UserInput {
  username: string;
  display_name: string;
  roles: Role[];
  team: string | null;
  password: string;
}

export interface UserChange {
  display_name?: string;
  roles?: Role[];
  team?: string | null;
  disabled?: boolean;
  password?: string;
  version: number;
}

const findUser = (db: AccessData, id: number) => {
  const user = db.users.find((u) => u.id === id);
  if (!user) throw new MockApiError(404, `no user ${id}`);
  return user;
};

/** as POST /api/users: an engineer needs a team; names are unique */
export function createUser(
  db: AccessData,
  input: UserInput,
  by: SessionUser | null,
  at = new Date().toISOString(),
) {
  if (input.roles.includes('engineer') && !input.team)
    throw new MockApiError(422, 'an engineer needs a team (whose events they read)', {
      team: 'is required for an engineer',
    });
  if (db.users.some((u) => u.username === input.username))
    throw new MockApiError(409, `user ${input.username} already exists`, { username: 'is taken' });
  const user: UserRecord = {
    id: (db.users.at(-1)?.id ?? 0) + 1,
    username: input.username,
    display_name: input.display_name,
    roles: [...input.roles],
    team: input.team,
    disabled: false,
    disabled_at: null,
    created_at: at,
    updated_at: at,
    version: 1,
  };
  db.users.push(user);
  db.passwords.set(user.id, input.password);
  writeAudit(
    db,
    {
      actor: actorOf(by),
      action: 'user.create',
      resource: 'user',
      resource_id: user.id,
      after: user,
      outcome: 'success',
      ...(by ? {} : { reason: 'seeded at start' }),
    },
    at,
  );
  return user;
}

/** as PUT /api/users/:id: a stale version is 409; no one locks themself out (422) */
export function updateUser(
  db: AccessData,
  id: number,
  change: UserChange,
  by: SessionUser | null,
  at = new Date().toISOString(),
) {
  const user = findUser(db, id);
  const before = structuredClone(user);
  if (before.version !== change.version)
    throw new MockApiError(
      409,
      `user ${before.username} was changed by someone else (version ${before.version}); reload and try again`,
      { version: 'is stale' },
    );
  const roles = change.roles ?? before.roles;
  const team = change.team === undefined ? before.team : change.team;
  const disabled = change.disabled ?? before.disabled;
  if (roles.includes('engineer') && !team)
    throw new MockApiError(422, 'an engineer needs a team', { team: 'is required for an engineer' });
  if (by?.id === id && (disabled || (before.roles.includes('admin') && !roles.includes('admin'))))
    throw new MockApiError(422, 'you cannot disable yourself or take away your own admin role', {
      roles: 'would lock you out',
    });
  Object.assign(user, {
    display_name: change.display_name ?? before.display_name,
    roles: [...roles],
    team,
    disabled,
    disabled_at: disabled ? (before.disabled_at ?? at) : null,
    updated_at: at,
    version: before.version + 1,
  });
  if (change.password) db.passwords.set(id, change.password);
  writeAudit(
    db,
    {
      actor: actorOf(by),
      action: 'user.update',
      resource: 'user',
      resource_id: id,
      before,
      after: change.password ? { ...user, password: 'changed' } : user,
      outcome: 'success',
    },
    at,
  );
  return user;
}

/** as POST /api/auth/login: 401 for an unknown name, a wrong password or a disabled account */
export function checkLogin(db: AccessData, username: string, password: string): UserRecord {
  const user = db.users.find((u) => u.username === username);
  const ok = user !== undefined && db.passwords.get(user.id) === password;
  if (!user || !ok || user.disabled) {
    db.loginFailures.set(username, (db.loginFailures.get(username) ?? 0) + 1);
    writeAudit(db, {
      actor: { id: user?.id ?? null, username },
      action: 'auth.login',
      resource: 'session',
      outcome: 'failure',
      reason: !user ? 'unknown user' : !ok ? 'wrong password' : 'account disabled',
    });
    throw new MockApiError(401, 'invalid username or password');
  }
  db.loginFailures.delete(username);
  writeAudit(db, {
    actor: { id: user.id, username },
    action: 'auth.login',
    resource: 'session',
    resource_id: user.id,
    outcome: 'success',
  });
  return user;
}

// ---------------------------------------------------------------------------------------------- credentials

/** the two kinds of credential, managed alike (server/write-keys/routes.ts CREDENTIALS) */
const KINDS = {
  write_key: { prefix: 'wk', noun: 'write key', rows: (db: AccessData) => db.writeKeys },
  service_token: { prefix: 'st', noun: 'service token', rows: (db: AccessData) => db.serviceTokens },
} as const satisfies Record<
  CredentialKind,
  { prefix: string; noun: string; rows: (db: AccessData) => WriteKeyRecord[] }
>;

/** a fresh key in the server's shape: `wk_` (write key) or `st_` (service token) and 32 base64url characters */
function newKey(kind: CredentialKind): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `${KINDS[kind].prefix}_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')}`;
}

function insertKey(
  db: AccessData,
  kind: CredentialKind,
  source: string,
  label: string,
  by: SessionUser | null,
  at: string,
  key = newKey(kind),
) {
  const rows = KINDS[kind].rows(db);
  const record: WriteKeyRecord = {
    id: (rows.at(-1)?.id ?? 0) + 1,
    source,
    label,
    key_prefix: key.slice(0, 8),
    created_at: at,
    created_by: by?.username ?? null,
    revoked_at: null,
    revoked_by: null,
    replaced_by: null,
    status: 'active',
  };
  rows.push(record);
  return { record, key };
}

const findKey = (db: AccessData, kind: CredentialKind, id: number) => {
  const key = KINDS[kind].rows(db).find((k) => k.id === id);
  if (!key) throw new MockApiError(404, `no ${KINDS[kind].noun} ${id}`);
  return key;
};

const activeKey = (db: AccessData, kind: CredentialKind, id: number) => {
  const key = findKey(db, kind, id);
  if (key.revoked_at) throw new MockApiError(409, `${KINDS[kind].noun} ${id} is already revoked`);
  return key;
};

export function createCredential(
  db: AccessData,
  kind: CredentialKind,
  input: { source: string; label: string },
  by: SessionUser | null,
  at = new Date().toISOString(),
  fixedKey?: string,
) {
  const { record, key } = insertKey(db, kind, input.source, input.label, by, at, fixedKey);
  writeAudit(
    db,
    {
      actor: actorOf(by),
      action: `${kind}.create`,
      resource: kind,
      resource_id: record.id,
      after: record,
      outcome: 'success',
    },
    at,
  );
  return { ...record, key };
}

export function relabelCredential(
  db: AccessData,
  kind: CredentialKind,
  id: number,
  label: string,
  by: SessionUser | null,
) {
  const key = findKey(db, kind, id);
  const before = structuredClone(key);
  key.label = label;
  writeAudit(db, {
    actor: actorOf(by),
    action: `${kind}.relabel`,
    resource: kind,
    resource_id: id,
    before,
    after: key,
    outcome: 'success',
  });
  return key;
}

function revokeKey(key: WriteKeyRecord, by: SessionUser | null, at: string, replacedBy: number | null) {
  Object.assign(key, {
    revoked_at: at,
    revoked_by: by?.username ?? null,
    replaced_by: replacedBy,
    status: 'revoked',
  });
}

/** a new key for the same source and label; the old one is revoked, pointing at its replacement */
export function rotateCredential(db: AccessData, kind: CredentialKind, id: number, by: SessionUser | null) {
  const at = new Date().toISOString();
  const old = activeKey(db, kind, id);
  const before = structuredClone(old);
  const { record, key } = insertKey(db, kind, old.source, old.label, by, at);
  revokeKey(old, by, at, record.id);
  writeAudit(
    db,
    {
      actor: actorOf(by),
      action: `${kind}.rotate`,
      resource: kind,
      resource_id: id,
      before,
      after: { revoked: old, replacement: record },
      outcome: 'success',
    },
    at,
  );
  return { ...record, key };
}

export function revokeCredential(db: AccessData, kind: CredentialKind, id: number, by: SessionUser | null) {
  const at = new Date().toISOString();
  const key = activeKey(db, kind, id);
  const before = structuredClone(key);
  revokeKey(key, by, at, null);
  writeAudit(
    db,
    {
      actor: actorOf(by),
      action: `${kind}.revoke`,
      resource: kind,
      resource_id: id,
      before,
      after: key,
      outcome: 'success',
    },
    at,
  );
  return key;
}

// ---------------------------------------------------------------------------------------------- seed

/**
 * the mock's users (password MOCK_PASSWORD), one write key per team, the platform's service token, and one
 * user change to look at
 */
export function seedAccess(): AccessData {
  const db: AccessData = {
    users: [],
    passwords: new Map(),
    writeKeys: [],
    serviceTokens: [],
    audit: [],
    loginFailures: new Map(),
  };
  for (const user of MOCK_USERS) createUser(db, { ...user, password: MOCK_PASSWORD }, null, SEEDED_AT);
  for (const source of MOCK_WRITE_KEYS)
    createCredential(db, 'write_key', { source, label: `demo ${source}` }, null, SEEDED_AT, `demo-${source}`);
  createCredential(
    db,
    'service_token',
    { source: 'platform-integration', label: 'demo licence check' },
    null,
    SEEDED_AT,
    MOCK_SERVICE_TOKEN,
  );
  const admin = db.users.find((u) => u.username === 'admin') as UserRecord;
  const planner2 = db.users.find((u) => u.username === 'planner2') as UserRecord;
  updateUser(
    db,
    planner2.id,
    {
      display_name: 'Planner Yang (lead)',
      roles: ['product_planner', 'data_analyst'],
      version: planner2.version,
    },
    admin,
    '2026-01-06T03:00:00.000Z',
  );
  return db;
}

// ---------------------------------------------------------------------------------------------- reading

/** the sensitive fields of the plan (hashed ids, approver_id): masked for roles without sensitive:read */
export const sensitiveNames = (plan: readonly PlanEventRecord[]): ReadonlySet<string> =>
  new Set(plan.flatMap((e) => e.fields.filter((f) => f.sensitive).map((f) => f.name)));

/** an event as `user` may read it: engineers only their team's events, sensitive fields masked unless allowed */
export function eventReader(user: SessionUser, plan: readonly PlanEventRecord[]) {
  const names = sensitiveNames(plan);
  const clear = can(user.roles, 'sensitive:read');
  const team = user.team ?? '';
  const owned = new Set(plan.filter((e) => e.owners.includes(team)).map((e) => e.name));
  return {
    visible: (e: StoredEvent) => !isTeamScoped(user.roles) || owned.has(e.event) || e.source === team,
    present: (e: StoredEvent): StoredEvent =>
      clear ? e : { ...e, properties: maskDeep(e.properties, names) as StoredEvent['properties'] },
  };
}

/** an audit row as `user` may read it: the chain link hidden, before/after masked unless allowed */
export function auditReader(user: SessionUser, plan: readonly PlanEventRecord[]) {
  const names = sensitiveNames(plan);
  const clear = can(user.roles, 'sensitive:read');
  return ({ prev_hash: _, ...row }: MockAuditRow): AuditRecord =>
    clear ? row : { ...row, before: maskDeep(row.before, names), after: maskDeep(row.after, names) };
}
