import { maskDeep } from '../auth/masking.ts';
import { can, isTeamScoped } from '../auth/permissions.ts';
import type { SessionUser } from '../http/env.ts';
import type { PlanCache } from '../plan/snapshot.ts';
import type { EventScope } from './queries.ts';
import type { StoredEvent } from './schemas.ts';

/**
 * What a user reads of the stored events, wherever they leave the server (the list, one event, the day's
 * export): an engineer only their team's (the events the plan gives the team, or sent with its write key),
 * and sensitive properties masked for roles that may not read them.
 */
export function eventReader(plan: PlanCache, user: SessionUser) {
  let scope: EventScope | undefined;
  if (isTeamScoped(user.roles)) {
    const team = user.team ?? '';
    const owned = [...plan.current().events.values()]
      .filter((e) => e.owners.includes(team))
      .map((e) => e.name);
    scope = { events: owned, source: team };
  }
  const masked = !can(user.roles, 'sensitive:read');
  const names = plan.sensitiveNames();
  const present = masked
    ? (e: StoredEvent): StoredEvent => ({
        ...e,
        properties: maskDeep(e.properties, names) as StoredEvent['properties'],
      })
    : (e: StoredEvent) => e;
  return { scope, masked, present };
}
