import { z } from 'zod';

export const ruleSchema = z.enum([
  'missing',
  'wrong_type',
  'out_of_enum',
  'pii',
  'escalation_below_policy',
  'unplanned',
]);
export type Rule = z.infer<typeof ruleSchema>;

export const planFieldSchema = z.object({
  name: z.string(),
  position: z.number().int(),
  type: z.string(),
  enum: z.string().nullable(),
  required: z.boolean(),
  nullable_unless: z.object({ field: z.string(), equals: z.string() }).nullable(),
  sensitive: z.boolean(),
  description: z.string(),
});
export type PlanFieldRecord = z.infer<typeof planFieldSchema>;

/** GET /api/tracking-plan, /api/tracking-plan/:id */
export const planEventSchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  scene_en: z.string(),
  scene_zh: z.string(),
  trigger_en: z.string(),
  trigger_zh: z.string(),
  owners: z.array(z.string()),
  target_valid_pct: z.number(),
  fields: z.array(planFieldSchema),
});
export type PlanEventRecord = z.infer<typeof planEventSchema>;

export const enumValueSchema = z.object({
  code: z.string(),
  label_en: z.string(),
  label_zh: z.string(),
  description: z.string().nullable(),
  status: z.enum(['active', 'deprecated']),
  valid_from: z.string(),
  deprecated_at: z.string().nullable(),
  sort_order: z.number().int(),
  policy_group: z.string().nullable(),
  default_risk_level: z.string().nullable(),
  default_action_required: z.string().nullable(),
  min_escalation_level: z.string().nullable(),
});
export type EnumValueRecord = z.infer<typeof enumValueSchema>;

/** GET /api/enums, /api/enums/:id */
export const enumSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  description_en: z.string(),
  description_zh: z.string(),
  console_defined: z.boolean(),
  values: z.array(enumValueSchema),
});
export type EnumRecord = z.infer<typeof enumSchema>;
