import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RouteDeps } from '../http/deps.ts';
import { listResponse, parseListQuery } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import type { CompletenessHub } from './hub.ts';
import {
  EVENT_SORTABLE,
  FIELD_SORTABLE,
  getCompletenessEvent,
  getCompletenessField,
  listCompletenessEvents,
  listCompletenessFields,
} from './queries.ts';

const KEEP_ALIVE_MS = 15_000;
/** counters are small rows; a dashboard reads a month of day × event × field in one page */
const MAX_COUNTER_PAGE = 10_000;

export function completenessRoutes({ db, requires }: RouteDeps, hub: CompletenessHub) {
  const read = requires('completeness:read');
  return new Hono<AppEnv>()
    .get('/completeness', read, (c) => {
      const q = parseListQuery(c, {
        sortable: FIELD_SORTABLE,
        defaultSort: ['day', 'DESC'],
        maxPage: MAX_COUNTER_PAGE,
      });
      const { rows, total } = listCompletenessFields(db, q);
      return listResponse(c, 'completeness', rows, q.offset, total);
    })
    .get('/completeness/stream', read, (c) =>
      streamSSE(c, async (stream) => {
        let id = 0;
        const closed = new Promise<void>((resolve) => {
          const unsubscribe = hub.subscribe({
            push: (message) => {
              void stream.writeSSE({
                event: 'completeness',
                id: String(++id),
                data: JSON.stringify(message),
              });
            },
            close: () => resolve(),
          });
          stream.onAbort(() => {
            unsubscribe();
            resolve();
          });
        });
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
        const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
        await closed;
        clearInterval(keepAlive);
      }),
    )
    .get('/completeness/:id', read, (c) => {
      const row = getCompletenessField(db, c.req.param('id'));
      if (!row) throw new ApiError(404, `no completeness row ${c.req.param('id')}`);
      return c.json(row);
    })
    .get('/completeness-events', read, (c) => {
      const q = parseListQuery(c, {
        sortable: EVENT_SORTABLE,
        defaultSort: ['day', 'DESC'],
        maxPage: MAX_COUNTER_PAGE,
      });
      const { rows, total } = listCompletenessEvents(db, q);
      return listResponse(c, 'completeness-events', rows, q.offset, total);
    })
    .get('/completeness-events/:id', read, (c) => {
      const row = getCompletenessEvent(db, c.req.param('id'));
      if (!row) throw new ApiError(404, `no completeness row ${c.req.param('id')}`);
      return c.json(row);
    });
}
