import { type AuthProvider, HttpError, type UserIdentity } from 'react-admin';
import type { Permission, Role } from '../server/auth/permissions.ts';
import { type Me, meSchema } from '../server/auth/schemas.ts';
import { httpClient } from './dataProvider.ts';

/**
 * What each page and button of the console needs, as the server's permissions: react-admin resource ×
 * action → permission. Anything not listed is refused. This only decides what the SPA shows; the server
 * checks the same permission on every route whatever the SPA shows. `export` is a list's CSV
 * (web/layout/CsvExportButton.tsx), for whoever reads the list; the audit log's is its own server export.
 */
export const ACCESS: Record<string, Record<string, Permission>> = {
  dashboard: { list: 'completeness:read' },
  metrics: { list: 'metrics:read' },
  events: { list: 'events:read', show: 'events:read', export: 'events:read' },
  'tracking-plan': { list: 'tracking-plan:read', show: 'tracking-plan:read', export: 'tracking-plan:read' },
  // the server also checks the enum's own proposer and approver roles (governance) and refuses self-approval
  enums: { list: 'enums:read', show: 'enums:read', propose: 'enums:propose', export: 'enums:read' },
  'enum-proposals': {
    list: 'enums:read',
    show: 'enums:read',
    export: 'enums:read',
    create: 'enums:propose',
    approve: 'enums:approve',
    reject: 'enums:approve',
  },
  users: {
    list: 'users:read',
    show: 'users:read',
    export: 'users:read',
    create: 'users:write',
    edit: 'users:write',
  },
  'write-keys': {
    list: 'write-keys:read',
    show: 'write-keys:read',
    export: 'write-keys:read',
    create: 'write-keys:write',
    edit: 'write-keys:write',
    rotate: 'write-keys:write',
    revoke: 'write-keys:write',
  },
  'service-tokens': {
    list: 'service-tokens:read',
    show: 'service-tokens:read',
    export: 'service-tokens:read',
    create: 'service-tokens:write',
    edit: 'service-tokens:write',
    rotate: 'service-tokens:write',
    revoke: 'service-tokens:write',
  },
  audit: { list: 'audit:read', show: 'audit:read', export: 'audit:export' },
  permissions: { list: 'permissions:read' },
  licenses: {
    list: 'licenses:read',
    show: 'licenses:read',
    export: 'licenses:read',
    approve: 'licenses:decide',
    reject: 'licenses:decide',
    revoke: 'licenses:decide',
  },
  tasks: { list: 'tasks:read', show: 'tasks:read', export: 'tasks:read' },
  ledger: {
    list: 'ledger:read',
    show: 'ledger:read',
    export: 'ledger:read',
    // a rollback or an adjustment of a task's charge
    rollback: 'ledger:write',
    adjust: 'ledger:write',
    // the second person's decision on a large one (the server also refuses the requester)
    approve: 'ledger:approve',
    reject: 'ledger:approve',
  },
  // searching and sorting by the account hash: only for those who read it in clear (the server refuses the rest)
  'ledger-accounts': { list: 'ledger:read', export: 'ledger:read', search: 'sensitive:read' },
  alerts: {
    list: 'alerts:read',
    show: 'alerts:read',
    export: 'alerts:read',
    acknowledge: 'alerts:act',
    escalate: 'alerts:act',
    resolve: 'alerts:act',
  },
};

export const allows = (permissions: readonly string[], resource: string, action: string): boolean => {
  const needed = ACCESS[resource]?.[action];
  return needed !== undefined && permissions.includes(needed);
};

/** the signed-in user as getIdentity gives it: react-admin's id and fullName, plus roles and team */
export interface ConsoleIdentity extends UserIdentity {
  username: string;
  roles: Role[];
  team: string | null;
}

/**
 * Signs in against the Hono API (an HttpOnly session cookie) and answers react-admin's questions from
 * GET /api/auth/me, read once and kept in memory until the next sign-in or sign-out. One instance per
 * mounted <Admin>, so nothing of one session outlives it.
 */
export function createAuthProvider(): AuthProvider {
  let me: Promise<Me> | undefined;

  const loadMe = () => {
    me ??= httpClient('/api/auth/me').then(
      ({ json }) => meSchema.parse(json),
      (error: unknown) => {
        me = undefined;
        throw error;
      },
    );
    return me;
  };

  return {
    async login({ username, password }: { username: string; password: string }) {
      me = undefined;
      try {
        const { json } = await httpClient('/api/auth/login', {
          method: 'POST',
          body: JSON.stringify({ username, password }),
        });
        me = Promise.resolve(meSchema.parse(json));
      } catch (error) {
        // the login form shows the message, translated when it is a key
        if (error instanceof HttpError && error.status === 401) throw new Error('auth.invalid_credentials');
        // 429 (throttled, with when to try again) and 400 say what is wrong in their own message
        if (error instanceof HttpError && error.message) throw new Error(error.message);
        throw new Error('ra.auth.sign_in_error');
      }
    },

    async logout() {
      me = undefined;
      // ends the session on the server and clears the cookie; signed out already is fine too
      await httpClient('/api/auth/logout', { method: 'POST', body: '{}' }).catch(() => undefined);
    },

    async checkAuth() {
      try {
        await loadMe();
      } catch {
        throw new Error('ra.auth.auth_check_error');
      }
    },

    async checkError(error: { status?: number }) {
      // 401: the session ended (expired, signed out elsewhere, account disabled): react-admin signs out.
      // 403 is a refusal of one thing, not the end of the session: the page shows the error.
      if (error?.status === 401) throw new Error('ra.notification.logged_out');
    },

    async getIdentity(): Promise<ConsoleIdentity> {
      const user = await loadMe();
      return {
        id: user.id,
        fullName: user.display_name,
        username: user.username,
        roles: user.roles,
        team: user.team,
      };
    },

    async getPermissions() {
      return (await loadMe()).permissions;
    },

    async canAccess({ resource, action }: { resource: string; action: string }) {
      return allows((await loadMe()).permissions, resource, action);
    },
  };
}
