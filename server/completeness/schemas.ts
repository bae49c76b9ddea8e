import { z } from 'zod';

/** GET /api/completeness: one row per UTC+8 day × event × field */
export const completenessFieldSchema = z.object({
  id: z.string(), // `${day}|${event}|${field}`
  day: z.string(),
  event: z.string(),
  field: z.string(),
  total: z.number().int(),
  missing: z.number().int(),
  wrong_type: z.number().int(),
  out_of_enum: z.number().int(),
  pii: z.number().int(),
  cross_field: z.number().int(),
  /** share of events where the field is present, in % (100 when total is 0) */
  complete_pct: z.number(),
  /** share of events where the field broke no rule, in % */
  valid_pct: z.number(),
});
export type CompletenessFieldRow = z.infer<typeof completenessFieldSchema>;

/** GET /api/completeness-events: one row per UTC+8 day × event */
export const completenessEventSchema = z.object({
  id: z.string(), // `${day}|${event}`
  day: z.string(),
  event: z.string(),
  planned: z.boolean(),
  total: z.number().int(),
  valid: z.number().int(),
  with_violations: z.number().int(),
  duplicates: z.number().int(),
  unplanned: z.number().int(),
  valid_pct: z.number(),
  /** the event's target valid %, null for unplanned events */
  target_pct: z.number().nullable(),
  below_target: z.boolean(),
});
export type CompletenessEventRow = z.infer<typeof completenessEventSchema>;

/** data of one `completeness` message on GET /api/completeness/stream */
export const completenessPushSchema = z.object({
  events: z.array(completenessEventSchema),
  fields: z.array(completenessFieldSchema),
});
export type CompletenessPush = z.infer<typeof completenessPushSchema>;
