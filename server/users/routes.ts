import { Hono } from 'hono';
import { writeAudit } from '../audit/log.ts';
import { auditContext } from '../auth/middleware.ts';
import { hashPassword, type ScryptCost } from '../auth/passwords.ts';
import type { SessionStore } from '../auth/sessions.ts';
import { idParam, parseBody } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { buildWhere, listResponse, parseListQuery, whereSql } from '../http/dialect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { type UserRecord, userCreateSchema, userUpdateSchema } from './schemas.ts';
import { insertUser } from './store.ts';

interface Row {
  id: number;
  username: string;
  display_name: string;
  roles: string;
  team: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}
const COLUMNS = 'id, username, display_name, roles, team, disabled_at, created_at, updated_at, version';
const toUser = (r: Row): UserRecord => ({
  ...r,
  roles: JSON.parse(r.roles) as UserRecord['roles'],
  disabled: r.disabled_at !== null,
});

/** the users and their roles: admins only; every change audited with before/after, never the password */
export function userRoutes(deps: RouteDeps & { sessions: SessionStore; passwordCost: ScryptCost }) {
  const { db, clock, requires, sessions } = deps;
  const get = (id: number) => {
    const row = db.prepare(`SELECT ${COLUMNS} FROM landing_phase1_users WHERE id = ?`).get(id) as
      | Row
      | undefined;
    if (!row) throw new ApiError(404, `no user ${id}`);
    return toUser(row);
  };

  return new Hono<AppEnv>()
    .get('/users', requires('users:read'), (c) => {
      const q = parseListQuery(c, {
        sortable: ['id', 'username', 'display_name', 'created_at'],
        defaultSort: ['username', 'ASC'],
      });
      const { q: search, role, disabled, ...rest } = q.filter;
      const { clauses, params } = buildWhere(rest, {
        id: { sql: 'id', type: 'number' },
        username: { sql: 'username', type: 'text' },
        team: { sql: 'team', type: 'text' },
      });
      if (typeof search === 'string' && search.trim()) {
        clauses.push('(username LIKE ? OR display_name LIKE ?)');
        params.push(`%${search.trim()}%`, `%${search.trim()}%`);
      }
      if (typeof role === 'string' && role) {
        clauses.push('EXISTS (SELECT 1 FROM json_each(roles) WHERE value = ?)');
        params.push(role);
      }
      if (disabled === true || disabled === false)
        clauses.push(disabled ? 'disabled_at IS NOT NULL' : 'disabled_at IS NULL');
      const where = whereSql(clauses);
      const total = db
        .prepare(`SELECT count(*) FROM landing_phase1_users ${where}`)
        .pluck()
        .get(...params) as number;
      const rows = db
        .prepare(
          `SELECT ${COLUMNS} FROM landing_phase1_users ${where} ORDER BY ${q.sort.field} ${q.sort.order}, id LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, q.offset) as Row[];
      return listResponse(c, 'users', rows.map(toUser), q.offset, total);
    })
    .get('/users/:id', requires('users:read'), (c) => c.json(get(idParam(c))))
    .post('/users', requires('users:write'), async (c) => {
      const body = await parseBody(c, userCreateSchema, 'user');
      if (body.roles.includes('engineer') && !body.team) {
        throw new ApiError(422, 'an engineer needs a team (whose events they read)', {
          team: 'is required for an engineer',
        });
      }
      const passwordHash = await hashPassword(body.password, deps.passwordCost);
      const now = clock();
      const user = db.transaction(() => {
        if (db.prepare('SELECT 1 FROM landing_phase1_users WHERE username = ?').get(body.username)) {
          throw new ApiError(409, `user ${body.username} already exists`, { username: 'is taken' });
        }
        const created = get(insertUser(db, body, passwordHash, now));
        writeAudit(
          db,
          {
            ...auditContext(c),
            action: 'user.create',
            resource: 'user',
            resource_id: created.id,
            after: created,
            outcome: 'success',
          },
          now,
        );
        return created;
      })();
      return c.json(user, 201);
    })
    .put('/users/:id', requires('users:write'), async (c) => {
      const id = idParam(c);
      const body = await parseBody(c, userUpdateSchema, 'user');
      const passwordHash = body.password ? await hashPassword(body.password, deps.passwordCost) : undefined;
      const me = c.var.user;
      const now = clock();
      const updated = db.transaction(() => {
        const before = get(id);
        if (before.version !== body.version) {
          throw new ApiError(
            409,
            `user ${before.username} was changed by someone else (version ${before.version}); reload and try again`,
            {
              version: 'is stale',
            },
          );
        }
        const roles = body.roles ?? before.roles;
        const team = body.team === undefined ? before.team : body.team;
        const disabled = body.disabled ?? before.disabled;
        if (roles.includes('engineer') && !team)
          throw new ApiError(422, 'an engineer needs a team', { team: 'is required for an engineer' });
        if (me?.id === id && (disabled || (before.roles.includes('admin') && !roles.includes('admin')))) {
          throw new ApiError(422, 'you cannot disable yourself or take away your own admin role', {
            roles: 'would lock you out',
          });
        }
        const at = now.toISOString();
        db.prepare(
          `UPDATE landing_phase1_users SET display_name = ?, roles = ?, team = ?, disabled_at = ?, updated_at = ?,
             password_hash = coalesce(?, password_hash), version = version + 1 WHERE id = ?`,
        ).run(
          body.display_name ?? before.display_name,
          JSON.stringify(roles),
          team,
          disabled ? (before.disabled_at ?? at) : null,
          at,
          passwordHash ?? null,
          id,
        );
        const after = get(id);
        // a disabled account, changed roles or a new password end the user's sessions at once
        if (disabled || passwordHash || JSON.stringify(after.roles) !== JSON.stringify(before.roles))
          sessions.endAllOf(id, now);
        writeAudit(
          db,
          {
            ...auditContext(c),
            action: 'user.update',
            resource: 'user',
            resource_id: id,
            before,
            after: passwordHash ? { ...after, password: 'changed' } : after,
            outcome: 'success',
          },
          now,
        );
        return after;
      })();
      return c.json(updated);
    });
}
