import { randomBytes } from 'node:crypto';
import type { DB } from '../../db/open.ts';
import { hashWriteKey } from './routes.ts';

/** Creates an ingestion write key for a source team; only its hash is stored. Returns the key, shown once. */
export function createWriteKey(
  db: DB,
  source: string,
  label: string,
  createdAt: string,
  key?: string,
): string {
  const value = key ?? `wk_${randomBytes(24).toString('base64url')}`;
  db.prepare(
    'INSERT INTO landing_phase1_write_keys (source, label, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?)',
  ).run(source, label, hashWriteKey(value), value.slice(0, 8), createdAt);
  return value;
}
