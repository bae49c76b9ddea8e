import { z } from 'zod';

export const LEDGER_KINDS = [
  'task_charge',
  'tail_deduction',
  'manual_rollback',
  'manual_adjustment',
] as const;
export const LEDGER_STATUSES = ['posted', 'pending_approval', 'rejected'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/** one ledger entry: amounts are negative for charges, positive for refunds */
export const ledgerEntrySchema = z.object({
  id: z.string(), // the ledger_id
  seq: z.number().int(),
  account_id: z.string().nullable(),
  task_id: z.string(),
  amount: z.number(),
  kind: z.enum(LEDGER_KINDS),
  policy_tag: z.string().nullable(),
  reason: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  status: z.enum(LEDGER_STATUSES),
  reverses: z.string().nullable(),
  source_event_pk: z.number().int().nullable(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  decision_note: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** what a task was charged and refunded, from its entries (posted ones; pending refunds reserved apart) */
export const chargeSummarySchema = z.object({
  /** credits charged (task charge and tail deductions), as a positive number */
  charged: z.number(),
  /** credits refunded by posted entries, as a positive number */
  refunded: z.number(),
  /** charged − refunded: what the task costs now */
  net_charge: z.number(),
  /** refunds awaiting a second person's approval: reserved, not yet posted */
  pending_refunds: z.number(),
  /** the most a new refund may be: net_charge − pending_refunds, never below 0 */
  refundable: z.number(),
});
export type ChargeSummary = z.infer<typeof chargeSummarySchema>;

const reason = z
  .string({ error: 'is required: say why' })
  .trim()
  .min(1, 'is required: say why')
  .max(2000, 'must be at most 2000 characters');
const taskId = z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'is too long');
const policyTag = z
  .string({ error: 'is required (a policy_tag)' })
  .trim()
  .min(1, 'is required (a policy_tag)');
const credits = z
  .number({ error: 'must be a number of credits' })
  .finite('must be a finite number')
  .refine((n) => Math.abs(n) <= 1e9, 'must be at most 1,000,000,000 credits')
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'must have at most two decimals')
  // stored as the cents it was meant as (0.1 + 0.2 arrives as 0.30000000000000004)
  .transform((n) => Math.round(n * 100) / 100);

/** POST /api/ledger/rollbacks (with an Idempotency-Key header): give back part or all of a task's charge */
export const rollbackSchema = z.strictObject({
  task_id: taskId,
  amount: credits.refine((n) => n > 0, 'must be a positive number of credits to refund'),
  policy_tag: policyTag,
  reason,
  /** the entry this corrects (the task's charge when left out) */
  reverses: z.string().trim().min(1).max(200).optional(),
});
export type RollbackInput = z.infer<typeof rollbackSchema>;

/** POST /api/ledger/adjustments (with an Idempotency-Key header): a signed correction (negative charges more) */
export const adjustmentSchema = z.strictObject({
  task_id: taskId,
  amount: credits.refine((n) => n !== 0, 'must not be zero'),
  policy_tag: policyTag,
  reason,
  reverses: z.string().trim().min(1).max(200).optional(),
});
export type AdjustmentInput = z.infer<typeof adjustmentSchema>;

/** POST /api/ledger/:id/approve */
export const approveEntrySchema = z.strictObject({
  note: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});
/** POST /api/ledger/:id/reject */
export const rejectEntrySchema = z.strictObject({ reason });

/** GET /api/ledger-accounts: per account, derived from posted entries */
export const ledgerAccountSchema = z.object({
  id: z.string(), // account_id
  account_id: z.string(),
  /** sum of posted amounts: negative is what the account was charged net */
  balance: z.number(),
  charged: z.number(),
  refunded: z.number(),
  pending_refunds: z.number(),
  entries: z.number().int(),
  tasks: z.number().int(),
  last_entry_at: z.string().nullable(),
});
export type LedgerAccount = z.infer<typeof ledgerAccountSchema>;

/** POST /api/credits/estimate (service token) */
export const estimateRequestSchema = z.object({
  template_id: z.string().trim().min(1).max(200).optional(),
  queue_type: z.string({ error: 'is required (a queue_type)' }).trim().min(1, 'is required (a queue_type)'),
  output_count: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1)
    .max(1000)
    .optional(),
  persona_tag: z.string().trim().min(1).optional(),
  /** when given, the answer carries precheck_balance */
  account_id: z.string().trim().min(1).max(200).optional(),
});
export type EstimateRequest = z.infer<typeof estimateRequestSchema>;

export const estimateSchema = z.object({
  /** [p10, p90] of the comparable tasks' actual credits_spent, or the rate table's range */
  expected_credits_range: z.tuple([z.number(), z.number()]),
  basis: z.enum(['recent_tasks', 'rate_table']),
  /** comparable succeeded tasks found in the window (the range uses them when there are enough) */
  sample_size: z.number().int(),
  min_samples: z.number().int(),
  window_days: z.number(),
  /** the account's ledger as the console sees it (it knows charges and refunds, not top-ups) */
  precheck_balance: z
    .object({
      account_id: z.string(),
      /** sum of the account's posted entries (negative: charged net) */
      ledger_balance: z.number(),
      pending_refunds: z.number(),
      /** ledger_balance minus the range's upper end: what the account would stand at after this task */
      after_estimate: z.number(),
    })
    .nullable(),
});
export type Estimate = z.infer<typeof estimateSchema>;
