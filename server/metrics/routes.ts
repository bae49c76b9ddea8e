import type { Context } from 'hono';
import { Hono } from 'hono';
import type { RouteDeps } from '../http/deps.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, zodErrors } from '../http/errors.ts';
import { dayOf } from '../ingest/store.ts';
import type { SlaPolicy } from '../licenses/store.ts';
import {
  addDays,
  creditsMetrics,
  ctaAbMetrics,
  daysBetween,
  failuresMetrics,
  funnelMetrics,
  hotTemplatesMetrics,
  licenseReviewMetrics,
  type MetricsRange,
} from './queries.ts';
import { DEFAULT_METRIC_DAYS, MAX_METRIC_DAYS, metricsQuerySchema } from './schemas.ts';

const KNOWN = Object.keys(metricsQuerySchema.shape);

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
    const query = c.req.query();
    const errors: Record<string, string> = {};
    for (const k of Object.keys(query))
      if (!KNOWN.includes(k)) errors[k] = `unknown parameter; known: ${KNOWN.join(', ')}`;
    const parsed = metricsQuerySchema.safeParse(query);
    if (!parsed.success) Object.assign(errors, zodErrors(parsed.error));
    if (parsed.success) {
      const q = parsed.data;
      const to = q.to ?? dayOf(clock());
      const from = q.from ?? addDays(to, 1 - DEFAULT_METRIC_DAYS);
      if (from > to) {
        if (q.to) errors.to = `must not be before from (${from})`;
        else errors.from = `must not be after to (${to}, today by default)`;
      } else {
        const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
        if (span > MAX_METRIC_DAYS)
          errors.from = `the range may span at most ${MAX_METRIC_DAYS} days; ${from} to ${to} is ${span}`;
      }
      if (q.persona !== undefined && persona.get(q.persona) === undefined)
        errors.persona = 'must be a persona_tag code';
      if (!Object.keys(errors).length)
        return {
          from,
          to,
          days: daysBetween(from, to),
          persona: q.persona ?? null,
          channel: q.channel ?? null,
        };
    }
    const shown = Object.entries(errors)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
    throw new ApiError(400, `invalid metrics query: ${shown}`, errors);
  };

  return new Hono<AppEnv>()
    .get('/metrics/funnel', read, (c) => c.json(funnelMetrics(db, rangeOf(c))))
    .get('/metrics/cta-ab', read, (c) => c.json(ctaAbMetrics(db, rangeOf(c))))
    .get('/metrics/hot-templates', read, (c) => c.json(hotTemplatesMetrics(db, rangeOf(c))))
    .get('/metrics/failures', read, (c) => c.json(failuresMetrics(db, rangeOf(c))))
    .get('/metrics/credits', read, (c) => c.json(creditsMetrics(db, rangeOf(c))))
    .get('/metrics/license-review', read, (c) => c.json(licenseReviewMetrics(db, rangeOf(c), sla, clock())));
}
