import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { DB } from '../../db/open.ts';
import { ApiError } from '../http/errors.ts';

/** the largest Idempotency-Key taken; printable ASCII only */
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** the request's Idempotency-Key header: 400 naming it when missing or not a key */
export function idempotencyKey(c: Context): string {
  const key = c.req.header('Idempotency-Key')?.trim();
  if (!key)
    throw new ApiError(
      400,
      'send an Idempotency-Key header (a fresh random value per rollback, reused on retries)',
      {
        'Idempotency-Key': 'is required',
      },
    );
  if (!KEY_PATTERN.test(key))
    throw new ApiError(400, 'Idempotency-Key must be 1–200 printable characters without spaces', {
      'Idempotency-Key': 'must be 1–200 printable characters without spaces',
    });
  return key;
}

/** a stable fingerprint of what was asked: the route and the validated body, keys in a fixed order */
export function requestHash(route: string, body: Record<string, unknown>): string {
  const canonical = JSON.stringify([
    route,
    Object.keys(body)
      .sort()
      .map((k) => [k, body[k]]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * Remembers the first answer to each (user, key). Callers run `find` and `remember` inside the same
 * transaction as the change, so an answer is remembered exactly when its change is committed: a retry after a
 * crash either finds both or neither.
 */
export function idempotencyStore(db: DB) {
  const select = db.prepare(
    'SELECT request_hash, status, response FROM landing_phase1_idempotency WHERE user_id = ? AND key = ?',
  );
  const insert = db.prepare(
    `INSERT INTO landing_phase1_idempotency (user_id, key, request_hash, status, response, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  return {
    /** the first answer to this key and body; 409 when the key was used for another request */
    find(userId: number, key: string, hash: string): StoredAnswer | undefined {
      const row = select.get(userId, key) as
        | { request_hash: string; status: number; response: string }
        | undefined;
      if (!row) return undefined;
      if (row.request_hash !== hash)
        throw new ApiError(
          409,
          'this Idempotency-Key was used for a different request; use a fresh key for a new one',
          {
            'Idempotency-Key': 'was used for a different request',
          },
        );
      return { status: row.status, body: JSON.parse(row.response) as unknown };
    },
    remember(userId: number, key: string, hash: string, answer: StoredAnswer, at: Date): void {
      insert.run(userId, key, hash, answer.status, JSON.stringify(answer.body), at.toISOString());
    },
  };
}
