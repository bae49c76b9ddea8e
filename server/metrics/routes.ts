import type { Context } from 'hono';
import { Hono } from 'hono';
import type { RouteDeps } from '../http/deps.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { dayOf } from '../ingest/store.ts';
import type { SlaPolicy } from '../licenses/store.ts';
import {
  creditsMetrics,
  ctaAbMetrics,
  failuresMetrics,
  funnelMetrics,
  hotTemplatesMetrics,
  licenseReviewMetrics,
  type MetricsRange,
} from './queries.ts';
import { parseMetricsRange } from './range.ts';

/**
 * The metrics board (指标看板): one GET per chart, so the board loads each lazily. Every figure comes from
 * counters kept as events are stored (server/metrics/projection.ts) or from indexed licence columns; none
 * reads the events' JSON.
 */
export function metricsRoutes({ db, clock, requires }: RouteDeps, sla: SlaPolicy) {
  const read = requires('metrics:read');
  const persona = db
    .prepare("SELECT 1 FROM landing_phase1_enum_values WHERE enum_name = 'persona_tag' AND code = ?")
    .pluck();

  /** the request's range and filters: 400 naming each bad parameter */
  const rangeOf = (c: Context): MetricsRange => {
    const parsed = parseMetricsRange(
      c.req.query(),
      dayOf(clock()),
      (code) => persona.get(code) !== undefined,
    );
    if ('range' in parsed) return parsed.range;
    throw new ApiError(400, parsed.message, parsed.errors);
  };

  return new Hono<AppEnv>()
    .get('/metrics/funnel', read, (c) => c.json(funnelMetrics(db, rangeOf(c))))
    .get('/metrics/cta-ab', read, (c) => c.json(ctaAbMetrics(db, rangeOf(c))))
    .get('/metrics/hot-templates', read, (c) => c.json(hotTemplatesMetrics(db, rangeOf(c))))
    .get('/metrics/failures', read, (c) => c.json(failuresMetrics(db, rangeOf(c))))
    .get('/metrics/credits', read, (c) => c.json(creditsMetrics(db, rangeOf(c))))
    .get('/metrics/license-review', read, (c) => c.json(licenseReviewMetrics(db, rangeOf(c), sla, clock())));
}
