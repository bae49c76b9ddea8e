import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GeneratedEvent, generateTraffic } from '../../db/demo.ts';
import type {
  CompletenessEventRow,
  CompletenessFieldRow,
  CompletenessPush,
} from '../../server/completeness/schemas.ts';
import { ingestGenerated } from '../../server/demo.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import { landingView, type TestApp, testApp } from './helpers.ts';

/**
 * The completeness counters (per UTC+8 day × event × field, and per day × event): always equal to a direct
 * recount of what is stored; their list/read API in the dialect; and the live stream of changed counters.
 */

const FROM = Date.parse('2026-11-22T00:00:00.000Z');
const TO = Date.parse('2026-11-25T00:00:00.000Z');

function generated(seed: number): GeneratedEvent[] {
  return generateTraffic({
    seed,
    from: FROM,
    to: TO,
    journeys: 300,
    badShare: 0.2,
    duplicateShare: 0.05,
    unplannedShare: 0.02,
  });
}

interface EventCounts {
  day: string;
  event: string;
  total: number;
  valid: number;
  with_violations: number;
  duplicates: number;
  unplanned: number;
}
interface FieldCounts {
  day: string;
  event: string;
  field: string;
  total: number;
  missing: number;
  wrong_type: number;
  out_of_enum: number;
  pii: number;
  cross_field: number;
}

/** per day × event, recounted from the stored events and their indexed violations */
function recountEvents(t: TestApp, stream: GeneratedEvent[]): EventCounts[] {
  const rows = t.db
    .prepare(
      `SELECT e.day, e.event, count(*) AS total,
              sum(NOT EXISTS (SELECT 1 FROM landing_phase1_event_violations v WHERE v.event_pk = e.id)) AS valid,
              sum(EXISTS (SELECT 1 FROM landing_phase1_event_violations v WHERE v.event_pk = e.id)) AS with_violations,
              0 AS duplicates,
              sum(e.event NOT IN (SELECT name FROM landing_phase1_plan_events)) AS unplanned
       FROM landing_phase1_events e GROUP BY e.day, e.event ORDER BY e.day, e.event`,
    )
    .all() as EventCounts[];
  // duplicates are not stored: count the repeated deliveries of the stream against the stored event's day
  const deliveries = new Map<string, number>();
  for (const e of stream) deliveries.set(e.event_id, (deliveries.get(e.event_id) ?? 0) + 1);
  const where = t.db.prepare('SELECT day, event FROM landing_phase1_events WHERE event_id = ?');
  for (const [eventId, n] of deliveries) {
    if (n < 2) continue;
    const { day, event } = where.get(eventId) as { day: string; event: string };
    const row = rows.find((r) => r.day === day && r.event === event);
    if (row) row.duplicates += n - 1;
  }
  return rows;
}

/** per day × event × plan field, recounted from the stored events and their indexed violations */
function recountFields(t: TestApp): FieldCounts[] {
  const has = (rule: string) =>
    `sum(EXISTS (SELECT 1 FROM landing_phase1_event_violations v
                 WHERE v.event_pk = e.id AND v.field = f.name AND v.rule = '${rule}'))`;
  return t.db
    .prepare(
      `SELECT e.day, e.event, f.name AS field, count(*) AS total,
              ${has('missing')} AS missing, ${has('wrong_type')} AS wrong_type, ${has('out_of_enum')} AS out_of_enum,
              ${has('pii')} AS pii, ${has('escalation_below_policy')} AS cross_field
       FROM landing_phase1_events e JOIN landing_phase1_plan_fields f ON f.event_name = e.event
       GROUP BY e.day, e.event, f.name ORDER BY e.day, e.event, f.name`,
    )
    .all() as FieldCounts[];
}

const counterEvents = (t: TestApp) =>
  t.db
    .prepare(
      `SELECT day, event, total, valid, with_violations, duplicates, unplanned
       FROM landing_phase1_completeness_events ORDER BY day, event`,
    )
    .all() as EventCounts[];
const counterFields = (t: TestApp) =>
  t.db
    .prepare(
      `SELECT day, event, field, total, missing, wrong_type, out_of_enum, pii, cross_field
       FROM landing_phase1_completeness_fields ORDER BY day, event, field`,
    )
    .all() as FieldCounts[];

async function listOf<T>(res: Response, resource: string): Promise<{ rows: T[]; total: number }> {
  expect(res.status).toBe(200);
  const rows = (await res.json()) as T[];
  const range = res.headers.get('content-range') ?? '';
  const m = new RegExp(`^${resource} (\\d+)-(\\d+)/(\\d+)$`).exec(range);
  expect(m, `Content-Range "${range}"`).not.toBeNull();
  return { rows, total: Number(m?.[3]) };
}

async function errorOf(res: Response, status: number): Promise<ErrorBody> {
  expect(res.status).toBe(status);
  return (await res.json()) as ErrorBody;
}

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

describe('completeness counters equal a direct recount of what is stored', () => {
  it.each([7, 42, 2026])('after ingesting generated stream %i, every counter row matches', (seed) => {
    const stream = generated(seed);
    ingestGenerated(t.store, stream);

    const events = counterEvents(t);
    const expectedEvents = recountEvents(t, stream);
    expect(events).toEqual(expectedEvents);
    const fields = counterFields(t);
    expect(fields).toEqual(recountFields(t));

    // the stream really exercised every counter
    const sum = <T>(rows: T[], k: keyof T) => rows.reduce((n, r) => n + (r[k] as number), 0);
    expect(sum(events, 'total')).toBe(new Set(stream.map((e) => e.event_id)).size);
    expect(sum(events, 'duplicates')).toBe(stream.length - sum(events, 'total'));
    expect(sum(events, 'duplicates')).toBeGreaterThan(0);
    expect(sum(events, 'unplanned')).toBeGreaterThan(0);
    expect(sum(events, 'with_violations')).toBeGreaterThan(sum(events, 'unplanned'));
    for (const k of ['missing', 'wrong_type', 'out_of_enum', 'pii'] as const)
      expect(sum(fields, k)).toBeGreaterThan(0);
    // stored violation_count agrees with the violations index
    const mismatched = t.db
      .prepare(
        `SELECT count(*) FROM landing_phase1_events e
         WHERE e.violation_count != (SELECT count(*) FROM landing_phase1_event_violations v WHERE v.event_pk = e.id)
            OR e.violation_count != json_array_length(e.violations)`,
      )
      .pluck()
      .get();
    expect(mismatched).toBe(0);
  });

  it('the API answers the same counters, with valid_pct, complete_pct and below_target derived from them', async () => {
    const stream = generated(11);
    ingestGenerated(t.store, stream);
    const expected = recountEvents(t, stream);

    const ev = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', { range: [0, 999] }),
      'completeness-events',
    );
    expect(ev.total).toBe(expected.length);
    expect(ev.rows).toHaveLength(expected.length);
    const planned = new Set(
      t.db.prepare('SELECT name FROM landing_phase1_plan_events').pluck().all() as string[],
    );
    for (const want of expected) {
      const got = ev.rows.find((r) => r.id === `${want.day}|${want.event}`);
      expect(got, `${want.day}|${want.event}`).toBeDefined();
      if (!got) continue;
      expect(got).toMatchObject(want);
      expect(got.valid_pct).toBeCloseTo((100 * want.valid) / want.total, 9);
      expect(got.planned).toBe(planned.has(want.event));
      expect(got.target_pct).toBe(planned.has(want.event) ? 99.5 : null);
      expect(got.below_target).toBe(planned.has(want.event) && got.valid_pct < 99.5);
    }
    expect(ev.rows.some((r) => r.below_target)).toBe(true);
    expect(ev.rows.some((r) => !r.below_target && r.planned)).toBe(true);

    const fieldsExpected = recountFields(t);
    const fi = await listOf<CompletenessFieldRow>(
      await t.list('completeness', { range: [0, 999] }),
      'completeness',
    );
    expect(fi.total).toBe(fieldsExpected.length);
    for (const want of fieldsExpected) {
      const got = fi.rows.find((r) => r.id === `${want.day}|${want.event}|${want.field}`);
      expect(got).toMatchObject(want);
      if (!got) continue;
      const broken = want.missing + want.wrong_type + want.out_of_enum + want.pii + want.cross_field;
      expect(got.complete_pct).toBeCloseTo((100 * (want.total - want.missing)) / want.total, 9);
      expect(got.valid_pct).toBeCloseTo((100 * (want.total - broken)) / want.total, 9);
    }
  });
});

describe('GET /api/completeness-events and /api/completeness', () => {
  beforeEach(() => {
    ingestGenerated(t.store, generated(5));
  });

  const countRows = (table: string, where = '', params: unknown[] = []) =>
    t.db
      .prepare(`SELECT count(*) FROM ${table} ${where}`)
      .pluck()
      .get(...params) as number;

  it('pages carry Content-Range `<resource> from-to/total`', async () => {
    const total = countRows('landing_phase1_completeness_events');
    expect(total).toBeGreaterThan(10);
    const first = await t.list('completeness-events', { range: [0, 9] });
    expect(first.headers.get('content-range')).toBe(`completeness-events 0-9/${total}`);
    expect((await first.json()) as unknown[]).toHaveLength(10);
    const second = await t.list('completeness-events', { range: [10, 14] });
    expect(second.headers.get('content-range')).toBe(`completeness-events 10-14/${total}`);
    const all = await t.get('/api/completeness-events');
    expect(all.headers.get('content-range')).toBe(
      `completeness-events 0-${Math.min(total, 25) - 1}/${total}`,
    );

    const fieldTotal = countRows('landing_phase1_completeness_fields');
    const fields = await t.list('completeness', { range: [0, 4] });
    expect(fields.headers.get('content-range')).toBe(`completeness 0-4/${fieldTotal}`);
  });

  it('the default order is newest day first', async () => {
    const { rows } = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', { range: [0, 999] }),
      'completeness-events',
    );
    const days = rows.map((r) => r.day);
    expect(days).toEqual([...days].sort().reverse());
  });

  it('filters by day_gte / day_lte, with a total equal to a direct count', async () => {
    const { rows, total } = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', {
        filter: { day_gte: '2026-11-23', day_lte: '2026-11-24' },
        range: [0, 999],
      }),
      'completeness-events',
    );
    expect(total).toBe(
      countRows('landing_phase1_completeness_events', "WHERE day BETWEEN '2026-11-23' AND '2026-11-24'"),
    );
    expect(total).toBeGreaterThan(0);
    expect(rows).toHaveLength(total);
    for (const r of rows) expect(['2026-11-23', '2026-11-24']).toContain(r.day);

    const fields = await listOf<CompletenessFieldRow>(
      await t.list('completeness', { filter: { day: '2026-11-22', event: 'landing_view' }, range: [0, 999] }),
      'completeness',
    );
    expect(fields.rows.map((r) => r.field).sort()).toEqual([
      'ab_bucket',
      'session_id',
      'source_channel',
      'user_id',
    ]);
  });

  it('filters by one event, or by an array of events (IN)', async () => {
    const one = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', { filter: { event: 'cta_click' }, range: [0, 999] }),
      'completeness-events',
    );
    expect(one.total).toBe(countRows('landing_phase1_completeness_events', "WHERE event = 'cta_click'"));
    expect(new Set(one.rows.map((r) => r.event))).toEqual(new Set(['cta_click']));

    const two = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', {
        filter: { event: ['cta_click', 'heatmap_view'] },
        range: [0, 999],
      }),
      'completeness-events',
    );
    expect(two.total).toBe(
      countRows('landing_phase1_completeness_events', "WHERE event IN ('cta_click', 'heatmap_view')"),
    );
    expect(new Set(two.rows.map((r) => r.event))).toEqual(new Set(['cta_click', 'heatmap_view']));

    const fields = await listOf<CompletenessFieldRow>(
      await t.list('completeness', {
        filter: { event: ['risk_alert'], field: 'escalation_level' },
        range: [0, 999],
      }),
      'completeness',
    );
    expect(fields.total).toBe(
      countRows(
        'landing_phase1_completeness_fields',
        "WHERE event = 'risk_alert' AND field = 'escalation_level'",
      ),
    );
  });

  it('sorts by a counter, ascending or descending', async () => {
    const desc = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', { sort: ['total', 'DESC'], range: [0, 999] }),
      'completeness-events',
    );
    const totals = desc.rows.map((r) => r.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const asc = await listOf<CompletenessFieldRow>(
      await t.list('completeness', { sort: ['valid_pct', 'ASC'], range: [0, 999] }),
      'completeness',
    );
    const pcts = asc.rows.map((r) => r.valid_pct);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    expect(pcts[0]).toBeLessThan(100);
  });

  it('an unknown filter key is a 400 naming filter.<key>', async () => {
    const a = await errorOf(await t.list('completeness-events', { filter: { colour: 'red' } }), 400);
    expect(Object.keys(a.errors ?? {})).toEqual(['filter.colour']);
    const b = await errorOf(await t.list('completeness', { filter: { source: 'x' } }), 400);
    expect(Object.keys(b.errors ?? {})).toEqual(['filter.source']);
  });

  it('bad sort or range JSON is a 400 naming sort or range', async () => {
    const sort = await errorOf(await t.get('/api/completeness-events?sort=total'), 400);
    expect(Object.keys(sort.errors ?? {})).toEqual(['sort']);
    const range = await errorOf(await t.get('/api/completeness-events?range=%5B0%2C'), 400);
    expect(Object.keys(range.errors ?? {})).toEqual(['range']);
    const unsortable = await errorOf(await t.list('completeness-events', { sort: ['colour', 'ASC'] }), 400);
    expect(Object.keys(unsortable.errors ?? {})).toEqual(['sort']);
    const backwards = await errorOf(await t.list('completeness', { range: [5, 2] }), 400);
    expect(Object.keys(backwards.errors ?? {})).toEqual(['range']);
  });

  // the counter lists may span 10,000 rows (server/completeness/routes.ts MAX_COUNTER_PAGE), not 1000
  it('a range spanning more than 10,000 records is a 400; exactly 10,000 is fine', async () => {
    for (const resource of ['completeness', 'completeness-events']) {
      const over = await errorOf(await t.list(resource, { range: [0, 10_000] }), 400);
      expect(Object.keys(over.errors ?? {})).toEqual(['range']);
      expect((await t.list(resource, { range: [0, 9_999] })).status).toBe(200);
      expect((await t.list(resource, { range: [0, 1_000] })).status).toBe(200);
    }
  });

  it('GET /api/completeness-events/:id and /api/completeness/:id read one row; unknown ids are 404', async () => {
    const id = `2026-11-23|landing_view`;
    const res = await t.get(`/api/completeness-events/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    const row = (await res.json()) as CompletenessEventRow;
    const direct = t.db
      .prepare(
        "SELECT total, valid FROM landing_phase1_completeness_events WHERE day = '2026-11-23' AND event = 'landing_view'",
      )
      .get();
    expect(row).toMatchObject({
      id,
      day: '2026-11-23',
      event: 'landing_view',
      planned: true,
      ...(direct as object),
    });

    const fid = '2026-11-23|landing_view|user_id';
    const fres = await t.get(`/api/completeness/${encodeURIComponent(fid)}`);
    expect(fres.status).toBe(200);
    const frow = (await fres.json()) as CompletenessFieldRow;
    expect(frow).toMatchObject({ id: fid, field: 'user_id', total: row.total });

    expect((await t.get(`/api/completeness-events/${encodeURIComponent('2026-11-23|nope')}`)).status).toBe(
      404,
    );
    expect(
      (await t.get(`/api/completeness-events/${encodeURIComponent('1999-01-01|landing_view')}`)).status,
    ).toBe(404);
    expect(
      (await t.get(`/api/completeness/${encodeURIComponent('2026-11-23|landing_view|nope')}`)).status,
    ).toBe(404);
    expect((await t.get('/api/completeness/garbage')).status).toBe(404);
  });
});

describe('valid_pct, complete_pct and below_target on a small known set', () => {
  async function seed() {
    const res = await t.post('/api/events', [
      landingView('a'),
      landingView('b'),
      landingView('c', { session_id: '' }),
      landingView('d', { session_id: 42 }),
      {
        event: 'cta_click',
        event_id: 'e',
        occurred_at: '2026-11-25T10:00:00+08:00',
        properties: { cta_id: 'view_cases', user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90' },
      },
      { event: 'landing_scroll', event_id: 'f', occurred_at: '2026-11-25T10:00:00+08:00', properties: {} },
    ]);
    expect(res.status).toBe(200);
  }
  const eventRow = async (id: string) => {
    const res = await t.get(`/api/completeness-events/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    return (await res.json()) as CompletenessEventRow;
  };

  it('computes the percentages from the counters', async () => {
    await seed();
    expect(await eventRow('2026-11-25|landing_view')).toMatchObject({
      total: 4,
      valid: 2,
      with_violations: 2,
      duplicates: 0,
      unplanned: 0,
      valid_pct: 50,
      target_pct: 99.5,
      below_target: true,
      planned: true,
    });
    const res = await t.get(`/api/completeness/${encodeURIComponent('2026-11-25|landing_view|session_id')}`);
    expect(await res.json()).toMatchObject({
      total: 4,
      missing: 1,
      wrong_type: 1,
      complete_pct: 75,
      valid_pct: 50,
    });
    const ok = await t.get(`/api/completeness/${encodeURIComponent('2026-11-25|landing_view|user_id')}`);
    expect(await ok.json()).toMatchObject({ total: 4, missing: 0, complete_pct: 100, valid_pct: 100 });
  });

  it('flags below_target only where valid_pct < target_pct; unplanned events are never flagged', async () => {
    await seed();
    expect((await eventRow('2026-11-25|cta_click')).below_target).toBe(false);
    expect(await eventRow('2026-11-25|landing_scroll')).toMatchObject({
      planned: false,
      target_pct: null,
      valid_pct: 0,
      unplanned: 1,
      below_target: false,
    });
    const flagged = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', { filter: { below_target: true } }),
      'completeness-events',
    );
    expect(flagged.rows.map((r) => r.id)).toEqual(['2026-11-25|landing_view']);
  });

  it('moving target_valid_pct moves the flag', async () => {
    await seed();
    const setTarget = (pct: number) =>
      t.db
        .prepare("UPDATE landing_phase1_plan_events SET target_valid_pct = ? WHERE name = 'landing_view'")
        .run(pct);
    setTarget(50);
    expect(await eventRow('2026-11-25|landing_view')).toMatchObject({ target_pct: 50, below_target: false });
    setTarget(50.01);
    expect(await eventRow('2026-11-25|landing_view')).toMatchObject({
      target_pct: 50.01,
      below_target: true,
    });
    setTarget(0);
    expect((await eventRow('2026-11-25|landing_view')).below_target).toBe(false);
    const flagged = await listOf<CompletenessEventRow>(
      await t.list('completeness-events', { filter: { below_target: true } }),
      'completeness-events',
    );
    expect(flagged.total).toBe(0);
  });
});

/** an SSE reader over app.request's body: `next()` answers the next message (comments skipped) */
async function openStream(app: TestApp) {
  const abort = new AbortController();
  const res = await app.app.request('/api/completeness/stream', {
    signal: abort.signal,
    headers: { Cookie: app.as('engineer').cookie },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const body = res.body;
  if (!body) throw new Error('the stream has no body');
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (): Promise<{ event: string; data: string }> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n').filter((l) => !l.startsWith(':'));
        if (lines.length === 0) continue;
        const field = (name: string) =>
          lines
            .filter((l) => l.startsWith(`${name}:`))
            .map((l) => l.slice(name.length + 1).replace(/^ /, ''))
            .join('\n');
        return { event: field('event') || 'message', data: field('data') };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  /** reads completeness messages until one satisfies `until`; answers all of them */
  const readUntil = async (until: (m: CompletenessPush) => boolean): Promise<CompletenessPush[]> => {
    const seen: CompletenessPush[] = [];
    for (;;) {
      const m = await next();
      expect(m.event).toBe('completeness');
      const push = JSON.parse(m.data) as CompletenessPush;
      seen.push(push);
      if (until(push)) return seen;
    }
  };
  const close = async () => {
    abort.abort();
    await reader.cancel();
  };
  return { next, readUntil, close };
}

const eventIn = (m: CompletenessPush, id: string) => m.events.find((e) => e.id === id);

describe('GET /api/completeness/stream: live counters over server-sent events', () => {
  it('sends `ready`, then the changed day × event with its field rows after an event is posted', async () => {
    const stream = await openStream(t);
    try {
      expect((await stream.next()).event).toBe('ready');
      expect(t.hub.subscriberCount).toBe(1);

      expect((await t.post('/api/events', landingView('live_1'))).status).toBe(200);
      const [first] = await stream.readUntil((m) => eventIn(m, '2026-11-25|landing_view')?.total === 1);
      expect(first).toBeDefined();
      if (!first) return;
      expect(first.events).toEqual([
        expect.objectContaining({ id: '2026-11-25|landing_view', total: 1, valid: 1, with_violations: 0 }),
      ]);
      expect(first.fields.map((f) => f.id).sort()).toEqual([
        '2026-11-25|landing_view|ab_bucket',
        '2026-11-25|landing_view|session_id',
        '2026-11-25|landing_view|source_channel',
        '2026-11-25|landing_view|user_id',
      ]);
      for (const f of first.fields) expect(f).toMatchObject({ total: 1, missing: 0 });

      expect((await t.post('/api/events', landingView('live_2', { session_id: null }))).status).toBe(200);
      const seen = await stream.readUntil((m) => eventIn(m, '2026-11-25|landing_view')?.total === 2);
      const last = seen[seen.length - 1] as CompletenessPush;
      expect(eventIn(last, '2026-11-25|landing_view')).toMatchObject({
        total: 2,
        valid: 1,
        with_violations: 1,
      });
      expect(last.fields.find((f) => f.field === 'session_id')).toMatchObject({ total: 2, missing: 1 });
    } finally {
      await stream.close();
    }
    expect(t.hub.subscriberCount).toBe(0);
  });

  it('pushes only the day × event pairs that changed', async () => {
    await t.post('/api/events', landingView('old', {}, '2026-11-20T10:00:00+08:00'));
    const stream = await openStream(t);
    try {
      expect((await stream.next()).event).toBe('ready');
      await t.post('/api/events', [
        landingView('new_lv'),
        {
          event: 'cta_click',
          event_id: 'new_cta',
          occurred_at: '2026-11-24T10:00:00+08:00',
          properties: { cta_id: 'replicate_now', user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90' },
        },
      ]);
      const seen = await stream.readUntil(
        (m) =>
          eventIn(m, '2026-11-25|landing_view') !== undefined &&
          eventIn(m, '2026-11-24|cta_click') !== undefined,
      );
      const ids = new Set(seen.flatMap((m) => m.events.map((e) => e.id)));
      expect(ids).toEqual(new Set(['2026-11-25|landing_view', '2026-11-24|cta_click']));
      const fieldEvents = new Set(seen.flatMap((m) => m.fields.map((f) => `${f.day}|${f.event}`)));
      expect(fieldEvents).toEqual(ids);
    } finally {
      await stream.close();
    }
  });

  it('coalesces events posted in quick succession; the last message has the final totals', async () => {
    const stream = await openStream(t);
    try {
      expect((await stream.next()).event).toBe('ready');
      const posts = 10;
      const answers = await Promise.all(
        Array.from({ length: posts }, (_, i) =>
          t.post('/api/events', landingView(`burst_${i}`, i % 2 ? { ab_bucket: 'C' } : {})),
        ),
      );
      for (const r of answers) expect(r.status).toBe(200);
      const seen = await stream.readUntil((m) => eventIn(m, '2026-11-25|landing_view')?.total === posts);
      expect(seen.length).toBeLessThan(posts);
      const last = seen[seen.length - 1] as CompletenessPush;
      expect(eventIn(last, '2026-11-25|landing_view')).toMatchObject({
        total: 10,
        valid: 5,
        with_violations: 5,
      });
      expect(last.fields.find((f) => f.field === 'ab_bucket')).toMatchObject({ total: 10, out_of_enum: 5 });
      // totals only grow from one message to the next
      const totals = seen.map((m) => eventIn(m, '2026-11-25|landing_view')?.total ?? 0);
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
    } finally {
      await stream.close();
    }
  });

  it('duplicates show up in the pushed counters', async () => {
    await t.post('/api/events', landingView('dup_live'));
    const stream = await openStream(t);
    try {
      expect((await stream.next()).event).toBe('ready');
      await t.post('/api/events', landingView('dup_live'));
      const seen = await stream.readUntil((m) => eventIn(m, '2026-11-25|landing_view')?.duplicates === 1);
      expect(eventIn(seen[seen.length - 1] as CompletenessPush, '2026-11-25|landing_view')).toMatchObject({
        total: 1,
        duplicates: 1,
      });
    } finally {
      await stream.close();
    }
  });
});
