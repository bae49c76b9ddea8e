import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../server/audit/log.ts';
import type { ErrorBody } from '../../server/http/schemas.ts';
import type { WriteKeyRecord } from '../../server/write-keys/schemas.ts';
import { landingView, type TestApp, testApp } from './helpers.ts';

/**
 * Ingestion write keys, administered by admins: created keys are shown once and stored only hashed; rotation
 * and revocation take effect for ingestion at once; every change is audited.
 */

type NewKey = WriteKeyRecord & { key: string };

let t: TestApp;
beforeEach(() => {
  t = testApp();
});
afterEach(() => {
  t.hub.close();
  t.cleanup();
});

const admin = () => t.as('admin');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const auditCount = () =>
  t.db.prepare('SELECT count(*) FROM landing_phase1_audit_log').pluck().get() as number;
const lastAudit = () =>
  t.db.prepare('SELECT * FROM landing_phase1_audit_log ORDER BY id DESC LIMIT 1').get() as AuditRow;

async function createKey(body = { source: 'platform-integration', label: 'staging' }): Promise<NewKey> {
  const res = await admin().send('POST', '/api/write-keys', body);
  expect(res.status).toBe(201);
  return (await res.json()) as NewKey;
}
/** ingests one landing_view with `key`; the status */
let n = 0;
const ingestWith = async (key: string) => (await t.post('/api/events', landingView(`wk-${++n}`), key)).status;

describe('POST /api/write-keys', () => {
  it('returns the new key once (201); reads never show it again', async () => {
    const created = await createKey();
    expect(created).toEqual({
      id: expect.any(Number),
      source: 'platform-integration',
      label: 'staging',
      key: expect.stringMatching(/^wk_[A-Za-z0-9_-]{32}$/),
      key_prefix: created.key.slice(0, 8),
      created_at: t.now.toISOString(),
      created_by: 'admin',
      revoked_at: null,
      revoked_by: null,
      replaced_by: null,
      status: 'active',
    });
    const one = await admin().get(`/api/write-keys/${created.id}`);
    const { key: _, ...withoutKey } = created;
    expect(await one.json()).toEqual(withoutKey);
    const list = await (await admin().list('write-keys', { range: [0, 99] })).text();
    expect(list).not.toContain(created.key);
    expect(list).toContain(created.key_prefix);
  });

  it('stores only the key’s hash: the key appears nowhere in the database file', async () => {
    const { id, key } = await createKey();
    expect(t.db.prepare('SELECT key_hash FROM landing_phase1_write_keys WHERE id = ?').pluck().get(id)).toBe(
      sha256(key),
    );
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat([t.path, `${t.path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
    expect(bytes.includes(sha256(key))).toBe(true);
    expect(bytes.includes(key)).toBe(false);
  });

  it('the new key ingests at once, as its source team', async () => {
    const { key } = await createKey();
    const res = await t.post('/api/events', landingView('new-key-1'), key);
    expect(res.status).toBe(200);
    expect(
      t.db.prepare("SELECT source FROM landing_phase1_events WHERE event_id = 'new-key-1'").pluck().get(),
    ).toBe('platform-integration');
  });

  it('an unknown source or an empty label is 400 naming the field', async () => {
    const res = await admin().send('POST', '/api/write-keys', { source: 'marketing', label: ' ' });
    expect(res.status).toBe(400);
    expect(Object.keys(((await res.json()) as ErrorBody).errors ?? {}).sort()).toEqual(['label', 'source']);
  });
});

describe('PUT /api/write-keys/:id', () => {
  it('relabels a key; the key keeps working', async () => {
    const { id, key } = await createKey();
    const res = await admin().send('PUT', `/api/write-keys/${id}`, { label: 'production' });
    expect(res.status).toBe(200);
    expect((await res.json()) as WriteKeyRecord).toMatchObject({ id, label: 'production', status: 'active' });
    expect(await ingestWith(key)).toBe(200);
  });
});

describe('POST /api/write-keys/:id/rotate', () => {
  it('returns a new key that works; the old key is 401 at once, its row revoked and replaced_by the new one', async () => {
    const old = await createKey();
    expect(await ingestWith(old.key)).toBe(200);
    const res = await admin().send('POST', `/api/write-keys/${old.id}/rotate`, {});
    expect(res.status).toBe(201);
    const next = (await res.json()) as NewKey;
    expect(next.key).not.toBe(old.key);
    expect(next).toMatchObject({ source: old.source, label: old.label, status: 'active', revoked_at: null });

    expect(await ingestWith(next.key)).toBe(200);
    const refused = await t.post('/api/events', landingView('old-key'), old.key);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as ErrorBody).message).toBe('unknown or revoked write key');

    const oldRow = (await (await admin().get(`/api/write-keys/${old.id}`)).json()) as WriteKeyRecord;
    expect(oldRow).toMatchObject({
      status: 'revoked',
      revoked_at: t.now.toISOString(),
      revoked_by: 'admin',
      replaced_by: next.id,
    });
  });

  it('a revoked key cannot be rotated (409)', async () => {
    const { id } = await createKey();
    expect((await admin().send('POST', `/api/write-keys/${id}/revoke`, {})).status).toBe(200);
    expect((await admin().send('POST', `/api/write-keys/${id}/rotate`, {})).status).toBe(409);
  });
});

describe('POST /api/write-keys/:id/revoke', () => {
  it('revokes: ingestion with the key is 401 at once; revoking again is 409', async () => {
    const { id, key } = await createKey();
    expect(await ingestWith(key)).toBe(200);
    const res = await admin().send('POST', `/api/write-keys/${id}/revoke`, {});
    expect(res.status).toBe(200);
    expect((await res.json()) as WriteKeyRecord).toMatchObject({
      status: 'revoked',
      revoked_at: t.now.toISOString(),
      revoked_by: 'admin',
      replaced_by: null,
    });
    expect(await ingestWith(key)).toBe(401);
    const again = await admin().send('POST', `/api/write-keys/${id}/revoke`, {});
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).message).toBe(`write key ${id} is already revoked`);
  });

  it('lists filter by status', async () => {
    const a = await createKey();
    await createKey({ source: 'frontend-build', label: 'other' });
    await admin().send('POST', `/api/write-keys/${a.id}/revoke`, {});
    const revoked = (await (
      await admin().list('write-keys', { filter: { status: 'revoked' } })
    ).json()) as WriteKeyRecord[];
    expect(revoked.map((k) => k.id)).toEqual([a.id]);
    const active = (await (
      await admin().list('write-keys', { filter: { status: 'active' } })
    ).json()) as WriteKeyRecord[];
    expect(active.map((k) => k.label).sort()).toEqual(['other', 'test', 'test']);
  });
});

describe('every write-key change is audited', () => {
  it('create, relabel, rotate and revoke each write one row; none holds a key', async () => {
    const keys: string[] = [];
    const steps: Array<[string, () => Response | Promise<Response>, string]> = [
      [
        'create',
        () => admin().send('POST', '/api/write-keys', { source: 'frontend-build', label: 'ci' }),
        'write_key.create',
      ],
      ['relabel', () => admin().send('PUT', '/api/write-keys/3', { label: 'ci-2' }), 'write_key.relabel'],
      ['rotate', () => admin().send('POST', '/api/write-keys/3/rotate', {}), 'write_key.rotate'],
      ['revoke', () => admin().send('POST', '/api/write-keys/4/revoke', {}), 'write_key.revoke'],
    ];
    for (const [name, call, action] of steps) {
      const before = auditCount();
      const res = await call();
      expect(res.status, name).toBeLessThan(300);
      const body = (await res.json()) as Partial<NewKey>;
      if (body.key) keys.push(body.key);
      expect(auditCount(), name).toBe(before + 1);
      expect(lastAudit(), name).toMatchObject({
        actor: 'admin',
        action,
        resource: 'write_key',
        outcome: 'success',
      });
    }
    const rows = t.db
      .prepare("SELECT * FROM landing_phase1_audit_log WHERE resource = 'write_key' ORDER BY id")
      .all() as AuditRow[];
    expect(rows.map((r) => r.resource_id)).toEqual(['3', '3', '3', '4']);
    expect(JSON.parse(rows[1]!.before!).label).toBe('ci');
    expect(JSON.parse(rows[1]!.after!).label).toBe('ci-2');
    // rotation: the old key before and after (revoked, replaced by the new one), the replacement named
    expect(JSON.parse(rows[2]!.before!)).toMatchObject({ id: 3, status: 'active', replaced_by: null });
    expect(JSON.parse(rows[2]!.after!)).toMatchObject({ id: 3, status: 'revoked', replaced_by: 4 });
    expect(rows[2]!.reason).toMatch(/^replaced by write key 4 \(wk_/);
    expect(JSON.parse(rows[3]!.after!)).toMatchObject({ id: 4, status: 'revoked' });
    expect(keys).toHaveLength(2);
    const text = JSON.stringify(rows);
    for (const key of keys) expect(text).not.toContain(key);
  });
});
