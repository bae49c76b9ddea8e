import { z } from 'zod';
import { SOURCE_TEAMS } from '../../db/plan.ts';

const label = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters');

export const writeKeyCreateSchema = z.object({
  source: z.enum(SOURCE_TEAMS, { error: `must be one of ${SOURCE_TEAMS.join(', ')}` }),
  label,
});
export const writeKeyUpdateSchema = z.object({ label });

export const writeKeySchema = z.object({
  id: z.number().int(),
  source: z.string(),
  label: z.string(),
  key_prefix: z.string(),
  created_at: z.string(),
  created_by: z.string().nullable(),
  revoked_at: z.string().nullable(),
  revoked_by: z.string().nullable(),
  replaced_by: z.number().int().nullable(),
  status: z.enum(['active', 'revoked']),
});
export type WriteKeyRecord = z.infer<typeof writeKeySchema>;

/** the answer to creating or rotating a key: the only time the key itself is shown */
export const newWriteKeySchema = writeKeySchema.extend({ key: z.string() });
