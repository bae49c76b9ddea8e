import { z } from 'zod';

export const LICENSE_STATUSES = ['pending', 'approved', 'rejected', 'revoked'] as const;
export const licenseStatusSchema = z.enum(LICENSE_STATUSES);
export type LicenseStatus = z.infer<typeof licenseStatusSchema>;

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' });
const code = (what: string) =>
  z
    .string({ error: `is required (${what})` })
    .trim()
    .min(1, `is required (${what})`);
const note = z.string().trim().max(2000, 'must be at most 2000 characters');
/** the version the reviewer read; or send it as If-Match */
const version = z.number({ error: 'must be the version you read' }).int().positive().optional();

/** POST /api/licenses/:id/approve */
export const approveSchema = z.object({
  effective_at: isoDateTime,
  expiry_type: code('an expiry_type'),
  max_runs: z
    .number({ error: 'must be a whole number' })
    .int()
    .positive('must be at least 1')
    .nullable()
    .optional(),
  expires_at: isoDateTime.nullable().optional(),
  note: note.optional(),
  version,
});
export type ApproveInput = z.infer<typeof approveSchema>;

/** POST /api/licenses/:id/reject */
export const rejectSchema = z.object({
  reason_code: code('a reason_code'),
  policy_tag: code('a policy_tag'),
  action_required: code('an action_required'),
  note: note.optional(),
  version,
});
export type RejectInput = z.infer<typeof rejectSchema>;

/** POST /api/licenses/:id/revoke: a revocation always says why in words too */
export const revokeSchema = rejectSchema.extend({
  note: note.min(1, 'is required: say why the licence is revoked'),
});
export type RevokeInput = z.infer<typeof revokeSchema>;

/** POST /api/licenses/bulk: one decision for a selection, each application decided (or not) on its own */
export const bulkSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('approve'),
    items: z
      .array(z.object({ id: z.number().int().positive(), version: z.number().int().positive() }))
      .min(1)
      .max(200),
    decision: approveSchema.omit({ version: true }),
  }),
  z.object({
    action: z.literal('reject'),
    items: z
      .array(z.object({ id: z.number().int().positive(), version: z.number().int().positive() }))
      .min(1)
      .max(200),
    decision: rejectSchema.omit({ version: true }),
  }),
]);

export const bulkResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.number().int(),
      ok: z.boolean(),
      status: z.number().int(), // the HTTP status a single decision would have answered
      message: z.string().optional(),
      license: z.lazy(() => licenseSchema).optional(),
    }),
  ),
});

/** GET /api/licenses, /api/licenses/:id, and the answer to each decision */
export const licenseSchema = z.object({
  id: z.number().int(),
  license_id: z.string(),
  status: licenseStatusSchema,
  version: z.number().int(),
  template_id: z.string().nullable(),
  account_id: z.string().nullable(),
  is_fast_track: z.boolean(),
  persona_tag: z.string().nullable(),
  policy_tag: z.string().nullable(),
  applied_at: z.string(),
  day: z.string(),
  source_event_id: z.string(),
  source_event_pk: z.number().int(),
  previous_id: z.number().int().nullable(),
  /** pending only: hours since applied, and whether the SLA target for its track is breached */
  age_hours: z.number(),
  sla_hours: z.number(),
  sla_breached: z.boolean(),
  decided_at: z.string().nullable(),
  decided_by: z.string().nullable(),
  effective_at: z.string().nullable(),
  expiry_type: z.string().nullable(),
  max_runs: z.number().int().nullable(),
  expires_at: z.string().nullable(),
  reason_code: z.string().nullable(),
  decision_policy_tag: z.string().nullable(),
  action_required: z.string().nullable(),
  note: z.string().nullable(),
  revoked_at: z.string().nullable(),
  revoked_by: z.string().nullable(),
});
export type LicenseRecord = z.infer<typeof licenseSchema>;

/** GET /api/licenses/:id/tasks: the licence's tasks (the account's task_start on the template), newest first */
export const licenseTaskSchema = z.object({
  id: z.string(), // task_id
  task_id: z.string(),
  started_at: z.string(),
  queue_type: z.string().nullable(),
  estimated_credits: z.number().nullable(),
  outcome: z.enum(['running', 'completed', 'failed']),
  finished_at: z.string().nullable(),
  credits_spent: z.number().nullable(),
  failure_code: z.string().nullable(),
  alerts: z.array(
    z.object({
      alert_id: z.string().nullable(),
      occurred_at: z.string(),
      risk_level: z.string().nullable(),
      policy_tag: z.string().nullable(),
      action_required: z.string().nullable(),
      escalation_level: z.string().nullable(),
    }),
  ),
});
export type LicenseTask = z.infer<typeof licenseTaskSchema>;

/** the query of GET /api/licenses/check (service token): which account, which template */
export const licenseCheckQuerySchema = z.object({
  account_id: z.string({ error: 'is required' }).min(1, 'is required'),
  template_id: z.string({ error: 'is required' }).min(1, 'is required'),
});

/** GET /api/licenses/check (service token) */
export const licenseCheckSchema = z.object({
  licensed: z.boolean(),
  license_id: z.string().nullable(),
  status: licenseStatusSchema.nullable(),
  expiry_type: z.string().nullable(),
  effective_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  runs_used: z.number().int(),
  runs_left: z.number().int().nullable(),
  policy_tag: z.string().nullable(),
});
export type LicenseCheck = z.infer<typeof licenseCheckSchema>;
