import { z } from 'zod';

/** GET /api/audit, /api/audit/:id */
export const auditRecordSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor_id: z.number().int().nullable(),
  actor: z.string(),
  action: z.string(),
  resource: z.string(),
  resource_id: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  request_id: z.string().nullable(),
  outcome: z.enum(['success', 'failure', 'denied']),
  ip: z.string().nullable(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** GET /api/audit/verify */
export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  head: z.object({ id: z.number().int(), hash: z.string() }).optional(),
  broken: z.object({ id: z.number().int(), reason: z.string() }).optional(),
});
