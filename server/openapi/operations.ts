import { alertBulkResultSchema, alertBulkSchema, alertSchema, alertStepSchema } from '../alerts/schemas.ts';
import { auditRecordSchema, auditVerifySchema } from '../audit/schemas.ts';
import { loginSchema, meSchema, permissionRowSchema } from '../auth/schemas.ts';
import {
  completenessEventSchema,
  completenessFieldSchema,
  completenessPushSchema,
} from '../completeness/schemas.ts';
import {
  approveSchema as enumApproveSchema,
  rejectSchema as enumRejectSchema,
  enumUsageSchema,
  governedEnumSchema,
  impactSchema,
  proposalBodySchema,
  proposalSchema,
} from '../enums/schemas.ts';
import { storedEventSchema } from '../events/schemas.ts';
import { exportEventsQuerySchema } from '../exports/schemas.ts';
import { ingestResponseSchema, MAX_BATCH_EVENTS, segmentMessageSchema } from '../ingest/schemas.ts';
import {
  adjustmentSchema,
  approveEntrySchema,
  estimateRequestSchema,
  estimateSchema,
  ledgerAccountSchema,
  ledgerEntrySchema,
  rejectEntrySchema,
  rollbackSchema,
} from '../ledger/schemas.ts';
import {
  approveSchema as licenseApproveSchema,
  bulkResultSchema as licenseBulkResultSchema,
  bulkSchema as licenseBulkSchema,
  licenseCheckQuerySchema,
  licenseCheckSchema,
  rejectSchema as licenseRejectSchema,
  revokeSchema as licenseRevokeSchema,
  licenseSchema,
  licenseTaskSchema,
} from '../licenses/schemas.ts';
import {
  creditsSchema as creditsMetricsSchema,
  ctaAbSchema,
  failuresSchema,
  funnelSchema,
  hotTemplatesSchema,
  licenseReviewSchema,
  MAX_METRIC_DAYS,
  metricsQuerySchema,
} from '../metrics/schemas.ts';
import { planEventSchema } from '../plan/schemas.ts';
import { taskDetailSchema, taskSchema } from '../tasks/schemas.ts';
import { userCreateSchema, userSchema, userUpdateSchema } from '../users/schemas.ts';
import {
  newWriteKeySchema,
  writeKeyCreateSchema,
  writeKeySchema,
  writeKeyUpdateSchema,
} from '../write-keys/schemas.ts';
import { DOCS_ASSETS } from './assets.ts';
import { estimateExamples, ingestExamples, licenseCheckExamples, segmentExamples } from './examples.ts';
import type { Operation, Param } from './model.ts';
import {
  enumHistorySchema,
  healthSchema,
  ingestBodySchema,
  segmentBatchSchema,
  segmentResponseSchema,
} from './schemas.ts';

/** the counters are small rows: completeness lists take pages of up to 10 000 (completeness/routes.ts) */
const COUNTER_PAGE = 10_000;

const integerId = (what: string): Record<string, Param> => ({
  id: { description: `the ${what}'s id`, schema: { type: 'integer', minimum: 1 } },
});
const textId = (description: string, extra: Record<string, unknown> = {}): Record<string, Param> => ({
  id: { description, schema: { type: 'string', minLength: 1, ...extra } },
});
const IF_MATCH: Record<string, Param> = {
  'If-Match': {
    description: 'the version you read (`"3"` or `W/"3"`), instead of `version` in the body',
    schema: { type: 'string' },
  },
};
const IDEMPOTENCY_KEY: Record<string, Param> = {
  'Idempotency-Key': {
    description:
      'a fresh random value per request, reused on retries: the same key and body replay the first answer, the same key with another body is 409',
    schema: { type: 'string', pattern: '^[!-~]{1,200}$' },
    required: true,
    example: '3f9c1e2a-7b4d-4c1e-9a5f-0d2b6e8c4a11',
  },
};
const IDEMPOTENT_REPLAYED: Record<string, Param> = {
  'Idempotent-Replayed': {
    description: '`true` when this is the remembered answer to an earlier request with the same key',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
};

const credentialOps = (base: '/api/write-keys' | '/api/service-tokens'): Operation[] => {
  const writeKeys = base === '/api/write-keys';
  const noun = writeKeys ? 'write key' : 'service token';
  const tag = writeKeys ? 'Write keys' : 'Service tokens';
  const read = writeKeys ? 'write-keys:read' : 'service-tokens:read';
  const write = writeKeys ? 'write-keys:write' : 'service-tokens:write';
  return [
    {
      method: 'GET',
      path: base,
      tag,
      summary: `List ${noun}s`,
      description: `The ${noun}s (never the keys themselves: only their first characters).`,
      access: read,
      list: {
        sortable: ['id', 'source', 'label', 'created_at'],
        defaultSort: ['id', 'DESC'],
        columns: ['source', 'id'],
        custom: { status: '`active` or `revoked`' },
        fixed: ['kind'],
      },
      ok: { status: 200, description: `the ${noun}s`, schema: writeKeySchema, list: true },
    },
    {
      method: 'GET',
      path: `${base}/:id`,
      tag,
      summary: `One ${noun}`,
      access: read,
      pathParams: integerId(noun),
      ok: { status: 200, description: `the ${noun}`, schema: writeKeySchema },
      errors: [404],
    },
    {
      method: 'POST',
      path: base,
      tag,
      summary: `Create a ${noun}`,
      description: `The answer carries the ${noun} itself: the only time it is shown (it is stored as a SHA-256 hash).`,
      access: write,
      body: { schema: writeKeyCreateSchema },
      ok: { status: 201, description: `the new ${noun}, with \`key\``, schema: newWriteKeySchema },
    },
    {
      method: 'PUT',
      path: `${base}/:id`,
      tag,
      summary: `Relabel a ${noun}`,
      access: write,
      pathParams: integerId(noun),
      body: { schema: writeKeyUpdateSchema },
      ok: { status: 200, description: `the ${noun}`, schema: writeKeySchema },
      errors: [404],
    },
    {
      method: 'POST',
      path: `${base}/:id/rotate`,
      tag,
      summary: `Rotate a ${noun}`,
      description: `Revokes the ${noun} and creates its replacement (same source and label); no body is read.`,
      access: write,
      pathParams: integerId(noun),
      ok: { status: 201, description: `the replacement, with \`key\``, schema: newWriteKeySchema },
      errors: [404, 409],
    },
    {
      method: 'POST',
      path: `${base}/:id/revoke`,
      tag,
      summary: `Revoke a ${noun}`,
      description: `Refused at once from then on; no body is read.`,
      access: write,
      pathParams: integerId(noun),
      ok: { status: 200, description: `the revoked ${noun}`, schema: writeKeySchema },
      errors: [404, 409],
    },
  ];
};

const alertStep = (action: 'acknowledge' | 'escalate' | 'resolve', what: string): Operation => ({
  method: 'POST',
  path: `/api/alerts/:id/${action}`,
  tag: 'Alerts',
  summary: `${action[0]!.toUpperCase()}${action.slice(1)} an alert`,
  description: `${what} With a note and the version read (or If-Match); writes an audit row.`,
  access: 'alerts:act',
  pathParams: integerId('alert'),
  headers: IF_MATCH,
  body: { schema: alertStepSchema },
  ok: { status: 200, description: 'the alert after the step', schema: alertSchema },
  errors: [404, 409],
});

/**
 * Every route of the app, documented. test/server/openapi.test.ts fails when a route is registered that is
 * not here, or one here is not registered.
 */
export const OPERATIONS: Operation[] = [
  // ── ingestion (write keys) ──────────────────────────────────────────────────────────────────────────
  {
    method: 'POST',
    path: '/api/events',
    tag: 'Ingestion',
    summary: 'Ingest one event or a batch',
    description: `One envelope or an array of up to ${MAX_BATCH_EVENTS} (1 MB at most, else 413). Every envelope is checked first: one malformed envelope refuses the whole batch (400, each bad field named), so nothing is half-stored. Each stored event carries its violations of the tracking plan; nothing valid or invalid is dropped. A repeated \`event_id\` is acknowledged as a \`duplicate\` and stored once.`,
    access: 'write-key',
    body: { schema: ingestBodySchema, examples: ingestExamples.request },
    ok: {
      status: 200,
      description: 'each event stored or recognised as a duplicate, with its violations',
      schema: ingestResponseSchema,
      examples: ingestExamples.response,
    },
  },
  {
    method: 'POST',
    path: '/v1/batch',
    tag: 'Ingestion',
    summary: 'Segment HTTP tracking API: batch',
    description:
      "Segment's batch call, Basic auth with the write key as user name. `event` → event, `messageId` → event_id, `timestamp` → occurred_at, `properties` → properties, `userId` → properties.user_id when absent. Calls other than `track` are kept as unplanned `$identify`, `$page`, … events.",
    access: 'segment-write-key',
    body: { schema: segmentBatchSchema, examples: { batch: segmentExamples.batch } },
    ok: {
      status: 200,
      description: 'as POST /api/events, with `success: true`',
      schema: segmentResponseSchema,
      examples: { batch: segmentExamples.batchResponse },
    },
  },
  {
    method: 'POST',
    path: '/v1/track',
    tag: 'Ingestion',
    summary: 'Segment HTTP tracking API: track',
    description: "Segment's single call, mapped as in /v1/batch.",
    access: 'segment-write-key',
    body: { schema: segmentMessageSchema, examples: { track: segmentExamples.track } },
    ok: {
      status: 200,
      description: 'as POST /api/events, with `success: true`',
      schema: segmentResponseSchema,
      examples: { track: segmentExamples.trackResponse },
    },
  },

  // ── the platform's other calls (service tokens) ─────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/licenses/check',
    tag: 'Platform',
    summary: "Check an account's licence for a template",
    description:
      "Is this account licensed for this template now, until when, how many runs left: the account's current licence (an approved one before any other), `runs_used` counting its task_start events on the template since approval.",
    access: 'service-token',
    query: { schema: licenseCheckQuerySchema, examples: licenseCheckExamples.query },
    ok: {
      status: 200,
      description: 'the licence as it stands now',
      schema: licenseCheckSchema,
      examples: licenseCheckExamples.response,
    },
  },
  {
    method: 'POST',
    path: '/api/credits/estimate',
    tag: 'Platform',
    summary: 'Estimate the credits a task will cost',
    description:
      "`[p10, p90]` (nearest rank) of what comparable succeeded tasks spent lately (same queue_type, and template, output_count and the applicant's persona when given), or the rate table when there are too few. With `account_id`, `precheck_balance` is the account's ledger as the console sees it (charges and refunds, no top-ups). Codes must be active values of their enums (422).",
    access: 'service-token',
    body: { schema: estimateRequestSchema, examples: estimateExamples.request },
    ok: {
      status: 200,
      description: 'the estimate',
      schema: estimateSchema,
      examples: estimateExamples.response,
    },
    errors: [422],
  },

  // ── sign-in ────────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'POST',
    path: '/api/auth/login',
    tag: 'Auth',
    summary: 'Sign in',
    description:
      'Sets the HttpOnly, SameSite=Strict session cookie (a new one each time). 429 after 5 failures per account or 20 per address in 15 minutes.',
    access: 'public',
    body: { schema: loginSchema },
    ok: {
      status: 200,
      description: 'the signed-in user and their permissions; the session cookie is set',
      schema: meSchema,
      headers: { 'Set-Cookie': { description: 'the session cookie', schema: { type: 'string' } } },
    },
    errors: [401, 429],
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    tag: 'Auth',
    summary: 'Sign out',
    description: 'Ends the session (if any) and clears its cookie; no body is read.',
    access: 'public',
    ok: { status: 204, description: 'signed out' },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    tag: 'Auth',
    summary: 'The signed-in user',
    access: 'signed-in',
    ok: { status: 200, description: 'the user, their roles and permissions', schema: meSchema },
  },
  {
    method: 'GET',
    path: '/api/permissions',
    tag: 'Auth',
    summary: 'The permission matrix',
    description:
      'One row per permission (resource × action) with the roles holding it; always the whole matrix.',
    access: 'permissions:read',
    ok: { status: 200, description: 'the matrix', schema: permissionRowSchema, list: true },
  },

  // ── completeness ───────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/completeness',
    tag: 'Completeness',
    summary: 'Counters per UTC+8 day × event × field',
    access: 'completeness:read',
    list: {
      sortable: [
        'day',
        'event',
        'field',
        'total',
        'missing',
        'wrong_type',
        'out_of_enum',
        'pii',
        'cross_field',
        'complete_pct',
        'valid_pct',
      ],
      defaultSort: ['day', 'DESC'],
      columns: ['day', 'event', 'field', 'valid_pct'],
      maxPage: COUNTER_PAGE,
    },
    ok: { status: 200, description: 'the counters', schema: completenessFieldSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/completeness/stream',
    tag: 'Completeness',
    summary: 'Live counters (server-sent events)',
    description:
      'A `ready` message, then `completeness` messages whose data (JSON) are the changed counters, at most once a second; a comment every 15 s keeps the connection open.',
    access: 'completeness:read',
    ok: {
      status: 200,
      description: 'an endless event stream',
      contentType: 'text/event-stream',
      raw: { type: 'string' },
      extensions: { 'x-message-data': { $ref: '#/components/schemas/CompletenessPush' } },
      schema: completenessPushSchema,
    },
  },
  {
    method: 'GET',
    path: '/api/completeness/:id',
    tag: 'Completeness',
    summary: 'One day × event × field counter',
    access: 'completeness:read',
    pathParams: textId('`day|event|field`, e.g. `2026-11-25|landing_view|user_id`'),
    ok: { status: 200, description: 'the counter', schema: completenessFieldSchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/completeness-events',
    tag: 'Completeness',
    summary: 'Counters per UTC+8 day × event',
    description: 'A day × event below its `target_pct` is flagged `below_target`.',
    access: 'completeness:read',
    list: {
      sortable: ['day', 'event', 'total', 'valid', 'with_violations', 'duplicates', 'unplanned', 'valid_pct'],
      defaultSort: ['day', 'DESC'],
      columns: ['day', 'event', 'planned', 'below_target', 'total', 'valid_pct'],
      maxPage: COUNTER_PAGE,
    },
    ok: { status: 200, description: 'the counters', schema: completenessEventSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/completeness-events/:id',
    tag: 'Completeness',
    summary: 'One day × event counter',
    access: 'completeness:read',
    pathParams: textId('`day|event`, e.g. `2026-11-25|landing_view`'),
    ok: { status: 200, description: 'the counter', schema: completenessEventSchema },
    errors: [404],
  },

  // ── stored events ──────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/events',
    tag: 'Events',
    summary: 'Stored events with their violations',
    description:
      "An engineer reads only their team's events (those the plan gives the team, or sent with its write key). Sensitive properties are masked for roles that may not read them.",
    access: 'events:read',
    list: {
      sortable: ['id', 'occurred_at', 'event', 'day', 'source'],
      defaultSort: ['id', 'DESC'],
      columns: ['id', 'event', 'event_id', 'day', 'source', 'planned', 'occurred_at', 'received_at'],
      custom: {
        rule: 'events that broke this rule',
        field: 'events with a violation on this field',
        has_violation: '`true`: events with any violation; `false`: valid ones',
        q: 'an event_id prefix',
      },
    },
    ok: { status: 200, description: 'the events', schema: storedEventSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/events/:id',
    tag: 'Events',
    summary: 'One stored event',
    access: 'events:read',
    pathParams: integerId('stored event'),
    ok: { status: 200, description: 'the event', schema: storedEventSchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/exports/events',
    tag: 'Exports',
    summary: "A UTC+8 day's events as NDJSON",
    description:
      "Streams the day's stored events, one JSON object per line, each as GET /api/events/:id presents it (violations included, the same masking and team scope), in the data-lake layout `landing_phase1/dt=YYYY-MM-DD/part-00000.ndjson` (the attachment's name). Each export is audited with its row count.",
    access: 'events:read',
    query: { schema: exportEventsQuerySchema },
    ok: {
      status: 200,
      description: 'the events, one per line',
      contentType: 'application/x-ndjson',
      raw: { type: 'string' },
      schema: storedEventSchema,
      extensions: { 'x-line-schema': { $ref: '#/components/schemas/StoredEvent' } },
      headers: {
        'Content-Disposition': {
          description: 'attachment; filename="landing_phase1/dt=YYYY-MM-DD/part-00000.ndjson"',
          schema: { type: 'string' },
        },
      },
    },
  },

  // ── the tracking plan and its enums ────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/tracking-plan',
    tag: 'Tracking plan',
    summary: 'The tracking plan',
    access: 'tracking-plan:read',
    list: {
      sortable: ['position', 'name', 'id'],
      defaultSort: ['position', 'ASC'],
      columns: [],
      custom: { id: 'one event name or an array of them', q: 'a substring of the event name' },
    },
    ok: {
      status: 200,
      description: 'the planned events with their fields',
      schema: planEventSchema,
      list: true,
    },
  },
  {
    method: 'GET',
    path: '/api/tracking-plan/:id',
    tag: 'Tracking plan',
    summary: 'One planned event',
    access: 'tracking-plan:read',
    pathParams: textId('the event name, e.g. `landing_view`'),
    ok: { status: 200, description: 'the event with its fields', schema: planEventSchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/enums',
    tag: 'Enums',
    summary: 'The enums',
    description: 'Each with its values, the policy_tag mapping, its version and its governance.',
    access: 'enums:read',
    list: {
      sortable: ['name', 'id', 'owner'],
      defaultSort: ['name', 'ASC'],
      columns: [],
      custom: { id: 'one enum name or an array of them', q: 'a substring of the enum name' },
    },
    ok: { status: 200, description: 'the enums', schema: governedEnumSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/enums/:id',
    tag: 'Enums',
    summary: 'One enum',
    access: 'enums:read',
    pathParams: textId('the enum name, e.g. `policy_tag`'),
    ok: { status: 200, description: 'the enum', schema: governedEnumSchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/enums/:id/usage',
    tag: 'Enums',
    summary: "Stored events using each of an enum's values",
    description: 'Per value, the stored events of the last 7 and 30 days using it.',
    access: 'enums:read',
    pathParams: textId('the enum name'),
    ok: { status: 200, description: 'the usage', schema: enumUsageSchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/enums/:id/history',
    tag: 'Enums',
    summary: "An enum's versions",
    description:
      'Every version of the value table, newest first (a dialect list with Content-Range); with `?at=` the table as it stood at that instant (one version).',
    access: 'enums:read',
    pathParams: textId('the enum name'),
    queryParams: {
      at: {
        description: 'an ISO-8601 instant: answer the version in force then',
        schema: { type: 'string', format: 'date-time' },
        example: '2026-11-20T00:00:00Z',
      },
    },
    ok: { status: 200, description: 'the versions, or the one in force at `at`', schema: enumHistorySchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/enum-proposals',
    tag: 'Enums',
    summary: 'Enum change proposals',
    access: 'enums:read',
    list: {
      sortable: ['id', 'proposed_at', 'enum', 'status', 'decided_at'],
      defaultSort: ['id', 'DESC'],
      columns: ['id', 'status', 'enum', 'code', 'action', 'proposed_by'],
      custom: {
        mine: '`true`: the proposals you made',
        to_approve: '`true`: the pending proposals you could approve now',
      },
    },
    ok: { status: 200, description: 'the proposals', schema: proposalSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/enum-proposals/:id',
    tag: 'Enums',
    summary: 'One proposal',
    description: 'A pending proposal carries its impact as of now.',
    access: 'enums:read',
    pathParams: integerId('proposal'),
    ok: { status: 200, description: 'the proposal', schema: proposalSchema },
    errors: [404],
  },
  {
    method: 'POST',
    path: '/api/enum-proposals',
    tag: 'Enums',
    summary: 'Propose an enum change',
    description:
      'To `add`, `relabel`, `update_mapping` (policy_tag), `deprecate` or `reactivate` a value. Strict body; one pending proposal per value (409). Who may propose depends on the enum (403, audited).',
    access: 'enums:propose',
    body: { schema: proposalBodySchema },
    ok: { status: 201, description: 'the proposal, with its impact', schema: proposalSchema },
    errors: [404, 409, 422],
  },
  {
    method: 'POST',
    path: '/api/enum-proposals/impact',
    tag: 'Enums',
    summary: "A proposal's impact, without proposing it",
    description:
      'Stored events of the last 7 days using the value and those whose validity the change would flip, and the open licences and alerts using it.',
    access: 'enums:propose',
    body: { schema: proposalBodySchema },
    ok: { status: 200, description: 'the impact', schema: impactSchema },
    errors: [404, 409, 422],
  },
  {
    method: 'POST',
    path: '/api/enum-proposals/:id/approve',
    tag: 'Enums',
    summary: 'Approve a proposal',
    description:
      'By someone other than the proposer holding a role the enum requires (403, audited). When every required role has approved, the change applies in the same transaction (a new version of the table, an audit row).',
    access: 'enums:approve',
    pathParams: integerId('proposal'),
    headers: IF_MATCH,
    body: { schema: enumApproveSchema },
    ok: { status: 200, description: 'the proposal after the approval', schema: proposalSchema },
    errors: [404, 409, 422],
  },
  {
    method: 'POST',
    path: '/api/enum-proposals/:id/reject',
    tag: 'Enums',
    summary: 'Reject a proposal',
    access: 'enums:approve',
    pathParams: integerId('proposal'),
    headers: IF_MATCH,
    body: { schema: enumRejectSchema },
    ok: { status: 200, description: 'the rejected proposal', schema: proposalSchema },
    errors: [404, 409],
  },

  // ── users ──────────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/users',
    tag: 'Users',
    summary: 'Users and their roles',
    access: 'users:read',
    list: {
      sortable: ['id', 'username', 'display_name', 'created_at'],
      defaultSort: ['username', 'ASC'],
      columns: ['id', 'username', 'team'],
      custom: {
        q: 'a substring of the username or display name',
        role: 'users holding this role',
        disabled: '`true` or `false`',
      },
    },
    ok: { status: 200, description: 'the users', schema: userSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/users/:id',
    tag: 'Users',
    summary: 'One user',
    access: 'users:read',
    pathParams: integerId('user'),
    ok: { status: 200, description: 'the user', schema: userSchema },
    errors: [404],
  },
  {
    method: 'POST',
    path: '/api/users',
    tag: 'Users',
    summary: 'Create a user',
    description: 'An engineer needs a team (422); a taken username is 409.',
    access: 'users:write',
    body: { schema: userCreateSchema },
    ok: { status: 201, description: 'the new user', schema: userSchema },
    errors: [409, 422],
  },
  {
    method: 'PUT',
    path: '/api/users/:id',
    tag: 'Users',
    summary: 'Change a user',
    description:
      "With the `version` read (409 when stale). Disabling, changing roles or a password ends the user's sessions. You cannot disable yourself or drop your own admin role (422).",
    access: 'users:write',
    pathParams: integerId('user'),
    body: { schema: userUpdateSchema },
    ok: { status: 200, description: 'the user', schema: userSchema },
    errors: [404, 409, 422],
  },

  ...credentialOps('/api/write-keys'),
  ...credentialOps('/api/service-tokens'),

  // ── audit ──────────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/audit',
    tag: 'Audit',
    summary: 'The audit log',
    access: 'audit:read',
    list: {
      sortable: ['id', 'at', 'actor', 'action', 'resource'],
      defaultSort: ['id', 'DESC'],
      columns: ['id', 'at', 'actor', 'action', 'resource', 'resource_id', 'outcome'],
      custom: { q: 'a substring of the actor, action, resource id or reason' },
    },
    ok: { status: 200, description: 'the audit rows', schema: auditRecordSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/audit/verify',
    tag: 'Audit',
    summary: "Check the audit log's hash chain",
    access: 'audit:read',
    ok: {
      status: 200,
      description: 'whether the chain holds, or the first broken row',
      schema: auditVerifySchema,
    },
  },
  {
    method: 'GET',
    path: '/api/audit/export',
    tag: 'Audit',
    summary: 'The audit log as CSV',
    description: 'The current filter, oldest first, streamed.',
    access: 'audit:export',
    list: {
      sortable: ['id'],
      defaultSort: ['id', 'ASC'],
      columns: ['id', 'at', 'actor', 'action', 'resource', 'resource_id', 'outcome'],
      custom: { q: 'a substring of the actor, action, resource id or reason' },
      filterOnly: true,
    },
    ok: {
      status: 200,
      description: 'CSV with a header line',
      contentType: 'text/csv',
      raw: { type: 'string' },
      headers: {
        'Content-Disposition': {
          description: 'attachment; filename="audit-log-YYYY-MM-DD.csv"',
          schema: { type: 'string' },
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/api/audit/:id',
    tag: 'Audit',
    summary: 'One audit row',
    access: 'audit:read',
    pathParams: integerId('audit row'),
    ok: { status: 200, description: 'the row', schema: auditRecordSchema },
    errors: [404],
  },

  // ── licences ───────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/licenses',
    tag: 'Licences',
    summary: 'Licence applications (the review queue)',
    description:
      'Sorted `queue` by default: pending first, fast track first, oldest first, with SLA age. Roles that see ids masked cannot probe them by range, prefix or sort (403).',
    access: 'licenses:read',
    list: {
      sortable: ['queue', 'applied_at', 'id', 'status', 'decided_at'],
      defaultSort: ['queue', 'ASC'],
      columns: [
        'id',
        'status',
        'persona_tag',
        'policy_tag',
        'is_fast_track',
        'template_id',
        'account_id',
        'day',
        'applied_at',
      ],
      custom: {
        sla_breached: '`true`: pending applications past their SLA target; `false`: the others',
        q: '`lic_<id>`, or a template_id prefix',
      },
    },
    ok: { status: 200, description: 'the applications', schema: licenseSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/licenses/:id',
    tag: 'Licences',
    summary: 'One licence application',
    access: 'licenses:read',
    pathParams: integerId('licence application'),
    ok: { status: 200, description: 'the application', schema: licenseSchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/licenses/:id/tasks',
    tag: 'Licences',
    summary: "The licence's tasks",
    description: "The account's tasks on the template, newest first, each with what followed it.",
    access: 'licenses:read',
    pathParams: integerId('licence application'),
    ok: { status: 200, description: 'the tasks', schema: licenseTaskSchema, list: true },
    errors: [404],
  },
  {
    method: 'POST',
    path: '/api/licenses/:id/approve',
    tag: 'Licences',
    summary: 'Approve an application',
    description:
      'With the version read (`If-Match` or `version`; 409 when stale or no longer allowed); codes must be active enum values (422). Writes the state, a license_approved event and an audit row in one transaction.',
    access: 'licenses:decide',
    pathParams: integerId('licence application'),
    headers: IF_MATCH,
    body: { schema: licenseApproveSchema },
    ok: { status: 200, description: 'the licence', schema: licenseSchema },
    errors: [404, 409, 422],
  },
  {
    method: 'POST',
    path: '/api/licenses/:id/reject',
    tag: 'Licences',
    summary: 'Reject an application',
    description: 'As approve, writing a license_rejected event.',
    access: 'licenses:decide',
    pathParams: integerId('licence application'),
    headers: IF_MATCH,
    body: { schema: licenseRejectSchema },
    ok: { status: 200, description: 'the application', schema: licenseSchema },
    errors: [404, 409, 422],
  },
  {
    method: 'POST',
    path: '/api/licenses/:id/revoke',
    tag: 'Licences',
    summary: 'Revoke an approved licence',
    description: 'As reject, with a note saying why.',
    access: 'licenses:decide',
    pathParams: integerId('licence'),
    headers: IF_MATCH,
    body: { schema: licenseRevokeSchema },
    ok: { status: 200, description: 'the licence', schema: licenseSchema },
    errors: [404, 409, 422],
  },
  {
    method: 'POST',
    path: '/api/licenses/bulk',
    tag: 'Licences',
    summary: 'Decide a selection',
    description:
      'One decision for up to 200 applications, each decided (or refused, with the status a single decision would have answered) on its own.',
    access: 'licenses:decide',
    body: { schema: licenseBulkSchema },
    ok: { status: 200, description: 'per application', schema: licenseBulkResultSchema },
  },

  // ── tasks, alerts, the ledger ──────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/tasks',
    tag: 'Tasks',
    summary: 'Tasks assembled from their events',
    access: 'tasks:read',
    list: {
      sortable: ['first_seen_at', 'started_at', 'finished_at', 'credits_spent', 'task_id'],
      defaultSort: ['first_seen_at', 'DESC'],
      columns: [
        'task_id',
        'template_id',
        'account_id',
        'queue_type',
        'failure_code',
        'policy_tag',
        'started_at',
        'finished_at',
        'first_seen_at',
      ],
      custom: {
        status: '`queued`, `succeeded`, `failed` or `stale`, or an array of them',
        q: 'a task_id prefix',
      },
    },
    ok: { status: 200, description: 'the tasks', schema: taskSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/tasks/:id',
    tag: 'Tasks',
    summary: 'One task with its events, alerts, ledger entries and charge',
    access: 'tasks:read',
    pathParams: textId('the task_id'),
    ok: { status: 200, description: 'the task', schema: taskDetailSchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/alerts',
    tag: 'Alerts',
    summary: 'The risk-alert inbox',
    description:
      'Sorted `inbox` by default: open, then acknowledged, then resolved; high risk first; oldest first.',
    access: 'alerts:read',
    list: {
      sortable: ['inbox', 'raised_at', 'id', 'state', 'escalation_level'],
      defaultSort: ['inbox', 'ASC'],
      columns: [
        'id',
        'alert_id',
        'task_id',
        'state',
        'risk_level',
        'policy_tag',
        'escalation_level',
        'action_required',
        'auto_escalated',
        'raised_at',
        'day',
      ],
      custom: {
        age_hours_gte: 'alerts raised at least this many hours ago (0 to 876000)',
        q: 'an alert_id or task_id prefix',
      },
    },
    ok: { status: 200, description: 'the alerts', schema: alertSchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/alerts/:id',
    tag: 'Alerts',
    summary: 'One alert',
    access: 'alerts:read',
    pathParams: integerId('alert'),
    ok: { status: 200, description: 'the alert', schema: alertSchema },
    errors: [404],
  },
  alertStep('acknowledge', 'open → acknowledged.'),
  alertStep('escalate', 'none → ops_review → compliance_committee.'),
  alertStep('resolve', 'To resolved.'),
  {
    method: 'POST',
    path: '/api/alerts/bulk',
    tag: 'Alerts',
    summary: 'Acknowledge or resolve a selection',
    description:
      'Each alert stepped (or refused, with the status a single step would have answered) on its own.',
    access: 'alerts:act',
    body: { schema: alertBulkSchema },
    ok: { status: 200, description: 'per alert', schema: alertBulkResultSchema },
  },
  {
    method: 'GET',
    path: '/api/ledger',
    tag: 'Ledger',
    summary: 'Credits ledger entries',
    description:
      'task_charge (from task_completed), tail_deduction (credits_updated), manual_rollback and manual_adjustment; amounts negative for charges, positive for refunds.',
    access: 'ledger:read',
    list: {
      sortable: ['seq', 'created_at', 'amount', 'status'],
      defaultSort: ['seq', 'DESC'],
      columns: [
        'id',
        'kind',
        'status',
        'account_id',
        'task_id',
        'policy_tag',
        'created_by',
        'created_at',
        'amount',
      ],
      custom: { q: 'a ledger id or task_id prefix' },
    },
    ok: { status: 200, description: 'the entries', schema: ledgerEntrySchema, list: true },
  },
  {
    method: 'GET',
    path: '/api/ledger/:id',
    tag: 'Ledger',
    summary: 'One ledger entry',
    access: 'ledger:read',
    pathParams: textId('the ledger id, e.g. `charge:task_123`', { maxLength: 200 }),
    ok: { status: 200, description: 'the entry', schema: ledgerEntrySchema },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/ledger-accounts',
    tag: 'Ledger',
    summary: 'Per-account balances',
    description:
      'From posted entries. A role that sees account ids masked gets a row number as the record id.',
    access: 'ledger:read',
    list: {
      sortable: ['balance', 'last_entry_at', 'entries', 'account_id'],
      defaultSort: ['balance', 'ASC'],
      columns: ['account_id'],
      custom: { q: 'an account_id prefix' },
    },
    ok: { status: 200, description: 'the accounts', schema: ledgerAccountSchema, list: true },
  },
  ...(['rollbacks', 'adjustments'] as const).map(
    (kind): Operation => ({
      method: 'POST',
      path: `/api/ledger/${kind}`,
      tag: 'Ledger',
      summary: kind === 'rollbacks' ? "Refund part of a task's charge" : 'A signed correction',
      description: `${
        kind === 'rollbacks'
          ? "A refund above the task's net charge less pending refunds is 422."
          : 'A negative amount charges more.'
      } Exactly once per Idempotency-Key (required). When it takes the task's manual entries above the approval limit the entry waits as \`pending_approval\` for a second person. A posted entry writes its credits_updated event and an audit row in the same transaction.`,
      access: 'ledger:write',
      headers: IDEMPOTENCY_KEY,
      body: { schema: kind === 'rollbacks' ? rollbackSchema : adjustmentSchema },
      ok: {
        status: 201,
        description: 'the entry (posted or pending approval), or the remembered one on a replay',
        schema: ledgerEntrySchema,
        headers: IDEMPOTENT_REPLAYED,
      },
      errors: [404, 409, 422],
    }),
  ),
  {
    method: 'POST',
    path: '/api/ledger/:id/approve',
    tag: 'Ledger',
    summary: 'Approve a pending entry',
    description: 'By a second ops or compliance person; the requester is refused (403, audited).',
    access: 'ledger:approve',
    pathParams: textId('the ledger id', { maxLength: 200 }),
    body: { schema: approveEntrySchema },
    ok: { status: 200, description: 'the posted entry', schema: ledgerEntrySchema },
    errors: [404, 409, 422],
  },
  {
    method: 'POST',
    path: '/api/ledger/:id/reject',
    tag: 'Ledger',
    summary: 'Reject a pending entry',
    access: 'ledger:approve',
    pathParams: textId('the ledger id', { maxLength: 200 }),
    body: { schema: rejectEntrySchema },
    ok: { status: 200, description: 'the rejected entry', schema: ledgerEntrySchema },
    errors: [404, 409],
  },

  // ── the metrics board ──────────────────────────────────────────────────────────────────────────────
  ...(
    [
      ['funnel', funnelSchema, 'The funnel landing_view → … → task_completed per UTC+8 day, with conversion'],
      ['cta-ab', ctaAbSchema, 'CTA A/B: click-through per ab_bucket and cta_id'],
      [
        'hot-templates',
        hotTemplatesSchema,
        'Hot templates: views and mean position beside applies and approvals',
      ],
      ['failures', failuresSchema, 'Failures: task_failed by failure_code and policy_tag per day'],
      ['credits', creditsMetricsSchema, 'Credits: estimated vs spent, tail deductions and rollbacks per day'],
      [
        'license-review',
        licenseReviewSchema,
        'Licence review: decisions per day, approval rate, time to decision, SLA breaches',
      ],
    ] as const
  ).map(
    ([chart, schema, summary]): Operation => ({
      method: 'GET',
      path: `/api/metrics/${chart}`,
      tag: 'Metrics',
      summary,
      description: `One chart of the metrics board, from counters kept as events are stored. \`from\` and \`to\` are UTC+8 days, both included (the last 14 days by default, at most ${MAX_METRIC_DAYS}); \`persona\` and \`channel\` filter the series whose events carry them (the answer says which in \`filters_applied\`). An unknown parameter is a 400.`,
      access: 'metrics:read',
      query: { schema: metricsQuerySchema },
      ok: { status: 200, description: 'the chart', schema },
    }),
  ),

  // ── this reference, and health ─────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    path: '/api/openapi.json',
    tag: 'Reference',
    summary: 'This document',
    description: 'OpenAPI 3.1, generated from the zod schemas the routes validate with.',
    access: 'signed-in',
    ok: { status: 200, description: 'the OpenAPI document', raw: { type: 'object' } },
  },
  {
    method: 'GET',
    path: '/api/docs',
    tag: 'Reference',
    summary: 'The interactive API reference (Swagger UI)',
    description:
      'Served with its assets from this server (no CDN); it reads /api/openapi.json, so sign in first.',
    access: 'public',
    ok: { status: 200, description: 'the page', contentType: 'text/html', raw: { type: 'string' } },
  },
  {
    method: 'GET',
    path: '/api/docs/:asset',
    tag: 'Reference',
    summary: "The reference page's scripts and styles",
    access: 'public',
    pathParams: {
      asset: {
        description: 'one of the files the page loads',
        schema: { type: 'string', enum: Object.keys(DOCS_ASSETS) },
      },
    },
    ok: {
      status: 200,
      description: 'the file (JavaScript, CSS or PNG)',
      contentType: '*/*',
      raw: { type: 'string', contentMediaType: 'application/octet-stream' },
    },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/healthz',
    tag: 'Health',
    summary: 'Readiness',
    description: '200 once the server is ready and its database answers.',
    access: 'public',
    ok: { status: 200, description: 'ready', schema: healthSchema },
  },
];
