import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent, Violation } from '../../server/events/schemas.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import type { IngestResponse } from '../../server/ingest/schemas.ts';
import { KEYS, landingView, type TestApp, testApp } from './helpers.ts';

/**
 * POST /api/events and the Segment-shaped /v1/batch, /v1/track: authentication, envelope errors (all or
 * nothing), the validation rules of SPEC.md §2–§3 as seen through HTTP, PII never written, the UTC+8 day,
 * duplicates and enum changes that apply without a restart.
 */

const HASH = 'a3f1c2d4e5f60718293a4b5c6d7e8f90';
const ACCOUNT = '9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc';
const STAND_IN = /^pii_[0-9a-f]{32}$/;

/** a valid event of each of the twelve planned events */
const VALID: Record<string, Record<string, unknown>> = {
  landing_view: { user_id: HASH, session_id: 's_1', source_channel: 'search', ab_bucket: 'A' },
  cta_click: { cta_id: 'replicate_now', user_id: HASH, template_id: 'tpl_001' },
  license_apply: {
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    is_fast_track: false,
    persona_tag: 'creator_studio',
    policy_tag: 'A1',
  },
  license_approved: {
    license_id: 'lic_1',
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    approver_id: 'reviewer',
    effective_at: '2026-11-25T10:00:00+08:00',
    expiry_type: 'run_limited',
    max_runs: 10,
  },
  license_rejected: {
    license_id: 'lic_2',
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    reason_code: 'other',
    policy_tag: 'B1',
    action_required: 'update_copy',
  },
  task_start: {
    task_id: 'task_1',
    template_id: 'tpl_001',
    account_id: ACCOUNT,
    estimated_credits: 12.5,
    queue_type: 'fast',
  },
  task_completed: {
    task_id: 'task_1',
    template_id: 'tpl_001',
    credits_spent: 10,
    duration_ms: 0,
    output_count: 2,
  },
  task_failed: {
    task_id: 'task_2',
    template_id: 'tpl_001',
    failure_code: 'safety_block',
    sub_status: 'safety_block.a',
    policy_tag: 'D1',
    action_required: 'remove_asset',
  },
  risk_alert: {
    alert_id: 'alert_1',
    task_id: 'task_2',
    risk_level: 'high',
    policy_tag: 'D3',
    action_required: 'escalate_review',
    escalation_level: 'compliance_committee',
  },
  credits_updated: { ledger_id: 'led_1', task_id: 'task_1', policy_tag: 'A1', adjust_amount: -3 },
  estimator_interact: {
    spec_id: 'spec_1',
    expected_credits_range: [5, 20],
    persona_tag: 'operator_contractor',
    precheck_balance: 0,
  },
  heatmap_view: { rank_type: 'hot', template_id: 'tpl_001', position: 1 },
};

const valid = (event: string) => VALID[event] as Record<string, unknown>;

let seq = 0;
/** one event of `event`: the valid sample with `overrides` applied (undefined removes a field) */
function eventOf(
  event: string,
  overrides: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:00:00+08:00',
) {
  const properties: Record<string, unknown> = { ...valid(event) };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete properties[k];
    else properties[k] = v;
  }
  return { event, event_id: `evt_${event}_${++seq}`, occurred_at, properties };
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

const countEvents = (t: TestApp) =>
  t.db.prepare('SELECT count(*) FROM landing_phase1_events').pluck().get() as number;

async function ingest(t: TestApp, body: unknown, key: string = KEYS.frontend): Promise<IngestResponse> {
  const res = await t.post('/api/events', body, key);
  expect(res.status).toBe(200);
  return (await res.json()) as IngestResponse;
}

/** the violations the ingest answer reports for one event */
async function violationsOf(t: TestApp, e: unknown): Promise<Violation[]> {
  const body = await ingest(t, e);
  expect(body.results).toHaveLength(1);
  return body.results[0]?.violations ?? [];
}

/** the stored event, read back through GET /api/events/:id */
async function storedEvent(t: TestApp, eventId: string): Promise<StoredEvent> {
  const pk = t.db.prepare('SELECT id FROM landing_phase1_events WHERE event_id = ?').pluck().get(eventId) as
    | number
    | undefined;
  expect(pk, `event ${eventId} is stored`).toBeTypeOf('number');
  const res = await t.get(`/api/events/${pk}`);
  expect(res.status).toBe(200);
  return (await res.json()) as StoredEvent;
}

async function errorOf(res: Response, status: number): Promise<ErrorBody> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(typeof body.message).toBe('string');
  return body;
}

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

describe('POST /api/events: authentication', () => {
  it('accepts a single event with a valid Bearer write key and records the key’s source', async () => {
    const body = await ingest(t, landingView('auth_ok'));
    expect(body).toEqual({
      accepted: 1,
      duplicates: 0,
      results: [{ event_id: 'auth_ok', status: 'stored', violations: [] }],
    });
    const stored = await storedEvent(t, 'auth_ok');
    expect(stored.source).toBe('frontend-build');
    expect(stored.received_at).toBe(t.now.toISOString());

    await ingest(t, landingView('auth_ok_platform'), KEYS.platform);
    expect((await storedEvent(t, 'auth_ok_platform')).source).toBe('platform-integration');
  });

  it('answers 401 without an Authorization header and stores nothing', async () => {
    const res = await t.post('/api/events', landingView('no_key'), null);
    await errorOf(res, 401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(countEvents(t)).toBe(0);
  });

  it('answers 401 for an unknown write key', async () => {
    await errorOf(await t.post('/api/events', landingView('bad_key'), 'not-a-real-key'), 401);
    expect(countEvents(t)).toBe(0);
  });

  it('answers 401 for a revoked write key', async () => {
    t.db
      .prepare("UPDATE landing_phase1_write_keys SET revoked_at = ? WHERE source = 'frontend-build'")
      .run('2026-11-25T03:00:00.000Z');
    await errorOf(await t.post('/api/events', landingView('revoked')), 401);
    expect(countEvents(t)).toBe(0);
    // the other team's key still works
    await ingest(t, landingView('still_ok'), KEYS.platform);
    expect(countEvents(t)).toBe(1);
  });

  it('does not accept the write key as HTTP Basic on /api/events', async () => {
    const res = await t.post('/api/events', landingView('basic'), null, {
      Authorization: basic(KEYS.frontend),
    });
    await errorOf(res, 401);
  });
});

describe('POST /api/events: malformed requests are 400 naming the problem, and nothing of the batch is stored', () => {
  it('rejects malformed JSON', async () => {
    const body = await errorOf(await t.post('/api/events', '{"event": "landing_view",'), 400);
    expect(body.errors).toHaveProperty(['(body)']);
    expect(countEvents(t)).toBe(0);
  });

  it('rejects an empty body and an empty batch', async () => {
    await errorOf(await t.post('/api/events', ''), 400);
    await errorOf(await t.post('/api/events', []), 400);
    expect(countEvents(t)).toBe(0);
  });

  it('names `[1].event_id` when the 2nd event of a batch has none, storing neither', async () => {
    const second: Record<string, unknown> = { ...landingView('b2') };
    delete second.event_id;
    const body = await errorOf(await t.post('/api/events', [landingView('b1'), second]), 400);
    expect(Object.keys(body.errors ?? {})).toEqual(['[1].event_id']);
    expect(countEvents(t)).toBe(0);
  });

  it('names every bad envelope field of a batch', async () => {
    const body = await errorOf(
      await t.post('/api/events', [
        landingView('ok'),
        { ...landingView('x'), event: '  ' },
        { ...landingView('y'), occurred_at: 'yesterday' },
        { ...landingView('z'), properties: 'not an object' },
      ]),
      400,
    );
    expect(Object.keys(body.errors ?? {}).sort()).toEqual(['[1].event', '[2].occurred_at', '[3].properties']);
    expect(countEvents(t)).toBe(0);
  });

  it('rejects an occurred_at without an offset, naming `occurred_at` for a single event', async () => {
    const body = await errorOf(
      await t.post('/api/events', landingView('no_offset', {}, '2026-11-25T10:00:00')),
      400,
    );
    expect(Object.keys(body.errors ?? {})).toEqual(['occurred_at']);
    expect(countEvents(t)).toBe(0);
  });

  it.each([
    ['a number', 1764036000000],
    ['a date only', '2026-11-25'],
    ['an impossible hour', '2026-11-25T25:00:00Z'],
    ['free text', 'now'],
  ])('rejects occurred_at as %s', async (_what, occurred_at) => {
    const body = await errorOf(await t.post('/api/events', { ...landingView('bad_time'), occurred_at }), 400);
    expect(body.errors).toHaveProperty(['occurred_at']);
    expect(countEvents(t)).toBe(0);
  });

  it('rejects an event with an empty event_id or event name', async () => {
    const a = await errorOf(await t.post('/api/events', { ...landingView('x'), event_id: '' }), 400);
    expect(Object.keys(a.errors ?? {})).toEqual(['event_id']);
    const b = await errorOf(await t.post('/api/events', { ...landingView('y'), event: '' }), 400);
    expect(Object.keys(b.errors ?? {})).toEqual(['event']);
    expect(countEvents(t)).toBe(0);
  });

  it('accepts exactly 1000 events and answers 413 for 1001, storing none of them', async () => {
    const ok = await ingest(
      t,
      Array.from({ length: 1000 }, (_, i) => landingView(`max_${i}`)),
    );
    expect(ok.accepted).toBe(1000);
    const res = await t.post(
      '/api/events',
      Array.from({ length: 1001 }, (_, i) => landingView(`over_${i}`)),
    );
    await errorOf(res, 413);
    expect(countEvents(t)).toBe(1000);
  });

  it('answers 413 for a body over 1 MB and stores nothing', async () => {
    const pad = 'x'.repeat(600 * 1024);
    const res = await t.post('/api/events', [
      landingView('big1', { note: pad }),
      landingView('big2', { note: pad }),
    ]);
    await errorOf(res, 413);
    expect(countEvents(t)).toBe(0);
  });

  it('an event without properties is stored with every required field missing', async () => {
    const { properties: _, ...bare } = landingView('bare');
    const v = await violationsOf(t, bare);
    expect(v).toEqual([
      { field: 'user_id', rule: 'missing' },
      { field: 'session_id', rule: 'missing' },
      { field: 'source_channel', rule: 'missing' },
      { field: 'ab_bucket', rule: 'missing' },
    ]);
  });
});

describe('Segment HTTP tracking API shape', () => {
  const segment = (path: string, body: unknown, key = KEYS.frontend) =>
    t.post(path, body, null, { Authorization: basic(key) });

  it('/v1/batch maps event, messageId, timestamp, properties and userId onto the envelope', async () => {
    const res = await segment('/v1/batch', {
      batch: [
        {
          type: 'track',
          event: 'landing_view',
          messageId: 'seg_1',
          timestamp: '2026-11-25T02:00:00.000Z',
          userId: HASH,
          properties: { session_id: 's_9', source_channel: 'douyin_ad', ab_bucket: 'B' },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      results: [{ event_id: 'seg_1', status: 'stored', violations: [] }],
    });
    const stored = await storedEvent(t, 'seg_1');
    expect(stored.event).toBe('landing_view');
    expect(stored.occurred_at).toBe('2026-11-25T02:00:00.000Z');
    expect(stored.source).toBe('frontend-build');
    expect(stored.properties).toEqual({
      session_id: 's_9',
      source_channel: 'douyin_ad',
      ab_bucket: 'B',
      user_id: HASH,
    });
  });

  it('userId does not overwrite a user_id already in properties', async () => {
    const res = await segment('/v1/batch', {
      batch: [
        {
          type: 'track',
          event: 'cta_click',
          messageId: 'seg_uid',
          timestamp: '2026-11-25T02:00:00Z',
          userId: 'ffffffffffffffffffffffffffffffff',
          properties: { cta_id: 'view_cases', user_id: HASH },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect((await storedEvent(t, 'seg_uid')).properties.user_id).toBe(HASH);
  });

  it('/v1/track stores one track call', async () => {
    const res = await segment('/v1/track', {
      event: 'cta_click',
      messageId: 'seg_track',
      timestamp: '2026-11-25T10:00:00+08:00',
      userId: HASH,
      properties: { cta_id: 'replicate_now' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as IngestResponse & { success: boolean };
    expect(body.success).toBe(true);
    expect(body.results).toEqual([{ event_id: 'seg_track', status: 'stored', violations: [] }]);
    const stored = await storedEvent(t, 'seg_track');
    expect(stored).toMatchObject({ event: 'cta_click', planned: true, valid: true });
    expect(stored.properties).toEqual({ cta_id: 'replicate_now', user_id: HASH });
  });

  it('identify and page calls are stored as unplanned `$identify` / `$page` events', async () => {
    const res = await segment('/v1/batch', {
      batch: [
        {
          type: 'identify',
          messageId: 'seg_id',
          timestamp: '2026-11-25T02:00:00Z',
          userId: HASH,
          traits: { plan: 'pro' },
        },
        {
          type: 'page',
          messageId: 'seg_page',
          timestamp: '2026-11-25T02:00:01Z',
          properties: { path: '/landing' },
        },
      ],
    });
    expect(res.status).toBe(200);
    const identify = await storedEvent(t, 'seg_id');
    expect(identify).toMatchObject({
      event: '$identify',
      planned: false,
      violations: [{ field: 'event', rule: 'unplanned' }],
    });
    expect(identify.properties).toEqual({ plan: 'pro', user_id: HASH });
    const page = await storedEvent(t, 'seg_page');
    expect(page).toMatchObject({
      event: '$page',
      planned: false,
      violations: [{ field: 'event', rule: 'unplanned' }],
    });
    expect(page.properties).toEqual({ path: '/landing' });
  });

  it('a message without messageId is a 400 naming `batch[0].messageId`, and nothing is stored', async () => {
    const res = await segment('/v1/batch', {
      batch: [{ type: 'track', event: 'landing_view', timestamp: '2026-11-25T02:00:00Z', properties: {} }],
    });
    const body = await errorOf(res, 400);
    expect(Object.keys(body.errors ?? {})).toEqual(['batch[0].messageId']);
    expect(countEvents(t)).toBe(0);
  });

  it('a track call without an event name, or a body without a batch array, is a 400', async () => {
    const a = await errorOf(
      await segment('/v1/batch', {
        batch: [
          { type: 'track', event: 'landing_view', messageId: 'm1', timestamp: '2026-11-25T02:00:00Z' },
          { type: 'track', messageId: 'm2', timestamp: '2026-11-25T02:00:00Z' },
        ],
      }),
      400,
    );
    expect(Object.keys(a.errors ?? {})).toEqual(['batch[1].event']);
    const b = await errorOf(await segment('/v1/batch', { messages: [] }), 400);
    expect(Object.keys(b.errors ?? {})).toEqual(['batch']);
    expect(countEvents(t)).toBe(0);
  });

  it('answers 401 for a wrong or missing Basic write key', async () => {
    const msg = { type: 'track', event: 'landing_view', messageId: 'm', timestamp: '2026-11-25T02:00:00Z' };
    await errorOf(await segment('/v1/batch', { batch: [msg] }, 'wrong-key'), 401);
    await errorOf(await segment('/v1/track', msg, 'wrong-key'), 401);
    await errorOf(await t.post('/v1/track', msg, null), 401);
    // a Bearer header is not the Segment scheme
    await errorOf(await t.post('/v1/track', msg, KEYS.frontend), 401);
    expect(countEvents(t)).toBe(0);
  });
});

describe('validation rules: invalid events are stored with their violations, never dropped', () => {
  it.each(Object.keys(VALID))('a complete %s is valid and planned', async (event) => {
    const e = eventOf(event);
    expect(await violationsOf(t, e)).toEqual([]);
    const stored = await storedEvent(t, e.event_id);
    expect(stored).toMatchObject({ event, planned: true, valid: true, violation_count: 0, violations: [] });
    expect(stored.properties).toEqual(e.properties);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['an empty string', ''],
    ['whitespace', '   '],
  ])('a required field that is %s is `missing`', async (_what, value) => {
    const e = eventOf('landing_view', { session_id: value });
    expect(await violationsOf(t, e)).toEqual([{ field: 'session_id', rule: 'missing' }]);
    const stored = await storedEvent(t, e.event_id);
    expect(stored).toMatchObject({
      valid: false,
      violation_count: 1,
      violations: [{ field: 'session_id', rule: 'missing' }],
    });
  });

  it('cta_click.template_id is optional: absent or null is fine', async () => {
    expect(await violationsOf(t, eventOf('cta_click', { template_id: undefined }))).toEqual([]);
    expect(await violationsOf(t, eventOf('cta_click', { template_id: null }))).toEqual([]);
  });

  it.each([
    ['license_apply', 'is_fast_track', 'yes'],
    ['heatmap_view', 'position', 0],
    ['heatmap_view', 'position', 1.5],
    ['task_completed', 'duration_ms', -1],
    ['task_completed', 'output_count', '2'],
    ['landing_view', 'user_id', 'abc'],
    ['cta_click', 'user_id', 'g3f1c2d4e5f60718293a4b5c6d7e8f9!'],
    ['estimator_interact', 'expected_credits_range', [5, 2]],
    ['estimator_interact', 'expected_credits_range', [-1, 2]],
    ['estimator_interact', 'expected_credits_range', [5]],
    ['credits_updated', 'adjust_amount', 0],
    ['license_approved', 'effective_at', 'tomorrow'],
    ['license_approved', 'max_runs', 2.5],
    ['task_start', 'estimated_credits', -0.5],
    ['task_start', 'queue_type', 7],
  ])('%s.%s = %j is `wrong_type`', async (event, field, value) => {
    const e = eventOf(event, { [field]: value });
    expect(await violationsOf(t, e)).toEqual([{ field, rule: 'wrong_type' }]);
    expect((await storedEvent(t, e.event_id)).violations).toEqual([{ field, rule: 'wrong_type' }]);
  });

  it.each([
    ['landing_view', 'ab_bucket', 'C'],
    ['license_apply', 'policy_tag', 'Z9'],
    ['task_failed', 'failure_code', 'timeout'],
    ['risk_alert', 'risk_level', 'HIGH'],
  ])('%s.%s = %j is `out_of_enum`', async (event, field, value) => {
    const e = eventOf(event, { [field]: value });
    expect(await violationsOf(t, e)).toEqual([{ field, rule: 'out_of_enum' }]);
    expect((await storedEvent(t, e.event_id)).properties[field]).toBe(value);
  });

  it('a phone number in an enum field is stored as its stand-in and counted `out_of_enum`', async () => {
    const e = eventOf('landing_view', { ab_bucket: '13800138000' });
    expect(await violationsOf(t, e)).toEqual([{ field: 'ab_bucket', rule: 'out_of_enum' }]);
    const stored = await storedEvent(t, e.event_id);
    expect(stored.properties.ab_bucket).toMatch(STAND_IN);
    const counter = t.db
      .prepare(
        "SELECT out_of_enum, pii FROM landing_phase1_completeness_fields WHERE event = 'landing_view' AND field = 'ab_bucket'",
      )
      .get();
    expect(counter).toEqual({ out_of_enum: 1, pii: 0 });
  });

  it.each([
    ['user_id', '13800138000'],
    ['user_id', '+8613800138000'],
    ['user_id', '+86 138 0013 8000'],
    ['user_id', '138-0013-8000'],
    ['user_id', 13800138000],
    ['user_id', 'wxid_abc123'],
    ['user_id', 'zhang_san88'],
  ])('landing_view.%s = %j is `pii` and stored as a stand-in', async (field, value) => {
    const e = eventOf('landing_view', { [field]: value });
    expect(await violationsOf(t, e)).toEqual([{ field, rule: 'pii' }]);
    expect((await storedEvent(t, e.event_id)).properties[field]).toMatch(STAND_IN);
  });

  it.each([
    ['account_id', '15912345678'],
    ['account_id', '+86-159-1234-5678'],
    ['account_id', 8615912345678],
    ['account_id', 'wxid_9k2j3h4'],
  ])('license_apply.%s = %j is `pii` and stored as a stand-in', async (field, value) => {
    const e = eventOf('license_apply', { [field]: value });
    expect(await violationsOf(t, e)).toEqual([{ field, rule: 'pii' }]);
    expect((await storedEvent(t, e.event_id)).properties[field]).toMatch(STAND_IN);
  });

  it('a phone number inside free text is `pii` and only the number is replaced', async () => {
    const lv = eventOf('landing_view', { source_channel: 'partner call 13800138000 now' });
    expect(await violationsOf(t, lv)).toEqual([{ field: 'source_channel', rule: 'pii' }]);
    expect((await storedEvent(t, lv.event_id)).properties.source_channel).toMatch(
      /^partner call pii_[0-9a-f]{32} now$/,
    );

    const tf = eventOf('task_failed', { sub_status: 'user 138-0013-8000 blocked' });
    expect(await violationsOf(t, tf)).toEqual([{ field: 'sub_status', rule: 'pii' }]);
    expect((await storedEvent(t, tf.event_id)).properties.sub_status).toMatch(
      /^user pii_[0-9a-f]{32} blocked$/,
    );
  });

  it('a phone number in a property outside the plan, or nested, is `pii` on that property', async () => {
    const e = eventOf('landing_view', {
      contact: '13800138000',
      profile: { mobile: { primary: '+86 139 1234 5678' }, tags: ['ok', '13712345678'] },
      note: 'no pii here',
    });
    const v = await violationsOf(t, e);
    expect(v).toEqual([
      { field: 'contact', rule: 'pii' },
      { field: 'profile', rule: 'pii' },
    ]);
    const stored = await storedEvent(t, e.event_id);
    expect(stored.properties.contact).toMatch(STAND_IN);
    const profile = stored.properties.profile as { mobile: { primary: string }; tags: string[] };
    expect(profile.mobile.primary).toMatch(STAND_IN);
    expect(profile.tags[0]).toBe('ok');
    expect(profile.tags[1]).toMatch(STAND_IN);
    expect(stored.properties.note).toBe('no pii here');
  });

  it.each([
    ['D3', 'ops_review', [{ field: 'escalation_level', rule: 'escalation_below_policy' }]],
    ['D3', 'none', [{ field: 'escalation_level', rule: 'escalation_below_policy' }]],
    ['D3', 'compliance_committee', []],
    ['D2', 'none', [{ field: 'escalation_level', rule: 'escalation_below_policy' }]],
    ['D2', 'ops_review', []],
    ['A1', 'none', []],
    ['A1', 'compliance_committee', []],
  ])(
    'risk_alert with policy_tag %s and escalation_level %s → %j',
    async (policy_tag, escalation_level, expected) => {
      const e = eventOf('risk_alert', { policy_tag, escalation_level });
      expect(await violationsOf(t, e)).toEqual(expected);
      expect((await storedEvent(t, e.event_id)).violations).toEqual(expected);
    },
  );

  it('an escalation below policy is counted as a cross_field violation of escalation_level', async () => {
    await ingest(t, eventOf('risk_alert', { policy_tag: 'D3', escalation_level: 'ops_review' }));
    const row = t.db
      .prepare(
        "SELECT total, cross_field FROM landing_phase1_completeness_fields WHERE event = 'risk_alert' AND field = 'escalation_level'",
      )
      .get();
    expect(row).toEqual({ total: 1, cross_field: 1 });
  });

  it.each([
    ['run_limited', null, [{ field: 'max_runs', rule: 'missing' }]],
    ['fixed_term', null, []],
    ['permanent', null, []],
    ['run_limited', 5, []],
    ['fixed_term', undefined, [{ field: 'max_runs', rule: 'missing' }]],
    ['run_limited', undefined, [{ field: 'max_runs', rule: 'missing' }]],
  ])('license_approved with expiry_type %s and max_runs %j → %j', async (expiry_type, max_runs, expected) => {
    const e = eventOf('license_approved', { expiry_type, max_runs });
    expect(await violationsOf(t, e)).toEqual(expected);
  });

  it('an unknown event name is stored as unplanned', async () => {
    const e = {
      event: 'landing_scroll',
      event_id: 'unplanned_1',
      occurred_at: '2026-11-25T10:00:00+08:00',
      properties: { depth: 3 },
    };
    expect(await violationsOf(t, e)).toEqual([{ field: 'event', rule: 'unplanned' }]);
    const stored = await storedEvent(t, 'unplanned_1');
    expect(stored).toMatchObject({
      event: 'landing_scroll',
      planned: false,
      valid: false,
      violations: [{ field: 'event', rule: 'unplanned' }],
      properties: { depth: 3 },
    });
    const counts = t.db
      .prepare(
        "SELECT total, unplanned, with_violations, valid FROM landing_phase1_completeness_events WHERE event = 'landing_scroll'",
      )
      .get();
    expect(counts).toEqual({ total: 1, unplanned: 1, with_violations: 1, valid: 0 });
  });

  it('several violations in one event are all reported, in plan order', async () => {
    const e = eventOf('license_apply', {
      template_id: '',
      account_id: '13800138000',
      is_fast_track: 'no',
      policy_tag: 'Z9',
    });
    expect(await violationsOf(t, e)).toEqual([
      { field: 'template_id', rule: 'missing' },
      { field: 'account_id', rule: 'pii' },
      { field: 'is_fast_track', rule: 'wrong_type' },
      { field: 'policy_tag', rule: 'out_of_enum' },
    ]);
    const stored = await storedEvent(t, e.event_id);
    expect(stored.violation_count).toBe(4);
    const indexed = t.db
      .prepare('SELECT field, rule FROM landing_phase1_event_violations WHERE event_pk = ? ORDER BY field')
      .all(stored.id);
    expect(indexed).toEqual([
      { field: 'account_id', rule: 'pii' },
      { field: 'is_fast_track', rule: 'wrong_type' },
      { field: 'policy_tag', rule: 'out_of_enum' },
      { field: 'template_id', rule: 'missing' },
    ]);
  });

  it('a batch mixing valid and invalid events stores every one of them', async () => {
    const body = await ingest(t, [
      eventOf('landing_view'),
      eventOf('landing_view', { ab_bucket: 'C' }),
      eventOf('heatmap_view', { position: 0 }),
      { event: 'unknown_thing', event_id: 'u_mix', occurred_at: '2026-11-25T02:00:00Z' },
    ]);
    expect(body.accepted).toBe(4);
    expect(body.results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
    expect(body.results.map((r) => r.violations.length)).toEqual([0, 1, 1, 1]);
    expect(countEvents(t)).toBe(4);
  });
});

describe('PII is never written raw', () => {
  const PHONE = '13800138000';
  const WECHAT = 'wxid_abc123';
  /** the raw forms that must appear nowhere in the database files */
  const RAW = [
    PHONE,
    '138-0013-8000',
    '138 0013 8000',
    '15912345678',
    '139-1234-5678',
    WECHAT,
    'zhang_san88',
  ];

  const databaseBytes = (path: string) => {
    const files = [path, `${path}-wal`].filter((p) => existsSync(p));
    return files.map((p) => readFileSync(p).toString('latin1')).join('\n');
  };

  it('neither the database file nor its WAL contains a phone number or WeChat id, only stand-ins', async () => {
    const body = await ingest(t, [
      eventOf(
        'landing_view',
        { user_id: PHONE, source_channel: 'call 138-0013-8000 please' },
        '2026-11-25T10:00:00+08:00',
      ),
      eventOf('landing_view', { user_id: WECHAT, extra_phone: '+86 138 0013 8000' }),
      eventOf('license_apply', { account_id: 15912345678, meta: { contact: { mobile: '139-1234-5678' } } }),
      eventOf('cta_click', { user_id: 'zhang_san88' }),
      {
        event: 'crm_sync',
        event_id: 'crm_1',
        occurred_at: '2026-11-25T02:00:00Z',
        properties: { phone: PHONE },
      },
    ]);
    expect(body.accepted).toBe(5);
    for (const r of body.results) expect(r.violations.some((v) => v.rule === 'pii')).toBe(true);

    const bytes = databaseBytes(t.path);
    // the files hold the stored rows (stand-ins included), so the raw values would be found if written
    expect(bytes).toMatch(/pii_[0-9a-f]{32}/);
    for (const raw of RAW) expect(bytes.includes(raw), `raw ${raw} in the database files`).toBe(false);

    const rows = t.db
      .prepare('SELECT properties FROM landing_phase1_events ORDER BY id')
      .pluck()
      .all() as string[];
    const all = rows.join('\n');
    for (const raw of RAW) expect(all.includes(raw)).toBe(false);
    expect(all).toMatch(/pii_[0-9a-f]{32}/);

    // and the stand-ins are what the API shows
    const first = await storedEvent(t, body.results[0]?.event_id ?? '');
    expect(first.properties.user_id).toMatch(STAND_IN);
    expect(first.properties.source_channel).toMatch(/^call pii_[0-9a-f]{32} please$/);
  });

  it('the same phone number, however written, always gets the same stand-in', async () => {
    const a = eventOf('landing_view', { user_id: PHONE });
    const b = eventOf('landing_view', { user_id: '+86 138-0013-8000' });
    const c = eventOf('license_apply', { account_id: 13800138000 });
    const d = eventOf('landing_view', { source_channel: `ref ${PHONE}` });
    const e = eventOf('landing_view', { user_id: '15912345678' });
    await ingest(t, [a, b, c, d, e]);
    const standIn = (await storedEvent(t, a.event_id)).properties.user_id as string;
    expect(standIn).toMatch(STAND_IN);
    expect((await storedEvent(t, b.event_id)).properties.user_id).toBe(standIn);
    expect((await storedEvent(t, c.event_id)).properties.account_id).toBe(standIn);
    expect((await storedEvent(t, d.event_id)).properties.source_channel).toBe(`ref ${standIn}`);
    // a different phone number gets a different stand-in
    expect((await storedEvent(t, e.event_id)).properties.user_id).not.toBe(standIn);
  });

  it('a different PII key gives a different stand-in for the same phone number', async () => {
    const other = testApp({ piiKey: 'another-pii-key-abcdef0123' });
    try {
      await ingest(t, landingView('k1', { user_id: PHONE }));
      const res = await other.post('/api/events', landingView('k2', { user_id: PHONE }));
      expect(res.status).toBe(200);
      const mine = (await storedEvent(t, 'k1')).properties.user_id;
      const theirs = JSON.parse(
        other.db
          .prepare("SELECT properties FROM landing_phase1_events WHERE event_id = 'k2'")
          .pluck()
          .get() as string,
      ).user_id;
      expect(mine).toMatch(STAND_IN);
      expect(theirs).toMatch(STAND_IN);
      expect(theirs).not.toBe(mine);
    } finally {
      other.hub.close();
      other.cleanup();
    }
  });
});

describe('PII detection does not alter real ids, and catches what hides outside the plan', () => {
  it('a genuine sha256 hex hash in user_id is a valid id and stored unchanged, digit runs and all', async () => {
    const hash = 'a5bf40d78ab944de14421587873a1df999ef689357c455d45d97801c12d4f498'; // sha256('user-483')
    expect(await violationsOf(t, landingView('sha_hash', { user_id: hash }))).toEqual([]);
    expect((await storedEvent(t, 'sha_hash')).properties.user_id).toBe(hash);
  });

  it('an id-shaped task_id with a phone-like digit run is kept; a phone number as the whole id is not', async () => {
    const ok = eventOf('task_failed', { task_id: 'task_13812345678ab' });
    expect(await violationsOf(t, ok)).toEqual([]);
    expect((await storedEvent(t, ok.event_id)).properties.task_id).toBe('task_13812345678ab');
    const bad = eventOf('task_failed', { task_id: '13812345678' });
    expect(await violationsOf(t, bad)).toEqual([{ field: 'task_id', rule: 'pii' }]);
    expect((await storedEvent(t, bad.event_id)).properties.task_id).toMatch(/^pii_[0-9a-f]{32}$/);
  });

  it('a phone number inside id-shaped free text is still found', async () => {
    const e = landingView('text_phone', { source_channel: 'contact_13800138000' });
    expect(await violationsOf(t, e)).toEqual([{ field: 'source_channel', rule: 'pii' }]);
    expect(JSON.stringify((await storedEvent(t, 'text_phone')).properties)).not.toContain('13800138000');
  });

  it('a WeChat id sent as the Segment userId of an identify call is never stored raw', async () => {
    const res = await t.post(
      '/v1/batch',
      {
        batch: [
          {
            type: 'identify',
            messageId: 'wx_ident',
            timestamp: '2026-11-25T02:00:00Z',
            userId: 'wxid_abc123',
          },
        ],
      },
      null,
      { Authorization: basic(KEYS.frontend) },
    );
    expect(res.status).toBe(200);
    const stored = await storedEvent(t, 'wx_ident');
    expect(JSON.stringify(stored.properties)).not.toContain('wxid_abc123');
    expect(stored.violations).toContainEqual({ field: 'user_id', rule: 'pii' });
  });
});

describe('impossible dates are refused, not moved', () => {
  it.each(['2026-02-30T10:00:00Z', '2026-11-31T00:00:00+08:00', '2026-11-24T24:00:00Z'])(
    'occurred_at %s is a 400 and nothing is stored',
    async (occurredAt) => {
      const res = await t.post('/api/events', landingView('impossible', {}, occurredAt));
      const body = await errorOf(res, 400);
      expect(body.errors?.occurred_at).toMatch(/not a real date-time/);
      expect(countEvents(t)).toBe(0);
    },
  );

  it('effective_at 2026-02-30 is wrong_type', async () => {
    const e = eventOf('license_approved', { effective_at: '2026-02-30T10:00:00Z' });
    expect(await violationsOf(t, e)).toEqual([{ field: 'effective_at', rule: 'wrong_type' }]);
  });
});

describe('day is the UTC+8 date of occurred_at; occurred_at is stored in UTC', () => {
  it.each([
    ['2026-11-24T15:59:59Z', '2026-11-24', '2026-11-24T15:59:59.000Z'],
    ['2026-11-24T16:00:00Z', '2026-11-25', '2026-11-24T16:00:00.000Z'],
    ['2026-11-25T00:30:00+08:00', '2026-11-25', '2026-11-24T16:30:00.000Z'],
    ['2026-11-24T23:59:59-05:00', '2026-11-25', '2026-11-25T04:59:59.000Z'],
    ['2026-11-25T07:59:59.999+08:00', '2026-11-25', '2026-11-24T23:59:59.999Z'],
    ['2026-12-31T16:00:00Z', '2027-01-01', '2026-12-31T16:00:00.000Z'],
  ])('occurred_at %s → day %s, stored as %s', async (occurred_at, day, utc) => {
    await ingest(t, landingView('day_evt', {}, occurred_at));
    const stored = await storedEvent(t, 'day_evt');
    expect(stored.day).toBe(day);
    expect(stored.occurred_at).toBe(utc);
    const counter = t.db.prepare('SELECT day, total FROM landing_phase1_completeness_events').all();
    expect(counter).toEqual([{ day, total: 1 }]);
  });
});

describe('duplicates: a repeated event_id is acknowledged, stored once and counted once', () => {
  const counters = () =>
    t.db
      .prepare(
        "SELECT total, duplicates FROM landing_phase1_completeness_events WHERE event = 'landing_view'",
      )
      .get() as { total: number; duplicates: number };

  it('a second delivery is a duplicate carrying the stored violations', async () => {
    const first = await ingest(t, landingView('dup_1', { ab_bucket: 'C' }));
    expect(first.results[0]).toEqual({
      event_id: 'dup_1',
      status: 'stored',
      violations: [{ field: 'ab_bucket', rule: 'out_of_enum' }],
    });
    // the repeat is fixed, but the stored event is what counts
    const again = await ingest(t, landingView('dup_1'));
    expect(again).toEqual({
      accepted: 0,
      duplicates: 1,
      results: [
        { event_id: 'dup_1', status: 'duplicate', violations: [{ field: 'ab_bucket', rule: 'out_of_enum' }] },
      ],
    });
    expect(countEvents(t)).toBe(1);
    expect((await storedEvent(t, 'dup_1')).properties.ab_bucket).toBe('C');
    expect(counters()).toEqual({ total: 1, duplicates: 1 });
    const field = t.db
      .prepare("SELECT total, out_of_enum FROM landing_phase1_completeness_fields WHERE field = 'ab_bucket'")
      .get();
    expect(field).toEqual({ total: 1, out_of_enum: 1 });
  });

  it('a duplicate within one batch is stored once', async () => {
    const body = await ingest(t, [landingView('dup_b'), landingView('dup_other'), landingView('dup_b')]);
    expect(body.accepted).toBe(2);
    expect(body.duplicates).toBe(1);
    expect(body.results.map((r) => [r.event_id, r.status])).toEqual([
      ['dup_b', 'stored'],
      ['dup_other', 'stored'],
      ['dup_b', 'duplicate'],
    ]);
    expect(countEvents(t)).toBe(2);
    expect(counters()).toEqual({ total: 2, duplicates: 1 });
  });

  it('50 concurrent deliveries of one event_id store it exactly once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.post('/api/events', landingView('dup_race', { session_id: 's_race' })),
      ),
    );
    const bodies = await Promise.all(
      answers.map(async (r) => {
        expect(r.status).toBe(200);
        return (await r.json()) as IngestResponse;
      }),
    );
    expect(bodies.reduce((n, b) => n + b.accepted, 0)).toBe(1);
    expect(bodies.reduce((n, b) => n + b.duplicates, 0)).toBe(49);
    expect(bodies.filter((b) => b.results[0]?.status === 'stored')).toHaveLength(1);
    expect(countEvents(t)).toBe(1);
    expect(counters()).toEqual({ total: 1, duplicates: 49 });
  });
});

describe('enum changes apply to the next event without a restart', () => {
  it('a new ab_bucket value inserted with SQL makes the next event with it valid', async () => {
    expect(await violationsOf(t, landingView('enum_before', { ab_bucket: 'C' }))).toEqual([
      { field: 'ab_bucket', rule: 'out_of_enum' },
    ]);
    t.db
      .prepare(
        `INSERT INTO landing_phase1_enum_values (enum_name, code, label_en, label_zh, valid_from, sort_order)
         VALUES ('ab_bucket', 'C', 'Bucket C', 'C 组', '1970-01-01T00:00:00.000Z', 3)`,
      )
      .run();
    expect(await violationsOf(t, landingView('enum_after', { ab_bucket: 'C' }))).toEqual([]);
    // the earlier event keeps the verdict it was stored with
    expect((await storedEvent(t, 'enum_before')).violations).toEqual([
      { field: 'ab_bucket', rule: 'out_of_enum' },
    ]);
  });

  it('a value deprecated at an instant is valid for events before it and out_of_enum from it on', async () => {
    t.db
      .prepare(
        "UPDATE landing_phase1_enum_values SET status = 'deprecated', deprecated_at = ? WHERE enum_name = 'ab_bucket' AND code = 'B'",
      )
      .run('2026-11-25T00:00:00.000Z');
    const before = await violationsOf(
      t,
      landingView('dep_before', { ab_bucket: 'B' }, '2026-11-24T23:59:59Z'),
    );
    const at = await violationsOf(t, landingView('dep_at', { ab_bucket: 'B' }, '2026-11-25T08:00:00+08:00'));
    const after = await violationsOf(
      t,
      landingView('dep_after', { ab_bucket: 'B' }, '2026-11-25T10:00:00+08:00'),
    );
    expect(before).toEqual([]);
    expect(at).toEqual([{ field: 'ab_bucket', rule: 'out_of_enum' }]);
    expect(after).toEqual([{ field: 'ab_bucket', rule: 'out_of_enum' }]);
    // A is untouched
    expect(
      await violationsOf(t, landingView('dep_a', { ab_bucket: 'A' }, '2026-11-25T10:00:00+08:00')),
    ).toEqual([]);
  });

  it('a value not yet valid at occurred_at is out_of_enum', async () => {
    t.db
      .prepare(
        `INSERT INTO landing_phase1_enum_values (enum_name, code, label_en, label_zh, valid_from, sort_order)
         VALUES ('ab_bucket', 'D', 'Bucket D', 'D 组', '2026-11-25T00:00:00.000Z', 4)`,
      )
      .run();
    expect(await violationsOf(t, landingView('d_early', { ab_bucket: 'D' }, '2026-11-24T12:00:00Z'))).toEqual(
      [{ field: 'ab_bucket', rule: 'out_of_enum' }],
    );
    expect(await violationsOf(t, landingView('d_late', { ab_bucket: 'D' }, '2026-11-25T12:00:00Z'))).toEqual(
      [],
    );
  });

  it('raising a policy tag’s minimum escalation applies to the next risk_alert', async () => {
    const alert = (id: string) => ({
      event: 'risk_alert',
      event_id: id,
      occurred_at: '2026-11-25T10:00:00+08:00',
      properties: { ...valid('risk_alert'), policy_tag: 'A1', escalation_level: 'none' },
    });
    expect(await violationsOf(t, alert('esc_1'))).toEqual([]);
    t.db
      .prepare(
        "UPDATE landing_phase1_enum_values SET min_escalation_level = 'ops_review' WHERE enum_name = 'policy_tag' AND code = 'A1'",
      )
      .run();
    expect(await violationsOf(t, alert('esc_2'))).toEqual([
      { field: 'escalation_level', rule: 'escalation_below_policy' },
    ]);
  });
});
