import { z } from 'zod';
import { MOCK_PASSWORD, signInAs, signOut } from '../../mocks/access.ts';
import { emptyDb, generateDb, liveTraffic, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { auditRecordSchema } from '../../server/audit/schemas.ts';
import { permissionsOf } from '../../server/auth/permissions.ts';
import { meSchema, permissionRowSchema } from '../../server/auth/schemas.ts';
import {
  completenessEventSchema,
  completenessFieldSchema,
  completenessPushSchema,
} from '../../server/completeness/schemas.ts';
import { storedEventSchema } from '../../server/events/schemas.ts';
import { errorBodySchema } from '../../server/http/schemas.ts';
import { enumSchema, planEventSchema } from '../../server/plan/schemas.ts';
import { userSchema } from '../../server/users/schemas.ts';
import { writeKeySchema } from '../../server/write-keys/schemas.ts';
import { utc8Today } from '../../web/completeness/days.ts';
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
