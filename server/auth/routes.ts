import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { recordAudit, writeAudit } from '../audit/log.ts';
import { parseBody } from '../http/body.ts';
import type { RouteDeps } from '../http/deps.ts';
import { listResponse } from '../http/dialect.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import {
  auditContext,
  type CookiePolicy,
  clientIp,
  readSessionCookie,
  SESSION_COOKIE,
} from './middleware.ts';
import { hashPassword, type ScryptCost, verifyPassword } from './passwords.ts';
import { PERMISSIONS, type Permission, permissionsOf } from './permissions.ts';
import { loginSchema, type Me, type PermissionRow } from './schemas.ts';
import { findUserByName, type SessionStore, toSessionUser } from './sessions.ts';

/** failed sign-ins allowed in the window before 429: per account, and per address */
export const THROTTLE = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 20 };

export const meOf = (u: SessionUser): Me => ({ ...u, permissions: permissionsOf(u.roles) });

export function authRoutes(
  deps: RouteDeps & { sessions: SessionStore; cookies: CookiePolicy; passwordCost: ScryptCost },
) {
  const { db, clock, sessions, cookies, requires } = deps;
  // an unknown username still costs one verification, so response time does not tell which names exist
  const dummyHash = hashPassword('not-a-real-password', deps.passwordCost);

  const failuresSince = db.prepare(
    `SELECT count(*) AS n, min(at) AS oldest FROM landing_phase1_login_failures WHERE at > ? AND username = ?`,
  );
  const failuresFromIp = db.prepare(
    `SELECT count(*) AS n, min(at) AS oldest FROM landing_phase1_login_failures WHERE at > ? AND ip = ?`,
  );
  const recordFailure = db.prepare(
    'INSERT INTO landing_phase1_login_failures (username, ip, at) VALUES (?, ?, ?)',
  );
  const clearFailures = db.prepare('DELETE FROM landing_phase1_login_failures WHERE username = ?');

  const setSessionCookie = (c: Context, token: string) =>
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: cookies.secure,
      ...(cookies.secure ? { prefix: 'host' as const } : {}),
    });

  return new Hono<AppEnv>()
    .post('/auth/login', async (c) => {
      const { username, password } = await parseBody(c, loginSchema, 'sign-in');
      const now = clock();
      const ip = clientIp(c);
      const ctx = { ...auditContext(c), actor: { id: null, username } };

      const since = new Date(now.getTime() - THROTTLE.windowMs).toISOString();
      const byAccount = failuresSince.get(since, username) as { n: number; oldest: string | null };
      const byAddress = failuresFromIp.get(since, ip) as { n: number; oldest: string | null };
      const throttled =
        byAccount.n >= THROTTLE.perAccount
          ? byAccount
          : byAddress.n >= THROTTLE.perAddress
            ? byAddress
            : undefined;
      if (throttled) {
        const retryAfter = Math.max(
          1,
          Math.ceil((Date.parse(throttled.oldest ?? since) + THROTTLE.windowMs - now.getTime()) / 1000),
        );
        recordAudit(
          db,
          {
            ...ctx,
            action: 'auth.login',
            resource: 'session',
            outcome: 'denied',
            reason: 'too many failed sign-ins',
          },
          now,
        );
        c.header('Retry-After', String(retryAfter));
        throw new ApiError(
          429,
          `too many failed sign-ins; try again in ${Math.ceil(retryAfter / 60)} minute(s)`,
        );
      }

      const user = findUserByName(db, username);
      // against the dummy hash when the name is unknown: the check always costs the same
      const verified = await verifyPassword(password, user?.password_hash ?? (await dummyHash));
      const ok = user !== undefined && verified;
      if (!user || !ok || user.disabled_at) {
        db.transaction(() => {
          recordFailure.run(username, ip, now.toISOString());
          writeAudit(
            db,
            {
              ...ctx,
              actor: { id: user?.id ?? null, username },
              action: 'auth.login',
              resource: 'session',
              outcome: 'failure',
              reason: !user ? 'unknown user' : !ok ? 'wrong password' : 'account disabled',
            },
            now,
          );
        })();
        throw new ApiError(401, 'invalid username or password');
      }

      const previous = readSessionCookie(c, cookies);
      const sessionUser = toSessionUser(user);
      const token = db.transaction(() => {
        if (previous) sessions.end(previous, now);
        clearFailures.run(username);
        const t = sessions.create(user.id, now, ip, c.req.header('User-Agent'));
        writeAudit(
          db,
          {
            ...ctx,
            actor: { id: user.id, username },
            action: 'auth.login',
            resource: 'session',
            resource_id: user.id,
            outcome: 'success',
          },
          now,
        );
        return t;
      })();
      setSessionCookie(c, token);
      return c.json(meOf(sessionUser));
    })
    .post('/auth/logout', (c) => {
      const token = readSessionCookie(c, cookies);
      const user = c.var.user;
      const now = clock();
      if (token) {
        db.transaction(() => {
          sessions.end(token, now);
          if (user)
            writeAudit(
              db,
              {
                ...auditContext(c),
                action: 'auth.logout',
                resource: 'session',
                resource_id: user.id,
                outcome: 'success',
              },
              now,
            );
        })();
      }
      deleteCookie(c, SESSION_COOKIE, {
        path: '/',
        secure: cookies.secure,
        ...(cookies.secure ? { prefix: 'host' as const } : {}),
      });
      return c.body(null, 204);
    })
    .get('/auth/me', (c) => {
      const user = c.var.user;
      if (!user) throw new ApiError(401, 'sign in first');
      return c.json(meOf(user));
    })
    .get('/permissions', requires('permissions:read'), (c) => {
      const rows: PermissionRow[] = (Object.keys(PERMISSIONS) as Permission[]).map((p) => {
        const [resource = p, action = ''] = p.split(':');
        return { id: p, resource, action, roles: [...PERMISSIONS[p]] };
      });
      return listResponse(c, 'permissions', rows, 0, rows.length);
    });
}
