import { z } from 'zod';
import { SOURCE_TEAMS } from '../../db/plan.ts';
import { roleSchema } from '../auth/schemas.ts';

/** OWASP: at least 8; a console that moves money asks for 12 */
export const MIN_PASSWORD_LENGTH = 12;

const password = z
  .string({ error: 'must be a string' })
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'must be at most 1024 characters');
const displayName = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters');
const roles = z.array(roleSchema, { error: 'must be a list of roles' }).min(1, 'needs at least one role');
const team = z.enum(SOURCE_TEAMS, { error: `must be one of ${SOURCE_TEAMS.join(', ')}` }).nullable();

export const userCreateSchema = z.object({
  username: z
    .string({ error: 'is required' })
    .regex(
      /^[a-z0-9][a-z0-9._-]{1,63}$/,
      'must be 2–64 lowercase letters, digits, dots, dashes or underscores',
    ),
  display_name: displayName,
  roles,
  team: team.optional().default(null),
  password,
});

/** PUT /api/users/:id: the record as the SPA edits it, with the version it was read at */
export const userUpdateSchema = z.object({
  display_name: displayName.optional(),
  roles: roles.optional(),
  team: team.optional(),
  disabled: z.boolean({ error: 'must be true or false' }).optional(),
  password: password.optional(),
  version: z.number({ error: 'is required (the version you read)' }).int(),
});

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  display_name: z.string(),
  roles: z.array(roleSchema),
  team: z.string().nullable(),
  disabled: z.boolean(),
  disabled_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
});
export type UserRecord = z.infer<typeof userSchema>;
