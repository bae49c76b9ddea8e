import type { DB } from '../../db/open.ts';
import type { SlaPolicy } from '../licenses/store.ts';
import { type FunnelStep, METRIC } from './projection.ts';
import {
  type AbCell,
  type CreditsMetrics,
  type CtaAbMetrics,
  type FailuresMetrics,
  FUNNEL_STEP_NAMES,
  type FunnelMetrics,
  type HotTemplatesMetrics,
  type LicenseReviewMetrics,
  type MetricFilter,
  UNKNOWN,
} from './schemas.ts';

/** the range and filters of one metrics request, checked */
export interface MetricsRange {
  from: string;
  to: string;
  /** every UTC+8 day from `from` to `to` */
  days: string[];
  persona: string | null;
  channel: string | null;
}

const DAY_MS = 24 * 3600_000;

/** the UTC+8 days from `from` to `to`, both included */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** `day` moved by `n` days */
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** the UTC instant a UTC+8 day starts at, as stored timestamps are written (ISO, milliseconds, Z) */
const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

const label = (key: string) => (key === '' ? UNKNOWN : key);
/** sums of credits read back without floating-point dust (the ledger keeps cents) */
const credits = (x: number) => Math.round(x * 1e6) / 1e6;
const ratio = (num: number, den: number) => (den === 0 ? null : num / den);

interface CounterRow {
  metric: string;
  day: string;
  k1: string;
  k2: string;
  k3: string;
  n: number;
  total: number;
}

/** the counters of `metrics` over the range (each a primary-key range of landing_phase1_metric_counts) */
function counters(db: DB, metrics: string[], r: MetricsRange): CounterRow[] {
  return db
    .prepare(
      `SELECT metric, day, k1, k2, k3, n, total FROM landing_phase1_metric_counts
       WHERE metric IN (${metrics.map(() => '?').join(', ')}) AND day BETWEEN ? AND ?`,
    )
    .all(...metrics, r.from, r.to) as CounterRow[];
}

/** those of `dims` (the filters a series' events carry) that the request set */
function applied(r: MetricsRange, dims: readonly MetricFilter[]): MetricFilter[] {
  return dims.filter((d) => (d === 'persona' ? r.persona : r.channel) !== null);
}

function withFilters<T extends Record<string, MetricFilter[]>>(r: MetricsRange, bySeries: T) {
  const union = new Set(Object.values(bySeries).flat());
  return {
    from: r.from,
    to: r.to,
    days: r.days,
    persona: r.persona,
    channel: r.channel,
    filters_applied: (['persona', 'channel'] as const).filter((f) => union.has(f)),
    filters_by_series: bySeries,
  };
}

/** the filter a funnel step's events carry (or, for cta_click, its user's landing_view) */
const STEP_FILTER: Partial<Record<FunnelStep, MetricFilter>> = {
  landing_view: 'channel',
  cta_click: 'channel',
  license_apply: 'persona',
};
const STEP_UNIT: Record<FunnelStep, 'users' | 'accounts' | 'events'> = {
  landing_view: 'users',
  cta_click: 'users',
  license_apply: 'accounts',
  license_approved: 'accounts',
  task_start: 'accounts',
  task_completed: 'events',
};

/** whether a counter row keyed `value` under filter `dim` is in the request's filter */
const passes = (r: MetricsRange, dim: MetricFilter | undefined, value: string) => {
  if (!dim) return true;
  const want = dim === 'persona' ? r.persona : r.channel;
  return want === null || want === value;
};

export function funnelMetrics(db: DB, r: MetricsRange): FunnelMetrics {
  const zero = () => Object.fromEntries(FUNNEL_STEP_NAMES.map((s) => [s, 0])) as Record<FunnelStep, number>;
  const byDay = new Map(r.days.map((d) => [d, { events: zero(), actors: zero() }]));
  for (const c of counters(db, [METRIC.funnelEvents, METRIC.funnelActors], r)) {
    const step = c.k1 as FunnelStep;
    const row = byDay.get(c.day);
    if (!row || !(step in STEP_UNIT) || !passes(r, STEP_FILTER[step], c.k2)) continue;
    (c.metric === METRIC.funnelEvents ? row.events : row.actors)[step] += c.n;
  }
  const series = r.days.map((day) => {
    const { events, actors } = byDay.get(day)!;
    const nullable = Object.fromEntries(
      FUNNEL_STEP_NAMES.map((s) => [s, STEP_UNIT[s] === 'events' ? null : actors[s]]),
    ) as Record<FunnelStep, number | null>;
    return { day, events, actors: nullable };
  });
  const steps: FunnelMetrics['steps'] = [];
  FUNNEL_STEP_NAMES.forEach((step, i) => {
    const unit = STEP_UNIT[step];
    const events = series.reduce((n, d) => n + d.events[step], 0);
    const actorDays = unit === 'events' ? null : series.reduce((n, d) => n + (d.actors[step] ?? 0), 0);
    const prev = steps[i - 1];
    let conversion: number | null = null;
    let basis: 'actors' | 'events' | null = null;
    if (prev) {
      basis = prev.actor_days !== null && actorDays !== null ? 'actors' : 'events';
      conversion =
        basis === 'actors' ? ratio(actorDays ?? 0, prev.actor_days ?? 0) : ratio(events, prev.events);
    }
    steps.push({ step, unit, events, actor_days: actorDays, conversion, conversion_basis: basis });
  });
  const bySeries = Object.fromEntries(
    FUNNEL_STEP_NAMES.map((s) => {
      const dim = STEP_FILTER[s];
      return [s, dim ? applied(r, [dim]) : []];
    }),
  );
  return { ...withFilters(r, bySeries), steps, series };
}

/** an enum's active codes in their order (the A/B grid shows them even with no data) */
function activeCodes(db: DB, enumName: string): string[] {
  return db
    .prepare(
      "SELECT code FROM landing_phase1_enum_values WHERE enum_name = ? AND status = 'active' ORDER BY sort_order, code",
    )
    .pluck()
    .all(enumName) as string[];
}

/** the enum's codes first (in order), then the other values seen, then the unknown one */
function ordered(known: string[], seen: Iterable<string>): string[] {
  const rest = [...new Set(seen)].filter((v) => !known.includes(v) && v !== '').sort();
  const all = [...known, ...rest];
  return new Set(seen).has('') ? [...all, ''] : all;
}

export function ctaAbMetrics(db: DB, r: MetricsRange): CtaAbMetrics {
  const views = new Map<string, number>(); // day|bucket
  const clicks = new Map<string, number>(); // day|bucket|cta
  const buckets = new Set<string>();
  const ctas = new Set<string>();
  const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);
  for (const c of counters(db, [METRIC.abViews, METRIC.abClicks], r)) {
    if (c.metric === METRIC.abViews) {
      if (!passes(r, 'channel', c.k2)) continue;
      buckets.add(c.k1);
      add(views, `${c.day}|${c.k1}`, c.n);
    } else {
      if (!passes(r, 'channel', c.k3)) continue;
      buckets.add(c.k1);
      ctas.add(c.k2);
      add(clicks, `${c.day}|${c.k1}|${c.k2}`, c.n);
    }
  }
  const bucketList = ordered(activeCodes(db, 'ab_bucket'), buckets);
  const ctaList = ordered(activeCodes(db, 'cta_id'), ctas);
  const cell = (bucket: string, cta: string, v: number, k: number): AbCell => ({
    ab_bucket: label(bucket),
    cta_id: label(cta),
    views: v,
    clicks: k,
    ctr: ratio(k, v),
  });
  const series = r.days.map((day) => ({
    day,
    cells: bucketList.flatMap((b) =>
      ctaList.map((cta) =>
        cell(b, cta, views.get(`${day}|${b}`) ?? 0, clicks.get(`${day}|${b}|${cta}`) ?? 0),
      ),
    ),
  }));
  const cells = bucketList.flatMap((b) =>
    ctaList.map((cta) => {
      let v = 0;
      let k = 0;
      for (const day of r.days) {
        v += views.get(`${day}|${b}`) ?? 0;
        k += clicks.get(`${day}|${b}|${cta}`) ?? 0;
      }
      return cell(b, cta, v, k);
    }),
  );
  const dims = applied(r, ['channel']);
  return { ...withFilters(r, { views: dims, clicks: dims }), cells, series };
}

/** how many templates the hot-template table shows */
export const HOT_TEMPLATES = 20;

export function hotTemplatesMetrics(db: DB, r: MetricsRange): HotTemplatesMetrics {
  const top = db
    .prepare(
      `SELECT k1 AS template_id, sum(n) AS views FROM landing_phase1_metric_counts
       WHERE metric = ? AND day BETWEEN ? AND ? GROUP BY k1 ORDER BY views DESC, k1 LIMIT ${HOT_TEMPLATES}`,
    )
    .all(METRIC.templateViews, r.from, r.to) as Array<{ template_id: string; views: number }>;
  const figures = new Map(
    top.map((t) => [t.template_id, { positioned: 0, positions: 0, applies: 0, approvals: 0 }]),
  );
  if (top.length) {
    const rows = db
      .prepare(
        `SELECT metric, k1, k2, sum(n) AS n, sum(total) AS total FROM landing_phase1_metric_counts
         WHERE metric IN (?, ?, ?) AND day BETWEEN ? AND ? AND k1 IN (${top.map(() => '?').join(', ')})
         GROUP BY metric, k1, k2`,
      )
      .all(
        METRIC.templatePositions,
        METRIC.templateApplies,
        METRIC.templateApprovals,
        r.from,
        r.to,
        ...top.map((t) => t.template_id),
      ) as Array<{ metric: string; k1: string; k2: string; n: number; total: number }>;
    for (const row of rows) {
      const f = figures.get(row.k1);
      if (!f) continue;
      if (row.metric === METRIC.templatePositions) {
        f.positioned += row.n;
        f.positions += row.total;
      } else if (row.metric === METRIC.templateApplies) {
        if (passes(r, 'persona', row.k2)) f.applies += row.n;
      } else f.approvals += row.n;
    }
  }
  const templates = top.map((t, i) => {
    const f = figures.get(t.template_id)!;
    return {
      template_id: t.template_id,
      rank: i + 1,
      views: t.views,
      mean_position: f.positioned ? f.positions / f.positioned : null,
      applies: f.applies,
      approvals: f.approvals,
    };
  });
  return {
    ...withFilters(r, { views: [], mean_position: [], applies: applied(r, ['persona']), approvals: [] }),
    templates,
  };
}

export function failuresMetrics(db: DB, r: MetricsRange): FailuresMetrics {
  const rows = counters(db, [METRIC.failures], r);
  const breakdown = (keyOf: (c: CounterRow) => string) => {
    const totals = new Map<string, number>();
    const perDay = new Map<string, Map<string, number>>();
    for (const c of rows) {
      const key = label(keyOf(c));
      totals.set(key, (totals.get(key) ?? 0) + c.n);
      const day = perDay.get(c.day) ?? new Map<string, number>();
      day.set(key, (day.get(key) ?? 0) + c.n);
      perDay.set(c.day, day);
    }
    const keys = [...totals]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([key, total]) => ({ key, total }));
    const series = r.days.map((day) => {
      const counts = Object.fromEntries(keys.map((k) => [k.key, perDay.get(day)?.get(k.key) ?? 0]));
      return { day, total: Object.values(counts).reduce((a, b) => a + b, 0), counts };
    });
    return { keys, series };
  };
  return {
    ...withFilters(r, { by_failure_code: [], by_policy_tag: [] }),
    total: rows.reduce((n, c) => n + c.n, 0),
    by_failure_code: breakdown((c) => c.k1),
    by_policy_tag: breakdown((c) => c.k2),
  };
}

type CreditFigures = CreditsMetrics['totals'];
const noCredits = (): CreditFigures => ({
  estimated: 0,
  estimated_tasks: 0,
  spent: 0,
  spent_tasks: 0,
  tail_deducted: 0,
  tail_deductions: 0,
  rolled_back: 0,
  rollbacks: 0,
  rollbacks_pending: 0,
  adjusted: 0,
  adjustments: 0,
});

export function creditsMetrics(db: DB, r: MetricsRange): CreditsMetrics {
  const byDay = new Map(r.days.map((d) => [d, noCredits()]));
  const totals = noCredits();
  for (const c of counters(db, [METRIC.creditsEstimated, METRIC.creditsSpent, METRIC.ledger], r)) {
    const day = byDay.get(c.day);
    if (!day) continue;
    for (const f of [day, totals]) {
      if (c.metric === METRIC.creditsEstimated) {
        f.estimated += c.total;
        f.estimated_tasks += c.n;
      } else if (c.metric === METRIC.creditsSpent) {
        f.spent += c.total;
        f.spent_tasks += c.n;
      } else if (c.k1 === 'tail_deduction' && c.k2 === 'posted') {
        f.tail_deducted -= c.total;
        f.tail_deductions += c.n;
      } else if (c.k1 === 'manual_rollback' && c.k2 === 'posted') {
        f.rolled_back += c.total;
        f.rollbacks += c.n;
      } else if (c.k1 === 'manual_rollback' && c.k2 === 'pending_approval') {
        f.rollbacks_pending += c.total;
      } else if (c.k1 === 'manual_adjustment' && c.k2 === 'posted') {
        f.adjusted += c.total;
        f.adjustments += c.n;
      }
    }
  }
  const clean = (f: CreditFigures): CreditFigures => ({
    ...f,
    estimated: credits(f.estimated),
    spent: credits(f.spent),
    tail_deducted: credits(f.tail_deducted),
    rolled_back: credits(f.rolled_back),
    rollbacks_pending: credits(f.rollbacks_pending),
    adjusted: credits(f.adjusted),
  });
  return {
    ...withFilters(r, { estimated: [], spent: [], tail_deducted: [], rolled_back: [], adjusted: [] }),
    series: r.days.map((day) => ({ day, ...clean(byDay.get(day)!) })),
    totals: clean(totals),
  };
}

const HOUR_MS = 3600_000;

/**
 * the middle value (the mean of the two middle ones for an even count); null for none — what the median
 * query of licenseReviewMetrics computes in SQL, for readers that hold the values (the mocks)
 */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function licenseReviewMetrics(
  db: DB,
  r: MetricsRange,
  sla: SlaPolicy,
  now: Date,
): LicenseReviewMetrics {
  const start = startOf(r.from);
  const end = startOf(addDays(r.to, 1));
  const persona = r.persona === null ? '' : ' AND persona_tag = ?';
  const personaParam = r.persona === null ? [] : [r.persona];
  const zero = () => ({ applied: 0, approved: 0, rejected: 0, revoked: 0, decided_late: 0 });
  const byDay = new Map(r.days.map((d) => [d, zero()]));

  // applications opened: the license_apply counters (one application per stored license_apply)
  for (const c of counters(db, [METRIC.funnelEvents], r)) {
    if (c.k1 !== 'license_apply' || !passes(r, 'persona', c.k2)) continue;
    const day = byDay.get(c.day);
    if (day) day.applied += c.n;
  }
  // decisions, read from their index alone (migration 007 indexes these very expressions): per UTC+8 day
  // of the decision, approvals (revoked since or not), rejections and those made after the track's SLA
  const decidedDay = "date(decided_at, '+8 hours')";
  const decisionMs = "round((unixepoch(decided_at, 'subsec') - unixepoch(applied_at, 'subsec')) * 1000)";
  const decidedIn = `${decidedDay} BETWEEN ? AND ? AND decided_at IS NOT NULL${persona}`;
  const decidedPerDay = db
    .prepare(
      `SELECT ${decidedDay} AS day, sum(status <> 'rejected') AS approved, sum(status = 'rejected') AS rejected,
         sum(${decisionMs} > (CASE WHEN is_fast_track = 1 THEN ? ELSE ? END) * ${HOUR_MS}) AS late
       FROM landing_phase1_licenses WHERE ${decidedIn} GROUP BY 1`,
    )
    .all(sla.fastTrackHours, sla.standardHours, r.from, r.to, ...personaParam) as Array<{
    day: string;
    approved: number;
    rejected: number;
    late: number;
  }>;
  let decisions = 0;
  for (const d of decidedPerDay) {
    const day = byDay.get(d.day);
    if (!day) continue;
    day.approved += d.approved;
    day.rejected += d.rejected;
    day.decided_late += d.late;
    decisions += d.approved + d.rejected;
  }
  // the median: the middle one or two of the range's times to decision, in order
  const middle = decisions
    ? (db
        .prepare(
          `SELECT ${decisionMs} AS ms FROM landing_phase1_licenses WHERE ${decidedIn}
           ORDER BY ms LIMIT ? OFFSET ?`,
        )
        .pluck()
        .all(r.from, r.to, ...personaParam, 2 - (decisions % 2), (decisions - 1) >> 1) as number[])
    : [];
  const medianHours = middle.length ? middle.reduce((a, b) => a + b, 0) / middle.length / HOUR_MS : null;
  const revoked = db
    .prepare(
      `SELECT date(revoked_at, '+8 hours') AS day, count(*) AS n FROM landing_phase1_licenses
       WHERE revoked_at >= ? AND revoked_at < ?${persona} GROUP BY 1`,
    )
    .all(start, end, ...personaParam) as Array<{ day: string; n: number }>;
  for (const row of revoked) {
    const day = byDay.get(row.day);
    if (day) day.revoked += row.n;
  }
  // the range's applications still waiting, and those past their SLA now (the queue index, per track)
  let pending = 0;
  let breached = 0;
  const waiting = db.prepare(
    `SELECT count(*) AS n, coalesce(sum(applied_at < ?), 0) AS late FROM landing_phase1_licenses
     WHERE status = 'pending' AND is_fast_track = ? AND applied_at >= ? AND applied_at < ?${persona}`,
  );
  for (const fast of [1, 0]) {
    const deadline = new Date(
      now.getTime() - (fast ? sla.fastTrackHours : sla.standardHours) * HOUR_MS,
    ).toISOString();
    const w = waiting.get(deadline, fast, start, end, ...personaParam) as { n: number; late: number };
    pending += w.n;
    breached += w.late;
  }

  const withRate = <T extends { approved: number; rejected: number }>(f: T) => ({
    ...f,
    approval_rate: ratio(f.approved, f.approved + f.rejected),
  });
  const series = r.days.map((day) => withRate({ day, ...byDay.get(day)! }));
  const sum = (k: keyof ReturnType<typeof zero>) => series.reduce((n, d) => n + d[k], 0);
  const dims = applied(r, ['persona']);
  return {
    ...withFilters(r, {
      applied: dims,
      approved: dims,
      rejected: dims,
      revoked: dims,
      decided_late: dims,
      median_hours_to_decision: dims,
      pending: dims,
    }),
    sla: { fast_track_hours: sla.fastTrackHours, standard_hours: sla.standardHours },
    series,
    totals: {
      ...withRate({
        applied: sum('applied'),
        approved: sum('approved'),
        rejected: sum('rejected'),
        revoked: sum('revoked'),
      }),
      decided_late: sum('decided_late'),
      median_hours_to_decision: medianHours === null ? null : Math.round(medianHours * 100) / 100,
      pending,
      pending_breached: breached,
    },
  };
}
