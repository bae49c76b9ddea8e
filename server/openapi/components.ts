import type { z } from 'zod';
import { alertBulkResultSchema, alertBulkSchema, alertSchema, alertStepSchema } from '../alerts/schemas.ts';
import { auditRecordSchema, auditVerifySchema } from '../audit/schemas.ts';
import { loginSchema, meSchema, permissionRowSchema, roleSchema } from '../auth/schemas.ts';
import {
  completenessEventSchema,
  completenessFieldSchema,
  completenessPushSchema,
} from '../completeness/schemas.ts';
import {
  approvalSchema,
  changesSchema,
  approveSchema as enumApproveSchema,
  rejectSchema as enumRejectSchema,
  enumUsageSchema,
  enumVersionSchema,
  governanceSchema,
  governedEnumSchema,
  impactSchema,
  proposalBodySchema,
  proposalSchema,
} from '../enums/schemas.ts';
import { storedEventSchema, violationSchema } from '../events/schemas.ts';
import { errorBodySchema } from '../http/schemas.ts';
import {
  eventEnvelopeSchema,
  ingestResponseSchema,
  ingestResultSchema,
  segmentMessageSchema,
} from '../ingest/schemas.ts';
import {
  adjustmentSchema,
  approveEntrySchema,
  chargeSummarySchema,
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
  licenseCheckSchema,
  rejectSchema as licenseRejectSchema,
  revokeSchema as licenseRevokeSchema,
  licenseSchema,
  licenseStatusSchema,
  licenseTaskSchema,
} from '../licenses/schemas.ts';
import {
  creditsSchema as creditsMetricsSchema,
  ctaAbSchema,
  failuresSchema,
  funnelSchema,
  hotTemplatesSchema,
  licenseReviewSchema,
} from '../metrics/schemas.ts';
import { enumValueSchema, planEventSchema, planFieldSchema, ruleSchema } from '../plan/schemas.ts';
import { taskDetailSchema, taskEventSchema, taskSchema } from '../tasks/schemas.ts';
import { userCreateSchema, userSchema, userUpdateSchema } from '../users/schemas.ts';
import {
  newWriteKeySchema,
  writeKeyCreateSchema,
  writeKeySchema,
  writeKeyUpdateSchema,
} from '../write-keys/schemas.ts';
import {
  enumHistorySchema,
  healthSchema,
  ingestBodySchema,
  segmentBatchSchema,
  segmentResponseSchema,
} from './schemas.ts';

/**
 * The name each schema has under components.schemas, and which way it goes: request bodies are converted as
 * zod reads them (`input`: defaults optional, the number before a transform), answers as the server writes
 * them (`output`). A body or answer schema an operation uses must be named here (the builder says which is
 * not); the shared parts named here become `$ref`s wherever they appear.
 */
export const REQUEST_SCHEMAS: ReadonlyArray<readonly [z.ZodType, string]> = [
  [ingestBodySchema, 'IngestBody'],
  [eventEnvelopeSchema, 'EventEnvelope'],
  [segmentBatchSchema, 'SegmentBatch'],
  [segmentMessageSchema, 'SegmentMessage'],
  [estimateRequestSchema, 'EstimateRequest'],
  [loginSchema, 'Login'],
  [proposalBodySchema, 'EnumProposalBody'],
  [enumApproveSchema, 'EnumProposalApproval'],
  [enumRejectSchema, 'EnumProposalRejection'],
  [userCreateSchema, 'UserCreate'],
  [userUpdateSchema, 'UserUpdate'],
  [writeKeyCreateSchema, 'CredentialCreate'],
  [writeKeyUpdateSchema, 'CredentialUpdate'],
  [licenseApproveSchema, 'LicenseApproval'],
  [licenseRejectSchema, 'LicenseRejection'],
  [licenseRevokeSchema, 'LicenseRevocation'],
  [licenseBulkSchema, 'LicenseBulkDecision'],
  [alertStepSchema, 'AlertStep'],
  [alertBulkSchema, 'AlertBulkStep'],
  [rollbackSchema, 'LedgerRollback'],
  [adjustmentSchema, 'LedgerAdjustment'],
  [approveEntrySchema, 'LedgerApproval'],
  [rejectEntrySchema, 'LedgerRejection'],
];

export const RESPONSE_SCHEMAS: ReadonlyArray<readonly [z.ZodType, string]> = [
  [errorBodySchema, 'Error'],
  [ingestResponseSchema, 'IngestResponse'],
  [ingestResultSchema, 'IngestResult'],
  [segmentResponseSchema, 'SegmentResponse'],
  [violationSchema, 'Violation'],
  [ruleSchema, 'Rule'],
  [licenseCheckSchema, 'LicenseCheck'],
  [estimateSchema, 'Estimate'],
  [meSchema, 'Me'],
  [roleSchema, 'Role'],
  [permissionRowSchema, 'PermissionRow'],
  [completenessFieldSchema, 'CompletenessField'],
  [completenessEventSchema, 'CompletenessEvent'],
  [completenessPushSchema, 'CompletenessPush'],
  [storedEventSchema, 'StoredEvent'],
  [planEventSchema, 'PlanEvent'],
  [planFieldSchema, 'PlanField'],
  [enumValueSchema, 'EnumValue'],
  [governedEnumSchema, 'Enum'],
  [governanceSchema, 'EnumGovernance'],
  [enumUsageSchema, 'EnumUsage'],
  [enumVersionSchema, 'EnumVersion'],
  [enumHistorySchema, 'EnumHistory'],
  [proposalSchema, 'EnumProposal'],
  [changesSchema, 'EnumProposalChanges'],
  [approvalSchema, 'EnumProposalApprovalRecord'],
  [impactSchema, 'EnumProposalImpact'],
  [userSchema, 'User'],
  [writeKeySchema, 'Credential'],
  [newWriteKeySchema, 'NewCredential'],
  [auditRecordSchema, 'AuditRecord'],
  [auditVerifySchema, 'AuditVerification'],
  [licenseSchema, 'License'],
  [licenseStatusSchema, 'LicenseStatus'],
  [licenseTaskSchema, 'LicenseTask'],
  [licenseBulkResultSchema, 'LicenseBulkResult'],
  [taskSchema, 'Task'],
  [taskDetailSchema, 'TaskDetail'],
  [taskEventSchema, 'TaskEvent'],
  [alertSchema, 'Alert'],
  [alertBulkResultSchema, 'AlertBulkResult'],
  [ledgerEntrySchema, 'LedgerEntry'],
  [chargeSummarySchema, 'ChargeSummary'],
  [ledgerAccountSchema, 'LedgerAccount'],
  [funnelSchema, 'FunnelMetrics'],
  [ctaAbSchema, 'CtaAbMetrics'],
  [hotTemplatesSchema, 'HotTemplatesMetrics'],
  [failuresSchema, 'FailuresMetrics'],
  [creditsMetricsSchema, 'CreditsMetrics'],
  [licenseReviewSchema, 'LicenseReviewMetrics'],
  [healthSchema, 'Health'],
];
