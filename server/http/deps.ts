import type { DB } from '../../db/open.ts';
import type { Requires } from '../auth/middleware.ts';

/** what every console route factory is given */
export interface RouteDeps {
  db: DB;
  clock: () => Date;
  /** the middleware a route puts first: the permission it needs (401 without a session, 403 without it) */
  requires: Requires;
}
