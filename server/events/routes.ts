import { Hono } from 'hono';
import { maskDeep } from '../auth/masking.ts';
import { can, isTeamScoped } from '../auth/permissions.ts';
import { idParam } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { listResponse, parseListQuery } from '../http/dialect.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import { EVENT_SORTABLE, type EventScope, getEvent, listEvents } from './queries.ts';
import type { StoredEvent } from './schemas.ts';

export function eventRoutes({ db, requires }: RouteDeps, plan: PlanCache) {
  /** engineers read their own team's events: those the plan gives the team, or sent with its write key */
  const scopeOf = (user: SessionUser): EventScope | undefined => {
    if (!isTeamScoped(user.roles)) return undefined;
    const team = user.team ?? '';
    const owned = [...plan.current().events.values()]
      .filter((e) => e.owners.includes(team))
      .map((e) => e.name);
    return { events: owned, source: team };
  };
  /** sensitive properties masked for roles that may not read them */
  const present = (user: SessionUser) => {
    if (can(user.roles, 'sensitive:read')) return (e: StoredEvent) => e;
    const names = plan.sensitiveNames();
    return (e: StoredEvent): StoredEvent => ({
      ...e,
      properties: maskDeep(e.properties, names) as StoredEvent['properties'],
    });
  };

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
