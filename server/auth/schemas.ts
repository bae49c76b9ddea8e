import { z } from 'zod';
import { ROLES } from './permissions.ts';

export const roleSchema = z.enum(ROLES);

export const loginSchema = z.object({
  username: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(64, 'must be at most 64 characters'),
  password: z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .max(1024, 'must be at most 1024 characters'),
});

/** GET /api/auth/me */
export const meSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  display_name: z.string(),
  roles: z.array(roleSchema),
  team: z.string().nullable(),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof meSchema>;

/** GET /api/permissions: one row per permission of the matrix */
export const permissionRowSchema = z.object({
  id: z.string(),
  resource: z.string(),
  action: z.string(),
  roles: z.array(roleSchema),
});
export type PermissionRow = z.infer<typeof permissionRowSchema>;
