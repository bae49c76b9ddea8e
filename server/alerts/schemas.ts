import { z } from 'zod';

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const ALERT_ACTIONS = ['acknowledge', 'escalate', 'resolve'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** GET /api/alerts, /api/alerts/:id and the answer to each step */
export const alertSchema = z.object({
  id: z.number().int(),
  alert_id: z.string(),
  task_id: z.string().nullable(),
  risk_level: z.string().nullable(),
  policy_tag: z.string().nullable(),
  action_required: z.string().nullable(),
  /** now */
  escalation_level: z.string().nullable(),
  /** as the risk_alert event sent it */
  arrived_escalation: z.string().nullable(),
  /** raised on arrival to its policy tag's minimum (D3 → compliance_committee) */
  auto_escalated: z.boolean(),
  /** violations of the risk_alert event it came from */
  event_violations: z.number().int(),
  source_event_pk: z.number().int(),
  raised_at: z.string(),
  day: z.string(),
  age_hours: z.number(),
  state: z.enum(ALERT_STATES),
  version: z.number().int(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
  resolved_by: z.string().nullable(),
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
  last_note: z.string().nullable(),
  /** from the task, when its task_start arrived */
  account_id: z.string().nullable(),
  template_id: z.string().nullable(),
  /** the licence the task ran under: the account's approved licence for the template, else its latest application */
  license_pk: z.number().int().nullable(),
});
export type AlertRecord = z.infer<typeof alertSchema>;

const note = z
  .string({ error: 'is required: every step needs a note' })
  .trim()
  .min(1, 'is required: every step needs a note')
  .max(2000, 'must be at most 2000 characters');

/** POST /api/alerts/:id/acknowledge | escalate | resolve, with the version read (or If-Match) */
export const alertStepSchema = z.object({
  note,
  version: z.number({ error: 'must be the version you read' }).int().positive().optional(),
});
export type AlertStepInput = z.infer<typeof alertStepSchema>;

/** POST /api/alerts/bulk: one step for a selection, each alert stepped (or refused, with why) on its own */
export const alertBulkSchema = z.object({
  action: z.enum(['acknowledge', 'resolve']),
  note,
  items: z
    .array(z.object({ id: z.number().int().positive(), version: z.number().int().positive() }))
    .min(1, 'select at least one alert')
    .max(200, 'at most 200 alerts at once'),
});

export const alertBulkResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.number().int(),
      ok: z.boolean(),
      status: z.number().int(),
      message: z.string().optional(),
      alert: alertSchema.optional(),
    }),
  ),
});
