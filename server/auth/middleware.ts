import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { DB } from '../../db/open.ts';
import { type AuditEntry, recordAudit } from '../audit/log.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { can, type Permission } from './permissions.ts';
import type { SessionStore } from './sessions.ts';

export interface CookiePolicy {
  /** Secure and __Host- prefixed (HTTPS / production) */
  secure: boolean;
}
export const SESSION_COOKIE = 'lc_session';

export const readSessionCookie = (c: Context, policy: CookiePolicy) =>
  policy.secure ? getCookie(c, SESSION_COOKIE, 'host') : getCookie(c, SESSION_COOKIE);

/** the client's address as the socket sees it ('unknown' when there is no socket, as in app.request tests) */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** who did it, from which request and address: the parts of an audit row the context knows */
export function auditContext(c: Context<AppEnv>): Pick<AuditEntry, 'actor' | 'request_id' | 'ip'> {
  const user = c.var.user;
  return {
    actor: user ? { id: user.id, username: user.username } : { id: null, username: 'anonymous' },
    request_id: c.var.requestId ?? null,
    ip: clientIp(c),
  };
}

/** puts the signed-in user (or null) on the context of every console request */
export function loadSession(
  sessions: SessionStore,
  policy: CookiePolicy,
  clock: () => Date,
): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = readSessionCookie(c, policy);
    c.set('user', token ? (sessions.resolve(token, clock()) ?? null) : null);
    await next();
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated mutations must come from the console's own origin and be JSON: a cross-site form or
 * script cannot forge them (hono/csrf does not check JSON requests, hence this). Requests that authenticate
 * with an Authorization header (write keys, service tokens) and carry no session cookie are exempt.
 */
export function sameOriginJson(
  publicOrigin: string | undefined,
  cookies: CookiePolicy,
): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (c.req.header('Authorization') && !readSessionCookie(c, cookies)) return next();
    const origin = c.req.header('Origin');
    // the request's own host (the server builds the URL from the Host header)
    const host = new URL(c.req.url).host;
    let sameOrigin = false;
    if (origin && origin !== 'null') {
      try {
        const url = new URL(origin);
        sameOrigin = publicOrigin ? url.origin === publicOrigin : url.host === host;
      } catch {
        sameOrigin = false;
      }
    }
    if (!sameOrigin)
      throw new ApiError(403, 'cross-origin request refused: the Origin header must be the console’s own');
    // every cookie mutation declares JSON, bodyless actions (logout, rotate, revoke) included: a form or
    // text/plain request is what a cross-site page can send without a preflight
    const type = c.req.header('Content-Type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(415, 'send the request body as JSON (Content-Type: application/json)');
    }
    return next();
  });
}

/**
 * The route needs `permission`: no session is 401; a session without the permission is 403, and the
 * denied attempt is audited.
 */
export function createGuard(db: DB, clock: () => Date) {
  return (permission: Permission): MiddlewareHandler<AppEnv> =>
    createMiddleware<AppEnv>(async (c, next) => {
      const user = c.var.user;
      if (!user) throw new ApiError(401, 'sign in first');
      if (!can(user.roles, permission)) {
        recordAudit(
          db,
          {
            ...auditContext(c),
            action: 'access.denied',
            resource: permission.split(':')[0] ?? permission,
            resource_id: `${c.req.method} ${c.req.path}`,
            reason: `needs ${permission}; has ${user.roles.join(', ') || 'no role'}`,
            outcome: 'denied',
          },
          clock(),
        );
        throw new ApiError(403, `your role may not do this (needs ${permission})`);
      }
      await next();
    });
}
export type Requires = ReturnType<typeof createGuard>;
