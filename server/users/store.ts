import type { DB } from '../../db/open.ts';
import type { Role } from '../auth/permissions.ts';

export interface NewUser {
  username: string;
  display_name: string;
  roles: Role[];
  team: string | null;
}

/** inserts a user (the caller hashes the password and audits); returns the new id */
export function insertUser(db: DB, u: NewUser, passwordHash: string, at: Date): number {
  const iso = at.toISOString();
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO landing_phase1_users (username, display_name, roles, team, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(u.username, u.display_name, JSON.stringify(u.roles), u.team, passwordHash, iso, iso);
  return Number(lastInsertRowid);
}

export const countUsers = (db: DB) =>
  db.prepare('SELECT count(*) FROM landing_phase1_users').pluck().get() as number;
