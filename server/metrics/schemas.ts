import { z } from 'zod';

/** the funnel of the metrics board, in order (as server/metrics/projection.ts counts it) */
export const FUNNEL_STEP_NAMES = [
  'landing_view',
  'cta_click',
  'license_apply',
  'license_approved',
  'task_start',
  'task_completed',
] as const;

/** the longest range a metrics query may ask for, in days (both ends included) */
export const MAX_METRIC_DAYS = 92;
/** the range when none is asked for: the last 14 UTC+8 days, today included */
export const DEFAULT_METRIC_DAYS = 14;

/** the label of a value an event left out (an A/B bucket, a CTA, a failure code…) */
export const UNKNOWN = '(unknown)';

const day = z.iso.date({ error: 'must be a UTC+8 date YYYY-MM-DD, e.g. 2026-11-24' });

/**
 * The query of every GET /api/metrics/… route. `from` and `to` are UTC+8 days, both included (default: the
 * last 14 days, today included; at most 92 days). `persona` (a persona_tag code) and `channel` (a
 * source_channel) filter the series whose events carry them — each answer says which in `filters_applied`.
 */
export const metricsQuerySchema = z.object({
  from: day.optional(),
  to: day.optional(),
  persona: z.string().trim().min(1, 'must be a persona_tag code').max(64).optional(),
  channel: z.string().trim().min(1, 'must be a source_channel').max(200).optional(),
});
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;

export const metricFilterSchema = z.enum(['persona', 'channel']);
export type MetricFilter = z.infer<typeof metricFilterSchema>;

const count = z.number().int().min(0);
const credits = z.number();
/** a share in [0, 1], null when its denominator is 0 */
const rate = z.number().min(0).nullable();

/** what every metrics answer starts with: the range and filters it was computed for */
const rangeFields = {
  from: z.string(),
  to: z.string(),
  /** every UTC+8 day of the range, in order (each series has one entry per day, zeros included) */
  days: z.array(z.string()),
  persona: z.string().nullable(),
  channel: z.string().nullable(),
  /** the filters that changed any figure of this answer */
  filters_applied: z.array(metricFilterSchema),
  /** per series (a funnel step, a column), the filters applied to it: the others are unfiltered */
  filters_by_series: z.record(z.string(), z.array(metricFilterSchema)),
};

const stepRecord = <T extends z.ZodType>(value: T) =>
  z.object(
    Object.fromEntries(FUNNEL_STEP_NAMES.map((s) => [s, value])) as Record<
      (typeof FUNNEL_STEP_NAMES)[number],
      T
    >,
  );

/** GET /api/metrics/funnel */
export const funnelSchema = z.object({
  ...rangeFields,
  steps: z.array(
    z.object({
      step: z.enum(FUNNEL_STEP_NAMES),
      /** what `actors` counts: hashed user_id (landing_view, cta_click), account_id (licence and task_start
       * events), or nothing (task_completed carries neither: events only) */
      unit: z.enum(['users', 'accounts', 'events']),
      /** stored events over the range (valid or not; a duplicate delivery is stored once) */
      events: count,
      /** the sum over the range's days of each day's distinct actors (someone active on two days counts
       * twice); null when the step carries no actor id */
      actor_days: count.nullable(),
      /** this step over the previous one: by actor_days when both steps carry an actor id, else by events;
       * null for the first step or a zero denominator */
      conversion: rate,
      conversion_basis: z.enum(['actors', 'events']).nullable(),
    }),
  ),
  /** per day: events, and distinct actors (null for task_completed) of each step */
  series: z.array(
    z.object({
      day: z.string(),
      events: stepRecord(count),
      actors: stepRecord(count.nullable()),
    }),
  ),
});
export type FunnelMetrics = z.infer<typeof funnelSchema>;

const abCellSchema = z.object({
  /** the bucket of the landing_view (views) or of the clicking user's latest landing_view of the click's
   * UTC+8 day or the day before (clicks); `(unknown)` when there is none */
  ab_bucket: z.string(),
  cta_id: z.string(),
  /** distinct users with a landing_view in the bucket (summed over days for a range) */
  views: count,
  /** distinct users clicking this CTA, counted under their bucket (summed over days for a range) */
  clicks: count,
  /** clicks / views; null without views */
  ctr: rate,
});
export type AbCell = z.infer<typeof abCellSchema>;

/** GET /api/metrics/cta-ab */
export const ctaAbSchema = z.object({
  ...rangeFields,
  /** per bucket × CTA over the range: user-days (each day's distinct users, summed) */
  cells: z.array(abCellSchema),
  /** per day, the same cells */
  series: z.array(z.object({ day: z.string(), cells: z.array(abCellSchema) })),
});
export type CtaAbMetrics = z.infer<typeof ctaAbSchema>;

/** GET /api/metrics/hot-templates */
export const hotTemplatesSchema = z.object({
  ...rangeFields,
  /** the most viewed templates in heatmap_view over the range (at most 20), most viewed first */
  templates: z.array(
    z.object({
      template_id: z.string(),
      rank: z.number().int().min(1),
      /** heatmap_view events naming the template */
      views: count,
      /** mean position (≥ 1) over those views that carry one; null when none does */
      mean_position: z.number().nullable(),
      /** license_apply events for the template */
      applies: count,
      /** license_approved events for the template */
      approvals: count,
    }),
  ),
});
export type HotTemplatesMetrics = z.infer<typeof hotTemplatesSchema>;

const breakdownSchema = z.object({
  /** the values seen over the range, most frequent first, with their totals */
  keys: z.array(z.object({ key: z.string(), total: count })),
  series: z.array(z.object({ day: z.string(), total: count, counts: z.record(z.string(), count) })),
});

/** GET /api/metrics/failures */
export const failuresSchema = z.object({
  ...rangeFields,
  /** task_failed events over the range */
  total: count,
  by_failure_code: breakdownSchema,
  by_policy_tag: breakdownSchema,
});
export type FailuresMetrics = z.infer<typeof failuresSchema>;

const creditFigures = {
  /** sum of task_start estimated_credits, and how many task_starts carried one */
  estimated: credits,
  estimated_tasks: count,
  /** sum of task_completed credits_spent, and how many task_completed carried one */
  spent: credits,
  spent_tasks: count,
  /** credits taken by posted tail deductions (the ledger's amounts with the sign turned: positive = taken) */
  tail_deducted: credits,
  tail_deductions: count,
  /** credits returned by posted manual rollbacks */
  rolled_back: credits,
  rollbacks: count,
  /** credits of manual rollbacks waiting for a second approver */
  rollbacks_pending: credits,
  /** net credits of posted manual adjustments (positive = credited) */
  adjusted: credits,
  adjustments: count,
};

/** GET /api/metrics/credits: task events by the day they occurred, ledger entries by the day they were made */
export const creditsSchema = z.object({
  ...rangeFields,
  series: z.array(z.object({ day: z.string(), ...creditFigures })),
  totals: z.object(creditFigures),
});
export type CreditsMetrics = z.infer<typeof creditsSchema>;

const reviewFigures = {
  /** applications opened (stored license_apply events) */
  applied: count,
  /** approvals made (the licence may have been revoked since) */
  approved: count,
  rejected: count,
  revoked: count,
  /** approved / (approved + rejected) */
  approval_rate: rate,
  /** approvals and rejections made later than the application's SLA (fast track or standard) */
  decided_late: count,
};

/** GET /api/metrics/license-review: decisions by the UTC+8 day they were made */
export const licenseReviewSchema = z.object({
  ...rangeFields,
  sla: z.object({ fast_track_hours: z.number(), standard_hours: z.number() }),
  series: z.array(z.object({ day: z.string(), ...reviewFigures })),
  totals: z.object({
    ...reviewFigures,
    /** median hours from application to approval or rejection, over the range's decisions */
    median_hours_to_decision: z.number().nullable(),
    /** applications of the range still pending now, and those of them past their SLA */
    pending: count,
    pending_breached: count,
  }),
});
export type LicenseReviewMetrics = z.infer<typeof licenseReviewSchema>;
