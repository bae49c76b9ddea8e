import { Hono } from 'hono';
import { idParam } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { listResponse, parseListQuery } from '../http/dialect.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { EVENT_SORTABLE, getEvent, listEvents } from './queries.ts';
import { eventReader } from './reader.ts';

export function eventRoutes({ db, requires }: RouteDeps, plan: PlanCache) {
  const scopeOf = (user: SessionUser) => eventReader(plan, user).scope;
  const present = (user: SessionUser) => eventReader(plan, user).present;

  return new Hono<AppEnv>()
    .get('/events', requires('events:read'), (c) => {
      const user = c.var.user!;
      const q = parseListQuery(c, { sortable: EVENT_SORTABLE, defaultSort: ['id', 'DESC'] });
      const { rows, total } = listEvents(db, q, scopeOf(user));
      return listResponse(c, 'events', rows.map(present(user)), q.offset, total);
    })
    .get('/events/:id', requires('events:read'), (c) => {
      const user = c.var.user!;
      const id = idParam(c);
      const event = getEvent(db, id, scopeOf(user));
      if (!event) throw new ApiError(404, `no event ${id}`);
      return c.json(present(user)(event));
    });
}
