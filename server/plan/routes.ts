import { Hono } from 'hono';
import type { DB } from '../../db/open.ts';
import { listResponse } from '../http/dialect.ts';
import { ApiError } from '../http/errors.ts';
import { loadEnums, loadPlanEvents } from './snapshot.ts';

/** the tracking plan and enums, read-only (small: answered whole, in plan order) */
export function planRoutes(db: DB) {
  return new Hono()
    .get('/tracking-plan', (c) => {
      const rows = loadPlanEvents(db);
      return listResponse(c, 'tracking-plan', rows, 0, rows.length);
    })
    .get('/tracking-plan/:id', (c) => {
      const row = loadPlanEvents(db).find((e) => e.id === c.req.param('id'));
      if (!row) throw new ApiError(404, `no event ${c.req.param('id')} in the tracking plan`);
      return c.json(row);
    })
    .get('/enums', (c) => {
      const rows = loadEnums(db);
      return listResponse(c, 'enums', rows, 0, rows.length);
    })
    .get('/enums/:id', (c) => {
      const row = loadEnums(db).find((e) => e.id === c.req.param('id'));
      if (!row) throw new ApiError(404, `no enum ${c.req.param('id')}`);
      return c.json(row);
    });
}
