import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, type Identifier } from 'react-admin';
import type { z } from 'zod';
import {
  type AlertAction,
  type AlertStepInput,
  alertBulkResultSchema,
  type alertBulkSchema,
  alertSchema,
} from '../server/alerts/schemas.ts';
import { auditVerifySchema } from '../server/audit/schemas.ts';
import {
  enumUsageSchema,
  enumVersionSchema,
  impactSchema,
  type ProposalBody,
  proposalSchema,
} from '../server/enums/schemas.ts';
import {
  type AdjustmentInput,
  type approveEntrySchema,
  ledgerEntrySchema,
  type RollbackInput,
  type rejectEntrySchema,
} from '../server/ledger/schemas.ts';
import {
  type ApproveInput,
  bulkResultSchema,
  type bulkSchema,
  licenseSchema,
  type RejectInput,
  type RevokeInput,
} from '../server/licenses/schemas.ts';
import {
  creditsSchema,
  ctaAbSchema,
  failuresSchema,
  funnelSchema,
  hotTemplatesSchema,
  licenseReviewSchema,
} from '../server/metrics/schemas.ts';
import { newWriteKeySchema, writeKeySchema } from '../server/write-keys/schemas.ts';

/** every API call goes through here, with the session cookie (HttpOnly `lc_session`, set by the server) */
export const httpClient = (url: string, options: fetchUtils.Options = {}) =>
  fetchUtils.fetchJson(url, { ...options, credentials: 'include' });

/**
 * A POST with no payload still sends `{}`: the server takes cookie-authenticated mutations only as JSON
 * (415 otherwise), and fetchJson sets the JSON content type only when there is a body.
 */
const post = (url: string, body: unknown = {}) =>
  httpClient(url, { method: 'POST', body: JSON.stringify(body) });

/** a money-moving POST, sent with the Idempotency-Key that makes its retries harmless */
const postOnce = (url: string, body: unknown, idempotencyKey: string) =>
  httpClient(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: new Headers({ Accept: 'application/json', 'Idempotency-Key': idempotencyKey }),
  });

const rest = simpleRestProvider('/api', httpClient);

/** the metrics board's charts: GET /api/metrics/<name>, each answer checked with the server's schema */
export const METRIC_SCHEMAS = {
  funnel: funnelSchema,
  'cta-ab': ctaAbSchema,
  'hot-templates': hotTemplatesSchema,
  failures: failuresSchema,
  credits: creditsSchema,
  'license-review': licenseReviewSchema,
} as const;
export type MetricName = keyof typeof METRIC_SCHEMAS;

/** the resources of the credentials managed alike: ingestion write keys and the platform's service tokens */
export const CREDENTIAL_RESOURCES = ['write-keys', 'service-tokens'] as const;
export type CredentialResource = (typeof CREDENTIAL_RESOURCES)[number];

/**
 * The stock ra-data-simple-rest provider plus the workflow steps that are not plain CRUD. Pages call these
 * through `useDataProvider<ConsoleDataProvider>()`, so a 401 from them ends the session like any other call.
 */
export const dataProvider = {
  ...rest,
  /**
   * POST /api/write-keys or /api/service-tokens (`resource`): the answer carries the key itself, shown once.
   * Not the stock `create`, which would keep the record (key included) in react-admin's query cache.
   */
  createCredential: async (resource: CredentialResource, data: { source: string; label: string }) =>
    newWriteKeySchema.parse((await post(`/api/${resource}`, data)).json),
  /** a new key for the same source and label; the old one is revoked at once */
  rotateCredential: async (resource: CredentialResource, id: Identifier) =>
    newWriteKeySchema.parse((await post(`/api/${resource}/${encodeURIComponent(id)}/rotate`)).json),
  revokeCredential: async (resource: CredentialResource, id: Identifier) =>
    writeKeySchema.parse((await post(`/api/${resource}/${encodeURIComponent(id)}/revoke`)).json),
  /** walks the audit log's hash chain on the server */
  verifyAudit: async () => auditVerifySchema.parse((await httpClient('/api/audit/verify')).json),
  /**
   * The licence review's decisions, each on the version the reviewer read: the answer is the decided licence.
   * A 409 (decided by someone else first, or changed since) and a 422 (a code not active, a term missing)
   * reject with the server's message and, for 422, its per-field reasons in `body.errors`.
   */
  approveLicense: async (id: Identifier, body: ApproveInput) =>
    licenseSchema.parse((await post(`/api/licenses/${encodeURIComponent(id)}/approve`, body)).json),
  rejectLicense: async (id: Identifier, body: RejectInput) =>
    licenseSchema.parse((await post(`/api/licenses/${encodeURIComponent(id)}/reject`, body)).json),
  /** an approved licence withdrawn; the note saying why is required */
  revokeLicense: async (id: Identifier, body: RevokeInput) =>
    licenseSchema.parse((await post(`/api/licenses/${encodeURIComponent(id)}/revoke`, body)).json),
  /** one decision for a selection: each application decided (or refused, with why) on its own */
  bulkDecideLicenses: async (body: z.input<typeof bulkSchema>) =>
    bulkResultSchema.parse((await post('/api/licenses/bulk', body)).json),
  /**
   * One step on a risk alert (acknowledge, escalate or resolve) with its note, on the version read: the
   * answer is the alert as it is now. A 409 (stale, or a step its state does not allow) and a 400 (no note)
   * reject with the server's message.
   */
  stepAlert: async (id: Identifier, action: AlertAction, body: Required<AlertStepInput>) =>
    alertSchema.parse((await post(`/api/alerts/${encodeURIComponent(id)}/${action}`, body)).json),
  /** one step for a selection of alerts: each stepped (or refused, with why) on its own */
  bulkStepAlerts: async (body: z.input<typeof alertBulkSchema>) =>
    alertBulkResultSchema.parse((await post('/api/alerts/bulk', body)).json),
  /**
   * A refund of part or all of a task's charge (ops). `idempotencyKey` is made once per request the person
   * means (one per opening of the rollback dialog) and sent again with every retry of it: the server applies
   * one key once, replaying its first answer, so a retry after a lost answer never refunds twice. The answer
   * is the entry: posted, or pending_approval above the limit. 422 (over the refundable amount, a policy tag
   * not active) and 409 (the key was used for another request) reject with the server's message and, for
   * 422, its per-field reasons in `body.errors`.
   */
  rollbackCredits: async (body: RollbackInput, idempotencyKey: string) =>
    ledgerEntrySchema.parse((await postOnce('/api/ledger/rollbacks', body, idempotencyKey)).json),
  /** a signed correction of a task's charge (negative charges more), exactly once per key as a rollback */
  adjustCredits: async (body: AdjustmentInput, idempotencyKey: string) =>
    ledgerEntrySchema.parse((await postOnce('/api/ledger/adjustments', body, idempotencyKey)).json),
  /** the second person's approval of a pending entry (never its requester: 403); 409 once decided */
  approveLedgerEntry: async (id: Identifier, body: z.input<typeof approveEntrySchema>) =>
    ledgerEntrySchema.parse((await post(`/api/ledger/${encodeURIComponent(id)}/approve`, body)).json),
  /** the second person's rejection of a pending entry, with the reason (required) */
  rejectLedgerEntry: async (id: Identifier, body: z.input<typeof rejectEntrySchema>) =>
    ledgerEntrySchema.parse((await post(`/api/ledger/${encodeURIComponent(id)}/reject`, body)).json),
  /**
   * One chart of the metrics board over a UTC+8 day range, optionally for one persona and one channel (the
   * answer says which series each filter applied to). A 400 names the parameter the server refused.
   */
  metrics: async <N extends MetricName>(
    name: N,
    filters: { from: string; to: string; persona?: string; channel?: string },
  ) => {
    const params = new URLSearchParams({ from: filters.from, to: filters.to });
    if (filters.persona) params.set('persona', filters.persona);
    if (filters.channel) params.set('channel', filters.channel);
    const { json } = await httpClient(`/api/metrics/${name}?${params}`);
    return METRIC_SCHEMAS[name].parse(json) as z.infer<(typeof METRIC_SCHEMAS)[N]>;
  },
  /** events of the last 7 and 30 days per value of an enum (GET /api/enums/:name/usage) */
  enumUsage: async (name: string) =>
    enumUsageSchema.parse((await httpClient(`/api/enums/${encodeURIComponent(name)}/usage`)).json),
  /** every version of an enum's table, oldest first; version 1 is the seed */
  enumHistory: async (name: string) =>
    enumVersionSchema
      .array()
      .parse((await httpClient(`/api/enums/${encodeURIComponent(name)}/history`)).json),
  /** the table as it stood at an instant (404 when it had no version then) */
  enumAt: async (name: string, at: string) =>
    enumVersionSchema.parse(
      (await httpClient(`/api/enums/${encodeURIComponent(name)}/history?at=${encodeURIComponent(at)}`)).json,
    ),
  /**
   * What a proposal would change if approved now, nothing stored: stored events of the last 7 days whose
   * validity would change, open licences and alerts using the value. A 422 says the change itself would be
   * refused (a code taken, a mapping value not active …), with the reasons by field.
   */
  enumImpact: async (body: ProposalBody) =>
    impactSchema.parse((await post('/api/enum-proposals/impact', body)).json),
  /**
   * One approval of a pending proposal, on the version read. The answer is the proposal: still pending while
   * another role must approve too, approved (and applied) once every role has. 403 for its proposer or a
   * role that is not needed, 409 when decided or changed since.
   */
  approveEnumProposal: async (id: Identifier, body: { version: number }) =>
    proposalSchema.parse((await post(`/api/enum-proposals/${encodeURIComponent(id)}/approve`, body)).json),
  /** a pending proposal refused, with the reason (kept on the proposal) */
  rejectEnumProposal: async (id: Identifier, body: { reason: string; version: number }) =>
    proposalSchema.parse((await post(`/api/enum-proposals/${encodeURIComponent(id)}/reject`, body)).json),
};

export type ConsoleDataProvider = typeof dataProvider;
