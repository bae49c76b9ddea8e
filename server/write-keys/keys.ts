import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../../db/open.ts';

/** write keys are stored as SHA-256 hashes: high-entropy random tokens need no slow hash */
export const hashWriteKey = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Creates an ingestion write key for a source team; only its hash is stored. Returns the new row's id and
 * the key, which is shown once. `key` fixes the value (the demo keys); otherwise it is random.
 */
export function createWriteKey(
  db: DB,
  k: { source: string; label: string; createdAt: string; createdBy?: string | null; key?: string },
): { id: number; key: string } {
  const key = k.key ?? `wk_${randomBytes(24).toString('base64url')}`;
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO landing_phase1_write_keys (source, label, key_hash, key_prefix, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(k.source, k.label, hashWriteKey(key), key.slice(0, 8), k.createdAt, k.createdBy ?? null);
  return { id: Number(lastInsertRowid), key };
}
