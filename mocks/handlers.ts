import { HttpResponse, http, sse } from 'msw';
import { z } from 'zod';
import {
  ALERT_ACTIONS,
  type AlertAction,
  type AlertRecord,
  alertBulkResultSchema,
  alertBulkSchema,
  alertSchema,
  alertStepSchema,
} from '../server/alerts/schemas.ts';
import { AUDIT_CSV_COLUMNS, auditCsvLine } from '../server/audit/csv.ts';
import { auditRecordSchema, auditVerifySchema } from '../server/audit/schemas.ts';
import { can, PERMISSIONS, type Permission, permissionsOf } from '../server/auth/permissions.ts';
import { loginSchema, meSchema, permissionRowSchema } from '../server/auth/schemas.ts';
import {
  completenessEventSchema,
  completenessFieldSchema,
  completenessPushSchema,
} from '../server/completeness/schemas.ts';
import {
  approveSchema as enumApproveSchema,
  rejectSchema as enumRejectSchema,
  enumUsageSchema,
  enumVersionSchema,
  governedEnumSchema,
  impactSchema,
  proposalBodySchema,
  proposalSchema,
} from '../server/enums/schemas.ts';
import { type StoredEvent, storedEventSchema } from '../server/events/schemas.ts';
import type { SessionUser } from '../server/http/env.ts';
import { errorBodySchema } from '../server/http/schemas.ts';
import {
  adjustmentSchema,
  approveEntrySchema,
  type LedgerEntry,
  ledgerAccountSchema,
  ledgerEntrySchema,
  rejectEntrySchema,
  rollbackSchema,
} from '../server/ledger/schemas.ts';
import {
  approveSchema,
  bulkResultSchema,
  bulkSchema,
  type LicenseRecord,
  licenseSchema,
  licenseTaskSchema,
  rejectSchema,
  revokeSchema,
} from '../server/licenses/schemas.ts';
import { planEventSchema } from '../server/plan/schemas.ts';
import { type TaskRecord, taskDetailSchema, taskSchema } from '../server/tasks/schemas.ts';
import { type UserRecord, userCreateSchema, userSchema, userUpdateSchema } from '../server/users/schemas.ts';
import type { CredentialKind } from '../server/write-keys/keys.ts';
import {
  newWriteKeySchema,
  writeKeyCreateSchema,
  writeKeySchema,
  writeKeyUpdateSchema,
} from '../server/write-keys/schemas.ts';
import {
  auditReader,
  checkLogin,
  createCredential,
  createUser,
  currentUser,
  eventReader,
  MockApiError,
  type MockAuditRow,
  relabelCredential,
  revokeCredential,
  rotateCredential,
  signIn,
  signOut,
  updateUser,
  verifyAudit,
  writeAudit,
} from './access.ts';
import { alertReader, alertView, alertViews, inboxOrder, stepAlert } from './alerts.ts';
import { generateDb, ingest, liveTraffic, type MockDb } from './data.ts';
import {
  approveProposal,
  enumHistory,
  enumUsage,
  enumVersionAt,
  generateEnumProposals,
  governedEnum,
  governedEnums,
  previewImpact,
  proposalDetail,
  proposalRecords,
  propose,
  rejectProposal,
} from './enums.ts';
import {
  decideEntry,
  entryReader,
  generateLedgerRequests,
  idempotencyKey,
  ledgerAccounts,
  ledgerEntries,
  type ManualKind,
  manualEntryOnce,
} from './ledger.ts';
import {
  type DecisionInput,
  decideLicense,
  decisionEvent,
  licenseReader,
  licenseTasks,
  licenseView,
  queueOrder,
} from './licenses.ts';
import { METRIC_ENDPOINTS, metricsRange } from './metrics.ts';
import { taskDetail, taskReader, taskRecords } from './tasks.ts';

/**
 * msw handlers speaking the API's ra-data-simple-rest dialect: `sort`, `range` and `filter` query
 * parameters, a JSON array and a `Content-Range` header. Every body is parsed with the server's zod schema
 * before it is returned, so a mock that drifts from the API fails the test that reads it. As on the server,
 * every console route needs a session (401) and a permission (403), and cookie-authenticated mutations
 * must send JSON (415).
 */

type Row = { id: string | number };
type Filter = Record<string, unknown>;
/** a filter the resource understands beyond plain equality, given the record, the value and the whole filter */
type FilterMatcher<T> = (record: T, value: unknown, filter: Filter) => boolean;

const listQuerySchema = z.object({
  sort: z.tuple([z.string(), z.enum(['ASC', 'DESC'])]).default(['id', 'ASC']),
  range: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([0, 24]),
  filter: z.record(z.string(), z.unknown()).default({}),
});

const error = (status: number, message: string, errors?: Record<string, string>) =>
  HttpResponse.json(errorBodySchema.parse(errors ? { message, errors } : { message }), { status });

function parseListQuery(url: URL) {
  const raw: Record<string, unknown> = {};
  for (const key of ['sort', 'range', 'filter'] as const) {
    const value = url.searchParams.get(key);
    if (value === null) continue;
    try {
      raw[key] = JSON.parse(value);
    } catch {
      return { success: false as const, errors: { [key]: 'must be JSON' } };
    }
  }
  const parsed = listQuerySchema.safeParse(raw);
  if (parsed.success) return { success: true as const, data: parsed.data };
  return {
    success: false as const,
    errors: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])),
  };
}

const OPERATORS = ['_gte', '_gt', '_lte', '_lt', '_neq'] as const;

function matchesOperator(actual: unknown, operator: (typeof OPERATORS)[number], expected: unknown): boolean {
  if (operator === '_neq') return actual !== expected;
  const a = actual as string | number;
  const b = expected as string | number;
  if (operator === '_gte') return a >= b;
  if (operator === '_gt') return a > b;
  if (operator === '_lte') return a <= b;
  return a < b;
}

/** FakeRest's operators: `q`-like custom matchers, suffixes _gte _gt _lte _lt _neq, arrays mean IN */
function matches<T extends Row>(
  record: T,
  filter: Filter,
  custom: Record<string, FilterMatcher<T>>,
): boolean {
  const fields = record as unknown as Record<string, unknown>;
  return Object.entries(filter).every(([key, value]) => {
    const matcher = custom[key];
    if (matcher) return matcher(record, value, filter);
    const operator = OPERATORS.find((op) => key.endsWith(op));
    if (operator) return matchesOperator(fields[key.slice(0, -operator.length)], operator, value);
    if (Array.isArray(value)) return value.some((v) => String(v) === String(fields[key]));
    return fields[key] === value;
  });
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** the signed-in user when they may do `permission`; otherwise the 401 or 403 the server answers */
function guard(db: MockDb, permission: Permission, request: Request): SessionUser | Response {
  const user = currentUser();
  if (!user) return error(401, 'sign in first');
  if (!can(user.roles, permission)) {
    // the server audits every refusal
    writeAudit(db, {
      actor: { id: user.id, username: user.username },
      action: 'access.denied',
      resource: permission.split(':')[0] ?? permission,
      resource_id: `${request.method} ${new URL(request.url).pathname}`,
      reason: `needs ${permission}; has ${user.roles.join(', ') || 'no role'}`,
      outcome: 'denied',
    });
    return error(403, `your role may not do this (needs ${permission})`);
  }
  return user;
}

const isResponse = (value: unknown): value is Response => value instanceof Response;

/** as the server's sameOriginJson: a cookie-authenticated mutation must be JSON (415), even with no payload */
const notJson = (request: Request) =>
  /^application\/json\s*(;|$)/i.test(request.headers.get('Content-Type') ?? '')
    ? undefined
    : error(415, 'send the request body as JSON (Content-Type: application/json)');

/** the request body parsed with the server's schema: 415 when it is not JSON, 400 naming each bad field */
async function parseBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  what: string,
): Promise<z.infer<T> | Response> {
  const refused = notJson(request);
  if (refused) return refused;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return error(400, `the ${what} must be a JSON object`, { '(body)': 'not valid JSON' });
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[issue.path.join('.') || '(body)'] ??= issue.message;
  const shown = Object.entries(errors).map(([field, why]) => `${field} ${why}`);
  return error(400, `invalid ${what}: ${shown.join('; ')}`, errors);
}

/** runs a step of access.ts; a MockApiError becomes the error body the server sends */
function attempt<T>(step: () => T): T | Response {
  try {
    return step();
  } catch (e) {
    if (e instanceof MockApiError) return error(e.status, e.message, e.errors);
    throw e;
  }
}

const idOf = (raw: unknown) => {
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};
const badId = () => error(400, 'id must be a positive integer', { id: 'must be a positive integer' });

interface ResourceOptions<T extends Row> {
  name: string;
  rows: () => T[];
  /** the record as the API answers it (what `present` makes of the stored one) */
  schema: z.ZodType<object>;
  /** the permission the server's route requires */
  permission: Permission;
  filters?: Record<string, FilterMatcher<T>>;
  /** the sort fields the API accepts; any field when absent */
  sortable?: string[];
  /** the sort when the request names none (`id` ascending unless told) */
  defaultSort?: [string, 'ASC' | 'DESC'];
  /** sort fields that are not a field of the record, with their order (whatever the direction, as the API) */
  orders?: Record<string, (a: T, b: T) => number>;
  /** the records this user may read (engineers: their team's events) */
  visible?: (user: SessionUser) => (record: T) => boolean;
  /** a record as this user may read it (sensitive fields masked) */
  present?: (user: SessionUser) => (record: T) => unknown;
}

function resourceHandlers<T extends Row>(
  {
    name,
    rows,
    schema,
    permission,
    filters = {},
    sortable,
    defaultSort,
    orders = {},
    visible = () => () => true,
    present = () => (record) => record,
  }: ResourceOptions<T>,
  db: MockDb,
) {
  return [
    http.get(`/api/${name}`, ({ request }) => {
      const user = guard(db, permission, request);
      if (isResponse(user)) return user;
      const url = new URL(request.url);
      const query = parseListQuery(url);
      if (!query.success) return error(400, 'Invalid list parameters', query.errors);
      const { sort, range, filter } = query.data;
      const [field, order] = url.searchParams.has('sort') ? sort : (defaultSort ?? sort);
      if (sortable && !sortable.includes(field)) {
        return error(400, 'Invalid list parameters', { sort: `cannot sort by ${field}` });
      }
      const direction = order === 'ASC' ? 1 : -1;
      const readable = visible(user);
      const ordered = orders[field];
      const selected = rows()
        .filter((record) => readable(record) && matches(record, filter, filters))
        .sort((a, b) => {
          if (ordered) return ordered(a, b);
          const byField = compare(
            (a as Record<string, unknown>)[field],
            (b as Record<string, unknown>)[field],
          );
          return direction * (byField === 0 ? compare(a.id, b.id) : byField);
        });
      const [start, end] = range;
      const page = z.array(schema).parse(selected.slice(start, end + 1).map(present(user)));
      const last = page.length === 0 ? start : start + page.length - 1;
      return HttpResponse.json(page, {
        headers: { 'Content-Range': `${name} ${start}-${last}/${selected.length}` },
      });
    }),
    http.get(`/api/${name}/:id`, ({ params, request }) => {
      const user = guard(db, permission, request);
      if (isResponse(user)) return user;
      const readable = visible(user);
      const record = rows().find((r) => String(r.id) === params.id && readable(r));
      if (!record) return error(404, `No ${name} record with id ${String(params.id)}`);
      return HttpResponse.json(schema.parse(present(user)(record)));
    }),
  ];
}

const eventFilters: Record<string, FilterMatcher<StoredEvent>> = {
  q: (record, value) => record.event_id.startsWith(String(value)),
  has_violation: (record, value) => record.violation_count > 0 === value,
  // rule and field together select events with one violation of that rule on that field
  rule: (record, value, filter) =>
    record.violations.some(
      (v) => v.rule === value && (filter.field === undefined || v.field === filter.field),
    ),
  field: (record, value, filter) =>
    record.violations.some((v) => v.field === value && (filter.rule === undefined || v.rule === filter.rule)),
};

/** how often the API-less dev mode's simulated traffic delivers the events that have come due */
const SIMULATED_TICK_MS = 2000;

/**
 * Runs `stop` once the page has closed the stream. In the browser msw 2.15 never aborts `request.signal` when
 * the EventSource closes; its client only emits a `close` event on an emitter kept under a registered symbol.
 */
function onStreamClosed(request: Request, client: object, stop: () => void) {
  request.signal.addEventListener('abort', stop);
  const emitter = (client as Record<symbol, { on(type: 'close', listener: () => void): void } | undefined>)[
    Symbol.for('kClientEmitter')
  ];
  emitter?.on('close', stop);
}

const userFilters: Record<string, FilterMatcher<UserRecord>> = {
  q: (record, value) => {
    const q = String(value).trim().toLowerCase();
    return `${record.username}\n${record.display_name}`.toLowerCase().includes(q);
  },
  role: (record, value) => record.roles.includes(value as UserRecord['roles'][number]),
};

const auditFilters: Record<string, FilterMatcher<MockAuditRow>> = {
  q: (record, value) => {
    const q = String(value).trim().toLowerCase();
    return [record.actor, record.action, record.resource_id, record.reason].some((text) =>
      (text ?? '').toLowerCase().includes(q),
    );
  },
};

/** as the server: a few failed sign-ins for one name and it is throttled */
const MAX_LOGIN_FAILURES = 5;
const THROTTLE_SECONDS = 15 * 60;

const meOf = (user: SessionUser) => meSchema.parse({ ...user, permissions: permissionsOf(user.roles) });

function authHandlers(db: MockDb) {
  return [
    http.post('/api/auth/login', async ({ request }) => {
      const body = await parseBody(request, loginSchema, 'sign-in');
      if (isResponse(body)) return body;
      if ((db.loginFailures.get(body.username) ?? 0) >= MAX_LOGIN_FAILURES) {
        writeAudit(db, {
          actor: { id: null, username: body.username },
          action: 'auth.login',
          resource: 'session',
          outcome: 'denied',
          reason: 'too many failed sign-ins',
        });
        return HttpResponse.json(
          errorBodySchema.parse({
            message: `too many failed sign-ins; try again in ${THROTTLE_SECONDS / 60} minute(s)`,
          }),
          { status: 429, headers: { 'Retry-After': String(THROTTLE_SECONDS) } },
        );
      }
      const user = attempt(() => checkLogin(db, body.username, body.password));
      if (isResponse(user)) return user;
      signIn(user);
      return HttpResponse.json(meOf(currentUser() as SessionUser));
    }),
    http.post('/api/auth/logout', ({ request }) => {
      const refused = notJson(request);
      if (refused) return refused;
      const user = currentUser();
      if (user)
        writeAudit(db, {
          actor: { id: user.id, username: user.username },
          action: 'auth.logout',
          resource: 'session',
          resource_id: user.id,
          outcome: 'success',
        });
      signOut();
      return new HttpResponse(null, { status: 204 });
    }),
    http.get('/api/auth/me', () => {
      const user = currentUser();
      return user ? HttpResponse.json(meOf(user)) : error(401, 'sign in first');
    }),
    http.get('/api/permissions', ({ request }) => {
      const user = guard(db, 'permissions:read', request);
      if (isResponse(user)) return user;
      // the matrix in the server's order, whatever the list parameters say
      const rows = (Object.keys(PERMISSIONS) as Permission[]).map((id) => {
        const [resource = id, action = ''] = id.split(':');
        return permissionRowSchema.parse({ id, resource, action, roles: [...PERMISSIONS[id]] });
      });
      return HttpResponse.json(rows, {
        headers: { 'Content-Range': `permissions 0-${rows.length - 1}/${rows.length}` },
      });
    }),
  ];
}

function userHandlers(db: MockDb) {
  return [
    ...resourceHandlers(
      {
        name: 'users',
        rows: () => db.users,
        schema: userSchema,
        permission: 'users:read',
        filters: userFilters,
        sortable: ['id', 'username', 'display_name', 'created_at'],
      },
      db,
    ),
    http.post('/api/users', async ({ request }) => {
      const user = guard(db, 'users:write', request);
      if (isResponse(user)) return user;
      const body = await parseBody(request, userCreateSchema, 'user');
      if (isResponse(body)) return body;
      const created = attempt(() => createUser(db, body, user));
      if (isResponse(created)) return created;
      return HttpResponse.json(userSchema.parse(created), { status: 201 });
    }),
    http.put('/api/users/:id', async ({ params, request }) => {
      const user = guard(db, 'users:write', request);
      if (isResponse(user)) return user;
      const id = idOf(params.id);
      if (id === undefined) return badId();
      const body = await parseBody(request, userUpdateSchema, 'user');
      if (isResponse(body)) return body;
      const updated = attempt(() => updateUser(db, id, body, user));
      if (isResponse(updated)) return updated;
      return HttpResponse.json(userSchema.parse(updated));
    }),
  ];
}

/** where each kind of credential lives in the API and who may use it (server/write-keys/routes.ts CREDENTIALS) */
const CREDENTIALS = {
  write_key: { name: 'write-keys', noun: 'write key', read: 'write-keys:read', write: 'write-keys:write' },
  service_token: {
    name: 'service-tokens',
    noun: 'service token',
    read: 'service-tokens:read',
    write: 'service-tokens:write',
  },
} as const satisfies Record<
  CredentialKind,
  { name: string; noun: string; read: Permission; write: Permission }
>;

/** write keys or service tokens, alike: list/get, create, relabel, rotate, revoke */
function credentialHandlers(db: MockDb, kind: CredentialKind) {
  const { name, noun, read, write } = CREDENTIALS[kind];
  /** a step by an admin on the key named in the path */
  const step =
    (run: (id: number, user: SessionUser, request: Request) => Promise<unknown> | unknown, status = 200) =>
    async ({ params, request }: { params: Record<string, unknown>; request: Request }) => {
      const user = guard(db, write, request);
      if (isResponse(user)) return user;
      const id = idOf(params.id);
      if (id === undefined) return badId();
      try {
        const result = await run(id, user, request);
        return isResponse(result) ? result : HttpResponse.json(result as object, { status });
      } catch (e) {
        if (e instanceof MockApiError) return error(e.status, e.message, e.errors);
        throw e;
      }
    };
  return [
    ...resourceHandlers(
      {
        name,
        rows: () => (kind === 'write_key' ? db.writeKeys : db.serviceTokens),
        schema: writeKeySchema,
        permission: read,
        sortable: ['id', 'source', 'label', 'created_at'],
      },
      db,
    ),
    http.post(`/api/${name}`, async ({ request }) => {
      const user = guard(db, write, request);
      if (isResponse(user)) return user;
      const body = await parseBody(request, writeKeyCreateSchema, noun);
      if (isResponse(body)) return body;
      return HttpResponse.json(newWriteKeySchema.parse(createCredential(db, kind, body, user)), {
        status: 201,
      });
    }),
    http.put(
      `/api/${name}/:id`,
      step(async (id, user, request) => {
        const body = await parseBody(request, writeKeyUpdateSchema, noun);
        if (isResponse(body)) return body;
        return writeKeySchema.parse(relabelCredential(db, kind, id, body.label, user));
      }),
    ),
    http.post(
      `/api/${name}/:id/rotate`,
      step(
        (id, user, request) =>
          notJson(request) ?? newWriteKeySchema.parse(rotateCredential(db, kind, id, user)),
        201,
      ),
    ),
    http.post(
      `/api/${name}/:id/revoke`,
      step(
        (id, user, request) => notJson(request) ?? writeKeySchema.parse(revokeCredential(db, kind, id, user)),
      ),
    ),
  ];
}

function auditHandlers(db: MockDb) {
  return [
    // before `/api/audit/:id`, which would take them
    http.get('/api/audit/verify', ({ request }) => {
      const user = guard(db, 'audit:read', request);
      if (isResponse(user)) return user;
      return HttpResponse.json(auditVerifySchema.parse(verifyAudit(db)));
    }),
    http.get('/api/audit/export', ({ request }) => {
      const user = guard(db, 'audit:export', request);
      if (isResponse(user)) return user;
      const query = parseListQuery(new URL(request.url));
      if (!query.success) return error(400, 'Invalid list parameters', query.errors);
      const read = auditReader(user, db.planEvents);
      const lines = db.audit
        .filter((row) => matches(row, query.data.filter, auditFilters))
        .map((row) => auditRecordSchema.parse(read(row)))
        .map(auditCsvLine);
      return new HttpResponse(`${AUDIT_CSV_COLUMNS.join(',')}\r\n${lines.join('')}`, {
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
        },
      });
    }),
    ...resourceHandlers(
      {
        name: 'audit',
        rows: () => db.audit,
        schema: auditRecordSchema,
        permission: 'audit:read',
        filters: auditFilters,
        sortable: ['id', 'at', 'actor', 'action', 'resource'],
        present: (user) => auditReader(user, db.planEvents),
      },
      db,
    ),
  ];
}

const truthy = (value: unknown) => value === true || value === 'true';

const licenseFilters: Record<string, FilterMatcher<LicenseRecord>> = {
  // a licence id (`lic_12`) exactly, or else a template id prefix
  q: (record, value) => {
    const q = String(value).trim();
    const byId = /^lic_(\d+)$/.exec(q);
    return byId ? record.id === Number(byId[1]) : (record.template_id ?? '').startsWith(q);
  },
  is_fast_track: (record, value) => record.is_fast_track === truthy(value),
  sla_breached: (record, value) => record.sla_breached === truthy(value),
};

/** the version a decision is made on: the If-Match header or the body's `version` */
function versionOf(request: Request, body: { version?: number | undefined }): number | undefined | Response {
  const header = request.headers.get('If-Match');
  if (header === null) return body.version;
  const version = Number(header.replace(/^W\//, '').replace(/"/g, ''));
  return Number.isSafeInteger(version) && version >= 1
    ? version
    : error(400, 'If-Match must be the version you read', { version: 'If-Match is not a version' });
}

function licenseHandlers(db: MockDb) {
  const present = (user: SessionUser) => {
    const read = licenseReader(user, db);
    return (license: (typeof db.licenses)[number]) =>
      licenseSchema.parse(read(licenseView(license, Date.now())));
  };
  /** one decision on one application; the decision's event goes into the stream, as on the server */
  const decide = (id: number, version: number | undefined, input: DecisionInput, user: SessionUser) => {
    const license = decideLicense(db, id, version, input, user);
    ingest(db, [decisionEvent(license, input.action, user.username)]);
    return license;
  };
  const decision =
    (action: DecisionInput['action']) =>
    async ({ params, request }: { params: Record<string, unknown>; request: Request }) => {
      const user = guard(db, 'licenses:decide', request);
      if (isResponse(user)) return user;
      const id = idOf(params.id);
      if (id === undefined) return badId();
      let input: DecisionInput;
      if (action === 'approve') {
        const terms = await parseBody(request, approveSchema, 'approval');
        if (isResponse(terms)) return terms;
        input = { action, terms };
      } else if (action === 'reject') {
        const terms = await parseBody(request, rejectSchema, 'rejection');
        if (isResponse(terms)) return terms;
        input = { action, terms };
      } else {
        const terms = await parseBody(request, revokeSchema, 'revocation');
        if (isResponse(terms)) return terms;
        input = { action, terms };
      }
      const version = versionOf(request, input.terms);
      if (isResponse(version)) return version;
      const decided = attempt(() => decide(id, version, input, user));
      if (isResponse(decided)) return decided;
      return HttpResponse.json(present(user)(decided));
    };
  return [
    ...resourceHandlers(
      {
        name: 'licenses',
        rows: () => db.licenses.map((license) => licenseView(license, Date.now())),
        schema: licenseSchema,
        permission: 'licenses:read',
        filters: licenseFilters,
        sortable: ['queue', 'applied_at', 'id', 'status', 'decided_at'],
        defaultSort: ['queue', 'ASC'],
        orders: { queue: queueOrder },
        present: (user) => licenseReader(user, db),
      },
      db,
    ),
    // each application decided (or refused) on its own, as one decision each
    http.post('/api/licenses/bulk', async ({ request }) => {
      const user = guard(db, 'licenses:decide', request);
      if (isResponse(user)) return user;
      const body = await parseBody(request, bulkSchema, 'bulk decision');
      if (isResponse(body)) return body;
      const results = body.items.map(({ id, version }) => {
        const input: DecisionInput =
          body.action === 'approve'
            ? { action: 'approve', terms: body.decision }
            : { action: 'reject', terms: body.decision };
        try {
          return { id, ok: true, status: 200, license: present(user)(decide(id, version, input, user)) };
        } catch (e) {
          if (!(e instanceof MockApiError)) throw e;
          return { id, ok: false, status: e.status, message: e.message };
        }
      });
      return HttpResponse.json(bulkResultSchema.parse({ results }));
    }),
    // the licence's tasks: the account's task_start events on the template, with outcome and alerts
    http.get('/api/licenses/:id/tasks', ({ request, params }) => {
      const user = guard(db, 'licenses:read', request);
      if (isResponse(user)) return user;
      const license = db.licenses.find((l) => l.id === Number(params.id));
      if (!license)
        return HttpResponse.json({ message: `no licence application ${params.id}` }, { status: 404 });
      const tasks = licenseTasks(db.events, license);
      return HttpResponse.json(z.array(licenseTaskSchema).parse(tasks), {
        headers: { 'Content-Range': `license-tasks 0-${Math.max(0, tasks.length - 1)}/${tasks.length}` },
      });
    }),
    http.post('/api/licenses/:id/approve', decision('approve')),
    http.post('/api/licenses/:id/reject', decision('reject')),
    http.post('/api/licenses/:id/revoke', decision('revoke')),
  ];
}

const alertFilters: Record<string, FilterMatcher<AlertRecord>> = {
  // an alert id or a task id prefix
  q: (record, value) => {
    const q = String(value).trim();
    return record.alert_id.startsWith(q) || (record.task_id ?? '').startsWith(q);
  },
  auto_escalated: (record, value) => record.auto_escalated === truthy(value),
  // raised at least this many hours ago
  age_hours_gte: (record, value) =>
    value === '' || Date.parse(record.raised_at) <= Date.now() - Number(value) * 3_600_000,
};

/** the risk alert inbox: list and read, the three steps on one alert, and one step for a selection */
function alertHandlers(db: MockDb) {
  const present = (user: SessionUser) => {
    const read = alertReader(user, db);
    return (alert: (typeof db.alerts)[number]) => alertSchema.parse(read(alertView(db, alert, Date.now())));
  };
  const step =
    (action: AlertAction) =>
    async ({ params, request }: { params: Record<string, unknown>; request: Request }) => {
      const user = guard(db, 'alerts:act', request);
      if (isResponse(user)) return user;
      const id = idOf(params.id);
      if (id === undefined) return badId();
      const body = await parseBody(request, alertStepSchema, `alert ${action}`);
      if (isResponse(body)) return body;
      const version = versionOf(request, body);
      if (isResponse(version)) return version;
      const stepped = attempt(() => stepAlert(db, id, version, action, body.note, user));
      if (isResponse(stepped)) return stepped;
      return HttpResponse.json(present(user)(stepped));
    };
  return [
    ...resourceHandlers(
      {
        name: 'alerts',
        rows: () => alertViews(db, db.alerts, Date.now()),
        schema: alertSchema,
        permission: 'alerts:read',
        filters: alertFilters,
        sortable: ['inbox', 'raised_at', 'id', 'state', 'escalation_level'],
        defaultSort: ['inbox', 'ASC'],
        orders: { inbox: inboxOrder },
        present: (user) => alertReader(user, db),
      },
      db,
    ),
    // each alert stepped (or refused, with why) on its own
    http.post('/api/alerts/bulk', async ({ request }) => {
      const user = guard(db, 'alerts:act', request);
      if (isResponse(user)) return user;
      const body = await parseBody(request, alertBulkSchema, 'bulk alert step');
      if (isResponse(body)) return body;
      const results = body.items.map(({ id, version }) => {
        try {
          return {
            id,
            ok: true,
            status: 200,
            alert: present(user)(stepAlert(db, id, version, body.action, body.note, user)),
          };
        } catch (e) {
          if (!(e instanceof MockApiError)) throw e;
          return { id, ok: false, status: e.status, message: e.message };
        }
      });
      return HttpResponse.json(alertBulkResultSchema.parse({ results }));
    }),
    ...ALERT_ACTIONS.map((action) => http.post(`/api/alerts/:id/${action}`, step(action))),
  ];
}

const taskFilters: Record<string, FilterMatcher<TaskRecord>> = {
  // a task id prefix
  q: (record, value) => record.task_id.startsWith(String(value).trim()),
};

/** tasks assembled from their events: the list, and one task's page with its events, alerts and ledger */
function taskHandlers(db: MockDb) {
  return [
    // before the resource's own `/api/tasks/:id`: a task's page answers more than its list record
    http.get('/api/tasks/:id', ({ params, request }) => {
      const user = guard(db, 'tasks:read', request);
      if (isResponse(user)) return user;
      const detail = taskDetail(db, String(params.id), ledgerEntries(db), Date.now());
      if (!detail) return error(404, `no task ${String(params.id)}`);
      return HttpResponse.json(taskDetailSchema.parse(taskReader(user, db)(detail)));
    }),
    ...resourceHandlers(
      {
        name: 'tasks',
        rows: () => taskRecords(db, ledgerEntries(db), Date.now()),
        schema: taskSchema,
        permission: 'tasks:read',
        filters: taskFilters,
        sortable: ['first_seen_at', 'started_at', 'finished_at', 'credits_spent', 'task_id'],
        defaultSort: ['first_seen_at', 'DESC'],
        present: (user) => taskReader(user, db),
      },
      db,
    ),
  ];
}

const ledgerFilters: Record<string, FilterMatcher<LedgerEntry>> = {
  // a ledger id or a task id prefix
  q: (record, value) => {
    const q = String(value).trim();
    return record.id.startsWith(q) || record.task_id.startsWith(q);
  },
};

const ACCOUNT_SORTABLE = ['balance', 'last_entry_at', 'entries', 'account_id'];

/** a ledger id from the path: the platform's ids are free text, so only its length is bounded */
const entryIdOf = (raw: unknown) => {
  const id = String(raw ?? '');
  return id.length >= 1 && id.length <= 200 ? id : undefined;
};

/**
 * The credits ledger: entries, per-account balances, the rollbacks and adjustments ops request (exactly once
 * per Idempotency-Key) and the four-eyes decisions on the large ones.
 */
function ledgerHandlers(db: MockDb) {
  const manual =
    (kind: ManualKind) =>
    async ({ request }: { request: Request }) => {
      const user = guard(db, 'ledger:write', request);
      if (isResponse(user)) return user;
      const key = attempt(() => idempotencyKey(request));
      if (isResponse(key)) return key;
      const body =
        kind === 'manual_rollback'
          ? await parseBody(request, rollbackSchema, 'rollback')
          : await parseBody(request, adjustmentSchema, 'adjustment');
      if (isResponse(body)) return body;
      const answer = attempt(() => manualEntryOnce(db, kind, key, body, user));
      if (isResponse(answer)) return answer;
      return HttpResponse.json(ledgerEntrySchema.parse(entryReader(user, db)(answer.entry)), {
        status: 201,
        headers: { 'Idempotent-Replayed': String(answer.replayed) },
      });
    };
  const decision =
    (approve: boolean) =>
    async ({ params, request }: { params: Record<string, unknown>; request: Request }) => {
      const user = guard(db, 'ledger:approve', request);
      if (isResponse(user)) return user;
      const id = entryIdOf(params.id);
      if (id === undefined)
        return error(400, 'id must be a ledger id of 1–200 characters', { id: 'must be 1–200 characters' });
      let note: string | null;
      if (approve) {
        const body = await parseBody(request, approveEntrySchema, 'approval');
        if (isResponse(body)) return body;
        note = body.note ?? null;
      } else {
        const body = await parseBody(request, rejectEntrySchema, 'rejection');
        if (isResponse(body)) return body;
        note = body.reason;
      }
      const decided = attempt(() => decideEntry(db, id, approve, note, user));
      if (isResponse(decided)) return decided;
      return HttpResponse.json(ledgerEntrySchema.parse(entryReader(user, db)(decided)));
    };
  return [
    http.get('/api/ledger-accounts', ({ request }) => {
      const user = guard(db, 'ledger:read', request);
      if (isResponse(user)) return user;
      const url = new URL(request.url);
      const query = parseListQuery(url);
      if (!query.success) return error(400, 'Invalid list parameters', query.errors);
      const { range, filter } = query.data;
      const [field, order] = url.searchParams.has('sort') ? query.data.sort : ['balance', 'ASC'];
      if (!ACCOUNT_SORTABLE.includes(field))
        return error(400, 'Invalid list parameters', { sort: `cannot sort by ${field}` });
      const { q, ...rest } = filter;
      const search = typeof q === 'string' ? q.trim() : '';
      const direction = order === 'ASC' ? 1 : -1;
      const selected = ledgerAccounts(db)
        .map((a) => ({ ...a, id: a.account_id }))
        .filter((a) => matches(a, rest, {}) && a.account_id.startsWith(search))
        .sort(
          (a, b) =>
            direction * compare(a[field as keyof typeof a], b[field as keyof typeof b]) ||
            a.account_id.localeCompare(b.account_id),
        );
      const [start, end] = range;
      // the account hash is sensitive: a role that sees it masked gets a row number as the record id
      const clear = can(user.roles, 'sensitive:read');
      const read = entryReader(user, db);
      const page = selected
        .slice(start, end + 1)
        .map((a, i) =>
          ledgerAccountSchema.parse(read({ ...a, id: clear ? a.account_id : `row_${start + i + 1}` })),
        );
      const last = page.length === 0 ? start : start + page.length - 1;
      return HttpResponse.json(page, {
        headers: { 'Content-Range': `ledger-accounts ${start}-${last}/${selected.length}` },
      });
    }),
    http.post('/api/ledger/rollbacks', manual('manual_rollback')),
    http.post('/api/ledger/adjustments', manual('manual_adjustment')),
    http.post('/api/ledger/:id/approve', decision(true)),
    http.post('/api/ledger/:id/reject', decision(false)),
    ...resourceHandlers(
      {
        name: 'ledger',
        rows: () => ledgerEntries(db),
        schema: ledgerEntrySchema,
        permission: 'ledger:read',
        filters: ledgerFilters,
        sortable: ['seq', 'created_at', 'amount', 'status'],
        defaultSort: ['seq', 'DESC'],
        present: (user) => entryReader(user, db),
      },
      db,
    ),
  ];
}

/** a list in the dialect over rows held in memory, as resourceHandlers' but with the server's known filters */
interface DialectList<T extends Row> {
  rows: (filter: Filter) => T[];
  schema: z.ZodType<object>;
  sortable: string[];
  defaultSort: [string, 'ASC' | 'DESC'];
  /** the filters the API names as known (400 for any other); with `operators`, also with the _gte … _neq suffixes */
  known: string[];
  operators?: boolean;
  /** filters beyond equality (accepted too, as the server's custom ones) */
  filters?: Record<string, FilterMatcher<T>>;
}

/** as SQLite orders (the server's ORDER BY field, id): nulls first ascending, strings by code point */
function sqlCompare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function dialectList<T extends Row>(request: Request, name: string, list: DialectList<T>): Response {
  const url = new URL(request.url);
  const query = parseListQuery(url);
  if (!query.success) return error(400, 'Invalid list parameters', query.errors);
  const { range } = query.data;
  const [field, order] = url.searchParams.has('sort') ? query.data.sort : list.defaultSort;
  if (!list.sortable.includes(field))
    return error(400, 'Invalid list parameters', { sort: `cannot sort by ${field}` });
  // as the server's buildWhere: an empty value filters nothing
  const filter = Object.fromEntries(
    Object.entries(query.data.filter).filter(([, v]) => v !== undefined && v !== ''),
  );
  for (const key of Object.keys(filter)) {
    const operator = list.operators ? OPERATORS.find((op) => key.endsWith(op)) : undefined;
    if (!list.known.includes(operator ? key.slice(0, -operator.length) : key) && !list.filters?.[key])
      return error(400, `cannot filter by ${key}`, {
        [`filter.${key}`]: `unknown filter; known: ${list.known.join(', ')}`,
      });
  }
  const direction = order === 'ASC' ? 1 : -1;
  const selected = list
    .rows(filter)
    .filter((record) => matches(record, filter, list.filters ?? {}))
    .sort((a, b) => {
      const fields = [a, b] as unknown as Array<Record<string, unknown>>;
      return direction * (sqlCompare(fields[0]?.[field], fields[1]?.[field]) || sqlCompare(a.id, b.id));
    });
  const [start, end] = range;
  const page = z.array(list.schema).parse(selected.slice(start, end + 1));
  const last = page.length === 0 ? start : start + page.length - 1;
  return HttpResponse.json(page, {
    headers: { 'Content-Range': `${name} ${start}-${last}/${selected.length}` },
  });
}

/**
 * Enum governance (mocks/enums.ts): the enums with who governs them and their version, each value's usage,
 * each enum's history, and the proposals that are the only way to change an enum, approved per role by
 * people other than the proposer.
 */
function enumHandlers(db: MockDb) {
  /** the request as the server's refusals audit it */
  const where = (request: Request) => `${request.method} ${new URL(request.url).pathname}`;
  const decision =
    (approve: boolean) =>
    async ({ params, request }: { params: Record<string, unknown>; request: Request }) => {
      const user = guard(db, 'enums:approve', request);
      if (isResponse(user)) return user;
      const id = idOf(params.id);
      if (id === undefined) return badId();
      let decide: (version: number | undefined) => unknown;
      let version: number | undefined | Response;
      if (approve) {
        const body = await parseBody(request, enumApproveSchema, 'approval');
        if (isResponse(body)) return body;
        version = versionOf(request, body);
        decide = (v) => approveProposal(db, id, v, user, where(request));
      } else {
        const body = await parseBody(request, enumRejectSchema, 'rejection');
        if (isResponse(body)) return body;
        version = versionOf(request, body);
        decide = (v) => rejectProposal(db, id, body.reason, v, user, where(request));
      }
      if (isResponse(version)) return version;
      const checked = version;
      const decided = attempt(() => decide(checked));
      if (isResponse(decided)) return decided;
      return HttpResponse.json(proposalSchema.parse(decided));
    };
  return [
    http.get('/api/enums', ({ request }) => {
      const user = guard(db, 'enums:read', request);
      if (isResponse(user)) return user;
      return dialectList(request, 'enums', {
        rows: () => governedEnums(db),
        schema: governedEnumSchema,
        sortable: ['name', 'id', 'owner'],
        defaultSort: ['name', 'ASC'],
        known: ['id', 'q'],
        filters: {
          q: (record, value) =>
            typeof value !== 'string' || record.name.toLowerCase().includes(value.toLowerCase()),
        },
      });
    }),
    // before `/api/enums/:id`
    http.get('/api/enums/:id/usage', ({ params, request }) => {
      const user = guard(db, 'enums:read', request);
      if (isResponse(user)) return user;
      const usage = attempt(() => enumUsage(db, String(params.id)));
      if (isResponse(usage)) return usage;
      return HttpResponse.json(enumUsageSchema.parse(usage));
    }),
    http.get('/api/enums/:id/history', ({ params, request }) => {
      const user = guard(db, 'enums:read', request);
      if (isResponse(user)) return user;
      const at = new URL(request.url).searchParams.get('at');
      if (at !== null) {
        const version = attempt(() => enumVersionAt(db, String(params.id), at));
        if (isResponse(version)) return version;
        return HttpResponse.json(enumVersionSchema.parse(version));
      }
      const versions = attempt(() => enumHistory(db, String(params.id)));
      if (isResponse(versions)) return versions;
      return HttpResponse.json(z.array(enumVersionSchema).parse(versions), {
        headers: {
          'Content-Range': `enum-versions 0-${Math.max(0, versions.length - 1)}/${versions.length}`,
        },
      });
    }),
    http.get('/api/enums/:id', ({ params, request }) => {
      const user = guard(db, 'enums:read', request);
      if (isResponse(user)) return user;
      const record = attempt(() => governedEnum(db, String(params.id)));
      if (isResponse(record)) return record;
      return HttpResponse.json(governedEnumSchema.parse(record));
    }),
    http.get('/api/enum-proposals', ({ request }) => {
      const user = guard(db, 'enums:read', request);
      if (isResponse(user)) return user;
      return dialectList(request, 'enum-proposals', {
        rows: (filter) =>
          proposalRecords(db, user, { mine: truthy(filter.mine), toApprove: truthy(filter.to_approve) }),
        schema: proposalSchema,
        sortable: ['id', 'proposed_at', 'enum', 'status', 'decided_at'],
        defaultSort: ['id', 'DESC'],
        known: ['id', 'status', 'enum', 'code', 'action', 'proposed_by'],
        operators: true,
        // applied by proposalRecords
        filters: { mine: () => true, to_approve: () => true },
      });
    }),
    http.post('/api/enum-proposals/impact', async ({ request }) => {
      const user = guard(db, 'enums:propose', request);
      if (isResponse(user)) return user;
      const body = await parseBody(request, proposalBodySchema, 'proposal');
      if (isResponse(body)) return body;
      const impact = attempt(() => previewImpact(db, body, user, where(request)));
      if (isResponse(impact)) return impact;
      return HttpResponse.json(impactSchema.parse(impact));
    }),
    http.get('/api/enum-proposals/:id', ({ params, request }) => {
      const user = guard(db, 'enums:read', request);
      if (isResponse(user)) return user;
      const id = idOf(params.id);
      if (id === undefined) return badId();
      const proposal = attempt(() => proposalDetail(db, id));
      if (isResponse(proposal)) return proposal;
      return HttpResponse.json(proposalSchema.parse(proposal));
    }),
    http.post('/api/enum-proposals', async ({ request }) => {
      const user = guard(db, 'enums:propose', request);
      if (isResponse(user)) return user;
      const body = await parseBody(request, proposalBodySchema, 'proposal');
      if (isResponse(body)) return body;
      const proposal = attempt(() => propose(db, body, user, where(request)));
      if (isResponse(proposal)) return proposal;
      return HttpResponse.json(proposalSchema.parse(proposal), { status: 201 });
    }),
    http.post('/api/enum-proposals/:id/approve', decision(true)),
    http.post('/api/enum-proposals/:id/reject', decision(false)),
  ];
}

/**
 * The metrics board (mocks/metrics.ts): one GET per chart, behind metrics:read, the query checked as the
 * server's rangeOf (400 naming each bad parameter), the answer parsed with the server's schema.
 */
function metricsHandlers(db: MockDb) {
  return Object.entries(METRIC_ENDPOINTS).map(([name, { schema, answer }]) =>
    http.get(`/api/metrics/${name}`, ({ request }) => {
      const user = guard(db, 'metrics:read', request);
      if (isResponse(user)) return user;
      const range = attempt(() => metricsRange(db, new URL(request.url)));
      if (isResponse(range)) return range;
      return HttpResponse.json(schema.parse(answer(db, range)));
    }),
  );
}

export function createHandlers(db: MockDb) {
  /** streams opened so far: with the clock, a seed no other stream shares */
  let streams = 0;
  return [
    // the stream route first, so `/api/completeness/:id` does not take it; it simulates live traffic
    sse<{ completeness: string }>('/api/completeness/stream', ({ client, request }) => {
      const user = currentUser();
      if (!user || !can(user.roles, 'completeness:read')) {
        client.error();
        return;
      }
      // traffic from a few ticks back, delivered at once, so the page sees the numbers move as it subscribes
      const traffic = liveTraffic(db, Date.now() - 5 * SIMULATED_TICK_MS, Date.now() + streams++);
      const deliver = () => {
        for (const push of traffic(Date.now())) {
          client.send({ event: 'completeness', data: JSON.stringify(completenessPushSchema.parse(push)) });
        }
      };
      deliver();
      const timer = setInterval(deliver, SIMULATED_TICK_MS);
      onStreamClosed(request, client, () => clearInterval(timer));
    }),
    ...authHandlers(db),
    ...resourceHandlers(
      {
        name: 'completeness-events',
        rows: () => [...db.completenessEvents.values()],
        schema: completenessEventSchema,
        permission: 'completeness:read',
      },
      db,
    ),
    ...resourceHandlers(
      {
        name: 'completeness',
        rows: () => [...db.completenessFields.values()],
        schema: completenessFieldSchema,
        permission: 'completeness:read',
      },
      db,
    ),
    ...resourceHandlers(
      {
        name: 'events',
        rows: () => db.events,
        schema: storedEventSchema,
        permission: 'events:read',
        filters: eventFilters,
        sortable: ['id', 'occurred_at', 'received_at', 'event', 'day'],
        visible: (user) => eventReader(user, db.planEvents).visible,
        present: (user) => eventReader(user, db.planEvents).present,
      },
      db,
    ),
    ...resourceHandlers(
      {
        name: 'tracking-plan',
        rows: () => db.planEvents,
        schema: planEventSchema,
        permission: 'tracking-plan:read',
      },
      db,
    ),
    ...enumHandlers(db),
    ...userHandlers(db),
    ...credentialHandlers(db, 'write_key'),
    ...credentialHandlers(db, 'service_token'),
    ...auditHandlers(db),
    ...licenseHandlers(db),
    ...alertHandlers(db),
    ...taskHandlers(db),
    ...ledgerHandlers(db),
    ...metricsHandlers(db),
  ];
}

/** two weeks of traffic up to now, with a few manual ledger entries awaiting a second approver */
export const handlers = createHandlers(
  generateEnumProposals(generateLedgerRequests(generateDb(Date.now()), Date.now()), Date.now()),
);
