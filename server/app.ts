import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { DB } from '../db/open.ts';
import { openAlerts } from './alerts/projection.ts';
import { alertRoutes } from './alerts/routes.ts';
import { createAlertSteps } from './alerts/steps.ts';
import { auditRoutes } from './audit/routes.ts';
import { createGuard, loadSession, sameOriginJson } from './auth/middleware.ts';
import { OWASP_SCRYPT, type ScryptCost } from './auth/passwords.ts';
import { authRoutes } from './auth/routes.ts';
import { createSessionStore, type SessionPolicy } from './auth/sessions.ts';
import { CompletenessHub } from './completeness/hub.ts';
import { readChanged } from './completeness/queries.ts';
import { completenessRoutes } from './completeness/routes.ts';
import { createEnumGovernance } from './enums/proposals.ts';
import { enumRoutes } from './enums/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { exportRoutes } from './exports/routes.ts';
import { jsonBodyLimit } from './http/body.ts';
import type { RouteDeps } from './http/deps.ts';
import type { AppEnv } from './http/env.ts';
import { ApiError, onError } from './http/errors.ts';
import { makePseudonymizer, makeReviewerPseudonym } from './ingest/pseudonymize.ts';
import { ingestRoutes } from './ingest/routes.ts';
import type { StoredListener } from './ingest/store.ts';
import { createEventStore } from './ingest/store.ts';
import { createLedger, DEFAULT_LEDGER_POLICY, type LedgerPolicy } from './ledger/entries.ts';
import { DEFAULT_ESTIMATE_POLICY, type EstimatePolicy, estimateRoutes } from './ledger/estimate.ts';
import { keepLedger } from './ledger/projection.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import { createDecider } from './licenses/decide.ts';
import { licenseCheckRoutes, licenseRoutes } from './licenses/routes.ts';
import { DEFAULT_SLA, openApplications, type SlaPolicy } from './licenses/store.ts';
import { backfillMetrics, keepMetrics } from './metrics/projection.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { openapiRoutes } from './openapi/routes.ts';
import { planRoutes } from './plan/routes.ts';
import { PlanCache } from './plan/snapshot.ts';
import { trackTasks } from './tasks/projection.ts';
import { DEFAULT_TASK_POLICY, type TaskPolicy, taskRoutes } from './tasks/routes.ts';
import { userRoutes } from './users/routes.ts';
import { credentialRoutes } from './write-keys/routes.ts';

export interface AppDeps {
  db: DB;
  piiKey: string;
  clock?: () => Date;
  /** the built SPA (dist/web); omitted in API-only tests */
  webRoot?: string;
  /** minimum gap between live completeness pushes */
  streamIntervalMs?: number;
  /** scrypt cost of new password hashes (OWASP's by default; tests lower it) */
  passwordCost?: ScryptCost;
  /** session inactivity and absolute limits (30 minutes, 12 hours by default) */
  sessions?: SessionPolicy;
  /** Secure, __Host- prefixed session cookie (HTTPS / production) */
  secureCookies?: boolean;
  /** the console's public origin (e.g. https://console.example.com), when a proxy changes the Host header */
  publicOrigin?: string;
  /** SLA targets of pending licence applications (4 h fast track, 24 h standard by default) */
  sla?: SlaPolicy;
  /** when a task with no outcome is stale (60 minutes by default) */
  tasks?: TaskPolicy;
  /** the four-eyes limit of manual ledger entries (1000 credits by default) */
  ledger?: LedgerPolicy;
  /** the credit estimate's samples and rate table */
  estimate?: EstimatePolicy;
}

/** several projections kept from the event stream, each run for every stored event */
const projections =
  (listeners: StoredListener[]): StoredListener =>
  (e) => {
    for (const l of listeners) l(e);
  };

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, maxMs: 12 * 3600_000 };

/** Builds the whole console from its parts; tests call it on a temp database and use app.request(). */
export function createApp(deps: AppDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const plan = new PlanCache(db);
  const hub = new CompletenessHub((keys) => readChanged(db, keys), deps.streamIntervalMs ?? 1000);
  const metrics = keepMetrics(db);
  const store = createEventStore(
    db,
    plan,
    makePseudonymizer(deps.piiKey),
    clock,
    (keys) => hub.changed(keys),
    // order matters: the ledger reads the task's account from the task projection
    projections([
      openApplications(db),
      trackTasks(db),
      openAlerts(db, plan, clock),
      keepLedger(db),
      metrics.onStored,
    ]),
    metrics.batch,
  );
  // events stored before the metrics counters existed (migration 007) are counted once, before serving
  backfillMetrics(db, metrics);
  const sla = deps.sla ?? DEFAULT_SLA;
  const decide = createDecider({
    db,
    clock,
    plan,
    store,
    sla,
    reviewerId: makeReviewerPseudonym(deps.piiKey),
  });

  const ledgerPolicy = deps.ledger ?? DEFAULT_LEDGER_POLICY;
  const ledger = createLedger({ db, clock, plan, store, policy: ledgerPolicy });
  const stepAlert = createAlertSteps(db, clock);
  const governance = createEnumGovernance({ db, clock });

  const sessions = createSessionStore(db, deps.sessions ?? DEFAULT_SESSION_POLICY);
  const cookies = { secure: deps.secureCookies ?? false };
  const passwordCost = deps.passwordCost ?? OWASP_SCRYPT;
  const routeDeps: RouteDeps = { db, clock, requires: createGuard(db, clock) };
  const sensitiveNames = () => plan.sensitiveNames();

  // every console route checks the session and its permission; ingestion (write keys) is mounted apart
  const api = new Hono<AppEnv>()
    .use(jsonBodyLimit)
    .use(loadSession(sessions, cookies, clock))
    .use(sameOriginJson(deps.publicOrigin, cookies))
    .route('/', openapiRoutes())
    .route('/', authRoutes({ ...routeDeps, sessions, cookies, passwordCost }))
    .route('/', completenessRoutes(routeDeps, hub))
    .route('/', eventRoutes(routeDeps, plan))
    .route('/', exportRoutes(routeDeps, plan))
    .route('/', planRoutes(routeDeps))
    .route('/', enumRoutes({ ...routeDeps, plan, governance }))
    .route('/', userRoutes({ ...routeDeps, sessions, passwordCost }))
    .route('/', credentialRoutes(routeDeps, 'write_key'))
    .route('/', credentialRoutes(routeDeps, 'service_token'))
    .route('/', auditRoutes({ ...routeDeps, sensitiveNames }))
    .route('/', licenseRoutes({ ...routeDeps, plan, decide, sla }))
    .route(
      '/',
      taskRoutes({
        ...routeDeps,
        plan,
        policy: deps.tasks ?? DEFAULT_TASK_POLICY,
        approvalLimit: ledgerPolicy.approvalLimit,
      }),
    )
    .route('/', alertRoutes({ ...routeDeps, plan, step: stepAlert }))
    .route('/', ledgerRoutes({ ...routeDeps, plan, ledger }))
    .route('/', metricsRoutes(routeDeps, sla));

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
    .route('/', licenseCheckRoutes(db, clock))
    .route('/', estimateRoutes(db, clock, plan, deps.estimate ?? DEFAULT_ESTIMATE_POLICY))
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

  return { app, hub, store, plan, sessions, decide, ledger, stepAlert, governance };
}

export type ConsoleApp = ReturnType<typeof createApp>;
