import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, type Identifier } from 'react-admin';
import type { z } from 'zod';
import { auditVerifySchema } from '../server/audit/schemas.ts';
import {
  type ApproveInput,
  bulkResultSchema,
  type bulkSchema,
  licenseSchema,
  type RejectInput,
  type RevokeInput,
} from '../server/licenses/schemas.ts';
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

const rest = simpleRestProvider('/api', httpClient);

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
};

export type ConsoleDataProvider = typeof dataProvider;
