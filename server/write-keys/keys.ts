import { createHash, randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { DB } from '../../db/open.ts';
import { ApiError } from '../http/errors.ts';

/** write keys authenticate ingestion; service tokens the platform's other calls (the licence check) */
export type CredentialKind = 'write_key' | 'service_token';

/**
 * A lookup of live credentials of one kind, prepared once (ingestion calls it on every request): the source
 * of a key, or undefined when it is unknown, revoked or of the other kind.
 */
export function credentialLookup(db: DB, kind: CredentialKind): (key: string) => string | undefined {
  const find = db
    .prepare(
      'SELECT source FROM landing_phase1_write_keys WHERE key_hash = ? AND kind = ? AND revoked_at IS NULL',
    )
    .pluck();
  return (key) => find.get(hashWriteKey(key), kind) as string | undefined;
}

/** write keys are stored as SHA-256 hashes: high-entropy random tokens need no slow hash */
export const hashWriteKey = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Creates an ingestion write key for a source team; only its hash is stored. Returns the new row's id and
 * the key, which is shown once. `key` fixes the value (the demo keys); otherwise it is random.
 */
export function createWriteKey(
  db: DB,
  k: {
    source: string;
    label: string;
    createdAt: string;
    createdBy?: string | null;
    key?: string;
    kind?: CredentialKind;
  },
): { id: number; key: string } {
  const kind = k.kind ?? 'write_key';
  const key = k.key ?? `${kind === 'write_key' ? 'wk' : 'st'}_${randomBytes(24).toString('base64url')}`;
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO landing_phase1_write_keys (kind, source, label, key_hash, key_prefix, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(kind, k.source, k.label, hashWriteKey(key), key.slice(0, 8), k.createdAt, k.createdBy ?? null);
  return { id: Number(lastInsertRowid), key };
}

/**
 * The platform's calls other than ingestion authenticate with `Authorization: Bearer <service token>`, not a
 * session: 401 with a WWW-Authenticate challenge when it is missing, unknown or revoked.
 */
export function requireServiceToken(db: DB): MiddlewareHandler {
  const lookup = credentialLookup(db, 'service_token');
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token || !lookup(token)) {
      c.header('WWW-Authenticate', 'Bearer realm="service"');
      throw new ApiError(
        401,
        token
          ? 'unknown or revoked service token'
          : 'missing service token: send Authorization: Bearer <service token>',
      );
    }
    await next();
  };
}
