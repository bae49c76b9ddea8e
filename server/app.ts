import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { DB } from '../db/open.ts';
import { CompletenessHub } from './completeness/hub.ts';
import { readChanged } from './completeness/queries.ts';
import { completenessRoutes } from './completeness/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { ApiError, onError } from './http/errors.ts';
import { makePseudonymizer } from './ingest/pseudonymize.ts';
import { ingestRoutes } from './ingest/routes.ts';
import { createEventStore } from './ingest/store.ts';
import { planRoutes } from './plan/routes.ts';
import { PlanCache } from './plan/snapshot.ts';

export interface AppDeps {
  db: DB;
  piiKey: string;
  clock?: () => Date;
  /** the built SPA (dist/web); omitted in API-only tests */
  webRoot?: string;
  /** minimum gap between live completeness pushes */
  streamIntervalMs?: number;
}

/** Builds the whole console from its parts; tests call it on a temp database and use app.request(). */
export function createApp(deps: AppDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const plan = new PlanCache(db);
  const hub = new CompletenessHub((keys) => readChanged(db, keys), deps.streamIntervalMs ?? 1000);
  const store = createEventStore(db, plan, makePseudonymizer(deps.piiKey), clock, (keys) =>
    hub.changed(keys),
  );

  const api = new Hono()
    .route('/', completenessRoutes(db, hub))
    .route('/', eventRoutes(db))
    .route('/', planRoutes(db));

  const app = new Hono()
    .use(requestId())
    .use(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      }),
    )
    .get('/healthz', (c) => {
      db.prepare('SELECT 1').get();
      return c.json({ status: 'ok' });
    })
    .route('/', ingestRoutes(db, store))
    .route('/api', api);

  app.all('/api/*', () => {
    throw new ApiError(404, 'no such API route');
  });
  if (deps.webRoot) {
    const root = deps.webRoot;
    const index = readFileSync(join(root, 'index.html'), 'utf8');
    app.use('/*', serveStatic({ root }));
    app.get('*', (c) => c.html(index));
  }
  app.onError(onError);
  app.notFound((c) => c.json({ message: 'not found' }, 404));

  return { app, hub, store, plan };
}

export type ConsoleApp = ReturnType<typeof createApp>;
