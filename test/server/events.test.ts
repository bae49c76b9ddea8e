import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateTraffic } from '../../db/demo.ts';
import { ENUMS, TRACKING_PLAN } from '../../db/plan.ts';
import { ingestGenerated } from '../../server/demo.ts';
import type { StoredEvent } from '../../server/events/schemas.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import type { EnumRecord, PlanEventRecord } from '../../server/plan/schemas.ts';
import { KEYS, landingView, type TestApp, testApp } from './helpers.ts';

/**
 * GET /api/events in the list dialect (filters, sort, totals, deep pages), GET /api/events/:id, the
 * read-only tracking plan and enums, and what every response shares: JSON errors without stack traces and
 * the security headers.
 */

const SEED = 7;

function ingestStream(t: TestApp) {
  const stream = generateTraffic({
    seed: SEED,
    from: Date.parse('2026-11-22T00:00:00.000Z'),
    to: Date.parse('2026-11-25T00:00:00.000Z'),
    journeys: 300,
    badShare: 0.2,
    duplicateShare: 0.05,
    unplannedShare: 0.02,
  });
  ingestGenerated(t.store, stream);
}

async function listOf(
  res: Response,
): Promise<{ rows: StoredEvent[]; from: number; to: number; total: number }> {
  expect(res.status).toBe(200);
  const range = res.headers.get('content-range') ?? '';
  const m = /^events (\d+)-(\d+)\/(\d+)$/.exec(range);
  expect(m, `Content-Range "${range}"`).not.toBeNull();
  return {
    rows: (await res.json()) as StoredEvent[],
    from: Number(m?.[1]),
    to: Number(m?.[2]),
    total: Number(m?.[3]),
  };
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

describe('GET /api/events', () => {
  beforeEach(() => ingestStream(t));

  const count = (where = '', params: unknown[] = []) =>
    t.db
      .prepare(`SELECT count(*) FROM landing_phase1_events e ${where}`)
      .pluck()
      .get(...params) as number;
  const ids = (sql: string, params: unknown[] = []) =>
    t.db
      .prepare(sql)
      .pluck()
      .all(...params) as number[];

  it('defaults to id DESC, 25 per page, with Content-Range events 0-24/<total>', async () => {
    const total = count();
    expect(total).toBeGreaterThan(500);
    const page = await listOf(await t.get('/api/events'));
    expect(page).toMatchObject({ from: 0, to: 24, total });
    expect(page.rows.map((r) => r.id)).toEqual(
      ids('SELECT id FROM landing_phase1_events ORDER BY id DESC LIMIT 25'),
    );
  });

  it.each<[string, Record<string, unknown>, string, unknown[]]>([
    ['no filter', {}, '', []],
    ['one event', { event: 'landing_view' }, "WHERE event = 'landing_view'", []],
    [
      'several events (IN)',
      { event: ['cta_click', 'heatmap_view'] },
      "WHERE event IN ('cta_click', 'heatmap_view')",
      [],
    ],
    ['a day', { day: '2026-11-23' }, "WHERE day = '2026-11-23'", []],
    [
      'day_gte and day_lte',
      { day_gte: '2026-11-23', day_lte: '2026-11-24' },
      "WHERE day BETWEEN '2026-11-23' AND '2026-11-24'",
      [],
    ],
    ['source', { source: 'platform-integration' }, "WHERE source = 'platform-integration'", []],
    ['has_violation true', { has_violation: true }, 'WHERE violation_count > 0', []],
    ['has_violation false', { has_violation: false }, 'WHERE violation_count = 0', []],
    ['planned false', { planned: false }, 'WHERE planned = 0', []],
    [
      'rule',
      { rule: 'pii' },
      "WHERE id IN (SELECT event_pk FROM landing_phase1_event_violations WHERE rule = 'pii')",
      [],
    ],
    [
      'field',
      { field: 'ab_bucket' },
      "WHERE id IN (SELECT event_pk FROM landing_phase1_event_violations WHERE field = 'ab_bucket')",
      [],
    ],
    [
      'rule and field together',
      { rule: 'missing', field: 'user_id' },
      "WHERE id IN (SELECT event_pk FROM landing_phase1_event_violations WHERE rule = 'missing' AND field = 'user_id')",
      [],
    ],
    [
      'q (event_id prefix)',
      { q: `evt_${SEED}_1` },
      'WHERE substr(event_id, 1, ?) = ?',
      [`evt_${SEED}_1`.length, `evt_${SEED}_1`],
    ],
    [
      'event and has_violation',
      { event: 'landing_view', has_violation: true },
      "WHERE event = 'landing_view' AND violation_count > 0",
      [],
    ],
    [
      'event, day and source',
      { event: 'task_start', day: '2026-11-24', source: 'platform-integration' },
      "WHERE event = 'task_start' AND day = '2026-11-24' AND source = 'platform-integration'",
      [],
    ],
  ])(
    'filter by %s: the total equals a direct count and every row matches',
    async (_name, filter, where, params) => {
      const expected = count(where, params);
      expect(expected).toBeGreaterThan(0);
      const page = await listOf(await t.list('events', { filter, range: [0, 999] }));
      expect(page.total).toBe(expected);
      const want = ids(`SELECT id FROM landing_phase1_events e ${where} ORDER BY id DESC LIMIT 1000`, params);
      expect(page.rows.map((r) => r.id)).toEqual(want);
    },
  );

  it('the rows of a rule filter carry a violation of that rule', async () => {
    const page = await listOf(await t.list('events', { filter: { rule: 'out_of_enum' }, range: [0, 999] }));
    expect(page.rows.length).toBeGreaterThan(0);
    for (const r of page.rows) {
      expect(r.valid).toBe(false);
      expect(r.violations.some((v) => v.rule === 'out_of_enum')).toBe(true);
    }
  });

  it('sorts by occurred_at, ties broken by id', async () => {
    for (const order of ['ASC', 'DESC'] as const) {
      const page = await listOf(await t.list('events', { sort: ['occurred_at', order], range: [100, 199] }));
      const want = ids(
        `SELECT id FROM landing_phase1_events ORDER BY occurred_at ${order}, id ${order} LIMIT 100 OFFSET 100`,
      );
      expect(page.rows.map((r) => r.id)).toEqual(want);
      expect(page).toMatchObject({ from: 100, to: 199 });
    }
  });

  it.each(['DESC', 'ASC'] as const)(
    'deep pages sorted by id %s equal the same page computed with SQL OFFSET',
    async (order) => {
      const total = count();
      for (const [offset, size] of [
        [0, 25],
        [1, 25],
        [25, 25],
        [137, 50],
        [400, 100],
        [total - 30, 25],
        [total - 7, 25],
        [total - 1, 1],
      ] as Array<[number, number]>) {
        const page = await listOf(
          await t.list('events', { sort: ['id', order], range: [offset, offset + size - 1] }),
        );
        const want = ids(`SELECT id FROM landing_phase1_events ORDER BY id ${order} LIMIT ? OFFSET ?`, [
          size,
          offset,
        ]);
        expect(
          page.rows.map((r) => r.id),
          `offset ${offset}`,
        ).toEqual(want);
        expect(page.total).toBe(total);
        expect(page.from).toBe(offset);
        expect(page.to).toBe(offset + want.length - 1);
      }
      // past the end: an empty page
      const past = await listOf(
        await t.list('events', { sort: ['id', order], range: [total + 5, total + 9] }),
      );
      expect(past.rows).toEqual([]);
    },
  );

  it('a filtered deep page equals the same page computed with SQL OFFSET', async () => {
    const filter = { event: 'landing_view' };
    const page = await listOf(await t.list('events', { filter, sort: ['id', 'ASC'], range: [50, 74] }));
    expect(page.rows.map((r) => r.id)).toEqual(
      ids(
        "SELECT id FROM landing_phase1_events WHERE event = 'landing_view' ORDER BY id ASC LIMIT 25 OFFSET 50",
      ),
    );
  });

  it('list rows are the stored events, as GET /api/events/:id answers them', async () => {
    const page = await listOf(await t.list('events', { range: [10, 14] }));
    for (const row of page.rows) {
      const res = await t.get(`/api/events/${row.id}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(row);
    }
  });

  it('an invalid rule filter is a 400 naming filter.rule', async () => {
    const body = await errorOf(await t.list('events', { filter: { rule: 'bogus' } }), 400);
    expect(Object.keys(body.errors ?? {})).toEqual(['filter.rule']);
  });

  it('an unknown filter key, an unsortable field or a range over 1000 is a 400 naming it', async () => {
    const filter = await errorOf(await t.list('events', { filter: { colour: 'red' } }), 400);
    expect(Object.keys(filter.errors ?? {})).toEqual(['filter.colour']);
    const sort = await errorOf(await t.list('events', { sort: ['properties', 'ASC'] }), 400);
    expect(Object.keys(sort.errors ?? {})).toEqual(['sort']);
    const range = await errorOf(await t.list('events', { range: [0, 1000] }), 400);
    expect(Object.keys(range.errors ?? {})).toEqual(['range']);
    const filterJson = await errorOf(await t.get('/api/events?filter=%7Bnope'), 400);
    expect(Object.keys(filterJson.errors ?? {})).toEqual(['filter']);
    const boolean = await errorOf(await t.list('events', { filter: { planned: 'maybe' } }), 400);
    expect(Object.keys(boolean.errors ?? {})).toEqual(['filter.planned']);
  });
});

describe('GET /api/events/:id', () => {
  it('answers the stored event with its envelope, verdict and properties', async () => {
    const res = await t.post('/api/events', landingView('one', { ab_bucket: 'C' }));
    expect(res.status).toBe(200);
    const event = await t.get('/api/events/1');
    expect(event.status).toBe(200);
    expect(await event.json()).toEqual({
      id: 1,
      event_id: 'one',
      event: 'landing_view',
      day: '2026-11-25',
      occurred_at: '2026-11-25T02:00:00.000Z',
      received_at: '2026-11-25T04:00:00.000Z',
      source: 'frontend-build',
      planned: true,
      valid: false,
      violation_count: 1,
      violations: [{ field: 'ab_bucket', rule: 'out_of_enum' }],
      properties: {
        user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90',
        session_id: 's_1',
        source_channel: 'search',
        ab_bucket: 'C',
      },
    });
  });

  it('is a 404 for an unknown id', async () => {
    await t.post('/api/events', landingView('one'), KEYS.frontend);
    const body = await errorOf(await t.get('/api/events/2'), 404);
    expect(body.message).toContain('2');
  });

  it.each(['abc', '0', '-1', '1.5', '1e3x'])(
    'is a 400 for the non-numeric or non-positive id %s',
    async (id) => {
      const body = await errorOf(await t.get(`/api/events/${id}`), 400);
      expect(Object.keys(body.errors ?? {})).toEqual(['id']);
    },
  );
});

describe('GET /api/tracking-plan and /api/enums', () => {
  it('lists the 12 planned events in plan order, each with its fields', async () => {
    const res = await t.get('/api/tracking-plan');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe('tracking-plan 0-11/12');
    const plan = (await res.json()) as PlanEventRecord[];
    expect(plan.map((e) => e.name)).toEqual([
      'landing_view',
      'cta_click',
      'license_apply',
      'license_approved',
      'license_rejected',
      'task_start',
      'task_completed',
      'task_failed',
      'risk_alert',
      'credits_updated',
      'estimator_interact',
      'heatmap_view',
    ]);
    for (const [i, want] of TRACKING_PLAN.entries()) {
      const got = plan[i] as PlanEventRecord;
      expect(got.id).toBe(want.name);
      expect(got.target_valid_pct).toBe(99.5);
      expect(got.owners).toEqual(want.owners);
      expect(got.fields.map((f) => f.name)).toEqual(want.fields.map((f) => f.name));
    }
    const landing = plan[0] as PlanEventRecord;
    expect(landing.fields.find((f) => f.name === 'user_id')).toMatchObject({
      type: 'hashed_id',
      required: true,
      sensitive: true,
    });
    const cta = plan[1] as PlanEventRecord;
    expect(cta.fields.find((f) => f.name === 'template_id')?.required).toBe(false);
    const approved = plan[3] as PlanEventRecord;
    expect(approved.fields.find((f) => f.name === 'max_runs')?.nullable_unless).toEqual({
      field: 'expiry_type',
      equals: 'run_limited',
    });
  });

  it('reads one planned event, and is a 404 for an unknown one', async () => {
    const res = await t.get('/api/tracking-plan/risk_alert');
    expect(res.status).toBe(200);
    const event = (await res.json()) as PlanEventRecord;
    expect(event.fields.map((f) => f.name)).toEqual([
      'alert_id',
      'task_id',
      'risk_level',
      'policy_tag',
      'action_required',
      'escalation_level',
    ]);
    await errorOf(await t.get('/api/tracking-plan/landing_scroll'), 404);
  });

  it('lists every enum; policy_tag has A1…D3 with D3 requiring the compliance committee', async () => {
    const res = await t.get('/api/enums');
    expect(res.status).toBe(200);
    const enums = (await res.json()) as EnumRecord[];
    expect(res.headers.get('content-range')).toBe(`enums 0-${ENUMS.length - 1}/${ENUMS.length}`);
    expect(new Set(enums.map((e) => e.name))).toEqual(new Set(ENUMS.map((e) => e.name)));

    const policy = enums.find((e) => e.name === 'policy_tag') as EnumRecord;
    expect(policy.values.map((v) => v.code)).toEqual(['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'D1', 'D2', 'D3']);
    const d3 = policy.values.find((v) => v.code === 'D3');
    expect(d3).toMatchObject({
      policy_group: 'D',
      min_escalation_level: 'compliance_committee',
      default_risk_level: 'high',
      status: 'active',
      deprecated_at: null,
    });
    expect(policy.values.find((v) => v.code === 'A1')?.min_escalation_level).toBe('none');
    expect(policy.values.find((v) => v.code === 'D2')?.min_escalation_level).toBe('ops_review');

    const escalation = enums.find((e) => e.name === 'escalation_level') as EnumRecord;
    expect(escalation.values.map((v) => v.code)).toEqual(['none', 'ops_review', 'compliance_committee']);
  });

  it('reads one enum, and is a 404 for an unknown one', async () => {
    const res = await t.get('/api/enums/ab_bucket');
    expect(res.status).toBe(200);
    expect(((await res.json()) as EnumRecord).values.map((v) => v.code)).toEqual(['A', 'B']);
    await errorOf(await t.get('/api/enums/colour'), 404);
  });
});

describe('every response: JSON errors without stack traces, security headers', () => {
  const STACK_LINE = /\n\s+at |\bat .+\.ts:\d+/;

  it('an unknown /api route is a JSON 404, whatever the method', async () => {
    for (const res of [
      await t.get('/api/nothing-here'),
      await t.as('admin').send('DELETE', '/api/events/1'),
      await t.as('admin').send('POST', '/api/completeness', {}),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(typeof ((await res.json()) as ErrorBody).message).toBe('string');
    }
  });

  it('errors never carry a stack trace, and every response has the security headers', async () => {
    const responses: Array<[string, Response]> = [
      ['200 list', await t.get('/api/events')],
      ['200 ingest', await t.post('/api/events', landingView('h1'))],
      ['200 health', await t.get('/healthz')],
      ['400 bad JSON', await t.post('/api/events', '{oops')],
      ['400 envelope', await t.post('/api/events', { event: 'x' })],
      ['400 list query', await t.get('/api/events?sort=oops')],
      ['401', await t.post('/api/events', landingView('h2'), 'wrong')],
      ['404 api', await t.get('/api/nope')],
      ['404 other', await t.get('/nope')],
      ['404 event', await t.get('/api/events/999')],
      [
        '413',
        await t.post(
          '/api/events',
          Array.from({ length: 1001 }, (_, i) => landingView(`h_${i}`)),
        ),
      ],
    ];
    for (const [name, res] of responses) {
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), name).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
      const text = await res.text();
      expect(text, name).not.toMatch(STACK_LINE);
      if (res.status >= 400) {
        const body = JSON.parse(text) as ErrorBody;
        expect(typeof body.message, name).toBe('string');
        expect(
          Object.keys(body).every((k) => k === 'message' || k === 'errors'),
          name,
        ).toBe(true);
      }
    }
  });

  it('an unexpected failure is a 500 saying only "internal error"', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      t.db.close();
      const res = await t.get('/api/events');
      expect(res.status).toBe(500);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ message: 'internal error' });
      expect(text).not.toMatch(STACK_LINE);
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});

describe('tracking plan and enums lists speak the dialect', () => {
  it('filters by id (one or an array, as getMany sends) and by q, sorts, and refuses unknown filters', async () => {
    const many = await t.list('tracking-plan', { filter: { id: ['landing_view', 'risk_alert'] } });
    expect(many.status).toBe(200);
    expect(((await many.json()) as Array<{ id: string }>).map((e) => e.id)).toEqual([
      'landing_view',
      'risk_alert',
    ]);
    expect(many.headers.get('Content-Range')).toBe('tracking-plan 0-1/2');

    const byName = await t.list('tracking-plan', { filter: { q: 'task_' }, sort: ['name', 'DESC'] });
    expect(((await byName.json()) as Array<{ id: string }>).map((e) => e.id)).toEqual([
      'task_start',
      'task_failed',
      'task_completed',
    ]);

    const page = await t.list('enums', { range: [0, 4] });
    expect(page.headers.get('Content-Range')).toBe('enums 0-4/12');
    expect(((await page.json()) as Array<{ id: string }>).map((e) => e.id)).toEqual([
      'ab_bucket',
      'action_required',
      'cta_id',
      'escalation_level',
      'expiry_type',
    ]);

    const bad = await t.list('enums', { filter: { owner: 'x' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Record<string, string> }).errors['filter.owner']).toMatch(
      /unknown filter/,
    );
  });
});

describe('event list filters refuse what they cannot answer', () => {
  it('a non-string field filter and a sort by received_at are 400s naming them', async () => {
    const field = await t.list('events', { filter: { field: 3 } });
    expect(field.status).toBe(400);
    expect(((await field.json()) as { errors: Record<string, string> }).errors['filter.field']).toBe(
      'must be a string',
    );
    const sort = await t.list('events', { sort: ['received_at', 'DESC'] });
    expect(sort.status).toBe(400);
    expect(((await sort.json()) as { errors: Record<string, string> }).errors.sort).toMatch(
      /cannot sort by received_at/,
    );
  });
});
