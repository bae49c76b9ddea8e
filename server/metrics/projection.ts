import type { DB } from '../../db/open.ts';
import { integerOf, numberOf, textOf } from '../ingest/properties.ts';
import type { StoredEventInfo } from '../ingest/store.ts';
import { FUNNEL_STEP_NAMES } from './schemas.ts';

/** the funnel of the metrics board, in order (SPEC.md §4.8) */
export const FUNNEL_STEPS = FUNNEL_STEP_NAMES;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** the events the metrics board counts; nothing is done for the others */
export const METRIC_EVENTS: ReadonlySet<string> = new Set([...FUNNEL_STEPS, 'task_failed', 'heatmap_view']);

/**
 * The counters of landing_phase1_metric_counts, per UTC+8 day, and their keys ('' when the event has no such
 * value). `n` counts; `total` sums what is said.
 */
export const METRIC = {
  /** stored events of a funnel step: k1 step, k2 the step's filter value (landing_view, cta_click: the
   * channel; license_apply: persona_tag; others '') */
  funnelEvents: 'funnel.events',
  /** distinct actors of a funnel step (k1 step, k2 the filter value of the actor's first event of the day) */
  funnelActors: 'funnel.actors',
  /** distinct users with a landing_view: k1 ab_bucket, k2 source_channel (of their first landing that day) */
  abViews: 'ab.views',
  /** distinct users clicking a CTA: k1 their bucket, k2 cta_id, k3 their channel (at their first click on
   * that CTA that day) */
  abClicks: 'ab.clicks',
  /** heatmap_view events per template (k1 template_id) */
  templateViews: 'templates.views',
  /** heatmap_view events with a position (≥ 1) per template: total = sum of positions */
  templatePositions: 'templates.positions',
  /** license_apply events per template: k1 template_id, k2 persona_tag */
  templateApplies: 'templates.applies',
  /** license_approved events per template (k1 template_id) */
  templateApprovals: 'templates.approvals',
  /** task_failed events: k1 failure_code, k2 policy_tag */
  failures: 'failures',
  /** task_start events with estimated_credits: total = their sum */
  creditsEstimated: 'credits.estimated',
  /** task_completed events with credits_spent: total = their sum */
  creditsSpent: 'credits.spent',
  /** ledger entries by the day of created_at (db triggers): k1 kind, k2 status, total = amounts */
  ledger: 'ledger',
} as const;

interface Pending {
  metric: string;
  day: string;
  k1: string;
  k2: string;
  k3: string;
  n: number;
  total: number;
}

/** a user's day as the cta_click needs it */
interface UserDay {
  day: string;
  landed_at: string | null;
  ab_bucket: string | null;
  source_channel: string | null;
  clicks: number;
  ctas: string;
}

/** the day before a UTC+8 day (YYYY-MM-DD) */
const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Keeps the metrics board's counters from the event stream (inside the storing transaction, for each newly
 * stored event, so a duplicate delivery counts nothing). Counts are totalled in memory over the batch and
 * written once per key at its end; per event the only statements are those a distinct count needs — a
 * landing_view upserts its user's day, a cta_click reads its user's day and the day before and upserts the
 * first, a license_apply, license_approved or task_start upserts its account's day — and none for others.
 *
 * Distinct actors per day are partitioned by the filter value of the actor's first event of the day (the
 * first stored): a user who landed twice through two channels counts once, under the first, so the users of
 * the channels of a day add up to its users. A click is counted under the A/B bucket and channel of its
 * user's latest landing_view (by occurred_at; ties: the last stored) of the click's UTC+8 day, else of the
 * day before, among those stored before it; `(unknown)` ('') when there is none.
 */
export function keepMetrics(db: DB) {
  const landed = db
    .prepare(
      `INSERT INTO landing_phase1_metric_user_days (day, user_id, landings, landed_at, ab_bucket, source_channel)
       VALUES (?, ?, 1, ?, ?, ?)
       ON CONFLICT (day, user_id) DO UPDATE SET landings = landings + 1,
         ab_bucket = CASE WHEN landed_at IS NULL OR excluded.landed_at >= landed_at
           THEN excluded.ab_bucket ELSE ab_bucket END,
         source_channel = CASE WHEN landed_at IS NULL OR excluded.landed_at >= landed_at
           THEN excluded.source_channel ELSE source_channel END,
         landed_at = CASE WHEN landed_at IS NULL OR excluded.landed_at >= landed_at
           THEN excluded.landed_at ELSE landed_at END
       RETURNING landings`,
    )
    .pluck();
  const userDays = db.prepare(
    `SELECT day, landed_at, ab_bucket, source_channel, clicks, ctas FROM landing_phase1_metric_user_days
     WHERE day IN (?, ?) AND user_id = ?`,
  );
  const clicked = db.prepare(
    `INSERT INTO landing_phase1_metric_user_days (day, user_id, clicks, ctas) VALUES (?, ?, 1, ?)
     ON CONFLICT (day, user_id) DO UPDATE SET clicks = clicks + 1, ctas = excluded.ctas`,
  );
  const accountDay = (column: 'applies' | 'approvals' | 'starts') =>
    db
      .prepare(
        `INSERT INTO landing_phase1_metric_account_days (day, account_id, ${column}) VALUES (?, ?, 1)
         ON CONFLICT (day, account_id) DO UPDATE SET ${column} = ${column} + 1 RETURNING ${column}`,
      )
      .pluck();
  const accountCounters: Record<string, ReturnType<typeof accountDay>> = {
    license_apply: accountDay('applies'),
    license_approved: accountDay('approvals'),
    task_start: accountDay('starts'),
  };
  const write = db.prepare(
    `INSERT INTO landing_phase1_metric_counts (metric, day, k1, k2, k3, n, total) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (metric, day, k1, k2, k3) DO UPDATE SET n = n + excluded.n, total = total + excluded.total`,
  );

  const pending = new Map<string, Pending>();
  const bump = (metric: string, day: string, k1 = '', k2 = '', k3 = '', total = 0) => {
    const key = `${metric}\u0000${day}\u0000${k1}\u0000${k2}\u0000${k3}`;
    const p = pending.get(key);
    if (p) {
      p.n++;
      p.total += total;
    } else pending.set(key, { metric, day, k1, k2, k3, n: 1, total });
  };

  const onStored = (e: StoredEventInfo): void => {
    if (!METRIC_EVENTS.has(e.event)) return;
    const p = e.properties;
    const day = e.day;
    switch (e.event) {
      case 'landing_view': {
        const user = textOf(p.user_id);
        const channel = textOf(p.source_channel) ?? '';
        const bucket = textOf(p.ab_bucket) ?? '';
        bump(METRIC.funnelEvents, day, 'landing_view', channel);
        if (user && landed.get(day, user, e.occurred_at, bucket || null, channel || null) === 1) {
          bump(METRIC.funnelActors, day, 'landing_view', channel);
          bump(METRIC.abViews, day, bucket, channel);
        }
        return;
      }
      case 'cta_click': {
        const user = textOf(p.user_id);
        const cta = textOf(p.cta_id) ?? '';
        let bucket = '';
        let channel = '';
        let today: UserDay | undefined;
        if (user) {
          let before: UserDay | undefined;
          for (const d of userDays.all(day, dayBefore(day), user) as UserDay[]) {
            if (d.day === day) today = d;
            else before = d;
          }
          const visit = today?.landed_at ? today : before?.landed_at ? before : undefined;
          bucket = visit?.ab_bucket ?? '';
          channel = visit?.source_channel ?? '';
        }
        bump(METRIC.funnelEvents, day, 'cta_click', channel);
        if (!user) return;
        const ctas = JSON.parse(today?.ctas ?? '[]') as string[];
        const firstOnCta = !ctas.includes(cta);
        if (firstOnCta) ctas.push(cta);
        clicked.run(day, user, JSON.stringify(ctas));
        if (!today?.clicks) bump(METRIC.funnelActors, day, 'cta_click', channel);
        if (firstOnCta) bump(METRIC.abClicks, day, bucket, cta, channel);
        return;
      }
      case 'license_apply':
      case 'license_approved':
      case 'task_start': {
        const persona = e.event === 'license_apply' ? (textOf(p.persona_tag) ?? '') : '';
        bump(METRIC.funnelEvents, day, e.event, persona);
        const account = textOf(p.account_id);
        if (account && accountCounters[e.event]!.get(day, account) === 1)
          bump(METRIC.funnelActors, day, e.event, persona);
        const template = textOf(p.template_id);
        if (e.event === 'license_apply' && template) bump(METRIC.templateApplies, day, template, persona);
        if (e.event === 'license_approved' && template) bump(METRIC.templateApprovals, day, template);
        if (e.event === 'task_start') {
          const estimated = numberOf(p.estimated_credits);
          if (estimated !== null) bump(METRIC.creditsEstimated, day, '', '', '', estimated);
        }
        return;
      }
      case 'task_completed': {
        bump(METRIC.funnelEvents, day, 'task_completed');
        const spent = numberOf(p.credits_spent);
        if (spent !== null) bump(METRIC.creditsSpent, day, '', '', '', spent);
        return;
      }
      case 'task_failed':
        bump(METRIC.failures, day, textOf(p.failure_code) ?? '', textOf(p.policy_tag) ?? '');
        return;
      case 'heatmap_view': {
        const template = textOf(p.template_id);
        if (!template) return;
        bump(METRIC.templateViews, day, template);
        const position = integerOf(p.position);
        if (position !== null && position >= 1)
          bump(METRIC.templatePositions, day, template, '', '', position);
        return;
      }
    }
  };

  const batch = {
    begin: () => pending.clear(),
    end: () => {
      for (const c of pending.values()) write.run(c.metric, c.day, c.k1, c.k2, c.k3, c.n, c.total);
      pending.clear();
    },
  };
  return { onStored, batch };
}
export type MetricsProjection = ReturnType<typeof keepMetrics>;

const BACKFILL_CHUNK = 20_000;

/**
 * Counts the events stored before migration 007 (it leaves `metrics_backfill_upto` when there were any):
 * replays them in id order through the projection, a chunk per transaction, recording how far it got so a
 * crash resumes rather than counts twice. Runs when the app is built, before it serves. Returns the number
 * of events replayed.
 */
export function backfillMetrics(db: DB, metrics: MetricsProjection, chunkSize = BACKFILL_CHUNK): number {
  const meta = db.prepare('SELECT value FROM landing_phase1_meta WHERE key = ?').pluck();
  const upto = meta.get('metrics_backfill_upto') as string | undefined;
  if (upto === undefined) return 0;
  const last = Number(upto);
  const names = [...METRIC_EVENTS];
  const chunk = db.prepare(
    `SELECT id, event_id, event, day, occurred_at, source, violation_count, properties
     FROM landing_phase1_events WHERE id > ? AND id <= ? AND +event IN (${names.map(() => '?').join(', ')})
     ORDER BY id`,
  );
  const setDone = db.prepare("UPDATE landing_phase1_meta SET value = ? WHERE key = 'metrics_backfill_done'");
  let replayed = 0;
  let done = Number(meta.get('metrics_backfill_done') ?? 0);
  while (done < last) {
    const to = Math.min(done + chunkSize, last);
    db.transaction(() => {
      metrics.batch.begin();
      const rows = chunk.all(done, to, ...names) as Array<
        Omit<StoredEventInfo, 'pk' | 'properties'> & { id: number; properties: string }
      >;
      for (const { id, properties, ...r } of rows)
        metrics.onStored({ ...r, pk: id, properties: JSON.parse(properties) as Record<string, unknown> });
      metrics.batch.end();
      setDone.run(String(to));
      replayed += rows.length;
    })();
    done = to;
  }
  db.prepare(
    "DELETE FROM landing_phase1_meta WHERE key IN ('metrics_backfill_upto', 'metrics_backfill_done')",
  ).run();
  return replayed;
}
