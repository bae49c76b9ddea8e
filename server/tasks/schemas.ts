import { z } from 'zod';
import { alertSchema } from '../alerts/schemas.ts';
import { violationSchema } from '../events/schemas.ts';
import { chargeSummarySchema, ledgerEntrySchema } from '../ledger/schemas.ts';

/** queued: started, no outcome yet; stale: queued longer than the configured time with no outcome */
export const TASK_STATUSES = ['queued', 'succeeded', 'failed', 'stale'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** GET /api/tasks: a task assembled from its task_start / task_completed / task_failed, whatever their order */
export const taskSchema = z.object({
  id: z.string(), // task_id
  task_id: z.string(),
  status: z.enum(TASK_STATUSES),
  template_id: z.string().nullable(),
  account_id: z.string().nullable(),
  queue_type: z.string().nullable(),
  estimated_credits: z.number().nullable(),
  credits_spent: z.number().nullable(),
  duration_ms: z.number().int().nullable(),
  output_count: z.number().int().nullable(),
  failure_code: z.string().nullable(),
  sub_status: z.string().nullable(),
  policy_tag: z.string().nullable(),
  action_required: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  first_seen_at: z.string(),
  /** whether task_start arrived (an outcome can arrive first) */
  has_start: z.boolean(),
  /** what the task costs now, from posted ledger entries */
  net_charge: z.number(),
  open_alerts: z.number().int(),
});
export type TaskRecord = z.infer<typeof taskSchema>;

/** one stored event of the task, as its page lists them */
export const taskEventSchema = z.object({
  id: z.number().int(),
  event_id: z.string(),
  event: z.string(),
  occurred_at: z.string(),
  source: z.string(),
  properties: z.record(z.string(), z.unknown()),
  violations: z.array(violationSchema),
});

/** GET /api/tasks/:id: the task with its events, its risk alerts, its ledger entries and its charge */
export const taskDetailSchema = taskSchema.extend({
  events: z.array(taskEventSchema),
  alerts: z.array(alertSchema),
  ledger: z.array(ledgerEntrySchema),
  charge: chargeSummarySchema,
  /** the licence this task ran under: the account's approved licence for the template, else its latest application */
  license_pk: z.number().int().nullable(),
  /** above this amount a manual entry waits for a second person's approval */
  approval_limit: z.number(),
});
export type TaskDetail = z.infer<typeof taskDetailSchema>;
