/**
 * The permission matrix: resource × action → the roles allowed (SPEC.md §1). The one place the server
 * decides who may do what; every console route names the permission it needs (`requires(...)`), the SPA
 * reads this matrix through GET /api/auth/me and /api/permissions to show only what a user may use.
 */
export const ROLES = [
  'compliance_reviewer',
  'ops',
  'product_planner',
  'data_analyst',
  'engineer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

const EVERYONE = ROLES;
/** who reads the hashed user/account ids and approver ids in clear (敏感字段默认仅产品规划、数据分析、operations-compliance 可读) */
const SENSITIVE_READERS = [
  'product_planner',
  'data_analyst',
  'compliance_reviewer',
] as const satisfies readonly Role[];
const AUDITORS = [
  'admin',
  'compliance_reviewer',
  'product_planner',
  'data_analyst',
] as const satisfies readonly Role[];

export const PERMISSIONS = {
  'completeness:read': EVERYONE,
  'events:read': EVERYONE,
  'tracking-plan:read': EVERYONE,
  'enums:read': EVERYONE,
  'permissions:read': EVERYONE,
  /** enum changes are proposals; governance.ts narrows both per enum (who proposes, which roles approve) */
  'enums:propose': ['product_planner', 'compliance_reviewer'],
  'enums:approve': ['product_planner', 'compliance_reviewer'],
  'sensitive:read': SENSITIVE_READERS,
  'users:read': ['admin'],
  'users:write': ['admin'],
  'write-keys:read': ['admin'],
  'write-keys:write': ['admin'],
  'audit:read': AUDITORS,
  'audit:export': AUDITORS,
  'licenses:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  'licenses:decide': ['compliance_reviewer'],
  'service-tokens:read': ['admin'],
  'service-tokens:write': ['admin'],
  'tasks:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  'alerts:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  /** operations-compliance works the alert inbox */
  'alerts:act': ['compliance_reviewer'],
  'ledger:read': ['compliance_reviewer', 'ops', 'product_planner', 'data_analyst'],
  /** ops issue rollbacks and adjustments */
  'ledger:write': ['ops'],
  /** a second ops or compliance person approves the large ones (never the requester) */
  'ledger:approve': ['ops', 'compliance_reviewer'],
  /** the metrics board: aggregates only (counts and sums, no ids), for everyone who reads completeness */
  'metrics:read': EVERYONE,
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}

export const permissionsOf = (roles: readonly Role[]): Permission[] =>
  (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(roles, p));

/** engineers read only their own team's events: those the plan gives their team, or sent with its write key */
export const isTeamScoped = (roles: readonly Role[]) => roles.every((r) => r === 'engineer');
