import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, type AuditRow, recordAudit, rowHash, writeAudit } from '../../server/audit/log.ts';
import type { AuditRecord } from '../../server/audit/schemas.ts';
import { THROTTLE } from '../../server/auth/routes.ts';
import { landingView, ORIGIN, TEST_PASSWORD, type TestApp, testApp } from './helpers.ts';

/**
 * The audit log: one row per change or decision, written with the change; append-only in the database;
 * hash-chained so that editing or removing a row is caught by GET /api/audit/verify; filtered lists and a
 * CSV export that a spreadsheet cannot turn into formulas.
 */

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const count = () => t.db.prepare('SELECT count(*) FROM landing_phase1_audit_log').pluck().get() as number;
const lastRow = () =>
  t.db.prepare('SELECT * FROM landing_phase1_audit_log ORDER BY id DESC LIMIT 1').get() as AuditRow;
const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: { id: null, username: 'system' },
  action: 'test.entry',
  resource: 'test',
  outcome: 'success',
  ...over,
});
/** `n` rows written directly, one transaction each */
const seedRows = (n: number) => {
  for (let i = 0; i < n; i++) recordAudit(t.db, entry({ resource_id: i, reason: `row ${i}` }), t.now);
};
const verify = async () => {
  const res = await t.as('compliance_reviewer').get('/api/audit/verify');
  expect(res.status).toBe(200);
  return res.json();
};

function login(username: string, password: string, cookie?: string) {
  return t.app.request('/api/auth/login', {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify({ username, password }),
  });
}

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks) */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

describe('every change and decision writes exactly one audit row', () => {
  it('sign-in, failed and throttled sign-in, sign-out, users, write keys and denials: one row each, with the request id', async () => {
    let session = '';
    const admin = t.as('admin');
    const steps: Array<{
      name: string;
      call: () => Response | Promise<Response>;
      row: Partial<AuditRow>;
    }> = [
      {
        name: 'sign-in',
        call: async () => {
          const res = await login('data_analyst', TEST_PASSWORD);
          session = /lc_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
          return res;
        },
        row: { action: 'auth.login', outcome: 'success', actor: 'data_analyst' },
      },
      {
        name: 'failed sign-in',
        call: () => login('ops', 'wrong password'),
        row: { action: 'auth.login', outcome: 'failure', actor: 'ops', reason: 'wrong password' },
      },
      ...Array.from({ length: THROTTLE.perAccount - 1 }, (_, i) => ({
        name: `failed sign-in ${i + 2}`,
        call: () => login('ops', 'wrong password'),
        row: { action: 'auth.login', outcome: 'failure' as const, actor: 'ops' },
      })),
      {
        name: 'throttled sign-in',
        call: () => login('ops', TEST_PASSWORD),
        row: { action: 'auth.login', outcome: 'denied', actor: 'ops', reason: 'too many failed sign-ins' },
      },
      {
        name: 'sign-out',
        call: () =>
          t.app.request('/api/auth/logout', {
            method: 'POST',
            headers: { Cookie: `lc_session=${session}`, Origin: ORIGIN, 'Content-Type': 'application/json' },
          }),
        row: { action: 'auth.logout', outcome: 'success', actor: 'data_analyst' },
      },
      {
        name: 'create user',
        call: () =>
          admin.send('POST', '/api/users', {
            username: 'newbie',
            display_name: 'New',
            roles: ['ops'],
            password: 'a long enough password',
          }),
        row: { action: 'user.create', resource: 'user', resource_id: '7', actor: 'admin' },
      },
      {
        name: 'update user',
        call: () => admin.send('PUT', '/api/users/7', { display_name: 'Newer', version: 1 }),
        row: { action: 'user.update', resource: 'user', resource_id: '7', actor: 'admin' },
      },
      {
        name: 'create write key',
        call: () => admin.send('POST', '/api/write-keys', { source: 'frontend-build', label: 'ci' }),
        row: { action: 'write_key.create', resource: 'write_key', resource_id: '3' },
      },
      {
        name: 'relabel write key',
        call: () => admin.send('PUT', '/api/write-keys/3', { label: 'ci-2' }),
        row: { action: 'write_key.relabel', resource_id: '3' },
      },
      {
        name: 'rotate write key',
        call: () => admin.send('POST', '/api/write-keys/3/rotate', {}),
        row: { action: 'write_key.rotate', resource_id: '3' },
      },
      {
        name: 'revoke write key',
        call: () => admin.send('POST', '/api/write-keys/4/revoke', {}),
        row: { action: 'write_key.revoke', resource_id: '4' },
      },
      {
        name: 'access denied',
        call: () => t.as('ops').get('/api/users'),
        row: {
          action: 'access.denied',
          outcome: 'denied',
          actor: 'ops',
          resource: 'users',
          resource_id: 'GET /api/users',
          reason: 'needs users:read; has ops',
        },
      },
    ];
    expect(count()).toBe(0);
    for (const step of steps) {
      const before = count();
      const res = await step.call();
      expect(count(), step.name).toBe(before + 1);
      const row = lastRow();
      expect(row, step.name).toMatchObject(step.row);
      expect(row.at, step.name).toBe(t.now.toISOString());
      expect(row.request_id, step.name).toBe(res.headers.get('x-request-id'));
    }
    expect(await verify()).toMatchObject({ ok: true, checked: steps.length, head: { id: steps.length } });
  });

  it('reads and rejected requests write none', async () => {
    const admin = t.as('admin');
    await admin.get('/api/users');
    await admin.get('/api/audit');
    await admin.send('POST', '/api/users', {
      username: 'ops',
      display_name: 'x',
      roles: ['ops'],
      password: 'x',
    });
    await admin.send('PUT', '/api/users/1', { display_name: 'x', version: 99 });
    await t.as('ops').get('/api/auth/me');
    expect(count()).toBe(0);
  });

  it('writeAudit outside a transaction throws and writes nothing', () => {
    expect(() => writeAudit(t.db, entry(), t.now)).toThrow(
      'writeAudit must run inside the transaction of the change it records',
    );
    expect(count()).toBe(0);
  });
});

describe('append-only in the database', () => {
  it('UPDATE and DELETE on the audit log are refused', () => {
    seedRows(3);
    expect(() =>
      t.db.prepare("UPDATE landing_phase1_audit_log SET reason = 'edited' WHERE id = 2").run(),
    ).toThrow('landing_phase1_audit_log is append-only');
    expect(() => t.db.prepare('DELETE FROM landing_phase1_audit_log WHERE id = 2').run()).toThrow(
      'landing_phase1_audit_log is append-only',
    );
    expect(() => t.db.prepare('DELETE FROM landing_phase1_audit_log').run()).toThrow(/append-only/);
    expect(t.db.prepare('SELECT reason FROM landing_phase1_audit_log ORDER BY id').pluck().all()).toEqual([
      'row 0',
      'row 1',
      'row 2',
    ]);
  });
});

describe('the hash chain (GET /api/audit/verify)', () => {
  beforeEach(async () => {
    seedRows(120);
    // and some rows written by requests
    expect((await t.as('ops').get('/api/write-keys')).status).toBe(403);
    expect((await login('admin', TEST_PASSWORD)).status).toBe(200);
  });

  it('holds over many rows', async () => {
    const lastHash = t.db
      .prepare('SELECT hash FROM landing_phase1_audit_log ORDER BY id DESC LIMIT 1')
      .pluck()
      .get();
    expect(await verify()).toEqual({ ok: true, checked: 122, head: { id: 122, hash: lastHash } });
  });

  it('an edited row is caught, by its id', async () => {
    t.db.exec('DROP TRIGGER landing_phase1_audit_log_no_update');
    t.db.prepare("UPDATE landing_phase1_audit_log SET reason = 'nothing to see' WHERE id = 57").run();
    expect(await verify()).toEqual({
      ok: false,
      checked: 56,
      broken: { id: 57, reason: 'its content does not match its hash' },
    });
  });

  it('an edited row whose hash is recomputed breaks the link of the next row', async () => {
    t.db.exec('DROP TRIGGER landing_phase1_audit_log_no_update');
    const row = t.db.prepare('SELECT * FROM landing_phase1_audit_log WHERE id = 57').get() as AuditRow;
    const { hash: _, ...content } = { ...row, reason: 'nothing to see' };
    t.db
      .prepare('UPDATE landing_phase1_audit_log SET reason = ?, hash = ? WHERE id = 57')
      .run(content.reason, rowHash(content));
    expect(await verify()).toEqual({
      ok: false,
      checked: 57,
      broken: { id: 58, reason: 'does not link to the row before it' },
    });
  });

  it('a deleted middle row is caught', async () => {
    t.db.exec('DROP TRIGGER landing_phase1_audit_log_no_delete');
    t.db.prepare('DELETE FROM landing_phase1_audit_log WHERE id = 80').run();
    expect(await verify()).toEqual({
      ok: false,
      checked: 79,
      broken: { id: 81, reason: 'row 80 is missing' },
    });
  });
});

describe('GET /api/audit and /api/audit/:id', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 10, d));
  beforeEach(() => {
    recordAudit(
      t.db,
      entry({ actor: { id: 1, username: 'alice' }, action: 'user.create', resource: 'user' }),
      day(20),
    );
    recordAudit(
      t.db,
      entry({ actor: { id: 2, username: 'bob' }, action: 'user.update', resource: 'user' }),
      day(21),
    );
    recordAudit(
      t.db,
      entry({ actor: { id: 1, username: 'alice' }, action: 'write_key.revoke', resource: 'write_key' }),
      day(22),
    );
    recordAudit(
      t.db,
      entry({
        actor: { id: null, username: 'anonymous' },
        action: 'auth.login',
        resource: 'session',
        outcome: 'failure',
      }),
      day(23),
    );
    recordAudit(
      t.db,
      entry({
        actor: { id: 2, username: 'bob' },
        action: 'access.denied',
        resource: 'users',
        outcome: 'denied',
      }),
      day(24),
    );
  });

  async function ids(filter: Record<string, unknown>) {
    const res = await t.as('compliance_reviewer').list('audit', { filter });
    expect(res.status).toBe(200);
    const rows = (await res.json()) as AuditRecord[];
    expect(res.headers.get('content-range')).toBe(`audit 0-${Math.max(rows.length - 1, 0)}/${rows.length}`);
    return rows.map((r) => r.id);
  }

  it('lists newest first and filters by actor, action, resource, outcome and an at range', async () => {
    expect(await ids({})).toEqual([5, 4, 3, 2, 1]);
    expect(await ids({ actor: 'alice' })).toEqual([3, 1]);
    expect(await ids({ action: 'user.update' })).toEqual([2]);
    expect(await ids({ resource: 'write_key' })).toEqual([3]);
    expect(await ids({ outcome: 'denied' })).toEqual([5]);
    expect(await ids({ outcome: 'failure' })).toEqual([4]);
    expect(await ids({ at_gte: day(21).toISOString(), at_lte: day(23).toISOString() })).toEqual([4, 3, 2]);
    expect(await ids({ at_gt: day(23).toISOString() })).toEqual([5]);
    expect(await ids({ actor: 'bob', outcome: 'success' })).toEqual([2]);
    expect(await ids({ q: 'revoke' })).toEqual([3]);
    expect(await ids({ action: ['user.create', 'user.update'] })).toEqual([2, 1]);
  });

  it('an unknown filter is 400 naming it', async () => {
    const res = await t.as('compliance_reviewer').list('audit', { filter: { prev_hash: 'x' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Record<string, string> }).errors).toHaveProperty(
      'filter.prev_hash',
    );
  });

  it('one row: parsed before/after, its hash but not the previous row’s; 404 for an unknown id', async () => {
    const id = t.db.transaction(() =>
      writeAudit(t.db, entry({ before: { label: 'a' }, after: { label: 'b' }, reason: 'relabel' }), t.now),
    )();
    const res = await t.as('data_analyst').get(`/api/audit/${id}`);
    expect(res.status).toBe(200);
    const row = (await res.json()) as AuditRecord & { prev_hash?: string };
    expect(row).toMatchObject({ id, before: { label: 'a' }, after: { label: 'b' }, reason: 'relabel' });
    expect(row.hash).toBe(lastRow().hash);
    expect(row).not.toHaveProperty('prev_hash');
    expect((await t.as('data_analyst').get('/api/audit/999')).status).toBe(404);
    expect((await t.as('data_analyst').get('/api/audit/abc')).status).toBe(400);
  });
});

describe('GET /api/audit/export (CSV)', () => {
  const HEADER = 'id,at,actor,action,resource,resource_id,outcome,reason,request_id,ip,before,after,hash';

  it('a header row and one line per row, oldest first, as an attachment', async () => {
    t.db.transaction(() => {
      writeAudit(t.db, entry({ reason: 'plain', after: { label: 'a, "quoted"' } }), t.now);
      writeAudit(t.db, entry({ actor: { id: 1, username: 'alice' }, reason: 'second' }), t.now);
    })();
    const res = await t.as('compliance_reviewer').get('/api/audit/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="audit-log-2026-11-25.csv"');
    const text = await res.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(4);
    const rows = parseCsv(text);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[7]])).toEqual([
      ['1', 'system', 'plain'],
      ['2', 'alice', 'second'],
    ]);
    expect(JSON.parse(rows[1]![11]!)).toEqual({ label: 'a, "quoted"' });
    expect(rows[1]![12]).toBe(lastRow().prev_hash);
  });

  it('a cell that a spreadsheet would run as a formula gets a leading quote', async () => {
    for (const reason of ['=HYPERLINK("http://evil.example")', '+1+2', '-3', '@SUM(A1)'])
      recordAudit(t.db, entry({ reason }), t.now);
    const rows = parseCsv(await (await t.as('admin').get('/api/audit/export')).text());
    expect(rows.slice(1).map((r) => r[7])).toEqual([
      `'=HYPERLINK("http://evil.example")`,
      "'+1+2",
      "'-3",
      "'@SUM(A1)",
    ]);
  });

  it('exports only the filtered rows, and every row past the first page of 1000', async () => {
    t.db.transaction(() => {
      for (let i = 0; i < 1005; i++)
        writeAudit(t.db, entry({ actor: { id: null, username: i % 5 === 0 ? 'alice' : 'bob' } }), t.now);
    })();
    const all = (await (await t.as('data_analyst').get('/api/audit/export')).text()).split('\r\n');
    expect(all).toHaveLength(1 + 1005 + 1);
    expect(all[1005]!.split(',')[0]).toBe('1005');

    const qs = new URLSearchParams({ filter: JSON.stringify({ actor: 'alice' }) });
    const alice = parseCsv(await (await t.as('data_analyst').get(`/api/audit/export?${qs}`)).text());
    expect(alice).toHaveLength(1 + 201);
    expect(alice.slice(1).every((r) => r[2] === 'alice')).toBe(true);
  });
});

describe('append-only, whatever the statement', () => {
  let t: TestApp;
  beforeEach(() => {
    t = testApp();
  });
  afterEach(() => {
    t.hub.close();
    t.cleanup();
  });

  it('INSERT OR REPLACE cannot overwrite an audit row or a stored event', async () => {
    expect((await t.post('/api/events', landingView('kept'))).status).toBe(200);
    const audit = await t
      .as('admin')
      .send('POST', '/api/write-keys', { source: 'frontend-build', label: 'x' });
    expect(audit.status).toBe(201);
    const row = t.db
      .prepare('SELECT * FROM landing_phase1_audit_log ORDER BY id DESC LIMIT 1')
      .get() as Record<string, unknown>;
    expect(() =>
      t.db
        .prepare(
          `INSERT OR REPLACE INTO landing_phase1_audit_log (id, at, actor, action, resource, outcome, prev_hash, hash)
           VALUES (?, ?, 'mallory', 'nothing', 'nothing', 'success', ?, ?)`,
        )
        .run(row.id, row.at, row.prev_hash, row.hash),
    ).toThrow(/append-only/);
    expect(() =>
      t.db
        .prepare(
          `INSERT OR REPLACE INTO landing_phase1_events (event_id, event, day, occurred_at, received_at, source, planned,
             violation_count, properties, violations) VALUES ('kept', 'x', 'd', 'o', 'r', 's', 0, 0, '{}', '[]')`,
        )
        .run(),
    ).toThrow(/append-only/);
    expect(
      t.db.prepare("SELECT event FROM landing_phase1_events WHERE event_id = 'kept'").pluck().get(),
    ).toBe('landing_view');
  });
});
