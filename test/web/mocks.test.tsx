import { z } from 'zod';
import { MOCK_PASSWORD, MOCK_USERS, signIn, signInAs, signOut } from '../../mocks/access.ts';
import { emptyDb, generateDb, ingest, liveTraffic, recordEvent } from '../../mocks/data.ts';
import { generateEnumProposals } from '../../mocks/enums.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { generateLedgerRequests, ledgerEntries } from '../../mocks/ledger.ts';
import { server } from '../../mocks/node.ts';
import { auditRecordSchema } from '../../server/audit/schemas.ts';
import { permissionsOf } from '../../server/auth/permissions.ts';
import { meSchema, permissionRowSchema } from '../../server/auth/schemas.ts';
import {
  completenessEventSchema,
  completenessFieldSchema,
  completenessPushSchema,
} from '../../server/completeness/schemas.ts';
import {
  enumUsageSchema,
  enumVersionSchema,
  governedEnumSchema,
  impactSchema,
  proposalSchema,
} from '../../server/enums/schemas.ts';
import { storedEventSchema } from '../../server/events/schemas.ts';
import { errorBodySchema } from '../../server/http/schemas.ts';
import {
  creditsSchema,
  ctaAbSchema,
  failuresSchema,
  funnelSchema,
  licenseReviewSchema,
} from '../../server/metrics/schemas.ts';
import { enumSchema, planEventSchema } from '../../server/plan/schemas.ts';
import { userSchema } from '../../server/users/schemas.ts';
import { writeKeySchema } from '../../server/write-keys/schemas.ts';
import { addDays, utc8Today } from '../../web/completeness/days.ts';
import { at } from './helpers.tsx';

const RESOURCES = [
  ['completeness-events', completenessEventSchema],
  ['completeness', completenessFieldSchema],
  ['events', storedEventSchema],
  ['tracking-plan', planEventSchema],
  ['enums', enumSchema],
] as const;

const list = (resource: string, params: Record<string, unknown> = {}) =>
  fetch(
    `/api/${resource}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, JSON.stringify(v)]))}`,
  );

describe('mock API', () => {
  beforeEach(() => {
    signInAs('data_analyst');
  });

  it.each(RESOURCES)(
    'answers GET /api/%s with records that match the server schema',
    async (resource, schema) => {
      const response = await list(resource, { range: [0, 9] });
      expect(response.status).toBe(200);
      const records = z.array(schema).parse(await response.json());
      expect(records.length).toBeGreaterThan(0);
      expect(response.headers.get('Content-Range')).toMatch(
        new RegExp(`^${resource} 0-${records.length - 1}/\\d+$`),
      );

      const first = records[0] as { id: string | number };
      const one = await fetch(`/api/${resource}/${encodeURIComponent(String(first.id))}`);
      expect(schema.parse(await one.json())).toEqual(first);
    },
  );

  it('generates two weeks of traffic whose counters agree with the stored events', () => {
    const db = generateDb(Date.parse('2026-11-25T12:00:00+08:00'));
    const days = new Set(db.events.map((e) => e.day));
    expect(days.size).toBe(15);
    const rows = [...db.completenessEvents.values()];
    expect(rows.reduce((sum, row) => sum + row.total, 0)).toBe(db.events.length);
    const withViolations = db.events.filter((e) => e.violation_count > 0).length;
    expect(rows.reduce((sum, row) => sum + row.with_violations, 0)).toBe(withViolations);
    expect(withViolations).toBeGreaterThan(0);
    expect(rows.some((row) => row.below_target)).toBe(true);
    expect(rows.some((row) => !row.below_target && row.planned)).toBe(true);
    expect(rows.some((row) => !row.planned)).toBe(true);
    // repeated deliveries are counted, never stored twice
    expect(rows.reduce((sum, row) => sum + row.duplicates, 0)).toBeGreaterThan(0);
    expect(db.eventsById.size).toBe(db.events.length);
    // the server's rules judged them: PII replaced by a stand-in, the D3 escalation rule applied
    const pii = db.events.find((e) => e.violations.some((v) => v.rule === 'pii' && v.field === 'user_id'));
    expect(pii?.properties.user_id).toMatch(/^pii_[0-9a-f]{32}$/);
    expect(db.events.some((e) => e.violations.some((v) => v.rule === 'escalation_below_policy'))).toBe(true);
  });

  it('simulates live traffic by ingesting each event once its time has come', () => {
    const start = Date.parse('2026-11-25T12:00:00+08:00');
    const db = emptyDb();
    const traffic = liveTraffic(db, start, 7);
    const pushes = [1, 2, 3].flatMap((minute) => traffic(start + minute * 60_000));
    expect(pushes.length).toBeGreaterThan(0);
    expect(db.events.length).toBeGreaterThan(0);
    expect(db.events.every((e) => Date.parse(e.occurred_at) <= start + 3 * 60_000)).toBe(true);
    for (const push of pushes) expect(completenessPushSchema.parse(push).events).toHaveLength(1);
  });

  it('fails instead of serving a record that drifted from the schema', async () => {
    const db = emptyDb();
    const today = utc8Today();
    recordEvent(db, {
      event: 'cta_click',
      event_id: 'e1',
      occurred_at: at(today),
      source: 'web',
      properties: {},
      violations: [],
    });
    const row = db.completenessEvents.get(`${today}|cta_click`);
    Object.assign(row ?? {}, { valid_pct: '100' });
    server.use(...createHandlers(db));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await list('completeness-events')).status).toBe(500);
    expect(logged).toHaveBeenCalledWith(expect.any(z.ZodError));
    logged.mockRestore();
  });

  it('filters, sorts and pages events in the API dialect', async () => {
    const db = emptyDb();
    const today = utc8Today();
    const add = (event_id: string, violations: { field: string; rule: 'missing' | 'pii' }[]) =>
      recordEvent(db, {
        event: 'landing_view',
        event_id,
        occurred_at: at(today),
        source: 'web',
        properties: {},
        violations,
      });
    add('a-1', [{ field: 'user_id', rule: 'pii' }]);
    add('a-2', [
      { field: 'user_id', rule: 'missing' },
      { field: 'session_id', rule: 'pii' },
    ]);
    add('b-3', []);
    server.use(...createHandlers(db));

    const ids = async (params: Record<string, unknown>) =>
      z
        .array(storedEventSchema)
        .parse(await (await list('events', params)).json())
        .map((e) => e.event_id);
    expect(await ids({ sort: ['id', 'DESC'] })).toEqual(['b-3', 'a-2', 'a-1']);
    expect(await ids({ filter: { rule: 'pii', field: 'user_id' } })).toEqual(['a-1']);
    expect(await ids({ filter: { has_violation: false } })).toEqual(['b-3']);
    expect(await ids({ filter: { q: 'a-' }, sort: ['id', 'ASC'] })).toEqual(['a-1', 'a-2']);

    const page = await list('events', { sort: ['id', 'ASC'], range: [1, 1] });
    expect(page.headers.get('Content-Range')).toBe('events 1-1/3');

    const badSort = await list('events', { sort: ['source', 'ASC'] });
    expect(badSort.status).toBe(400);
    expect(errorBodySchema.parse(await badSort.json()).errors).toEqual({ sort: 'cannot sort by source' });
    const missing = await fetch('/api/events/99');
    expect(missing.status).toBe(404);
    expect(errorBodySchema.parse(await missing.json()).message).toContain('99');
  });

  it('streams completeness messages that match the push schema', async () => {
    const abort = new AbortController();
    const response = await fetch('/api/completeness/stream', {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const chunk = await (response.body as ReadableStream<Uint8Array>).getReader().read();
    abort.abort();
    const value = new TextDecoder().decode(chunk.value);
    expect(value).toMatch(/^event:completeness\n/m);
    const data = value.match(/^data:(.*)$/m)?.[1] ?? '';
    const push = completenessPushSchema.parse(JSON.parse(data));
    expect(push.events).toHaveLength(1);
  });
});

describe('mock API access control', () => {
  const ACCESS_RESOURCES = [
    ['users', userSchema],
    ['write-keys', writeKeySchema],
    ['audit', auditRecordSchema],
    ['permissions', permissionRowSchema],
  ] as const;

  it.each(ACCESS_RESOURCES)(
    'answers GET /api/%s to an admin with records of the server schema',
    async (resource, schema) => {
      signInAs('admin');
      const response = await list(resource, { range: [0, 9] });
      expect(response.status).toBe(200);
      expect(z.array(schema).parse(await response.json()).length).toBeGreaterThan(0);
    },
  );

  it('answers 401 without a session and 403 without the permission, auditing the refusal', async () => {
    const db = emptyDb();
    server.use(...createHandlers(db));
    signOut();
    expect((await list('events')).status).toBe(401);
    expect((await fetch('/api/auth/me')).status).toBe(401);

    signInAs('engineer');
    const refused = await list('audit');
    expect(refused.status).toBe(403);
    expect(errorBodySchema.parse(await refused.json()).message).toBe(
      'your role may not do this (needs audit:read)',
    );
    expect(db.audit.at(-1)).toMatchObject({ action: 'access.denied', actor: 'engineer', outcome: 'denied' });
    const me = meSchema.parse(await (await fetch('/api/auth/me')).json());
    expect(me.permissions).toEqual(permissionsOf(['engineer']));
  });

  it('signs in with the mock password, throttles repeated failures, and signs out', async () => {
    signOut();
    const login = (password: string) =>
      fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'analyst', password }),
      });
    const ok = await login(MOCK_PASSWORD);
    expect(ok.status).toBe(200);
    expect(meSchema.parse(await ok.json())).toMatchObject({ username: 'analyst', roles: ['data_analyst'] });
    expect((await fetch('/api/auth/me')).status).toBe(200);

    const out = await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(204);
    expect((await fetch('/api/auth/me')).status).toBe(401);

    for (let i = 0; i < 5; i++) expect((await login('wrong')).status).toBe(401);
    const throttled = await login(MOCK_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('900');
  });

  it('takes mutations only as JSON, and validates them with the server schemas', async () => {
    server.use(...createHandlers(emptyDb()));
    signInAs('admin');
    const rotate = await fetch('/api/write-keys/1/rotate', { method: 'POST' });
    expect(rotate.status).toBe(415);
    const created = await fetch('/api/users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'x', display_name: '', roles: [], password: 'short' }),
    });
    expect(created.status).toBe(400);
    expect(Object.keys(errorBodySchema.parse(await created.json()).errors ?? {})).toEqual(
      expect.arrayContaining(['username', 'display_name', 'roles', 'password']),
    );
  });
});

describe('mock API enum governance', () => {
  /** signs the mock browser in as the mock user of that name */
  const as = (username: string) => {
    const index = MOCK_USERS.findIndex((u) => u.username === username);
    const user = MOCK_USERS[index];
    if (!user) throw new Error(`no mock user ${username}`);
    signIn({ ...user, id: index + 1 });
  };
  const post = (path: string, body: unknown) =>
    fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const propose = (body: Record<string, unknown>) =>
    post('/api/enum-proposals', { rationale: 'because', ...body });
  const approve = (id: number, body: Record<string, unknown> = {}) =>
    post(`/api/enum-proposals/${id}/approve`, body);
  const addBucketC = { enum: 'ab_bucket', action: 'add', value: 'C', label_en: 'C', label_zh: 'C' };
  const errorOf = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    return errorBodySchema.parse(await response.json());
  };
  /** a landing_view valid but for its ab_bucket, stored through the mock's ingest */
  const landingView = (event_id: string, ab_bucket: string, occurred_at = new Date().toISOString()) => ({
    source: 'frontend-build',
    event: 'landing_view',
    event_id,
    occurred_at,
    properties: {
      user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90',
      session_id: 's_1',
      source_channel: 'search',
      ab_bucket,
    },
  });

  it('lists enums with governance and version, sorted by name, with a Content-Range', async () => {
    server.use(...createHandlers(emptyDb()));
    as('analyst');
    const response = await list('enums', { range: [0, 4] });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Range')).toBe('enums 0-4/12');
    const page = z.array(governedEnumSchema).parse(await response.json());
    const names = page.map((e) => e.name);
    expect(names).toEqual([...names].sort());
    expect(page.every((e) => e.version === 1)).toBe(true);
    const failure = governedEnumSchema.parse(await (await fetch('/api/enums/failure_code')).json());
    expect(failure.governance.approve_roles).toEqual(['product_planner', 'compliance_reviewer']);
    expect((await errorOf(await fetch('/api/enums/nope'), 404)).message).toBe('no enum nope');
    const usage = enumUsageSchema.parse(await (await fetch('/api/enums/ab_bucket/usage')).json());
    expect(usage.fields).toEqual([{ event: 'landing_view', field: 'ab_bucket' }]);
    expect(usage.values.map((v) => v.code)).toEqual(['A', 'B']);
  });

  it('applies an approved proposal: the enum gains the value, a new version, audit rows, and the next event is valid', async () => {
    const db = emptyDb();
    server.use(...createHandlers(db));
    ingest(db, [landingView('before', 'C')]);
    expect(db.events.at(-1)?.violations).toEqual([
      expect.objectContaining({ field: 'ab_bucket', rule: 'out_of_enum' }),
    ]);

    as('planner');
    // the preview stores nothing and counts the stored event the addition would make valid
    const impact = impactSchema.parse(
      await (await post('/api/enum-proposals/impact', { rationale: 'r', ...addBucketC })).json(),
    );
    expect(impact).toMatchObject({ events_using: 1, becoming_valid: 1, becoming_invalid: 0 });
    expect(z.array(proposalSchema).parse(await (await list('enum-proposals')).json())).toEqual([]);

    const created = await propose(addBucketC);
    expect(created.status).toBe(201);
    const proposal = proposalSchema.parse(await created.json());
    expect(proposal).toMatchObject({
      status: 'pending',
      missing_roles: ['product_planner'],
      impact: { becoming_valid: 1 },
    });

    as('planner2');
    const approved = proposalSchema.parse(await (await approve(proposal.id, { version: 1 })).json());
    expect(approved).toMatchObject({ status: 'approved', applied_version: 2, version: 2, missing_roles: [] });

    const bucket = governedEnumSchema.parse(await (await fetch('/api/enums/ab_bucket')).json());
    expect(bucket.version).toBe(2);
    expect(bucket.values.find((v) => v.code === 'C')).toMatchObject({
      status: 'active',
      valid_from: approved.decided_at,
    });
    const history = await fetch('/api/enums/ab_bucket/history');
    expect(history.headers.get('Content-Range')).toBe('enum-versions 0-1/2');
    const versions = z.array(enumVersionSchema).parse(await history.json());
    expect(versions.map((v) => [v.id, v.by, v.proposal_id])).toEqual([
      ['ab_bucket@2', 'planner2', proposal.id],
      ['ab_bucket@1', 'seed', null],
    ]);
    expect(versions[1]?.values.map((v) => v.code)).toEqual(['A', 'B']);
    const then = enumVersionSchema.parse(
      await (
        await fetch(`/api/enums/ab_bucket/history?at=${encodeURIComponent('2026-01-01T00:00:00Z')}`)
      ).json(),
    );
    expect(then.version).toBe(1);
    expect((await errorOf(await fetch('/api/enums/ab_bucket/history?at=yesterday'), 400)).errors).toEqual({
      at: 'not a date-time',
    });

    expect(db.audit.slice(-2).map((r) => [r.action, r.actor, r.resource_id])).toEqual([
      ['enum_proposal.create', 'planner', String(proposal.id)],
      ['enum.add', 'planner2', 'ab_bucket.C'],
    ]);
    // the next ingested event is validated against the new table
    ingest(db, [landingView('after', 'C')]);
    expect(db.events.at(-1)?.violations).toEqual([]);
  });

  it('refuses self-approval (403, audited) and leaves the proposal as it was', async () => {
    const db = emptyDb();
    server.use(...createHandlers(db));
    as('planner');
    const proposal = proposalSchema.parse(await (await propose(addBucketC)).json());
    const refused = await errorOf(await approve(proposal.id), 403);
    expect(refused.message).toBe('a proposal is approved by someone other than its proposer');
    expect(db.audit.at(-1)).toMatchObject({
      action: 'access.denied',
      actor: 'planner',
      resource_id: `POST /api/enum-proposals/${proposal.id}/approve`,
    });
    await errorOf(await post(`/api/enum-proposals/${proposal.id}/reject`, { reason: 'no' }), 403);
    const after = proposalSchema.parse(await (await fetch(`/api/enum-proposals/${proposal.id}`)).json());
    expect(after).toMatchObject({ status: 'pending', version: 1, approvals: [] });
    expect(db.enums.find((e) => e.name === 'ab_bucket')?.values.map((v) => v.code)).toEqual(['A', 'B']);
  });

  it('needs a product planner and a compliance reviewer for failure_code, two people other than the proposer', async () => {
    server.use(...createHandlers(emptyDb()));
    as('planner');
    const proposal = proposalSchema.parse(
      await (
        await propose({
          enum: 'failure_code',
          action: 'add',
          value: 'quota_exceeded',
          label_en: 'Quota',
          label_zh: '配额',
        })
      ).json(),
    );
    expect(proposal.missing_roles).toEqual(['product_planner', 'compliance_reviewer']);
    as('planner2');
    const first = proposalSchema.parse(await (await approve(proposal.id)).json());
    expect(first).toMatchObject({ status: 'pending', version: 2, missing_roles: ['compliance_reviewer'] });
    expect((await errorOf(await approve(proposal.id), 409)).message).toBe(
      `you already approved proposal ${proposal.id}`,
    );
    as('reviewer');
    expect((await errorOf(await approve(proposal.id, { version: 1 }), 409)).errors).toEqual({
      version: 'is 2',
    });
    const done = proposalSchema.parse(await (await approve(proposal.id, { version: 2 })).json());
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a) => [a.username, a.role])).toEqual([
      ['planner2', 'product_planner'],
      ['reviewer', 'compliance_reviewer'],
    ]);
    await errorOf(await approve(proposal.id), 409);
  });

  it('filters proposals with mine and to_approve over the demo proposals', async () => {
    const db = generateEnumProposals(emptyDb(), Date.now());
    server.use(...createHandlers(db));
    const ids = async (params: Record<string, unknown>) => {
      const response = await list('enum-proposals', params);
      expect(response.status).toBe(200);
      return z
        .array(proposalSchema)
        .parse(await response.json())
        .map((p) => [p.id, p.enum, p.status]);
    };
    as('reviewer2');
    expect(await ids({})).toEqual([
      [4, 'failure_code', 'pending'],
      [3, 'policy_tag', 'pending'],
      [2, 'queue_type', 'rejected'],
      [1, 'persona_tag', 'approved'],
    ]);
    expect(await ids({ filter: { to_approve: true } })).toEqual([
      [4, 'failure_code', 'pending'],
      [3, 'policy_tag', 'pending'],
    ]);
    as('reviewer');
    expect(await ids({ filter: { to_approve: true } })).toEqual([[4, 'failure_code', 'pending']]);
    expect(await ids({ filter: { mine: true } })).toEqual([[3, 'policy_tag', 'pending']]);
    as('planner');
    expect(await ids({ filter: { mine: true }, sort: ['id', 'ASC'] })).toEqual([
      [1, 'persona_tag', 'approved'],
      [4, 'failure_code', 'pending'],
    ]);
    expect(await ids({ filter: { to_approve: true } })).toEqual([]);
    const rejected = proposalSchema.parse(await (await fetch('/api/enum-proposals/2')).json());
    expect(rejected).toMatchObject({ rejected_by: 'planner', reject_reason: expect.stringMatching(/\S/) });
    const persona = governedEnumSchema.parse(await (await fetch('/api/enums/persona_tag')).json());
    expect(persona.version).toBe(2);
    expect(persona.values.map((v) => v.code)).toContain('brand_inhouse');
    const badFilter = await list('enum-proposals', { filter: { nope: 1 } });
    expect((await errorOf(badFilter, 400)).message).toBe('cannot filter by nope');
  });

  it('refuses a second pending proposal for the same value (409) and an unknown body field (400)', async () => {
    const db = emptyDb();
    server.use(...createHandlers(db));
    as('planner');
    expect((await propose(addBucketC)).status).toBe(201);
    const duplicate = await errorOf(await propose({ ...addBucketC, label_en: 'Bucket C' }), 409);
    expect(duplicate.errors).toEqual({ value: 'pending proposal 1' });
    const unknown = await errorOf(await propose({ ...addBucketC, value: 'D', colour: 'red' }), 400);
    expect(unknown.errors?.['(body)']).toMatch(/colour/);
    // a new policy tag needs its mapping (apply.ts's 422, naming each field)
    const unmapped = await errorOf(
      await propose({ enum: 'policy_tag', action: 'add', value: 'E1', label_en: 'E', label_zh: 'E' }),
      422,
    );
    expect(Object.keys(unmapped.errors ?? {})).toEqual([
      'policy_group',
      'default_risk_level',
      'default_action_required',
      'min_escalation_level',
    ]);
    expect(db.audit.filter((r) => r.action === 'enum_proposal.create')).toHaveLength(1);
  });
});

describe('mock API metrics board', () => {
  // noon in Shanghai: the generated fortnight ends today
  const NOW = Date.parse('2026-11-25T12:00:00+08:00');
  const from = '2026-11-18';
  const to = '2026-11-24';
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const metric = async (name: string, query: Record<string, string> = { from, to }) =>
    fetch(`/api/metrics/${name}?${new URLSearchParams(query)}`);
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
  /** the distinct non-blank values of `field` over `events` */
  const distinct = (events: { properties: Record<string, unknown> }[], field: string) =>
    new Set(events.map((e) => text(e.properties[field])).filter((v) => v !== null)).size;
  let db: ReturnType<typeof generateDb>;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    db = generateLedgerRequests(generateDb(NOW), NOW);
    server.use(...createHandlers(db));
    signInAs('data_analyst');
  });
  afterEach(() => vi.useRealTimers());

  it('answers the funnel and the A/B test with direct counts over the stored events, per UTC+8 day', async () => {
    const funnel = funnelSchema.parse(await (await metric('funnel')).json());
    expect(funnel.days).toEqual(days);
    const of = (event: string, day: string) => db.events.filter((e) => e.event === event && e.day === day);
    let views = 0;
    let viewers = 0;
    for (const day of days) {
      const row = funnel.series.find((d) => d.day === day);
      expect(row?.events.landing_view, day).toBe(of('landing_view', day).length);
      expect(row?.actors.landing_view, day).toBe(distinct(of('landing_view', day), 'user_id'));
      expect(row?.actors.task_start, day).toBe(distinct(of('task_start', day), 'account_id'));
      expect(row?.events.task_completed, day).toBe(of('task_completed', day).length);
      expect(row?.actors.task_completed).toBeNull();
      views += of('landing_view', day).length;
      viewers += distinct(of('landing_view', day), 'user_id');
    }
    const [landing, click] = funnel.steps;
    expect(landing).toMatchObject({
      step: 'landing_view',
      unit: 'users',
      events: views,
      actor_days: viewers,
    });
    expect(viewers).toBeGreaterThan(0);
    expect(views).toBeGreaterThan(viewers);
    expect(click?.conversion).toBeCloseTo((click?.actor_days ?? 0) / viewers, 10);
    expect(funnel.filters_applied).toEqual([]);

    // a channel filters the steps whose events carry it (or whose user's landing does), and only those
    const channels = db.events.filter((e) => e.event === 'landing_view' && days.includes(e.day));
    const channel = String(channels[0]?.properties.source_channel);
    const filtered = funnelSchema.parse(await (await metric('funnel', { from, to, channel })).json());
    expect(filtered.steps[0]?.events).toBe(
      channels.filter((e) => e.properties.source_channel === channel).length,
    );
    expect(filtered.steps[0]?.events).toBeLessThan(views);
    expect(filtered.steps[3]).toEqual(funnel.steps[3]);
    expect(filtered.filters_applied).toEqual(['channel']);
    expect(filtered.filters_by_series).toMatchObject({ landing_view: ['channel'], license_approved: [] });

    // viewers per bucket: each user's first landing of the day gives their bucket for that day
    const ab = ctaAbSchema.parse(await (await metric('cta-ab')).json());
    const perBucket = new Map<string, number>();
    for (const day of days) {
      const first = new Map<string, string>();
      for (const e of of('landing_view', day)) {
        const user = text(e.properties.user_id);
        if (user && !first.has(user)) first.set(user, text(e.properties.ab_bucket) ?? '(unknown)');
      }
      for (const bucket of first.values()) perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + 1);
    }
    expect(perBucket.get('A')).toBeGreaterThan(0);
    for (const cell of ab.cells) expect(cell.views, cell.ab_bucket).toBe(perBucket.get(cell.ab_bucket) ?? 0);
    // the planned CTAs first, in the enum's order
    const planned = db.enums.find((e) => e.name === 'cta_id')?.values.map((v) => v.code) ?? [];
    const ctas = ab.cells.filter((c) => c.ab_bucket === 'A').map((c) => c.cta_id);
    expect(ctas.slice(0, planned.length)).toEqual(planned);
    // clickers per CTA, whatever bucket they were counted under: each day's distinct users clicking it
    for (const cta of ctas) {
      const clickers = days.reduce(
        (sum, day) =>
          sum +
          distinct(
            of('cta_click', day).filter((e) => (text(e.properties.cta_id) ?? '(unknown)') === cta),
            'user_id',
          ),
        0,
      );
      const cells = ab.cells.filter((c) => c.cta_id === cta);
      expect(
        cells.reduce((sum, c) => sum + c.clicks, 0),
        cta,
      ).toBe(clickers);
    }
    expect(ab.cells.find((c) => c.ab_bucket === 'A' && c.cta_id === planned[0])?.clicks).toBeGreaterThan(0);
  });

  it('answers failures, credits and the licence review from the events, the ledger and the licences', async () => {
    const inRange = (e: { day: string }) => days.includes(e.day);
    const failed = db.events.filter((e) => e.event === 'task_failed' && inRange(e));
    const failures = failuresSchema.parse(await (await metric('failures')).json());
    expect(failures.total).toBe(failed.length);
    expect(failed.length).toBeGreaterThan(0);
    for (const { key, total } of failures.by_failure_code.keys)
      expect(total, key).toBe(
        failed.filter((e) => (text(e.properties.failure_code) ?? '(unknown)') === key).length,
      );

    const credits = creditsSchema.parse(await (await metric('credits', { from, to: '2026-11-25' })).json());
    const made = ledgerEntries(db).filter((e) => e.created_at >= '2026-11-17T16:00:00.000Z');
    const posted = (kind: string) => made.filter((e) => e.kind === kind && e.status === 'posted');
    expect(credits.totals.tail_deductions).toBe(posted('tail_deduction').length);
    expect(credits.totals.tail_deducted).toBeCloseTo(
      -posted('tail_deduction').reduce((sum, e) => sum + e.amount, 0),
      6,
    );
    // generateLedgerRequests: one rollback posted today, two corrections awaiting a second person
    expect(credits.totals.rollbacks).toBe(1);
    expect(credits.totals.rolled_back).toBe(posted('manual_rollback')[0]?.amount);
    expect(credits.series.at(-1)?.rollbacks).toBe(1);

    const review = licenseReviewSchema.parse(await (await metric('license-review')).json());
    const start = '2026-11-17T16:00:00.000Z';
    const end = '2026-11-24T16:00:00.000Z';
    const decided = db.licenses.filter((l) => l.decided_at && l.decided_at >= start && l.decided_at < end);
    expect(review.totals.rejected).toBe(decided.filter((l) => l.status === 'rejected').length);
    expect(review.totals.approved).toBe(decided.filter((l) => l.status !== 'rejected').length);
    expect(review.totals.approved).toBeGreaterThan(0);
    expect(review.totals.applied).toBe(
      db.events.filter((e) => e.event === 'license_apply' && inRange(e)).length,
    );
  });

  it('refuses a bad query with a 400 naming the parameter, and answers 401 without a session', async () => {
    const bad = await metric('funnel', { from: '2026-02-30', to });
    expect(bad.status).toBe(400);
    const body = errorBodySchema.parse(await bad.json());
    expect(Object.keys(body.errors ?? {})).toEqual(['from']);
    expect(body.message).toMatch(/^invalid metrics query: from /);
    const unknown = errorBodySchema.parse(await (await metric('cta-ab', { day: to })).json());
    expect(unknown.errors?.day).toMatch(/^unknown parameter/);
    const long = errorBodySchema.parse(await (await metric('credits', { from: '2026-01-01', to })).json());
    expect(long.errors?.from).toMatch(/at most 92 days/);
    // the default: the last 14 UTC+8 days, today included
    const fallback = funnelSchema.parse(await (await metric('funnel', {})).json());
    expect([fallback.from, fallback.to, fallback.days.length]).toEqual(['2026-11-12', '2026-11-25', 14]);

    signOut();
    const anonymous = await metric('funnel');
    expect(anonymous.status).toBe(401);
  });
});
