import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../../db/open.ts';
import type { SessionUser } from '../http/env.ts';
import type { Role } from './permissions.ts';

export interface SessionPolicy {
  /** a session unused for this long has ended (inactivity) */
  idleMs: number;
  /** and none lives longer than this */
  maxMs: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** last_seen_at is written at most this often: reads should not each cost a write */
const TOUCH_EVERY_MS = 60_000;

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  roles: string;
  team: string | null;
  password_hash: string;
  disabled_at: string | null;
}

export const toSessionUser = (
  r: Pick<UserRow, 'id' | 'username' | 'display_name' | 'roles' | 'team'>,
): SessionUser => ({
  id: r.id,
  username: r.username,
  display_name: r.display_name,
  roles: JSON.parse(r.roles) as Role[],
  team: r.team,
});

/** Server-side sessions: the cookie carries a random token, the database only its hash. */
export function createSessionStore(db: DB, policy: SessionPolicy) {
  const insert = db.prepare(
    `INSERT INTO landing_phase1_sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const find = db.prepare(
    `SELECT s.token_hash, s.last_seen_at, s.expires_at, u.id, u.username, u.display_name, u.roles, u.team
     FROM landing_phase1_sessions s JOIN landing_phase1_users u ON u.id = s.user_id
     WHERE s.token_hash = ? AND s.ended_at IS NULL AND u.disabled_at IS NULL`,
  );
  const touch = db.prepare('UPDATE landing_phase1_sessions SET last_seen_at = ? WHERE token_hash = ?');
  const end = db.prepare(
    'UPDATE landing_phase1_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL',
  );
  const endAllOf = db.prepare(
    'UPDATE landing_phase1_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL',
  );

  return {
    /** a new session (a new token: sessions rotate at every sign-in); returns the cookie's token */
    create(userId: number, now: Date, ip: string, userAgent: string | undefined): string {
      const token = randomBytes(32).toString('base64url');
      const at = now.toISOString();
      insert.run(
        hashToken(token),
        userId,
        at,
        at,
        new Date(now.getTime() + policy.maxMs).toISOString(),
        ip,
        userAgent ?? null,
      );
      return token;
    },
    /** the user of a live session, marking it used; undefined when unknown, ended, idle too long or expired */
    resolve(token: string, now: Date): SessionUser | undefined {
      const row = find.get(hashToken(token)) as
        | (Omit<UserRow, 'password_hash' | 'disabled_at'> & {
            token_hash: string;
            last_seen_at: string;
            expires_at: string;
          })
        | undefined;
      if (!row) return undefined;
      const t = now.getTime();
      const lastSeen = Date.parse(row.last_seen_at);
      if (t >= Date.parse(row.expires_at) || t - lastSeen >= policy.idleMs) {
        end.run(now.toISOString(), row.token_hash);
        return undefined;
      }
      if (t - lastSeen >= TOUCH_EVERY_MS) touch.run(now.toISOString(), row.token_hash);
      return toSessionUser(row);
    },
    end(token: string, now: Date): void {
      end.run(now.toISOString(), hashToken(token));
    },
    /** ends every session of a user (disabled, roles or password changed) */
    endAllOf(userId: number, now: Date): void {
      endAllOf.run(now.toISOString(), userId);
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;

export function findUserByName(db: DB, username: string): UserRow | undefined {
  return db
    .prepare(
      'SELECT id, username, display_name, roles, team, password_hash, disabled_at FROM landing_phase1_users WHERE username = ?',
    )
    .get(username) as UserRow | undefined;
}
