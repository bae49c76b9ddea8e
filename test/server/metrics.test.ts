import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type GeneratedEvent, generateTraffic } from '../../db/demo.ts';
import { type DB, openDatabase, seedPlan } from '../../db/open.ts';
import type { AppDeps } from '../../server/app.ts';
import { createApp } from '../../server/app.ts';
import { ingestGenerated } from '../../server/demo.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { dayOf, type IncomingEvent } from '../../server/ingest/store.ts';
import { backfillMetrics, keepMetrics } from '../../server/metrics/projection.ts';
import {
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
  UNKNOWN,
} from '../../server/metrics/schemas.ts';
import {
  creditsUpdated,
  landingView,
  licenseApply,
  TEST_PII_KEY,
  type TestApp,
  taskCompleted,
  taskFailed,
  taskStart,
  testApp,
} from './helpers.ts';

/**
 * The metrics board's endpoints (server/metrics): every series equals a direct count made here from the
 * stored events (or the licence and ledger rows) on a generated stream with hand-made attribution cases;
 * the UTC+8 day boundary; duplicates; a database backfilled at start equals one counted live; the query's
 * validation; access.
 */

const apps: TestApp[] = [];
function app(overrides: Partial<AppDeps> = {}) {
  const t = testApp(overrides);
  apps.push(t);
  return t;
}
afterEach(() => {
  for (const t of apps.splice(0)) {
    t.hub.close();
    t.cleanup();
  }
});

const SCHEMAS = {
  funnel: funnelSchema,
  'cta-ab': ctaAbSchema,
  'hot-templates': hotTemplatesSchema,
  failures: failuresSchema,
  credits: creditsSchema,
  'license-review': licenseReviewSchema,
} as const;
type Endpoint = keyof typeof SCHEMAS;
const ENDPOINTS = Object.keys(SCHEMAS) as Endpoint[];

/** GET /api/metrics/<endpoint>?<query> as the data analyst: 200, and the answer as its schema reads it */
async function metrics<E extends Endpoint>(t: TestApp, endpoint: E, query: Record<string, string> = {}) {
  const res = await t.get(`/api/metrics/${endpoint}?${new URLSearchParams(query)}`);
  const body = (await res.json()) as unknown;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return SCHEMAS[endpoint].parse(body) as {
    funnel: FunnelMetrics;
    'cta-ab': CtaAbMetrics;
    'hot-templates': HotTemplatesMetrics;
    failures: FailuresMetrics;
    credits: CreditsMetrics;
    'license-review': LicenseReviewMetrics;
  }[E];
}

// ── the stream ─────────────────────────────────────────────────────────────────────────────────────────

const FROM = Date.parse('2026-11-22T00:00:00.000Z');
const TO = Date.parse('2026-11-25T00:00:00.000Z');
/** the range the tests ask for: the stream's days (2026-11-22 … 2026-11-25 in UTC+8) and an empty day each side */
const RANGE = { from: '2026-11-21', to: '2026-11-26' };

const generated = (seed: number): GeneratedEvent[] =>
  generateTraffic({
    seed,
    from: FROM,
    to: TO,
    journeys: 400,
    badShare: 0.2,
    duplicateShare: 0.05,
    unplannedShare: 0.02,
  });

const hex = (c: string) => c.repeat(32);
const U = { a: hex('a'), b: hex('b'), c: hex('c'), d: hex('d'), e: hex('e'), f: hex('f'), g: hex('9') };
const ACCOUNT = '0123456789abcdef0123456789abcdef01234567';

const click = (id: string, user: string | undefined, cta: string, at: string): IncomingEvent => ({
  event: 'cta_click',
  event_id: id,
  occurred_at: at,
  properties: { cta_id: cta, ...(user ? { user_id: user } : {}) },
});

/**
 * Hand-made cases, stored in this order after the generated stream: what a click is attributed to depends on
 * what was stored before it.
 */
const CRAFTED: Array<{ source: string; events: IncomingEvent[] }> = [
  {
    source: 'frontend-build',
    events: [
      // a: lands in A then (later that day) in B; counted as a viewer under A (first landing of the day),
      // clicks under B (latest landing); a second click on the same CTA is not a second user
      landingView(
        'x-a1',
        { user_id: U.a, ab_bucket: 'A', source_channel: 'search' },
        '2026-11-23T10:00:00+08:00',
      ),
      landingView(
        'x-a2',
        { user_id: U.a, ab_bucket: 'B', source_channel: 'douyin_ad' },
        '2026-11-23T11:00:00+08:00',
      ),
      click('x-a3', U.a, 'replicate_now', '2026-11-23T11:05:00+08:00'),
      click('x-a4', U.a, 'replicate_now', '2026-11-23T11:06:00+08:00'),
      click('x-a5', U.a, 'view_cases', '2026-11-23T11:07:00+08:00'),
      // b: its later landing (B) arrives first, an earlier one (A) after it: B stays its latest
      landingView(
        'x-b1',
        { user_id: U.b, ab_bucket: 'B', source_channel: 'xiaohongshu' },
        '2026-11-23T13:00:00+08:00',
      ),
      landingView(
        'x-b2',
        { user_id: U.b, ab_bucket: 'A', source_channel: 'search' },
        '2026-11-23T09:00:00+08:00',
      ),
      click('x-b3', U.b, 'view_cases', '2026-11-23T13:30:00+08:00'),
      // c: clicks with no landing at all; and a click with no user
      click('x-c1', U.c, 'replicate_now', '2026-11-24T09:00:00+08:00'),
      click('x-c2', undefined, 'replicate_now', '2026-11-24T09:00:00+08:00'),
      // d: its click is stored before its landing (unknown), the next day's click after it (A, the day
      // before's landing)
      click('x-d1', U.d, 'replicate_now', '2026-11-24T10:00:00+08:00'),
      landingView(
        'x-d2',
        { user_id: U.d, ab_bucket: 'A', source_channel: 'partner' },
        '2026-11-24T09:59:00+08:00',
      ),
      click('x-d3', U.d, 'replicate_now', '2026-11-25T08:00:00+08:00'),
      // e: lands on two days (a viewer on each); f: lands without a bucket, then clicks
      landingView(
        'x-e1',
        { user_id: U.e, ab_bucket: 'B', source_channel: 'search' },
        '2026-11-22T20:00:00+08:00',
      ),
      landingView(
        'x-e2',
        { user_id: U.e, ab_bucket: 'B', source_channel: 'search' },
        '2026-11-24T20:00:00+08:00',
      ),
      landingView('x-f1', { user_id: U.f, ab_bucket: undefined }, '2026-11-24T21:00:00+08:00'),
      click('x-f2', U.f, 'view_cases', '2026-11-24T21:01:00+08:00'),
      // g: its only landing is two days before its click: unknown
      landingView('x-g1', { user_id: U.g, ab_bucket: 'A' }, '2026-11-22T12:00:00+08:00'),
      click('x-g2', U.g, 'replicate_now', '2026-11-24T12:00:00+08:00'),
    ].map((e) => {
      // an undefined override removes the field
      const properties = Object.fromEntries(Object.entries(e.properties).filter(([, v]) => v !== undefined));
      return { ...e, properties };
    }),
  },
  {
    source: 'platform-integration',
    events: [
      // one account applying twice a day under two personas: one account, counted under the first persona
      licenseApply(
        'x-l1',
        { account_id: ACCOUNT, persona_tag: 'creator_studio' },
        '2026-11-23T10:00:00+08:00',
      ),
      licenseApply(
        'x-l2',
        { account_id: ACCOUNT, persona_tag: 'operator_contractor' },
        '2026-11-23T11:00:00+08:00',
      ),
      taskStart(
        'x-t1',
        'x_task_1',
        { account_id: ACCOUNT, estimated_credits: 12.5 },
        '2026-11-23T12:00:00+08:00',
      ),
      taskStart('x-t2', 'x_task_2', { account_id: ACCOUNT }, '2026-11-23T12:30:00+08:00'),
      taskCompleted('x-t3', 'x_task_1', { credits_spent: 11.25 }, '2026-11-23T12:10:00+08:00'),
      taskFailed('x-t4', 'x_task_2', { failure_code: undefined }, '2026-11-23T12:40:00+08:00'),
    ].map((e) => ({
      ...e,
      properties: Object.fromEntries(Object.entries(e.properties).filter(([, v]) => v !== undefined)),
    })),
  },
];

function ingestStream(t: TestApp, seed: number) {
  const stream = generated(seed);
  ingestGenerated(t.store, stream);
  for (const b of CRAFTED) t.store.ingest(b.events, b.source);
  return stream;
}

// ── direct counts over the stored events ────────────────────────────────────────────────────────────────

interface Stored {
  id: number;
  event: string;
  day: string;
  occurred_at: string;
  properties: Record<string, unknown>;
}
const storedEvents = (db: DB): Stored[] =>
  (
    db
      .prepare('SELECT id, event, day, occurred_at, properties FROM landing_phase1_events ORDER BY id')
      .all() as Array<Omit<Stored, 'properties'> & { properties: string }>
  ).map((e) => ({ ...e, properties: JSON.parse(e.properties) as Record<string, unknown> }));

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const label = (v: string) => (v === '' ? UNKNOWN : v);

/** one stored event as the board reads it: step, actor, filter value, A/B bucket and CTA */
interface Fact {
  id: number;
  day: string;
  event: string;
  actor: string | null;
  channel: string;
  persona: string;
  bucket: string;
  cta: string;
}

const previousDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Every stored event of interest, in the order stored, with a click's bucket and channel taken from its
 * user's latest landing_view (by occurred_at, the later stored on a tie) of the click's day, else of the day
 * before, among those stored before it.
 */
function facts(events: Stored[]): Fact[] {
  /** user|day → that day's latest landing so far */
  const latest = new Map<string, { at: string; bucket: string; channel: string }>();
  const out: Fact[] = [];
  for (const e of events) {
    const p = e.properties;
    const base = { id: e.id, day: e.day, event: e.event, channel: '', persona: '', bucket: '', cta: '' };
    if (e.event === 'landing_view') {
      const user = text(p.user_id);
      const f = {
        ...base,
        actor: user,
        channel: text(p.source_channel) ?? '',
        bucket: text(p.ab_bucket) ?? '',
      };
      const prev = user ? latest.get(`${user}|${e.day}`) : undefined;
      if (user && (!prev || e.occurred_at >= prev.at))
        latest.set(`${user}|${e.day}`, { at: e.occurred_at, bucket: f.bucket, channel: f.channel });
      out.push(f);
    } else if (e.event === 'cta_click') {
      const user = text(p.user_id);
      const seen = user
        ? (latest.get(`${user}|${e.day}`) ?? latest.get(`${user}|${previousDay(e.day)}`))
        : undefined;
      out.push({
        ...base,
        actor: user,
        bucket: seen?.bucket ?? '',
        channel: seen?.channel ?? '',
        cta: text(p.cta_id) ?? '',
      });
    } else if (['license_apply', 'license_approved', 'task_start'].includes(e.event)) {
      out.push({
        ...base,
        actor: text(p.account_id),
        persona: e.event === 'license_apply' ? (text(p.persona_tag) ?? '') : '',
      });
    } else if (e.event === 'task_completed') out.push({ ...base, actor: null });
  }
  return out;
}

interface Filters {
  persona?: string;
  channel?: string;
}
const STEP_FILTER: Record<string, 'channel' | 'persona' | undefined> = {
  landing_view: 'channel',
  cta_click: 'channel',
  license_apply: 'persona',
};
const passes = (f: Fact, filters: Filters) => {
  const dim = STEP_FILTER[f.event];
  if (!dim || filters[dim] === undefined) return true;
  return (dim === 'channel' ? f.channel : f.persona) === filters[dim];
};
/** the first fact of each key, in stored order */
function firstBy(list: Fact[], key: (f: Fact) => string): Fact[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const k = key(f);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function expectedFunnel(all: Fact[], days: string[], filters: Filters) {
  return days.map((day) => {
    const events: Record<string, number> = {};
    const actors: Record<string, number | null> = {};
    for (const step of FUNNEL_STEP_NAMES) {
      const of = all.filter((f) => f.day === day && f.event === step);
      events[step] = of.filter((f) => passes(f, filters)).length;
      actors[step] =
        step === 'task_completed'
          ? null
          : firstBy(
              of.filter((f) => f.actor !== null),
              (f) => f.actor!,
            ).filter((f) => passes(f, filters)).length;
    }
    return { day, events, actors };
  });
}

/** per day, `bucket|cta` → views and clicks (views keyed `bucket|` apply to every CTA of the bucket) */
function expectedAb(all: Fact[], day: string, channel?: string) {
  const ok = (f: Fact) => channel === undefined || f.channel === channel;
  const views = new Map<string, number>();
  for (const f of firstBy(
    all.filter((x) => x.day === day && x.event === 'landing_view' && x.actor),
    (x) => x.actor!,
  ).filter(ok))
    views.set(label(f.bucket), (views.get(label(f.bucket)) ?? 0) + 1);
  const clicks = new Map<string, number>();
  for (const f of firstBy(
    all.filter((x) => x.day === day && x.event === 'cta_click' && x.actor),
    (x) => `${x.actor}|${x.cta}`,
  ).filter(ok)) {
    const k = `${label(f.bucket)}|${label(f.cta)}`;
    clicks.set(k, (clicks.get(k) ?? 0) + 1);
  }
  return { views, clicks };
}

function checkAb(body: CtaAbMetrics, all: Fact[], channel?: string) {
  for (const { day, cells } of body.series) {
    const want = expectedAb(all, day, channel);
    for (const c of cells) {
      expect(c.views, `${day} ${c.ab_bucket} views`).toBe(want.views.get(c.ab_bucket) ?? 0);
      expect(c.clicks, `${day} ${c.ab_bucket}|${c.cta_id} clicks`).toBe(
        want.clicks.get(`${c.ab_bucket}|${c.cta_id}`) ?? 0,
      );
      expect(c.ctr).toBe(c.views ? c.clicks / c.views : null);
    }
    // nothing counted is missing from the grid
    for (const b of want.views.keys()) expect(cells.some((c) => c.ab_bucket === b)).toBe(true);
    for (const k of want.clicks.keys())
      expect(
        cells.some((c) => `${c.ab_bucket}|${c.cta_id}` === k),
        k,
      ).toBe(true);
  }
  // the range's cells are the days' sums
  for (const c of body.cells) {
    const days = body.series.map(
      (d) => d.cells.find((x) => x.ab_bucket === c.ab_bucket && x.cta_id === c.cta_id)!,
    );
    expect(c.views).toBe(days.reduce((n, x) => n + x.views, 0));
    expect(c.clicks).toBe(days.reduce((n, x) => n + x.clicks, 0));
  }
}

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = Date.parse(from); d <= Date.parse(to); d += 86_400_000)
    out.push(new Date(d).toISOString().slice(0, 10));
  return out;
};
const RANGE_DAYS = days(RANGE.from, RANGE.to);

// ── the series equal direct counts ──────────────────────────────────────────────────────────────────────

describe('every series equals a direct count of the stored events', () => {
  it.each([7, 2026])('funnel per UTC+8 day, with distinct users / accounts (stream %i)', async (seed) => {
    const t = app();
    ingestStream(t, seed);
    const all = facts(storedEvents(t.db));

    const body = await metrics(t, 'funnel', RANGE);
    expect(body.days).toEqual(RANGE_DAYS);
    expect(body.series).toEqual(expectedFunnel(all, RANGE_DAYS, {}));
    expect(body.filters_applied).toEqual([]);
    // the range: sums of the days, conversion between consecutive steps
    expect(body.steps.map((s) => [s.step, s.unit])).toEqual([
      ['landing_view', 'users'],
      ['cta_click', 'users'],
      ['license_apply', 'accounts'],
      ['license_approved', 'accounts'],
      ['task_start', 'accounts'],
      ['task_completed', 'events'],
    ]);
    body.steps.forEach((s, i) => {
      expect(s.events).toBe(body.series.reduce((n, d) => n + d.events[s.step], 0));
      if (s.unit !== 'events')
        expect(s.actor_days).toBe(body.series.reduce((n, d) => n + d.actors[s.step]!, 0));
      else expect(s.actor_days).toBeNull();
      const prev = body.steps[i - 1];
      if (!prev) expect(s.conversion).toBeNull();
      else if (s.unit === 'events') {
        expect(s.conversion_basis).toBe('events');
        expect(s.conversion).toBe(s.events / prev.events);
      } else {
        expect(s.conversion_basis).toBe('actors');
        expect(s.conversion).toBe(s.actor_days! / prev.actor_days!);
      }
    });
    // the stream has steps where events outnumber actors (several tasks per account) and empty days
    expect(body.steps[4]!.events).toBeGreaterThan(body.steps[4]!.actor_days!);
    expect(body.series[0]!.events.landing_view).toBe(0);
    expect(body.series.at(-1)!.events.landing_view).toBe(0);
    // the stored landing_views of a day are what the completeness counters hold
    const completeness = t.db
      .prepare("SELECT day, total FROM landing_phase1_completeness_events WHERE event = 'landing_view'")
      .all() as Array<{ day: string; total: number }>;
    for (const c of completeness)
      expect(body.series.find((d) => d.day === c.day)?.events.landing_view).toBe(c.total);
    // and the steps' events are what the Metabase view (migration 006) counts
    const view = t.db.prepare('SELECT * FROM landing_phase1_funnel_daily').all() as Array<
      Record<string, number> & { day: string }
    >;
    expect(view.length).toBeGreaterThan(3);
    for (const v of view)
      for (const step of FUNNEL_STEP_NAMES)
        expect(body.series.find((d) => d.day === v.day)?.events[step], `${v.day} ${step}`).toBe(v[step]);
  });

  it('funnel with persona and channel filters: each applies to the steps whose events carry it', async () => {
    const t = app();
    ingestStream(t, 42);
    const all = facts(storedEvents(t.db));
    const filters = { persona: 'creator_studio', channel: 'search' };
    const body = await metrics(t, 'funnel', { ...RANGE, ...filters });
    expect(body.series).toEqual(expectedFunnel(all, RANGE_DAYS, filters));
    expect(body.filters_applied).toEqual(['persona', 'channel']);
    expect(body.filters_by_series).toEqual({
      landing_view: ['channel'],
      cta_click: ['channel'],
      license_apply: ['persona'],
      license_approved: [],
      task_start: [],
      task_completed: [],
    });
    const unfiltered = await metrics(t, 'funnel', RANGE);
    const sum = (b: FunnelMetrics, step: (typeof FUNNEL_STEP_NAMES)[number]) =>
      b.steps.find((s) => s.step === step)!.events;
    expect(sum(body, 'landing_view')).toBeLessThan(sum(unfiltered, 'landing_view'));
    expect(sum(body, 'license_apply')).toBeLessThan(sum(unfiltered, 'license_apply'));
    expect(sum(body, 'task_start')).toBe(sum(unfiltered, 'task_start'));
    // a channel's users of a day, and the other channels', add up to the day's users
    const channels = new Set(all.filter((f) => f.event === 'landing_view').map((f) => f.channel));
    for (const day of ['2026-11-23', '2026-11-24']) {
      let users = 0;
      for (const channel of channels)
        users += expectedFunnel(all, [day], { channel })[0]!.actors.landing_view!;
      expect(users).toBe(unfiltered.series.find((d) => d.day === day)!.actors.landing_view);
    }
    // only persona: the filters applied are said
    const persona = await metrics(t, 'funnel', { ...RANGE, persona: 'operator_contractor' });
    expect(persona.filters_applied).toEqual(['persona']);
    expect(persona.series).toEqual(expectedFunnel(all, RANGE_DAYS, { persona: 'operator_contractor' }));
  });

  it('CTA A/B: viewers per bucket, clickers per bucket × CTA under their latest landing of that day or the day before', async () => {
    const t = app();
    ingestStream(t, 7);
    const all = facts(storedEvents(t.db));
    const body = await metrics(t, 'cta-ab', RANGE);
    checkAb(body, all);
    expect(body.filters_by_series).toEqual({ views: [], clicks: [] });
    const filtered = await metrics(t, 'cta-ab', { ...RANGE, channel: 'search' });
    checkAb(filtered, all, 'search');
    expect(filtered.filters_applied).toEqual(['channel']);

    // the hand-made cases, read off the grid
    const cell = (b: CtaAbMetrics, day: string, bucket: string, cta: string) =>
      b.series.find((d) => d.day === day)!.cells.find((c) => c.ab_bucket === bucket && c.cta_id === cta)!;
    const generatedOnly = all.filter((f) => !Object.values(U).includes(f.actor ?? ''));
    const base = (day: string) => expectedAb(generatedOnly, day);
    // 11-23: a is a viewer under A and b under B (first landings); a clicks replicate_now and view_cases
    // under B (its latest landing of the day), b view_cases under B (its later landing arrived first)
    const d23 = base('2026-11-23');
    expect(cell(body, '2026-11-23', 'A', 'replicate_now').views).toBe((d23.views.get('A') ?? 0) + 1);
    expect(cell(body, '2026-11-23', 'B', 'replicate_now').views).toBe((d23.views.get('B') ?? 0) + 1);
    expect(cell(body, '2026-11-23', 'B', 'replicate_now').clicks).toBe(
      (d23.clicks.get('B|replicate_now') ?? 0) + 1,
    );
    expect(cell(body, '2026-11-23', 'B', 'view_cases').clicks).toBe(
      (d23.clicks.get('B|view_cases') ?? 0) + 2,
    );
    // 11-24: c (no landing), d (click stored before its landing) and g (landed two days before) are
    // unknown; f landed with no bucket
    const d24 = base('2026-11-24');
    expect(cell(body, '2026-11-24', UNKNOWN, 'replicate_now').clicks).toBe(
      (d24.clicks.get(`${UNKNOWN}|replicate_now`) ?? 0) + 3,
    );
    expect(cell(body, '2026-11-24', UNKNOWN, 'view_cases').clicks).toBe(
      (d24.clicks.get(`${UNKNOWN}|view_cases`) ?? 0) + 1,
    );
    expect(cell(body, '2026-11-24', UNKNOWN, 'view_cases').views).toBe((d24.views.get(UNKNOWN) ?? 0) + 1);
    // 11-25: d's click counts under A, its landing of the day before
    const d25 = base('2026-11-25');
    expect(cell(body, '2026-11-25', 'A', 'replicate_now').clicks).toBe(
      (d25.clicks.get('A|replicate_now') ?? 0) + 1,
    );
    // e is a viewer on both its days
    expect(cell(body, '2026-11-22', 'B', 'view_cases').views).toBe(
      (base('2026-11-22').views.get('B') ?? 0) + 1,
    );
    // the enum's buckets and CTAs come first, the unknown one last
    expect(body.cells.slice(0, 2).map((c) => [c.ab_bucket, c.cta_id])).toEqual([
      ['A', 'replicate_now'],
      ['A', 'view_cases'],
    ]);
    expect(body.cells.at(-1)!.ab_bucket).toBe(UNKNOWN);
  });

  it('hot templates: views and mean position beside applies and approvals, top 20 by views', async () => {
    const t = app();
    ingestStream(t, 2026);
    const events = storedEvents(t.db);
    const per = new Map<string, { views: number; positions: number[]; applies: number; approvals: number }>();
    const of = (tpl: string) => {
      let v = per.get(tpl);
      if (!v) {
        v = { views: 0, positions: [], applies: 0, approvals: 0 };
        per.set(tpl, v);
      }
      return v;
    };
    for (const e of events) {
      const tpl = text(e.properties.template_id);
      if (!tpl) continue;
      const pos = e.properties.position;
      if (e.event === 'heatmap_view') {
        of(tpl).views++;
        if (typeof pos === 'number' && Number.isSafeInteger(pos) && pos >= 1) of(tpl).positions.push(pos);
      }
      if (e.event === 'license_apply' && text(e.properties.persona_tag) === 'creator_studio')
        of(tpl).applies++;
      if (e.event === 'license_approved') of(tpl).approvals++;
    }
    const want = [...per]
      .filter(([, v]) => v.views > 0)
      .sort((a, b) => b[1].views - a[1].views || (a[0] < b[0] ? -1 : 1))
      .slice(0, 20)
      .map(([template_id, v], i) => ({
        template_id,
        rank: i + 1,
        views: v.views,
        mean_position: v.positions.length
          ? v.positions.reduce((a, b) => a + b, 0) / v.positions.length
          : null,
        applies: v.applies,
        approvals: v.approvals,
      }));
    const body = await metrics(t, 'hot-templates', { ...RANGE, persona: 'creator_studio' });
    expect(body.templates).toHaveLength(20);
    expect(body.templates.map(({ mean_position, ...r }) => r)).toEqual(
      want.map(({ mean_position, ...r }) => r),
    );
    body.templates.forEach((r, i) => {
      expect(r.mean_position).toBeCloseTo(want[i]!.mean_position!, 9);
    });
    expect(body.filters_by_series).toEqual({
      views: [],
      mean_position: [],
      applies: ['persona'],
      approvals: [],
    });
    // the stream had views without a usable position
    expect(
      events.some(
        (e) =>
          e.event === 'heatmap_view' &&
          text(e.properties.template_id) &&
          !Number.isSafeInteger(e.properties.position),
      ),
    ).toBe(true);
  });

  it('failures per day by failure_code and by policy_tag', async () => {
    const t = app();
    ingestStream(t, 7);
    const failed = storedEvents(t.db).filter((e) => e.event === 'task_failed');
    const body = await metrics(t, 'failures', RANGE);
    expect(body.total).toBe(failed.length);
    for (const [series, field] of [
      [body.by_failure_code, 'failure_code'],
      [body.by_policy_tag, 'policy_tag'],
    ] as const) {
      for (const { day, counts, total } of series.series) {
        const want = new Map<string, number>();
        for (const e of failed.filter((x) => x.day === day)) {
          const k = label(text(e.properties[field]) ?? '');
          want.set(k, (want.get(k) ?? 0) + 1);
        }
        expect(Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0))).toEqual(
          Object.fromEntries(want),
        );
        expect(total).toBe(failed.filter((x) => x.day === day).length);
      }
      for (const k of series.keys)
        expect(k.total).toBe(failed.filter((e) => label(text(e.properties[field]) ?? '') === k.key).length);
      expect(series.keys.map((k) => k.total)).toEqual(
        [...series.keys.map((k) => k.total)].sort((a, b) => b - a),
      );
    }
    // the hand-made failure has no failure_code
    expect(body.by_failure_code.keys.some((k) => k.key === UNKNOWN)).toBe(true);
  });

  it('credits per day: estimated vs spent from the task events, tail deductions and rollbacks from the ledger', async () => {
    const t = app();
    ingestStream(t, 2026);
    // ops' manual entries: a posted rollback, a large one waiting, a large one rejected, an adjustment
    const ctx = (username: string) => ({
      user: { id: 0, username, display_name: username, roles: ['ops' as const], team: null },
      audit: { actor: { id: null, username } },
    });
    const charged = t.db
      .prepare("SELECT task_id FROM landing_phase1_ledger WHERE kind = 'task_charge' ORDER BY seq LIMIT 3")
      .pluck()
      .all() as string[];
    t.store.ingest(
      [taskStart('big-s', 'big_task'), taskCompleted('big-c', 'big_task', { credits_spent: 5000 })],
      'platform-integration',
    );
    const entry = (kind: 'manual_rollback' | 'manual_adjustment', task: string, amount: number) =>
      t.db.transaction(() =>
        t.ledger.requestEntry(kind, { task_id: task, amount, policy_tag: 'A1', reason: 'test' }, ctx('ops')),
      )();
    entry('manual_rollback', charged[0]!, 2.5);
    entry('manual_adjustment', charged[1]!, -3);
    const waiting = entry('manual_rollback', 'big_task', 1500);
    const rejected = entry('manual_rollback', 'big_task', 1200);
    t.ledger.decide(rejected.id, false, 'no', ctx('ops2'));
    expect(waiting.status).toBe('pending_approval');

    const body = await metrics(t, 'credits', RANGE);
    const events = storedEvents(t.db);
    const ledger = t.db
      .prepare('SELECT kind, status, amount, created_at FROM landing_phase1_ledger')
      .all() as Array<{
      kind: string;
      status: string;
      amount: number;
      created_at: string;
    }>;
    const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    for (const d of body.series) {
      const of = (event: string, field: string) =>
        events
          .filter((e) => e.day === d.day && e.event === event)
          .map((e) => finite(e.properties[field]))
          .filter((x): x is number => x !== null);
      const entries = (kind: string, status: string) =>
        ledger.filter(
          (l) => dayOf(new Date(l.created_at)) === d.day && l.kind === kind && l.status === status,
        );
      expect(d.estimated).toBeCloseTo(sumOf(of('task_start', 'estimated_credits')), 6);
      expect(d.estimated_tasks).toBe(of('task_start', 'estimated_credits').length);
      expect(d.spent).toBeCloseTo(sumOf(of('task_completed', 'credits_spent')), 6);
      expect(d.spent_tasks).toBe(of('task_completed', 'credits_spent').length);
      expect(d.tail_deducted).toBeCloseTo(
        -sumOf(entries('tail_deduction', 'posted').map((l) => l.amount)),
        6,
      );
      expect(d.tail_deductions).toBe(entries('tail_deduction', 'posted').length);
      expect(d.rolled_back).toBeCloseTo(sumOf(entries('manual_rollback', 'posted').map((l) => l.amount)), 6);
      expect(d.rollbacks).toBe(entries('manual_rollback', 'posted').length);
      expect(d.rollbacks_pending).toBeCloseTo(
        sumOf(entries('manual_rollback', 'pending_approval').map((l) => l.amount)),
        6,
      );
      expect(d.adjusted).toBeCloseTo(sumOf(entries('manual_adjustment', 'posted').map((l) => l.amount)), 6);
    }
    const total = (k: keyof CreditsMetrics['totals']) => body.series.reduce((n, d) => n + d[k], 0);
    for (const k of Object.keys(body.totals) as Array<keyof CreditsMetrics['totals']>)
      expect(body.totals[k]).toBeCloseTo(total(k), 6);
    // the manual entries were made "now" (2026-11-25 in UTC+8)
    expect(body.totals).toMatchObject({
      rolled_back: 2.5,
      rollbacks: 1,
      rollbacks_pending: 1500,
      adjusted: -3,
    });
    expect(body.totals.tail_deductions).toBeGreaterThan(0);
    // approving the waiting rollback moves it from pending to posted
    t.ledger.decide(waiting.id, true, 'ok', ctx('ops2'));
    const after = await metrics(t, 'credits', RANGE);
    expect(after.totals).toMatchObject({ rolled_back: 1502.5, rollbacks: 2, rollbacks_pending: 0 });
  });
});

// ── the licence review ─────────────────────────────────────────────────────────────────────────────────

describe('licence review: decisions per day, approval rate, median time to decision, SLA', () => {
  it('equals a direct count over the licences, on the UTC+8 day of each decision', async () => {
    let now = new Date('2026-11-22T00:00:00.000Z');
    const t = app({ clock: () => now, sessions: { idleMs: 1e12, maxMs: 1e12 } });
    const reviewer = {
      user: {
        id: 0,
        username: 'reviewer',
        display_name: 'r',
        roles: ['compliance_reviewer' as const],
        team: null,
      },
      audit: { actor: { id: null, username: 'reviewer' } },
    };
    // applications: [event id, applied at, fast track, persona]
    const applications: Array<[string, string, boolean, string]> = [
      ['r1', '2026-11-22T01:00:00.000Z', true, 'creator_studio'],
      ['r2', '2026-11-22T02:00:00.000Z', false, 'creator_studio'],
      ['r3', '2026-11-22T03:00:00.000Z', false, 'operator_contractor'],
      ['r4', '2026-11-23T01:00:00.000Z', true, 'operator_contractor'],
      ['r5', '2026-11-23T02:00:00.000Z', false, 'creator_studio'],
      ['r6', '2026-11-24T01:00:00.000Z', false, 'creator_studio'],
      ['r7', '2026-11-24T02:00:00.000Z', true, 'creator_studio'],
      ['r8', '2026-11-24T03:00:00.000Z', false, 'operator_contractor'],
    ];
    for (const [id, at, fast, persona] of applications)
      t.store.ingest(
        [
          licenseApply(
            id,
            { is_fast_track: fast, persona_tag: persona, account_id: ACCOUNT.replace('0', id.slice(1)) },
            at,
          ),
        ],
        'platform-integration',
      );
    const lic = (eventId: string) =>
      t.db
        .prepare('SELECT id, version FROM landing_phase1_licenses WHERE source_event_id = ?')
        .get(eventId) as {
        id: number;
        version: number;
      };
    const decide = (eventId: string, at: string, action: 'approve' | 'reject' | 'revoke') => {
      now = new Date(at);
      const l = lic(eventId);
      t.decide(
        l.id,
        l.version,
        action === 'approve'
          ? { action, terms: { effective_at: at, expiry_type: 'permanent' } }
          : {
              action,
              terms: {
                reason_code: 'material_incomplete',
                policy_tag: 'A1',
                action_required: 'resubmit_material',
              },
            },
        reviewer,
      );
    };
    decide('r1', '2026-11-22T03:00:00.000Z', 'approve'); // fast, 2 h: in time
    decide('r2', '2026-11-23T05:00:00.000Z', 'reject'); // standard, 27 h: late
    decide('r3', '2026-11-22T15:59:59.999Z', 'approve'); // 12:59 h; the last instant of 11-22 in UTC+8
    decide('r4', '2026-11-23T16:00:00.000Z', 'approve'); // fast, 15 h: late; the first instant of 11-24
    decide('r5', '2026-11-23T10:00:00.000Z', 'reject'); // 8 h
    decide('r1', '2026-11-24T05:00:00.000Z', 'revoke');
    decide('r6', '2026-11-24T04:00:00.000Z', 'approve'); // 3 h
    now = new Date('2026-11-24T12:00:00.000Z'); // r7 (fast, 10 h) is past its SLA, r8 (standard, 9 h) is not

    const body = await metrics(t, 'license-review', { from: '2026-11-21', to: '2026-11-25' });
    const rows = t.db.prepare('SELECT * FROM landing_phase1_licenses').all() as Array<{
      status: string;
      decided_at: string | null;
      revoked_at: string | null;
      applied_at: string;
      day: string;
      is_fast_track: number;
      persona_tag: string;
    }>;
    const dayOfAt = (at: string | null) => (at ? dayOf(new Date(at)) : null);
    const hours = (r: (typeof rows)[number]) =>
      (Date.parse(r.decided_at!) - Date.parse(r.applied_at)) / 3_600_000;
    for (const d of body.series) {
      const decided = rows.filter((r) => dayOfAt(r.decided_at) === d.day);
      expect(d).toEqual({
        day: d.day,
        applied: rows.filter((r) => r.day === d.day).length,
        approved: decided.filter((r) => r.status !== 'rejected').length,
        rejected: decided.filter((r) => r.status === 'rejected').length,
        revoked: rows.filter((r) => dayOfAt(r.revoked_at) === d.day).length,
        decided_late: decided.filter((r) => hours(r) > (r.is_fast_track ? 4 : 24)).length,
        approval_rate: decided.length
          ? decided.filter((r) => r.status !== 'rejected').length / decided.length
          : null,
      });
    }
    expect(body.series.map((d) => [d.day, d.approved, d.rejected, d.revoked, d.decided_late])).toEqual([
      ['2026-11-21', 0, 0, 0, 0],
      ['2026-11-22', 2, 0, 0, 0],
      ['2026-11-23', 0, 2, 0, 1],
      ['2026-11-24', 2, 0, 1, 1],
      ['2026-11-25', 0, 0, 0, 0],
    ]);
    // hours to decision: 2, 27, 12.99…, 15, 8, 3 → median (8 + 12.99…) / 2
    expect(body.totals).toEqual({
      applied: 8,
      approved: 4,
      rejected: 2,
      revoked: 1,
      approval_rate: 4 / 6,
      decided_late: 2,
      median_hours_to_decision: Math.round(((8 + (12 + 59 / 60 + 59.999 / 3600)) / 2) * 100) / 100,
      pending: 2,
      pending_breached: 1,
    });
    expect(body.sla).toEqual({ fast_track_hours: 4, standard_hours: 24 });

    // the persona filter: the licences carry their application's persona_tag
    const creators = await metrics(t, 'license-review', {
      from: '2026-11-21',
      to: '2026-11-25',
      persona: 'creator_studio',
    });
    expect(creators.filters_applied).toEqual(['persona']);
    expect(creators.totals).toMatchObject({
      applied: 5,
      approved: 2,
      rejected: 2,
      revoked: 1,
      pending: 1,
      pending_breached: 1,
    });
    // a range that ends on 11-22 has r3's decision, one that starts on 11-24 has r4's
    const d22 = await metrics(t, 'license-review', { from: '2026-11-22', to: '2026-11-22' });
    expect(d22.totals.approved).toBe(2);
    const d24 = await metrics(t, 'license-review', { from: '2026-11-24', to: '2026-11-24' });
    expect(d24.totals).toMatchObject({ approved: 2, revoked: 1, pending: 2, pending_breached: 1 });
  });
});

// ── day boundary, duplicates, backfill ─────────────────────────────────────────────────────────────────

/** the metrics tables, rows in key order (sums rounded: the order they were added in may differ) */
function dumpMetrics(db: DB | Database.Database) {
  return {
    counts: (
      db
        .prepare('SELECT * FROM landing_phase1_metric_counts ORDER BY metric, day, k1, k2, k3')
        .all() as Array<{ total: number }>
    ).map((r) => ({ ...r, total: Math.round(r.total * 1e6) / 1e6 })),
    users: db.prepare('SELECT * FROM landing_phase1_metric_user_days ORDER BY day, user_id').all(),
    accounts: db.prepare('SELECT * FROM landing_phase1_metric_account_days ORDER BY day, account_id').all(),
  };
}

describe('days, duplicates and the backfill', () => {
  it('counts an event on its UTC+8 day: 15:59:59Z is the day before 16:00:00Z', async () => {
    const t = app();
    t.store.ingest(
      [
        landingView('b1', { user_id: U.a }, '2026-11-24T15:59:59.000Z'),
        landingView('b2', { user_id: U.b }, '2026-11-24T16:00:00.000Z'),
        { ...click('b3', U.a, 'replicate_now', '2026-11-24T15:59:59.999Z') },
      ],
      'frontend-build',
    );
    t.store.ingest(
      [
        taskStart('b4', 'tb', {}, '2026-11-24T15:00:00.000Z'),
        taskFailed('b5', 'tb', {}, '2026-11-24T16:00:00.000Z'),
        taskCompleted('b6', 'tb', { credits_spent: 7 }, '2026-11-24T15:59:59.000Z'),
        creditsUpdated('b7', 'led_b7', 'tb', -2, {}, '2026-11-24T15:59:59.999Z'),
        creditsUpdated('b8', 'led_b8', 'tb', -3, {}, '2026-11-24T16:00:00.000Z'),
      ],
      'platform-integration',
    );
    const q = (day: string) => ({ from: day, to: day });
    const before = await metrics(t, 'funnel', q('2026-11-24'));
    const after = await metrics(t, 'funnel', q('2026-11-25'));
    expect(before.series[0]!.events).toMatchObject({
      landing_view: 1,
      cta_click: 1,
      task_start: 1,
      task_completed: 1,
    });
    expect(after.series[0]!.events).toMatchObject({
      landing_view: 1,
      cta_click: 0,
      task_start: 0,
      task_completed: 0,
    });
    expect(before.series[0]!.actors.landing_view).toBe(1);
    expect((await metrics(t, 'failures', q('2026-11-24'))).total).toBe(0);
    expect((await metrics(t, 'failures', q('2026-11-25'))).total).toBe(1);
    const credits24 = await metrics(t, 'credits', q('2026-11-24'));
    const credits25 = await metrics(t, 'credits', q('2026-11-25'));
    expect(credits24.totals).toMatchObject({ spent: 7, tail_deducted: 2, tail_deductions: 1 });
    expect(credits25.totals).toMatchObject({ spent: 0, tail_deducted: 3, tail_deductions: 1 });
    // the A/B click of 11-24 is under the user's bucket (A by the helper's default)
    const ab = await metrics(t, 'cta-ab', q('2026-11-24'));
    expect(ab.cells.find((c) => c.ab_bucket === 'A' && c.cta_id === 'replicate_now')).toMatchObject({
      views: 1,
      clicks: 1,
      ctr: 1,
    });
  });

  it('a repeated delivery counts nothing', async () => {
    const t = app();
    const stream = ingestStream(t, 7);
    const once = dumpMetrics(t.db);
    const answer = await metrics(t, 'funnel', RANGE);
    ingestGenerated(t.store, stream);
    for (const b of CRAFTED) expect(t.store.ingest(b.events, b.source).duplicates).toBe(b.events.length);
    expect(dumpMetrics(t.db)).toEqual(once);
    expect(await metrics(t, 'funnel', RANGE)).toEqual(answer);
    // the stream did repeat deliveries of its own
    expect(stream.length).toBeGreaterThan(new Set(stream.map((e) => e.event_id)).size);
  });

  const migrationsDir = fileURLToPath(new URL('../../db/migrations', import.meta.url));

  /**
   * a database at migration 002 holding `live`'s stored events: opening it runs 003 onwards over them, so the
   * licences, tasks and ledger are what those migrations make of the events, then 007
   */
  function databaseBefore007(live: TestApp, dir: string): string {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE landing_phase1_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    for (const file of readdirSync(migrationsDir)
      .filter((f) => /^\d+_.+\.sql$/.test(f))
      .sort()) {
      const version = Number.parseInt(file, 10);
      if (version > 2) continue;
      old.exec(readFileSync(join(migrationsDir, file), 'utf8'));
      old
        .prepare('INSERT INTO landing_phase1_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(version, file, live.now.toISOString());
    }
    seedPlan(old);
    const rows = live.db.prepare('SELECT * FROM landing_phase1_events ORDER BY id').all() as Array<
      Record<string, unknown>
    >;
    const columns = Object.keys(rows[0]!);
    const insert = old.prepare(
      `INSERT INTO landing_phase1_events (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    old.transaction(() => {
      for (const r of rows) insert.run(r);
    })();
    old.close();
    return path;
  }

  it('a database that held events before migration 007 is backfilled at start to what live counting gives', async () => {
    const t = app();
    ingestStream(t, 2026);
    const live = dumpMetrics(t.db);
    const answers = await Promise.all(ENDPOINTS.map((e) => metrics(t, e, RANGE)));
    expect(live.counts.length).toBeGreaterThan(100);

    const dir = mkdtempSync(join(tmpdir(), 'landing-console-metrics-'));
    try {
      const path = databaseBefore007(t, dir);
      const db = openDatabase(path);
      try {
        expect(
          db
            .prepare("SELECT value FROM landing_phase1_meta WHERE key = 'metrics_backfill_upto'")
            .pluck()
            .get(),
        ).toBe(String(t.db.prepare('SELECT max(id) FROM landing_phase1_events').pluck().get()));
        // until the app is built the event counters are empty (the ledger's are filled by the migration)
        expect(
          db
            .prepare("SELECT count(*) FROM landing_phase1_metric_counts WHERE metric <> 'ledger'")
            .pluck()
            .get(),
        ).toBe(0);
        const built = createApp({ db, piiKey: TEST_PII_KEY, clock: () => t.now });
        expect(dumpMetrics(db)).toEqual(live);
        expect(
          db
            .prepare("SELECT count(*) FROM landing_phase1_meta WHERE key LIKE 'metrics_backfill%'")
            .pluck()
            .get(),
        ).toBe(0);
        // built again: nothing is counted twice
        createApp({ db, piiKey: TEST_PII_KEY, clock: () => t.now });
        expect(dumpMetrics(db)).toEqual(live);
        // and it answers as the live one does
        const user = built.sessions.create(
          db
            .prepare(
              "INSERT INTO landing_phase1_users (username, display_name, roles, password_hash, created_at, updated_at) VALUES ('a', 'a', '[\"data_analyst\"]', 'x', ?, ?)",
            )
            .run(t.now.toISOString(), t.now.toISOString()).lastInsertRowid as number,
          t.now,
          'test',
          'vitest',
        );
        for (const [i, e] of ENDPOINTS.entries()) {
          const res = await built.app.request(`/api/metrics/${e}?${new URLSearchParams(RANGE)}`, {
            headers: { Cookie: `lc_session=${user}` },
          });
          expect(await res.json(), e).toEqual(answers[i]);
        }
        built.hub.close();
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a backfill cut short resumes after the last chunk it committed', () => {
    const t = app();
    ingestStream(t, 7);
    const live = dumpMetrics(t.db);
    const dir = mkdtempSync(join(tmpdir(), 'landing-console-metrics-'));
    try {
      const db = openDatabase(databaseBefore007(t, dir));
      try {
        // chunks of 200 events; one fails half way through the replay: those before it are committed
        const metrics = keepMetrics(db);
        const stored = db.prepare('SELECT count(*) FROM landing_phase1_events').pluck().get() as number;
        expect(stored).toBeGreaterThan(600);
        let seen = 0;
        let crashedAt = 0;
        const failing = {
          ...metrics,
          onStored: (e: Parameters<typeof metrics.onStored>[0]) => {
            if (++seen === 300) {
              crashedAt = e.pk;
              throw new Error('crash');
            }
            metrics.onStored(e);
          },
        };
        expect(() => backfillMetrics(db, failing, 200)).toThrow('crash');
        const done = Number(
          db
            .prepare("SELECT value FROM landing_phase1_meta WHERE key = 'metrics_backfill_done'")
            .pluck()
            .get(),
        );
        expect(done).toBe(Math.floor((crashedAt - 1) / 200) * 200);
        expect(done).toBeGreaterThan(0);
        expect(backfillMetrics(db, keepMetrics(db), 200)).toBeGreaterThan(0);
        expect(dumpMetrics(db)).toEqual(live);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ── the query, and access ──────────────────────────────────────────────────────────────────────────────

describe('the query', () => {
  it('defaults to the last 14 UTC+8 days, today included, and answers every day of the range', async () => {
    const t = app();
    for (const e of ENDPOINTS) {
      const body = await metrics(t, e);
      expect(body.from, e).toBe('2026-11-12');
      expect(body.to, e).toBe('2026-11-25');
      expect(body.days, e).toHaveLength(14);
      expect(body.persona).toBeNull();
      expect(body.channel).toBeNull();
    }
    const funnel = await metrics(t, 'funnel', { to: '2026-11-01' });
    expect([funnel.from, funnel.to, funnel.series.length]).toEqual(['2026-10-19', '2026-11-01', 14]);
    expect(funnel.series.every((d) => d.events.landing_view === 0)).toBe(true);
    // 92 days is the most a range may span
    const longest = await metrics(t, 'failures', { from: '2026-08-26', to: '2026-11-25' });
    expect(longest.days).toHaveLength(92);
    expect(longest.by_failure_code.series).toHaveLength(92);
  });

  it('a bad parameter is a 400 naming it, on every endpoint', async () => {
    const t = app();
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ from: '2026-13-01' }, ['from']],
      [{ to: '25/11/2026' }, ['to']],
      [{ from: '2026-02-30', to: '2026-03-01' }, ['from']],
      [{ from: '2026-11-20', to: '2026-11-19' }, ['to']],
      [{ from: '2026-11-26' }, ['from']], // after today, the default `to`
      [{ from: '2026-08-25', to: '2026-11-25' }, ['from']], // 93 days
      [{ persona: 'nobody' }, ['persona']],
      [{ persona: '' }, ['persona']],
      [{ channel: '' }, ['channel']],
      [{ day: '2026-11-25' }, ['day']],
      [{ form: '2026-11-01', persona: 'nobody' }, ['form', 'persona']],
    ];
    for (const e of ENDPOINTS) {
      for (const [query, fields] of cases) {
        const res = await t.get(`/api/metrics/${e}?${new URLSearchParams(query)}`);
        const body = (await res.json()) as ErrorBody;
        expect(res.status, `${e} ${JSON.stringify(query)}`).toBe(400);
        expect(Object.keys(body.errors ?? {}).sort(), `${e} ${JSON.stringify(query)}`).toEqual(fields);
        expect(body.message).toMatch(/^invalid metrics query: /);
      }
    }
  });
});

describe('access', () => {
  it('401 without a session; every role reads the board (metrics:read); a user with no role gets 403', async () => {
    const t = app();
    for (const e of ENDPOINTS) {
      const anonymous = await t.app.request(`/api/metrics/${e}`);
      expect(anonymous.status, e).toBe(401);
      for (const role of [
        'compliance_reviewer',
        'ops',
        'product_planner',
        'data_analyst',
        'engineer',
        'admin',
      ] as const)
        expect((await t.as(role).get(`/api/metrics/${e}`)).status, `${e} ${role}`).toBe(200);
      const res = await t.asUser('nobody', []).get(`/api/metrics/${e}`);
      expect(res.status, e).toBe(403);
      expect(((await res.json()) as ErrorBody).message).toContain('metrics:read');
    }
  });
});
