import { z } from 'zod';
import { enumSchema, enumValueSchema } from '../plan/schemas.ts';

export const ENUM_ACTIONS = ['add', 'relabel', 'update_mapping', 'deprecate', 'reactivate'] as const;
export type EnumAction = (typeof ENUM_ACTIONS)[number];

const code = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'letters, digits and _ only, 1–64 characters');
const label = z.string().trim().min(1).max(200);
const rationale = z.string().trim().min(1, 'say why').max(2000);
const enumName = z.string().min(1).max(64);
const description = z.string().trim().max(2000).nullable();
const group = z.enum(['A', 'B', 'C', 'D']);
const mappingValue = z.string().min(1).max(64);
const version = z.number().int().positive().optional();

/** the policy_tag mapping fields (告警字段映射) */
export const MAPPING_FIELDS = [
  'policy_group',
  'default_risk_level',
  'default_action_required',
  'min_escalation_level',
] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];
/** the enum whose active values each mapping field must be one of */
export const MAPPING_ENUM: Record<Exclude<MappingField, 'policy_group'>, string> = {
  default_risk_level: 'risk_level',
  default_action_required: 'action_required',
  min_escalation_level: 'escalation_level',
};

/** `value`: the code of the value the proposal adds or changes (the API names it so) */
const base = { enum: enumName, value: code, rationale };

/** POST /api/enum-proposals and /api/enum-proposals/impact */
export const proposalBodySchema = z.discriminatedUnion('action', [
  z.strictObject({
    ...base,
    action: z.literal('add'),
    label_en: label,
    label_zh: label,
    description: description.optional(),
    policy_group: group.optional(),
    default_risk_level: mappingValue.optional(),
    default_action_required: mappingValue.optional(),
    min_escalation_level: mappingValue.optional(),
  }),
  z
    .strictObject({
      ...base,
      action: z.literal('relabel'),
      label_en: label.optional(),
      label_zh: label.optional(),
      description: description.optional(),
    })
    .refine((b) => b.label_en !== undefined || b.label_zh !== undefined || b.description !== undefined, {
      message: 'change at least one of label_en, label_zh, description',
      path: ['label_en'],
    }),
  z
    .strictObject({
      ...base,
      action: z.literal('update_mapping'),
      policy_group: group.optional(),
      default_risk_level: mappingValue.optional(),
      default_action_required: mappingValue.optional(),
      min_escalation_level: mappingValue.optional(),
    })
    .refine((b) => MAPPING_FIELDS.some((f) => b[f] !== undefined), {
      message: `change at least one of ${MAPPING_FIELDS.join(', ')}`,
      path: ['policy_group'],
    }),
  z.strictObject({ ...base, action: z.literal('deprecate') }),
  z.strictObject({ ...base, action: z.literal('reactivate') }),
]);
export type ProposalBody = z.infer<typeof proposalBodySchema>;

/** what a proposal changes, as stored in its `changes` column (the body less enum, action, value, rationale) */
export const changesSchema = z.object({
  label_en: z.string().optional(),
  label_zh: z.string().optional(),
  description: z.string().nullable().optional(),
  policy_group: z.string().optional(),
  default_risk_level: z.string().optional(),
  default_action_required: z.string().optional(),
  min_escalation_level: z.string().optional(),
});
export type ProposalChanges = z.infer<typeof changesSchema>;

export const approveSchema = z.strictObject({ version });
export const rejectSchema = z.strictObject({
  reason: z.string().trim().min(1, 'say why').max(2000),
  version,
});

export const governanceSchema = z.object({
  owner_team: z.string(),
  propose_roles: z.array(z.string()),
  approve_roles: z.array(z.string()),
});

/** GET /api/enums, /api/enums/:id: the enum with who governs it and its current version */
export const governedEnumSchema = enumSchema.extend({
  governance: governanceSchema,
  version: z.number().int(),
});
export type GovernedEnumRecord = z.infer<typeof governedEnumSchema>;

export const approvalSchema = z.object({
  username: z.string(),
  user_id: z.number().int().nullable(),
  role: z.string(),
  at: z.string(),
});

export const impactSchema = z.object({
  window_from: z.string(),
  events_using: z.number().int(),
  becoming_valid: z.number().int(),
  becoming_invalid: z.number().int(),
  licenses: z.object({ total: z.number().int(), ids: z.array(z.number().int()) }),
  alerts: z.object({ total: z.number().int(), ids: z.array(z.number().int()) }),
});
export type Impact = z.infer<typeof impactSchema>;

/** GET /api/enum-proposals, /api/enum-proposals/:id */
export const proposalSchema = z.object({
  id: z.number().int(),
  enum: z.string(),
  action: z.enum(ENUM_ACTIONS),
  code: z.string(),
  changes: changesSchema,
  rationale: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  version: z.number().int(),
  proposed_by: z.string(),
  proposed_at: z.string(),
  approvals: z.array(approvalSchema),
  approve_roles: z.array(z.string()),
  missing_roles: z.array(z.string()),
  decided_at: z.string().nullable(),
  rejected_by: z.string().nullable(),
  reject_reason: z.string().nullable(),
  applied_version: z.number().int().nullable(),
  impact: impactSchema.optional(),
});
export type ProposalRecord = z.infer<typeof proposalSchema>;

/** GET /api/enums/:id/history */
export const enumVersionSchema = z.object({
  id: z.string(),
  enum: z.string(),
  version: z.number().int(),
  at: z.string(),
  by: z.string(),
  proposal_id: z.number().int().nullable(),
  values: z.array(enumValueSchema),
});
export type EnumVersionRecord = z.infer<typeof enumVersionSchema>;

/** GET /api/enums/:id/usage */
export const enumUsageSchema = z.object({
  enum: z.string(),
  fields: z.array(z.object({ event: z.string(), field: z.string() })),
  values: z.array(z.object({ code: z.string(), last_7d: z.number().int(), last_30d: z.number().int() })),
});
