import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTraffic } from '../../db/demo.ts';
import { DEFAULT_VALID_TARGET_PCT, TRACKING_PLAN } from '../../db/plan.ts';
import { ingestGenerated } from '../../server/demo.ts';
import type { Violation } from '../../server/events/schemas.ts';
import { type TestApp, testApp } from './helpers.ts';

/**
 * The SQL views for Metabase (db/migrations/006_metabase_views.sql), read through a read-only connection to
 * the database file as Metabase would, and compared with counts made directly over a generated stream.
 */

const STREAM = generateTraffic({
  seed: 23,
  from: Date.parse('2026-11-21T16:00:00.000Z'),
  to: Date.parse('2026-11-25T15:59:59.000Z'),
  journeys: 500,
  badShare: 0.2,
  duplicateShare: 0.05,
  unplannedShare: 0.02,
});

let t: TestApp;
let reader: Database.Database;
beforeEach(() => {
  t = testApp();
  ingestGenerated(t.store, STREAM);
  reader = new Database(t.path, { readonly: true, fileMustExist: true });
});
afterEach(() => {
  reader.close();
  t.hub.close();
  t.cleanup();
});

interface StoredRow {
  id: number;
  event_id: string;
  event: string;
  day: string;
  occurred_at: string;
  source: string;
  violation_count: number;
  properties: string;
  violations: string;
}
const stored = () => t.db.prepare('SELECT * FROM landing_phase1_events ORDER BY id').all() as StoredRow[];
const key = (...parts: string[]) => parts.join('|');
/** SQLite's BINARY collation: 'LandingView' sorts before 'cta_click' */
const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('landing_phase1_completeness_daily', () => {
  it('has per day × event the stored, valid and invalid events, duplicates and unplanned, and the target', () => {
    const planned = new Set(TRACKING_PLAN.map((e) => e.name));
    const want = new Map<string, Record<string, unknown>>();
    const row = (day: string, event: string) => {
      const k = key(day, event);
      let r = want.get(k);
      if (!r) {
        r = { day, event, total: 0, valid: 0, with_violations: 0, duplicates: 0, unplanned: 0 };
        want.set(k, r);
      }
      return r as Record<string, number>;
    };
    for (const e of stored()) {
      const r = row(e.day, e.event);
      r.total!++;
      if (e.violation_count === 0) r.valid!++;
      else r.with_violations!++;
      if (!planned.has(e.event)) r.unplanned!++;
    }
    // duplicates are not stored: count the repeated deliveries in the stream that was sent
    const dayOf = (at: string) => new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10);
    const seen = new Set<string>();
    for (const e of STREAM) {
      if (seen.has(e.event_id)) row(dayOf(e.occurred_at), e.event).duplicates!++;
      seen.add(e.event_id);
    }
    const expected = [...want.values()]
      .map((r): Record<string, unknown> & { valid_pct: number } => {
        const { total, valid } = r as { total: number; valid: number };
        const validPct = total === 0 ? 100 : (100 * valid) / total;
        const isPlanned = planned.has(r.event as string);
        return {
          ...r,
          valid_pct: validPct,
          target_pct: isPlanned ? DEFAULT_VALID_TARGET_PCT : null,
          below_target: isPlanned && validPct < DEFAULT_VALID_TARGET_PCT ? 1 : 0,
        };
      })
      .sort((a, b) =>
        binary(key(a.day as string, a.event as string), key(b.day as string, b.event as string)),
      );

    const view = reader
      .prepare('SELECT * FROM landing_phase1_completeness_daily ORDER BY day, event')
      .all() as Array<Record<string, unknown>>;
    expect(view.length).toBeGreaterThan(40);
    expect(view).toHaveLength(expected.length);
    for (const [i, r] of view.entries()) {
      const { valid_pct, ...rest } = expected[i]!;
      expect(r).toMatchObject(rest);
      expect(r.valid_pct).toBeCloseTo(valid_pct, 9);
    }
    expect(view.some((r) => (r.duplicates as number) > 0)).toBe(true);
    expect(view.some((r) => r.below_target === 1)).toBe(true);
  });

  it('agrees with GET /api/completeness-events', async () => {
    const res = await t.list('completeness-events', { range: [0, 999] });
    expect(res.status).toBe(200);
    const api = (await res.json()) as Array<Record<string, unknown>>;
    const view = reader.prepare('SELECT * FROM landing_phase1_completeness_daily').all() as Array<
      Record<string, unknown>
    >;
    expect(view).toHaveLength(api.length);
    const byKey = new Map(api.map((r) => [key(r.day as string, r.event as string), r]));
    for (const r of view) {
      const a = byKey.get(key(r.day as string, r.event as string))!;
      expect({ ...r, below_target: r.below_target === 1 }).toEqual({
        day: a.day,
        event: a.event,
        total: a.total,
        valid: a.valid,
        with_violations: a.with_violations,
        duplicates: a.duplicates,
        unplanned: a.unplanned,
        valid_pct: a.valid_pct,
        target_pct: a.target_pct,
        below_target: a.below_target,
      });
    }
  });
});

describe('landing_phase1_funnel_daily', () => {
  it('counts each step per UTC+8 day and the distinct ids its events carry', () => {
    const steps = [
      ['landing_view', 'user_id'],
      ['cta_click', 'user_id'],
      ['license_apply', 'account_id'],
      ['license_approved', 'account_id'],
      ['task_start', 'account_id'],
      ['task_completed', null],
    ] as const;
    const days = new Map<string, { counts: Map<string, number>; ids: Map<string, Set<unknown>> }>();
    for (const e of stored()) {
      const step = steps.find(([name]) => name === e.event);
      if (!step) continue;
      let d = days.get(e.day);
      if (!d) {
        d = { counts: new Map(), ids: new Map() };
        days.set(e.day, d);
      }
      d.counts.set(e.event, (d.counts.get(e.event) ?? 0) + 1);
      if (step[1]) {
        const v = (JSON.parse(e.properties) as Record<string, unknown>)[step[1]];
        const ids = d.ids.get(e.event) ?? new Set();
        // as SQL's json_extract sees it: null and absent are no id; other values are compared as they are
        if (v !== null && v !== undefined) ids.add(v);
        d.ids.set(e.event, ids);
      }
    }
    const expected = [...days.entries()]
      .sort(([a], [b]) => binary(a, b))
      .map(([day, d]) => {
        const r: Record<string, unknown> = { day };
        for (const [name, id] of steps) {
          r[name] = d.counts.get(name) ?? 0;
          if (id) r[`${name}_${id === 'user_id' ? 'users' : 'accounts'}`] = d.ids.get(name)?.size ?? 0;
        }
        return r;
      });
    const view = reader.prepare('SELECT * FROM landing_phase1_funnel_daily ORDER BY day').all();
    expect(view).toEqual(expected);
    expect(view.map((r) => (r as { day: string }).day)).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
    ]);
    // a real funnel: each day has every step and the distinct ids are fewer than the events
    for (const r of view as Array<Record<string, number>>) {
      for (const [name] of steps) expect(r[name], `${r.day} ${name}`).toBeGreaterThan(0);
      expect(r.landing_view_users).toBeLessThanOrEqual(r.landing_view!);
      expect(r.task_start_accounts).toBeLessThan(r.task_start!);
    }
  });
});

describe('landing_phase1_violations', () => {
  it('has one row per violation of a stored event, with the event it belongs to', () => {
    const expected = stored()
      .flatMap((e) =>
        (JSON.parse(e.violations) as Violation[]).map((v) => ({
          day: e.day,
          occurred_at: e.occurred_at,
          event: e.event,
          event_id: e.event_id,
          event_pk: e.id,
          source: e.source,
          field: v.field,
          rule: v.rule,
        })),
      )
      .sort((a, b) => a.event_pk - b.event_pk || binary(key(a.field, a.rule), key(b.field, b.rule)));
    const view = reader
      .prepare('SELECT * FROM landing_phase1_violations ORDER BY event_pk, field, rule')
      .all() as typeof expected;
    expect(view.length).toBeGreaterThan(200);
    expect(view).toEqual(expected);
    expect(new Set(view.map((r) => r.rule))).toEqual(
      new Set(['missing', 'wrong_type', 'out_of_enum', 'pii', 'unplanned', 'escalation_below_policy']),
    );
  });
});

describe('the views for Metabase', () => {
  const VIEWS = [
    'landing_phase1_completeness_daily',
    'landing_phase1_funnel_daily',
    'landing_phase1_violations',
  ];

  it('are in the database as views, and none of them carries properties or a sensitive field', () => {
    expect(
      reader.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").pluck().all(),
    ).toEqual(expect.arrayContaining(VIEWS));
    const sensitive = new Set(
      TRACKING_PLAN.flatMap((e) => e.fields.filter((f) => f.sensitive).map((f) => f.name)),
    );
    expect(sensitive).toEqual(new Set(['user_id', 'account_id', 'approver_id']));
    for (const view of VIEWS) {
      const columns = reader.pragma(`table_info(${view})`) as Array<{ name: string }>;
      expect(columns.length).toBeGreaterThan(3);
      for (const { name } of columns) {
        expect(name).not.toBe('properties');
        expect(sensitive.has(name), `${view}.${name}`).toBe(false);
      }
    }
    // nor any stored id value: a view row never quotes a property
    const ids = reader
      .prepare(
        `SELECT DISTINCT json_extract(properties, '$.user_id') FROM landing_phase1_events
         WHERE json_extract(properties, '$.user_id') IS NOT NULL LIMIT 50`,
      )
      .pluck()
      .all() as string[];
    const dump = JSON.stringify(VIEWS.map((v) => reader.prepare(`SELECT * FROM ${v}`).all()));
    for (const id of ids) if (typeof id === 'string' && id.length > 8) expect(dump).not.toContain(id);
  });

  it.each([
    ['landing_phase1_completeness_daily', 'day = ?', ['2026-11-24'], /SEARCH c USING PRIMARY KEY \(day=\?\)/],
    [
      'landing_phase1_completeness_daily',
      'event = ?',
      ['landing_view'],
      /USING INDEX landing_phase1_completeness_events_event/,
    ],
    [
      'landing_phase1_funnel_daily',
      'day = ?',
      ['2026-11-24'],
      /USING INDEX landing_phase1_events_day \(day=\?\)/,
    ],
    [
      'landing_phase1_funnel_daily',
      'day BETWEEN ? AND ?',
      ['2026-11-23', '2026-11-24'],
      /USING INDEX landing_phase1_events_day \(day>\? AND day<\?\)/,
    ],
    [
      'landing_phase1_violations',
      'day = ?',
      ['2026-11-24'],
      /USING INDEX landing_phase1_events_day \(day=\?\)/,
    ],
    [
      'landing_phase1_violations',
      'rule = ?',
      ['pii'],
      /USING (COVERING )?INDEX landing_phase1_event_violations_rule/,
    ],
  ])('%s filtered by %s reads an index, never the whole table', (view, where, params, index) => {
    const plan = (
      reader.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ${view} WHERE ${where}`).all(...params) as Array<{
        detail: string;
      }>
    ).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(index);
    for (const step of plan)
      expect(step, plan.join('\n')).not.toMatch(/^SCAN (landing_phase1_events|e|v|c)\b/);
    // the violations of an event are found by their event, not by scanning the violations
    if (view === 'landing_phase1_violations' && where.startsWith('day'))
      expect(plan.join('\n')).toMatch(/SEARCH v USING COVERING INDEX landing_phase1_event_violations_event/);
  });
});
