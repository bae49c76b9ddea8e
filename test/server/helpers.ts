import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DB, openDatabase } from '../../db/open.ts';
import { type AppDeps, createApp } from '../../server/app.ts';
import { createWriteKey } from '../../server/ingest/write-keys.ts';

export const TEST_PII_KEY = 'test-pii-key-0123456789';
export const KEYS = { frontend: 'test-key-frontend-build', platform: 'test-key-platform-integration' };

/** a fresh database in its own temp directory; `cleanup` closes and removes it */
export function tempDb(): { db: DB; path: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'landing-console-test-'));
  const path = join(dir, 'console.db');
  const db = openDatabase(path);
  return {
    db,
    path,
    dir,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** an app over a temp database with two write keys and a fixed clock */
export function testApp(overrides: Partial<AppDeps> = {}) {
  const t = tempDb();
  const now = new Date('2026-11-25T04:00:00.000Z');
  createWriteKey(t.db, 'frontend-build', 'test', now.toISOString(), KEYS.frontend);
  createWriteKey(t.db, 'platform-integration', 'test', now.toISOString(), KEYS.platform);
  const built = createApp({
    db: t.db,
    piiKey: TEST_PII_KEY,
    clock: () => now,
    streamIntervalMs: 50,
    ...overrides,
  });
  const post = (
    path: string,
    body: unknown,
    key: string | null = KEYS.frontend,
    headers: Record<string, string> = {},
  ) =>
    built.app.request(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (path: string) => built.app.request(path);
  /** GET a dialect list: `query` values are JSON-encoded */
  const list = (resource: string, query: { sort?: unknown; range?: unknown; filter?: unknown } = {}) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, JSON.stringify(v));
    return built.app.request(`/api/${resource}?${qs}`);
  };
  return { ...t, ...built, now, post, get, list };
}
export type TestApp = ReturnType<typeof testApp>;

/** a valid landing_view (override properties to break it) */
export function landingView(
  id: string,
  properties: Record<string, unknown> = {},
  occurred_at = '2026-11-25T10:00:00+08:00',
) {
  return {
    event: 'landing_view',
    event_id: id,
    occurred_at,
    properties: {
      user_id: 'a3f1c2d4e5f60718293a4b5c6d7e8f90',
      session_id: 's_1',
      source_channel: 'search',
      ab_bucket: 'A',
      ...properties,
    },
  };
}
