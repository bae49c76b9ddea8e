import { z } from 'zod';
import { ruleSchema } from '../plan/schemas.ts';

export const violationSchema = z.object({ field: z.string(), rule: ruleSchema });
export type Violation = z.infer<typeof violationSchema>;

/** GET /api/events, /api/events/:id */
export const storedEventSchema = z.object({
  id: z.number().int(),
  event_id: z.string(),
  event: z.string(),
  day: z.string(),
  occurred_at: z.string(),
  received_at: z.string(),
  source: z.string(),
  planned: z.boolean(),
  valid: z.boolean(),
  violation_count: z.number().int(),
  violations: z.array(violationSchema),
  properties: z.record(z.string(), z.unknown()),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;
