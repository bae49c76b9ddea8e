import { Hono } from 'hono';
import type { DB } from '../../db/open.ts';
import { listResponse, parseListQuery } from '../http/dialect.ts';
import { ApiError } from '../http/errors.ts';
import { EVENT_SORTABLE, getEvent, listEvents } from './queries.ts';

export function eventRoutes(db: DB) {
  return new Hono()
    .get('/events', (c) => {
      const q = parseListQuery(c, { sortable: EVENT_SORTABLE, defaultSort: ['id', 'DESC'] });
      const { rows, total } = listEvents(db, q);
      return listResponse(c, 'events', rows, q.offset, total);
    })
    .get('/events/:id', (c) => {
      const id = Number(c.req.param('id'));
      if (!Number.isSafeInteger(id) || id < 1)
        throw new ApiError(400, 'id must be a positive integer', { id: 'must be a positive integer' });
      const event = getEvent(db, id);
      if (!event) throw new ApiError(404, `no event ${id}`);
      return c.json(event);
    });
}
