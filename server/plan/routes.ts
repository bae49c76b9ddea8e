import { Hono } from 'hono';
import type { RouteDeps } from '../http/deps.ts';
import { listResponse, parseListQuery } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { loadPlanEvents } from './snapshot.ts';

/**
 * The tracking plan, read-only (the enums' routes are in server/enums/routes.ts). Plan events and enums are a
 * dozen records each, read whole and filtered in memory: `id` (one or an array, as react-admin's getMany sends)
 * and `q` (a substring of the name).
 */
export function filterInMemory<T extends { id: string; name: string }>(
  rows: T[],
  filter: Record<string, unknown>,
  sort: { field: string; order: 'ASC' | 'DESC' },
): T[] {
  for (const key of Object.keys(filter)) {
    if (key !== 'id' && key !== 'q') {
      throw new ApiError(400, `cannot filter by ${key}`, {
        [`filter.${key}`]: 'unknown filter; known: id, q',
      });
    }
  }
  const ids =
    filter.id === undefined
      ? undefined
      : new Set((Array.isArray(filter.id) ? filter.id : [filter.id]).map(String));
  const q = typeof filter.q === 'string' ? filter.q.toLowerCase() : '';
  const out = rows.filter((r) => (!ids || ids.has(r.id)) && (!q || r.name.toLowerCase().includes(q)));
  const key = sort.field as keyof T;
  const dir = sort.order === 'ASC' ? 1 : -1;
  return out.sort((a, b) => (a[key] < b[key] ? -dir : a[key] > b[key] ? dir : 0));
}

export function planRoutes({ db, requires }: RouteDeps) {
  const readPlan = requires('tracking-plan:read');
  return new Hono<AppEnv>()
    .get('/tracking-plan', readPlan, (c) => {
      const q = parseListQuery(c, { sortable: ['position', 'name', 'id'], defaultSort: ['position', 'ASC'] });
      const rows = filterInMemory(loadPlanEvents(db), q.filter, q.sort);
      return listResponse(
        c,
        'tracking-plan',
        rows.slice(q.offset, q.offset + q.limit),
        q.offset,
        rows.length,
      );
    })
    .get('/tracking-plan/:id', readPlan, (c) => {
      const row = loadPlanEvents(db).find((e) => e.id === c.req.param('id'));
      if (!row) throw new ApiError(404, `no event ${c.req.param('id')} in the tracking plan`);
      return c.json(row);
    });
}
