import type { StoredEvent } from '../server/events/schemas.ts';
import { integerOf, numberOf, textOf } from '../server/ingest/properties.ts';
import { type FunnelStep, METRIC, METRIC_EVENTS } from '../server/metrics/projection.ts';
import { addDays, HOT_TEMPLATES, type MetricsRange, median } from '../server/metrics/queries.ts';
import { parseMetricsRange } from '../server/metrics/range.ts';
import {
  type AbCell,
  type CreditsMetrics,
  type CtaAbMetrics,
  creditsSchema,
  ctaAbSchema,
  type FailuresMetrics,
  FUNNEL_STEP_NAMES,
  type FunnelMetrics,
  failuresSchema,
  funnelSchema,
  type HotTemplatesMetrics,
  hotTemplatesSchema,
  type LicenseReviewMetrics,
  licenseReviewSchema,
  type MetricFilter,
  UNKNOWN,
} from '../server/metrics/schemas.ts';
import { MockApiError } from './access.ts';
import { type MockDb, utc8Day } from './data.ts';
import { ledgerEntries } from './ledger.ts';
import { SLA_HOURS } from './licenses.ts';

/**
 * The mock API's metrics board, as server/metrics: the counters server/metrics/projection.ts keeps as events
 * are stored, kept here the same way over db.events in the order they were stored (so "the first event of the
 * actor's day" and "the user's latest landing stored before the click" mean what they mean on the server), the
 * ledger counters from the mock ledger's entries (by the UTC+8 day of created_at × kind × status, as the
 * migration's triggers keep them), and the licence review from db.licenses. The queries read those counters
 * as server/metrics/queries.ts does; its pure helpers (daysBetween, addDays, median) are reused.
 */

/** a counter of landing_phase1_metric_counts */
interface Counter {
  metric: string;
  day: string;
  k1: string;
  k2: string;
  k3: string;
  n: number;
  total: number;
}

/** a user's day (landing_phase1_metric_user_days) */
interface UserDay {
  landings: number;
  landed_at: string | null;
  ab_bucket: string | null;
  source_channel: string | null;
  clicks: number;
  ctas: string[];
}

interface MetricsState {
  /** how many of db.events were counted */
  seen: number;
  /** per metric, its counters by day|k1|k2|k3 */
  counters: Map<string, Map<string, Counter>>;
  /** per user, their days */
  userDays: Map<string, Map<string, UserDay>>;
  /** per account|day|event, how many of the event (license_apply, license_approved, task_start) */
  accountDays: Map<string, number>;
}

const states = new WeakMap<MockDb, MetricsState>();

function bump(state: MetricsState, metric: string, day: string, k1 = '', k2 = '', k3 = '', total = 0) {
  let rows = state.counters.get(metric);
  if (!rows) {
    rows = new Map();
    state.counters.set(metric, rows);
  }
  const key = `${day}\u0000${k1}\u0000${k2}\u0000${k3}`;
  const row = rows.get(key);
  if (row) {
    row.n++;
    row.total += total;
  } else rows.set(key, { metric, day, k1, k2, k3, n: 1, total });
}

/** one stored event counted, as the server's keepMetrics onStored */
function count(state: MetricsState, e: StoredEvent) {
  if (!METRIC_EVENTS.has(e.event)) return;
  const p = e.properties;
  const day = e.day;
  const userDay = (user: string): UserDay => {
    let days = state.userDays.get(user);
    if (!days) {
      days = new Map();
      state.userDays.set(user, days);
    }
    let row = days.get(day);
    if (!row) {
      row = { landings: 0, landed_at: null, ab_bucket: null, source_channel: null, clicks: 0, ctas: [] };
      days.set(day, row);
    }
    return row;
  };
  switch (e.event) {
    case 'landing_view': {
      const user = textOf(p.user_id);
      const channel = textOf(p.source_channel) ?? '';
      const bucket = textOf(p.ab_bucket) ?? '';
      bump(state, METRIC.funnelEvents, day, 'landing_view', channel);
      if (!user) return;
      const row = userDay(user);
      row.landings++;
      // the latest landing of the day by occurred_at (ties: the last stored) gives the bucket and channel
      if (row.landed_at === null || e.occurred_at >= row.landed_at) {
        row.landed_at = e.occurred_at;
        row.ab_bucket = bucket || null;
        row.source_channel = channel || null;
      }
      if (row.landings === 1) {
        bump(state, METRIC.funnelActors, day, 'landing_view', channel);
        bump(state, METRIC.abViews, day, bucket, channel);
      }
      return;
    }
    case 'cta_click': {
      const user = textOf(p.user_id);
      const cta = textOf(p.cta_id) ?? '';
      let bucket = '';
      let channel = '';
      if (user) {
        // as the server's projection: the user's latest landing stored so far on the click's UTC+8 day, else
        // on the day before
        const days = state.userDays.get(user);
        const landed = [day, addDays(day, -1)]
          .map((d) => days?.get(d))
          .find((row) => row !== undefined && row.landed_at !== null);
        bucket = landed?.ab_bucket ?? '';
        channel = landed?.source_channel ?? '';
      }
      bump(state, METRIC.funnelEvents, day, 'cta_click', channel);
      if (!user) return;
      const today = userDay(user);
      const firstOnCta = !today.ctas.includes(cta);
      if (firstOnCta) today.ctas.push(cta);
      if (today.clicks++ === 0) bump(state, METRIC.funnelActors, day, 'cta_click', channel);
      if (firstOnCta) bump(state, METRIC.abClicks, day, bucket, cta, channel);
      return;
    }
    case 'license_apply':
    case 'license_approved':
    case 'task_start': {
      const persona = e.event === 'license_apply' ? (textOf(p.persona_tag) ?? '') : '';
      bump(state, METRIC.funnelEvents, day, e.event, persona);
      const account = textOf(p.account_id);
      if (account) {
        const key = `${account}\u0000${day}\u0000${e.event}`;
        const n = (state.accountDays.get(key) ?? 0) + 1;
        state.accountDays.set(key, n);
        if (n === 1) bump(state, METRIC.funnelActors, day, e.event, persona);
      }
      const template = textOf(p.template_id);
      if (e.event === 'license_apply' && template)
        bump(state, METRIC.templateApplies, day, template, persona);
      if (e.event === 'license_approved' && template) bump(state, METRIC.templateApprovals, day, template);
      if (e.event === 'task_start') {
        const estimated = numberOf(p.estimated_credits);
        if (estimated !== null) bump(state, METRIC.creditsEstimated, day, '', '', '', estimated);
      }
      return;
    }
    case 'task_completed': {
      bump(state, METRIC.funnelEvents, day, 'task_completed');
      const spent = numberOf(p.credits_spent);
      if (spent !== null) bump(state, METRIC.creditsSpent, day, '', '', '', spent);
      return;
    }
    case 'task_failed':
      bump(state, METRIC.failures, day, textOf(p.failure_code) ?? '', textOf(p.policy_tag) ?? '');
      return;
    case 'heatmap_view': {
      const template = textOf(p.template_id);
      if (!template) return;
      bump(state, METRIC.templateViews, day, template);
      const position = integerOf(p.position);
      if (position !== null && position >= 1)
        bump(state, METRIC.templatePositions, day, template, '', '', position);
      return;
    }
  }
}

/** the counters of `db`, with every event stored so far counted */
function metricsState(db: MockDb): MetricsState {
  let state = states.get(db);
  if (!state) {
    state = { seen: 0, counters: new Map(), userDays: new Map(), accountDays: new Map() };
    states.set(db, state);
  }
  while (state.seen < db.events.length) {
    const event = db.events[state.seen++];
    if (event) count(state, event);
  }
  return state;
}

/** the ledger's counters now: entries by the UTC+8 day of created_at × kind × status */
function ledgerCounters(db: MockDb): Counter[] {
  const rows = new Map<string, Counter>();
  for (const e of ledgerEntries(db)) {
    const day = utc8Day(Date.parse(e.created_at));
    const key = `${day}\u0000${e.kind}\u0000${e.status}`;
    const row = rows.get(key);
    if (row) {
      row.n++;
      row.total += e.amount;
    } else
      rows.set(key, { metric: METRIC.ledger, day, k1: e.kind, k2: e.status, k3: '', n: 1, total: e.amount });
  }
  return [...rows.values()];
}

/** the counters of `metrics` over the range */
function counters(db: MockDb, metrics: string[], r: MetricsRange): Counter[] {
  const state = metricsState(db);
  const all = metrics.flatMap((m) =>
    m === METRIC.ledger ? ledgerCounters(db) : [...(state.counters.get(m)?.values() ?? [])],
  );
  return all.filter((c) => c.day >= r.from && c.day <= r.to);
}

// ---------------------------------------------------------------------------------------------- the query

/**
 * The request's range and filters as the server's rangeOf checks them: unknown parameters refused, the days
 * and filters parsed with the server's schema, `from` not after `to`, at most 92 days, the persona a code of
 * persona_tag; a MockApiError (400) naming each bad parameter otherwise.
 */
export function metricsRange(db: MockDb, url: URL, now = Date.now()): MetricsRange {
  // as Hono's c.req.query(): the first value of a repeated parameter
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] ??= v;
  const personas = db.enums.find((e) => e.name === 'persona_tag')?.values ?? [];
  const parsed = parseMetricsRange(query, utc8Day(now), (code) => personas.some((v) => v.code === code));
  if ('range' in parsed) return parsed.range;
  throw new MockApiError(400, parsed.message, parsed.errors);
}

// ---------------------------------------------------------------------------------------------- the answers

const label = (key: string) => (key === '' ? UNKNOWN : key);
const credits = (x: number) => Math.round(x * 1e6) / 1e6;
const ratio = (num: number, den: number) => (den === 0 ? null : num / den);
/** as SQLite compares text: by code point */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

const passes = (r: MetricsRange, dim: MetricFilter | undefined, value: string) => {
  if (!dim) return true;
  const want = dim === 'persona' ? r.persona : r.channel;
  return want === null || want === value;
};

export function funnelMetrics(db: MockDb, r: MetricsRange): FunnelMetrics {
  const zero = () => Object.fromEntries(FUNNEL_STEP_NAMES.map((s) => [s, 0])) as Record<FunnelStep, number>;
  const byDay = new Map(r.days.map((d) => [d, { events: zero(), actors: zero() }]));
  for (const c of counters(db, [METRIC.funnelEvents, METRIC.funnelActors], r)) {
    const step = c.k1 as FunnelStep;
    const row = byDay.get(c.day);
    if (!row || !(step in STEP_UNIT) || !passes(r, STEP_FILTER[step], c.k2)) continue;
    (c.metric === METRIC.funnelEvents ? row.events : row.actors)[step] += c.n;
  }
  const series = r.days.map((day) => {
    const { events, actors } = byDay.get(day) ?? { events: zero(), actors: zero() };
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

/** an enum's active codes in their order (sort_order, then code) */
function activeCodes(db: MockDb, enumName: string): string[] {
  return (db.enums.find((e) => e.name === enumName)?.values ?? [])
    .filter((v) => v.status === 'active')
    .sort((a, b) => a.sort_order - b.sort_order || byCode(a.code, b.code))
    .map((v) => v.code);
}

/** the enum's codes first (in order), then the other values seen, then the unknown one */
function ordered(known: string[], seen: Iterable<string>): string[] {
  const rest = [...new Set(seen)].filter((v) => !known.includes(v) && v !== '').sort(byCode);
  const all = [...known, ...rest];
  return new Set(seen).has('') ? [...all, ''] : all;
}

export function ctaAbMetrics(db: MockDb, r: MetricsRange): CtaAbMetrics {
  const views = new Map<string, number>();
  const clicks = new Map<string, number>();
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

export function hotTemplatesMetrics(db: MockDb, r: MetricsRange): HotTemplatesMetrics {
  const views = new Map<string, number>();
  for (const c of counters(db, [METRIC.templateViews], r)) views.set(c.k1, (views.get(c.k1) ?? 0) + c.n);
  const top = [...views]
    .sort((a, b) => b[1] - a[1] || byCode(a[0], b[0]))
    .slice(0, HOT_TEMPLATES)
    .map(([template_id, n]) => ({ template_id, views: n }));
  const figures = new Map(
    top.map((t) => [t.template_id, { positioned: 0, positions: 0, applies: 0, approvals: 0 }]),
  );
  const wanted = [METRIC.templatePositions, METRIC.templateApplies, METRIC.templateApprovals];
  for (const c of counters(db, wanted, r)) {
    const f = figures.get(c.k1);
    if (!f) continue;
    if (c.metric === METRIC.templatePositions) {
      f.positioned += c.n;
      f.positions += c.total;
    } else if (c.metric === METRIC.templateApplies) {
      if (passes(r, 'persona', c.k2)) f.applies += c.n;
    } else f.approvals += c.n;
  }
  const templates = top.map((t, i) => {
    const f = figures.get(t.template_id) ?? { positioned: 0, positions: 0, applies: 0, approvals: 0 };
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

export function failuresMetrics(db: MockDb, r: MetricsRange): FailuresMetrics {
  const rows = counters(db, [METRIC.failures], r);
  const breakdown = (keyOf: (c: Counter) => string) => {
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
      .sort((a, b) => b[1] - a[1] || byCode(a[0], b[0]))
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

export function creditsMetrics(db: MockDb, r: MetricsRange): CreditsMetrics {
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
    series: r.days.map((day) => ({ day, ...clean(byDay.get(day) ?? noCredits()) })),
    totals: clean(totals),
  };
}

const HOUR_MS = 3_600_000;
/** the UTC instant a UTC+8 day starts at, as timestamps are stored (ISO, milliseconds, Z) */
const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

export function licenseReviewMetrics(db: MockDb, r: MetricsRange, now = Date.now()): LicenseReviewMetrics {
  const start = startOf(r.from);
  const end = startOf(addDays(r.to, 1));
  const ofPersona = (l: { persona_tag: string | null }) => r.persona === null || l.persona_tag === r.persona;
  const zero = () => ({ applied: 0, approved: 0, rejected: 0, revoked: 0, decided_late: 0 });
  const byDay = new Map(r.days.map((d) => [d, zero()]));
  const sla = (fast: boolean) => (fast ? SLA_HOURS.fast_track : SLA_HOURS.standard);

  // applications opened: the license_apply counters (one application per stored license_apply)
  for (const c of counters(db, [METRIC.funnelEvents], r)) {
    if (c.k1 !== 'license_apply' || !passes(r, 'persona', c.k2)) continue;
    const day = byDay.get(c.day);
    if (day) day.applied += c.n;
  }
  // decisions: a revoked licence keeps the decided_at of its approval
  const hours: number[] = [];
  for (const l of db.licenses) {
    if (l.decided_at === null || l.decided_at < start || l.decided_at >= end || !ofPersona(l)) continue;
    const day = byDay.get(utc8Day(Date.parse(l.decided_at)));
    if (!day) continue;
    if (l.status === 'rejected') day.rejected++;
    else day.approved++;
    const h = (Date.parse(l.decided_at) - Date.parse(l.applied_at)) / HOUR_MS;
    hours.push(h);
    if (h > sla(l.is_fast_track)) day.decided_late++;
  }
  for (const l of db.licenses) {
    if (l.revoked_at === null || l.revoked_at < start || l.revoked_at >= end || !ofPersona(l)) continue;
    const day = byDay.get(utc8Day(Date.parse(l.revoked_at)));
    if (day) day.revoked++;
  }
  // the range's applications still waiting, and those past their SLA now
  let pending = 0;
  let breached = 0;
  for (const l of db.licenses) {
    if (l.status !== 'pending' || l.applied_at < start || l.applied_at >= end || !ofPersona(l)) continue;
    pending++;
    const deadline = new Date(now - sla(l.is_fast_track) * HOUR_MS).toISOString();
    if (l.applied_at < deadline) breached++;
  }

  const withRate = <T extends { approved: number; rejected: number }>(f: T) => ({
    ...f,
    approval_rate: ratio(f.approved, f.approved + f.rejected),
  });
  const series = r.days.map((day) => withRate({ day, ...(byDay.get(day) ?? zero()) }));
  const sum = (k: keyof ReturnType<typeof zero>) => series.reduce((n, d) => n + d[k], 0);
  const m = median(hours);
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
    sla: { fast_track_hours: SLA_HOURS.fast_track, standard_hours: SLA_HOURS.standard },
    series,
    totals: {
      ...withRate({
        applied: sum('applied'),
        approved: sum('approved'),
        rejected: sum('rejected'),
        revoked: sum('revoked'),
      }),
      decided_late: sum('decided_late'),
      median_hours_to_decision: m === null ? null : Math.round(m * 100) / 100,
      pending,
      pending_breached: breached,
    },
  };
}

/** the routes GET /api/metrics/<name>: each answer, and the server's schema it is parsed with */
export const METRIC_ENDPOINTS = {
  funnel: { schema: funnelSchema, answer: funnelMetrics },
  'cta-ab': { schema: ctaAbSchema, answer: ctaAbMetrics },
  'hot-templates': { schema: hotTemplatesSchema, answer: hotTemplatesMetrics },
  failures: { schema: failuresSchema, answer: failuresMetrics },
  credits: { schema: creditsSchema, answer: creditsMetrics },
  'license-review': { schema: licenseReviewSchema, answer: licenseReviewMetrics },
} as const;
export type MockMetricName = keyof typeof METRIC_ENDPOINTS;
