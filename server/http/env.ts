import type { Role } from '../auth/permissions.ts';

/** the signed-in user as every console route sees it (c.var.user) */
export interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  roles: Role[];
  team: string | null;
}

/** Hono's environment for the console's routes: what middleware puts on the context */
export interface AppEnv {
  Variables: {
    user: SessionUser | null;
    requestId: string;
  };
}
